// Shared by the extension-host tests: the extension under test and polling for what the language server publishes.
const { Buffer } = require('buffer');
const fs = require('fs');
const path = require('path');
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

let queries = 0;

/**
 * The inner text of every workbench element `selector` matches (view welcome text, tree rows...), read by
 * scripts/vscode-harness.js in the page: the extension host cannot see the DOM. Only under that harness.
 */
async function workbenchTexts(selector, timeoutMs = 5000) {
  const folder = process.env.VSCODE_HARNESS_QUERY_DIR;
  if (!folder) throw new Error('reading the workbench needs scripts/vscode-harness.js (npm run test:vscode), not a desktop VS Code');
  const id = `q${process.pid}-${++queries}`;
  console.log(`[workbench-query] ${id} ${Buffer.from(selector, 'utf8').toString('base64')} [/workbench-query]`);
  const file = path.join(folder, `${id}.json`);
  const answer = await waitFor(
    `the harness to answer ${selector}`,
    () => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined),
    (value) => value !== undefined,
    timeoutMs,
  );
  fs.rmSync(file, { force: true });
  if (answer.error) throw new Error(`the harness could not read ${selector}: ${answer.error}`);
  return answer.texts;
}

module.exports = {
  EXTENSION_ID,
  DIAGNOSTIC_SOURCE,
  sleep,
  waitFor,
  ourDiagnostics,
  describeDiagnostics,
  ruleOf,
  workspaceUri,
  workbenchTexts,
};
