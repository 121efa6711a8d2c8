// In a real VS Code on test/fixtures/vscode-workspace (apps/base, apps/staging, and apps/production whose
// kustomization lists ingress.yaml, which does not exist): what a user of the extension sees.
/* global describe, it, after */
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { EXTENSION_ID, DIAGNOSTIC_SOURCE, sleep, waitFor, ourDiagnostics, describeDiagnostics, ruleOf, workspaceUri } = require('./helpers');

const MISSING_FILE = 'ingress.yaml';

async function openInEditor(uri) {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

async function revertUnsavedDocuments() {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

function lineOf(document, text) {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(text)) return line;
  }
  throw new Error(`"${text}" is not in ${document.uri.fsPath}`);
}

describe('Flux Environments on a fleet workspace', () => {
  const production = workspaceUri('apps', 'production', 'kustomization.yaml');
  const staging = workspaceUri('apps', 'staging', 'kustomization.yaml');
  const base = workspaceUri('apps', 'base', 'kustomization.yaml');

  const fixtureFiles = [production, staging, base];
  const onDiskBefore = new Map(fixtureFiles.map((uri) => [uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8')]));

  after(async () => {
    // Revert before closing: closing a dirty editor asks whether to save, and the test driver may answer yes.
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates by itself because the workspace holds kustomization files', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    // Nobody calls activate(): the workspaceContains activation events must start it.
    await waitFor(
      'the extension to activate',
      () => extension.isActive,
      (active) => active === true,
    );
    // isActive also holds after activate() threw; what activate() registers shows it ran to the end.
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('fluxEnvironments.showOutput'), 'activate() did not complete: its command is missing');
  });

  it('registers the Show Output command, and running it succeeds', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('fluxEnvironments.showOutput'), 'fluxEnvironments.showOutput is not registered');
    await vscode.commands.executeCommand('fluxEnvironments.showOutput');
  });

  it('logs to a log output channel: timestamps and levels, and a level the user can choose', async () => {
    const { ctx } = vscode.extensions.getExtension(EXTENSION_ID).exports;
    const output = ctx.output;
    assert.strictEqual(output.name, 'Flux Environments');
    assert.ok(typeof output.logLevel === 'number', 'not a LogOutputChannel: it has no logLevel');
    for (const level of ['trace', 'debug', 'info', 'warn', 'error']) assert.strictEqual(typeof output[level], 'function', level);
  });

  it('reports the missing resource on its line of the overlay kustomization', async () => {
    const document = await openInEditor(production);
    const diagnostics = await waitFor(
      `a ${DIAGNOSTIC_SOURCE} diagnostic on ${production.fsPath}`,
      () => ourDiagnostics(production),
      (found) => found.length > 0,
    );
    assert.strictEqual(diagnostics.length, 1, JSON.stringify(describeDiagnostics(diagnostics)));
    const [diagnostic] = diagnostics;
    assert.strictEqual(ruleOf(diagnostic), 'missing-path');
    assert.match(diagnostic.code.target.path, /docs\/rules\/missing-path\.md$/, 'the code links to the rule page');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diagnostic.range.start.line, lineOf(document, `- ${MISSING_FILE}`));
    // The range covers the entry itself, so the squiggle sits under the file name.
    assert.strictEqual(document.getText(diagnostic.range), MISSING_FILE);
    assert.match(diagnostic.message, /'ingress\.yaml' in resources does not exist/);
  });

  it('reports nothing on an overlay that renders', async () => {
    await openInEditor(staging);
    // The production diagnostic above proves the server answers; give it time to answer for staging too.
    await sleep(1500);
    assert.deepStrictEqual(describeDiagnostics(ourDiagnostics(staging)), []);
  });

  it('clears the diagnostic when the unsaved buffer no longer lists the missing file', async () => {
    const document = await openInEditor(production);
    await waitFor(
      'the missing-path diagnostic before the fix',
      () => ourDiagnostics(production),
      (found) => found.length === 1,
    );
    const line = lineOf(document, `- ${MISSING_FILE}`);
    const edit = new vscode.WorkspaceEdit();
    edit.delete(production, document.lineAt(line).rangeIncludingLineBreak);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    assert.ok(document.isDirty, 'the fix must be tested unsaved: the server reads the open buffer, not the disk');
    await waitFor(
      'the missing-path diagnostic to clear',
      () => ourDiagnostics(production),
      (found) => found.length === 0,
    );
  });

  it('reports it again when the edit is undone', async () => {
    await openInEditor(production);
    await vscode.commands.executeCommand('undo');
    const diagnostics = await waitFor(
      'the missing-path diagnostic to come back',
      () => ourDiagnostics(production),
      (found) => found.length === 1,
    );
    assert.strictEqual(ruleOf(diagnostics[0]), 'missing-path');
  });

  it('reports a mistake in the base once though overlays render it too, and clears it everywhere when fixed', async () => {
    const baseDocument = await openInEditor(base);
    const line = lineOf(baseDocument, '- service.yaml') + 1;
    const breakBase = new vscode.WorkspaceEdit();
    breakBase.insert(base, new vscode.Position(line, 0), '  - configmap.yaml\n');
    assert.ok(await vscode.workspace.applyEdit(breakBase), 'the edit was not applied');
    await waitFor(
      'the missing-path diagnostic on the base',
      () => ourDiagnostics(base),
      (found) => found.length > 0,
    );

    // Editing the overlay renders it again, and that render meets the base's mistake as well.
    await openInEditor(staging);
    const touchOverlay = new vscode.WorkspaceEdit();
    touchOverlay.insert(staging, new vscode.Position(0, 0), '# touched\n');
    assert.ok(await vscode.workspace.applyEdit(touchOverlay), 'the edit was not applied');
    await sleep(1000);
    const diagnostics = ourDiagnostics(base);
    assert.deepStrictEqual(
      describeDiagnostics(diagnostics).map((d) => [d.line, d.code]),
      [[line, 'missing-path']],
    );
    assert.strictEqual(baseDocument.getText(diagnostics[0].range), 'configmap.yaml');

    await openInEditor(base);
    await vscode.commands.executeCommand('undo');
    await waitFor(
      'the base diagnostic to clear',
      () => ourDiagnostics(base),
      (found) => found.length === 0,
    );
    await sleep(1000); // the overlay must be rendered again too, or its stale copy would stay behind
    assert.deepStrictEqual(describeDiagnostics(ourDiagnostics(base)), []);
  });

  it('never writes to the files it edited: every fix above lived in unsaved buffers', async () => {
    await revertUnsavedDocuments();
    assert.deepStrictEqual(
      vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.fsPath),
      [],
    );
    for (const [file, text] of onDiskBefore) assert.strictEqual(fs.readFileSync(file, 'utf8'), text, `${file} changed on disk`);
  });
});
