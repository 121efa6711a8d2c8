// Previews on the sample fleet (a temp copy of examples/fleet-infra): what a user sees beside the editor.
/* global describe, it, after */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { waitFor } = require('./helpers');
const {
  api,
  openInEditor,
  lineOf,
  replaceInBuffer,
  revertUnsavedDocuments,
  kubectlKustomize,
  documentText,
  workspaceUri,
} = require('./sampleHelpers');

function hoverText(hovers) {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('Preview Rendered', () => {
  const stagingFolder = workspaceUri('apps', 'staging');
  const stagingPatch = workspaceUri('apps', 'staging', 'my-app-patch.yaml');
  const stagingKustomization = workspaceUri('apps', 'staging', 'kustomization.yaml');

  after(async () => {
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a kustomization folder exactly as kubectl kustomize prints it, beside the editor', async function () {
    await api();
    const expected = await kubectlKustomize(this, stagingFolder.fsPath);
    await openInEditor(stagingKustomization);
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', { kind: 'folder', uri: stagingFolder.toString() });
    assert.ok(uri, 'the preview command returned no document');
    assert.strictEqual(uri.scheme, 'flux-environments-preview');
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    assert.ok(editor, 'the preview is not visible');
    assert.strictEqual(editor.viewColumn, vscode.ViewColumn.Two, 'the preview opens beside the editor');
    assert.strictEqual(editor.document.languageId, 'yaml');
    assert.strictEqual(editor.document.getText(), expected);
  });

  it('follows an unsaved edit of a file that feeds it, within a second or so', async () => {
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', { kind: 'folder', uri: stagingFolder.toString() });
    await documentText(uri, (t) => t.includes('replicas: 2'), 'the preview before the edit');
    const started = Date.now();
    await replaceInBuffer(stagingPatch, 'replicas: 2', 'replicas: 7');
    await documentText(
      uri,
      (t) => t.includes('replicas: 7') && !t.includes('replicas: 2'),
      'the preview to show the unsaved replicas',
      5000,
    );
    assert.ok(Date.now() - started < 3000, `the preview took ${Date.now() - started} ms to follow the edit`);
  });

  it('says where a value comes from on hover, and go-to-definition jumps there', async () => {
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', { kind: 'folder', uri: stagingFolder.toString() });
    const document = await vscode.workspace.openTextDocument(uri);
    await waitFor(
      'the edited preview',
      () => document.getText(),
      (t) => t.includes('replicas: 7'),
    );
    const line = lineOf(document, 'replicas: 7');
    const position = new vscode.Position(line, document.lineAt(line).text.indexOf('7'));
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, position);
    assert.match(hoverText(hovers), /my-app-patch\.yaml/, 'the hover names the patch that set replicas');
    // Rendered as Markdown: the field is a code span, not text with literal (escaped) backticks.
    assert.match(hoverText(hovers), /(^|[^\\])`[^`]+`/);
    assert.doesNotMatch(hoverText(hovers), /\\`/);
    const locations = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', uri, position);
    assert.ok(locations.length > 0, 'no definition');
    const target = locations[0].uri || locations[0].targetUri;
    assert.strictEqual(target.toString(), stagingPatch.toString());
    const range = locations[0].range || locations[0].targetRange;
    const patch = await vscode.workspace.openTextDocument(stagingPatch);
    assert.match(patch.lineAt(range.start.line).text, /replicas/);
  });

  it('keeps the objects and lists render errors at the top instead of going blank', async () => {
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', { kind: 'folder', uri: stagingFolder.toString() });
    await replaceInBuffer(stagingKustomization, '- ../base/redis', '- ../base/redis\n- missing-file.yaml');
    const text = await documentText(
      uri,
      (t) => t.startsWith('#') && t.includes('missing-file.yaml'),
      'the render problem at the top of the preview',
    );
    assert.match(text.split('\n')[0], /render problem/);
    await openInEditor(stagingKustomization);
    await vscode.commands.executeCommand('undo');
    await documentText(uri, (t) => !t.includes('missing-file.yaml') && t.includes('kind: Deployment'), 'the preview to recover');
  });

  it('previews a whole environment, its Kustomizations in dependsOn order', async () => {
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', { kind: 'environment', name: 'staging' });
    const text = await documentText(uri, (t) => t.includes('# Kustomization:'), 'the environment preview');
    const infrastructure = text.indexOf('# Kustomization: flux-system/infrastructure');
    const apps = text.indexOf('# Kustomization: flux-system/apps');
    assert.ok(infrastructure >= 0 && apps > infrastructure, 'infrastructure is applied before apps (dependsOn)');
    assert.match(text, /namespace: staging/);
  });

  it('previews the file in the editor title: a kustomization file renders its folder, a Flux file its Kustomization', async () => {
    const folderPreview = await vscode.commands.executeCommand('fluxEnvironments.preview', stagingKustomization);
    assert.strictEqual(JSON.parse(folderPreview.query).kind, 'folder');
    const fluxFile = workspaceUri('clusters', 'production', 'apps.yaml');
    await openInEditor(fluxFile);
    const fluxPreview = await vscode.commands.executeCommand('fluxEnvironments.preview', fluxFile);
    assert.deepStrictEqual(JSON.parse(fluxPreview.query), { kind: 'fluxKustomization', uri: fluxFile.toString(), documentIndex: 0 });
    const text = await documentText(fluxPreview, (t) => t.includes('kind: Deployment'), 'the Flux Kustomization preview');
    assert.match(text, /namespace: production/);
    assert.match(text, /replicas: 5/);
  });

  it('"Preview Rendered…" on a Flux Kustomization file offers that Kustomization first, and no dot-folder', async () => {
    const { previewChoices } = await api();
    const hidden = workspaceUri('.cache', 'kustomize', 'kustomization.yaml');
    fs.mkdirSync(path.dirname(hidden.fsPath), { recursive: true });
    fs.writeFileSync(hidden.fsPath, 'resources: []\n');
    try {
      const choices = await previewChoices(workspaceUri('clusters', 'staging', 'apps.yaml'));
      const [first] = choices.filter((c) => c.kind !== vscode.QuickPickItemKind.Separator);
      assert.match(first.label, /\bapps$/, JSON.stringify(choices.slice(0, 4)));
      assert.match(first.description, /^staging/);
      assert.deepStrictEqual(await first.target, {
        kind: 'fluxKustomization',
        uri: workspaceUri('clusters', 'staging', 'apps.yaml').toString(),
        documentIndex: 0,
      });
      assert.ok(
        choices.some((c) => /apps\/staging$/.test(c.label)),
        'kustomization folders are still offered',
      );
      assert.ok(
        !choices.some((c) => /(^|[\s/])\./.test(c.label.replace(/^\$\([^)]*\) /, ''))),
        JSON.stringify(choices.map((c) => c.label)),
      );
    } finally {
      fs.rmSync(path.dirname(path.dirname(hidden.fsPath)), { recursive: true, force: true });
    }
  });
});
