// In a real VS Code on test/vscode/plain-workspace (one YAML file, no kustomization, no Flux objects):
// the extension must not start just because a YAML file is open.
/* global describe, it */
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, sleep, workspaceUri } = require('./helpers');

describe('Flux Environments on a workspace without kustomizations or Flux objects', () => {
  it('stays inactive while a YAML file is open', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const document = await vscode.workspace.openTextDocument(workspaceUri('config.yaml'));
    await vscode.window.showTextDocument(document);
    assert.strictEqual(document.languageId, 'yaml');
    await sleep(1500);
    assert.strictEqual(extension.isActive, false, 'activated on a plain YAML file');
  });
});
