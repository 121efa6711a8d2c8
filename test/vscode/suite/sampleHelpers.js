// Shared by the sample-fleet suites (a temp copy of examples/fleet-infra): the extension's API, editors,
// unsaved edits and their revert, and kubectl as the oracle for folder previews.
const assert = require('assert');
const { execFile } = require('child_process');
const vscode = require('vscode');
const { EXTENSION_ID, waitFor, workspaceUri } = require('./helpers');

/** The API activate() returns, once the workspaceContains activation has run. */
async function api() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  await waitFor(
    'the extension to activate',
    () => extension.isActive,
    (active) => active,
  );
  const exports = extension.exports;
  assert.ok(exports && exports.ctx, 'activate() returned no API (it did not complete)');
  await waitFor(
    'the first index',
    () => exports.ctx.status,
    (status) => status && status.state === 'ready',
    30000,
  );
  return exports;
}

async function openInEditor(uri) {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
  return document;
}

function lineOf(document, text) {
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.includes(text)) return line;
  throw new Error(`"${text}" is not in ${document.uri.toString()}`);
}

/** Replaces the first occurrence of `from` in an open file's buffer (unsaved). */
async function replaceInBuffer(uri, from, to) {
  const document = await openInEditor(uri);
  const at = document.getText().indexOf(from);
  assert.ok(at >= 0, `"${from}" is not in ${uri.fsPath}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
  assert.ok(document.isDirty, 'edits must stay unsaved');
  return document;
}

async function revertUnsavedDocuments() {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

/** `kubectl kustomize <folder>`, or undefined (with a loud SKIPPED) when kubectl is missing outside CI. */
// Asynchronous: a synchronous child process would block the extension host the extension runs in.
async function kubectlKustomize(test, folder) {
  try {
    return await new Promise((resolve, reject) =>
      execFile('kubectl', ['kustomize', folder], { encoding: 'utf8', timeout: 20000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    if (process.env.CI) throw new Error('kubectl not found, and CI is set: the differential check cannot be skipped');
    console.log('SKIPPED: kubectl not found');
    test.skip();
    return undefined;
  }
}

/** The text of a virtual document after it settles on `accept`. */
async function documentText(uri, accept, description, timeoutMs = 10000) {
  const document = await vscode.workspace.openTextDocument(uri);
  return waitFor(description, () => document.getText(), accept, timeoutMs);
}

module.exports = { api, openInEditor, lineOf, replaceInBuffer, revertUnsavedDocuments, kubectlKustomize, documentText, workspaceUri };
