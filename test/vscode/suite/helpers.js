// Shared by the extension-host tests: the extension under test and polling for what the language server publishes.
const vscode = require('vscode');

const EXTENSION_ID = 'flux-environments.flux-environments';
const DIAGNOSTIC_SOURCE = 'flux-environments';

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `read` until `accept(value)` holds; throws with the last value seen when `timeoutMs` runs out. */
async function waitFor(description, read, accept, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let value;
  while (true) {
    value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; last seen: ${JSON.stringify(value)}`);
    }
    await sleep(100);
  }
}

/** Our language server's diagnostics on a file (other extensions may publish on YAML too). */
function ourDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** The rule id of a diagnostic: VS Code gives `{ value, target }` when the code links to the rule's docs page. */
function ruleOf(d) {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

function describeDiagnostics(diagnostics) {
  return diagnostics.map((d) => ({ line: d.range.start.line, code: ruleOf(d), message: d.message }));
}

function workspaceUri(...segments) {
  const [folder] = vscode.workspace.workspaceFolders || [];
  if (!folder) throw new Error('the test run opened no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

module.exports = { EXTENSION_ID, DIAGNOSTIC_SOURCE, sleep, waitFor, ourDiagnostics, describeDiagnostics, ruleOf, workspaceUri };
