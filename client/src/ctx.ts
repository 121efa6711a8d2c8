// The extension's state, shared by every view and command (rust-analyzer's Ctx): the language client, the
// output channel, workspace trust, and the server's index events. Also handed to the promotion UI.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type RequestType,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { IndexChangedNotification, IndexStatusNotification, type IndexStatus } from '../../server/src/protocol';
import { withHelmTrust } from './helmTrust';
import { ruleDocsMiddleware } from './ruleDocs';
import { workspaceTrust, type Trust } from './trust';

export const OUTPUT_CHANNEL_NAME = 'Flux Environments';
export const RESTART_NOTICE = "Flux Environments' language server stopped and was restarted";

/** More deaths than this within the window means the server cannot run: stop restarting it. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;
/** How long a request waits for a (re)starting server before giving up. */
const READY_TIMEOUT_MS = 20000;

export interface Ctx {
  readonly extensionContext: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
  readonly trust: Trust;
  /** Fires with the index version whenever the server's index changed (edits, saves, file events). */
  readonly onIndexChanged: vscode.Event<number>;
  readonly onIndexStatus: vscode.Event<IndexStatus>;
  /** The latest status the server sent; undefined until it sends one. */
  readonly status: IndexStatus | undefined;
  /** Resolves once the server's index is ready (at once when it is): views wait for it instead of showing "no fleet". */
  whenReady(): Promise<void>;
  /** Restarts after the server died, and how many times the user was told (at most once per session). */
  readonly restarts: number;
  readonly restartNotices: number;
  /** Sends a custom request once the server runs (waiting through a restart). */
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  /** Registers a disposable for deactivation. */
  track<T extends vscode.Disposable>(disposable: T): T;
  /** Stops the server for good (deactivation): the error handler does not restart it. */
  stop(): Promise<void>;
}

/**
 * Changes made outside the editor (git checkout and pull, scripts, other editors) reach the server as
 * workspace/didChangeWatchedFiles, batched by the language client: every file of the workspace (renders read
 * YAML, generator inputs and ignore files; `.fluxenv.yaml` and `.sops.yaml` among them), and `.git/HEAD` for a
 * branch switch. The server decides what each event means.
 */
function fileWatchers(extensionContext: vscode.ExtensionContext): vscode.FileSystemWatcher[] {
  const watchers = [
    vscode.workspace.createFileSystemWatcher('**/*'),
    ...(vscode.workspace.workspaceFolders ?? []).map((folder) =>
      vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.git/HEAD')),
    ),
  ];
  extensionContext.subscriptions.push(...watchers);
  return watchers;
}

export function createCtx(extensionContext: vscode.ExtensionContext, output: vscode.LogOutputChannel): Ctx {
  const indexChanged = new vscode.EventEmitter<number>();
  const indexStatus = new vscode.EventEmitter<IndexStatus>();
  extensionContext.subscriptions.push(indexChanged, indexStatus);
  let status: IndexStatus | undefined;
  let restarts = 0;
  let restartNotices = 0;
  let stopping = false;
  const deaths: number[] = [];

  const trust = workspaceTrust();

  const errorHandler: ErrorHandler = {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      if (stopping) return { action: CloseAction.DoNotRestart, handled: true };
      const now = Date.now();
      deaths.push(now);
      while (deaths.length > 0 && deaths[0] < now - RESTART_WINDOW_MS) deaths.shift();
      if (deaths.length > MAX_RESTARTS) {
        const message = `Flux Environments' language server stopped ${deaths.length} times in 3 minutes and was not restarted. See the output channel; reload the window to try again.`;
        output.error(message);
        void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && output.show(true));
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      restarts++;
      output.warn(`[client] the language server stopped; restarting it (restart ${restarts})`);
      if (restartNotices === 0) {
        restartNotices++;
        void vscode.window.showInformationMessage(RESTART_NOTICE, 'Show Output').then((choice) => choice && output.show(true));
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };

  const serverModule = extensionContext.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = { module: serverModule, transport: TransportKind.ipc };
  const clientOptions: LanguageClientOptions = {
    // Only files on disk in the workspace: a kustomization is rendered from its folder.
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    outputChannel: output,
    errorHandler,
    synchronize: { configurationSection: 'fluxEnvironments', fileEvents: fileWatchers(extensionContext) },
    middleware: {
      ...ruleDocsMiddleware,
      workspace: {
        async configuration(params, token, next) {
          const items = await next(params, token);
          if (!Array.isArray(items)) return items;
          return withHelmTrust(
            params.items.map((item) => item.section),
            items,
            trust.isTrusted,
          );
        },
      },
    },
  };
  const client = new LanguageClient('fluxEnvironments', OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
  // Trust granted: the server pulls its settings again, now with helm as the user set it.
  extensionContext.subscriptions.push(
    trust.onDidGrant(() => {
      if (client.state !== State.Running) return;
      client.sendNotification(DidChangeConfigurationNotification.type, { settings: null }).catch(() => undefined);
    }),
  );
  client.onNotification(IndexChangedNotification, ({ version }) => indexChanged.fire(version));
  client.onNotification(IndexStatusNotification, (next) => {
    status = next;
    indexStatus.fire(next);
  });

  async function running(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (client.state !== State.Running) {
      if (Date.now() > deadline) throw new Error("Flux Environments' language server is not running; see the output channel.");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    extensionContext,
    client,
    output,
    trust,
    onIndexChanged: indexChanged.event,
    onIndexStatus: indexStatus.event,
    get status() {
      return status;
    },
    whenReady(): Promise<void> {
      if (status?.state === 'ready') return Promise.resolve();
      return new Promise((resolve) => {
        const listener = indexStatus.event((next) => {
          if (next.state !== 'ready') return;
          listener.dispose();
          resolve();
        });
      });
    },
    get restarts() {
      return restarts;
    },
    get restartNotices() {
      return restartNotices;
    },
    async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
      await running();
      return token ? client.sendRequest(type, params, token) : client.sendRequest(type, params);
    },
    track<T extends vscode.Disposable>(disposable: T): T {
      extensionContext.subscriptions.push(disposable);
      return disposable;
    },
    async stop(): Promise<void> {
      stopping = true;
      if (client.isRunning()) await client.stop();
    },
  };
}
