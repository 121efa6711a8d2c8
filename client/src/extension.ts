// The VS Code side: start the language server and expose its log. All knowledge of Flux and Kustomize
// lives in the server; this file only connects the editor to it.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

const OUTPUT_CHANNEL_NAME = 'Flux Environments';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand('fluxEnvironments.showOutput', () => output.show(true)));

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = { module: serverModule, transport: TransportKind.ipc };
  const clientOptions: LanguageClientOptions = {
    // Only files on disk in the workspace: a kustomization is rendered from its folder.
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    outputChannel: output,
  };
  client = new LanguageClient('fluxEnvironments', OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  const stopping = client;
  client = undefined;
  await stopping?.stop();
}
