// The external renderer setting on the sample fleet: a folder preview may run `kubectl kustomize` (here a
// stand-in script that records each run) only in a trusted workspace; untrusted, the built-in renderer answers.
/* global describe, it, before, after */
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { sleep } = require('./helpers');
const { api, documentText, workspaceUri } = require('./sampleHelpers');

/** Makes the workspace look trusted or not, through VS Code's API object (as promote.test.js does) or, failing that, the client's trust object. */
function pretendTrust(exports, trusted) {
  for (const [owner, key] of [
    [vscode.workspace, 'isTrusted'],
    [exports.ctx.trust, 'isTrusted'],
  ]) {
    const descriptor = Object.getOwnPropertyDescriptor(owner, key) || Object.getOwnPropertyDescriptor(Object.getPrototypeOf(owner), key);
    try {
      Object.defineProperty(owner, key, { get: () => trusted, configurable: true });
    } catch {
      continue;
    }
    return () => {
      if (descriptor) Object.defineProperty(owner, key, descriptor);
      else delete owner[key];
    };
  }
  return undefined;
}

describe('External renderer and workspace trust', () => {
  const folder = workspaceUri('apps', 'production');
  const target = { kind: 'folder', uri: folder.toString() };
  let scratch;
  let marker;
  let exports;
  const standIn = (name) => {
    const script = path.join(scratch, name);
    const yaml = 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-the-stand-in\\n';
    fs.writeFileSync(script, `#!/bin/sh\necho "$*" >> '${marker}'\nprintf '${yaml}'\n`, { mode: 0o755 });
    return script;
  };
  const settings = () => vscode.workspace.getConfiguration('fluxEnvironments');

  before(async function () {
    if (process.platform === 'win32') this.skip(); // the stand-in is a POSIX shell script
    exports = await api();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-renderer-'));
    marker = path.join(scratch, 'ran.txt');
  });

  after(async () => {
    await settings().update('rendererPath', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('renderer', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('untrusted: the stand-in does not run and the built-in renderer answers; trusted: it runs', async function () {
    const restore = pretendTrust(exports, false);
    if (!restore) this.skip(); // neither trust object can be patched here; the client's check is unit-tested
    try {
      await settings().update('rendererPath', standIn('kubectl-untrusted.sh'), vscode.ConfigurationTarget.Global);
      await settings().update('renderer', 'kubectl', vscode.ConfigurationTarget.Global);
      const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', target);
      const text = await documentText(
        uri,
        (t) => t.includes('do not run in an untrusted folder') && t.includes('kind: Deployment'),
        'the built-in render with the untrusted note',
      );
      assert.match(text.split('\n')[0], /renderer is "kubectl", but external programs do not run in an untrusted folder/);
      assert.doesNotMatch(text, /from-the-stand-in/);
      // Let any refresh the setting changes scheduled run while the workspace is still untrusted.
      await sleep(1000);
      assert.ok(!fs.existsSync(marker), 'the external renderer ran in an untrusted workspace');
      assert.match((await documentText(uri, () => true, 'the preview')).split('\n')[0], /untrusted folder/);
    } finally {
      restore();
    }

    const restoreTrusted = pretendTrust(exports, true);
    try {
      // A new path is a configuration change, which re-renders the open preview.
      const trustedScript = standIn('kubectl-trusted.sh');
      await settings().update('rendererPath', trustedScript, vscode.ConfigurationTarget.Global);
      const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', target);
      const header = `# rendered by: ${trustedScript} kustomize ${folder.fsPath}`;
      const text = await documentText(uri, (t) => t.startsWith(header + '\n'), 'the render by the trusted stand-in');
      assert.match(text, /name: from-the-stand-in/);
      assert.equal(fs.readFileSync(marker, 'utf8').trim().split('\n').pop(), `kustomize ${folder.fsPath}`);
    } finally {
      if (restoreTrusted) restoreTrusted();
    }
  });
});
