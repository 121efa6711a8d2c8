// kustomize helmCharts in the editor behind fluxEnvironments.helm.enabled, on the sample fleet (a temp copy):
// a folder with a chart in charts/ is previewed with a stand-in helm once the setting is on in a trusted
// workspace; untrusted, the client keeps helm off for the server and the preview shows kubectl's error.
/* global describe, it, before, after */
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { waitFor } = require('./helpers');
const { api, documentText, workspaceUri } = require('./sampleHelpers');

/** Makes the workspace look trusted or not through the client's trust object (what the client reads). */
function pretendTrust(exports, trusted) {
  const owner = exports.ctx.trust;
  const descriptor = Object.getOwnPropertyDescriptor(owner, 'isTrusted');
  try {
    Object.defineProperty(owner, 'isTrusted', { get: () => trusted, configurable: true });
  } catch {
    return undefined;
  }
  return () => {
    if (descriptor) Object.defineProperty(owner, 'isTrusted', descriptor);
    else delete owner.isTrusted;
  };
}

describe('helmCharts with fluxEnvironments.helm.enabled', function () {
  this.timeout(60000);
  const folder = workspaceUri('helm-demo');
  const target = { kind: 'folder', uri: folder.toString() };
  const settings = () => vscode.workspace.getConfiguration('fluxEnvironments');
  let scratch;
  let exports;

  /** A stand-in for helm: the release name and the chart's values as one ConfigMap, named `name`. */
  const standIn = (name) => {
    const script = path.join(scratch, name);
    fs.writeFileSync(
      script,
      [
        `#!${process.execPath}`,
        "const fs = require('fs');",
        'const args = process.argv.slice(2);',
        "const values = fs.readFileSync(args[args.indexOf('--values') + 1], 'utf8').trim();",
        `process.stdout.write('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ' + args[1] + '-${name}\\ndata:\\n  ' + values + '\\n');`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    return script;
  };

  before(async function () {
    if (process.platform === 'win32') this.skip(); // the stand-in is a script with a #! line
    exports = await api();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-vscode-'));
    const write = (rel, text) => {
      const file = path.join(folder.fsPath, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    };
    write('kustomization.yaml', 'helmCharts:\n- name: hello\n  releaseName: web\n');
    write('charts/hello/Chart.yaml', 'apiVersion: v2\nname: hello\nversion: 0.1.0\n');
    write('charts/hello/values.yaml', 'greeting: hi\n');
  });

  after(async () => {
    await settings().update('helm.enabled', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('helm.path', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder.fsPath, { recursive: true, force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("untrusted: helm stays off and the preview shows kubectl's error; trusted: the chart is rendered by the configured helm", async function () {
    const restore = pretendTrust(exports, false);
    if (!restore) this.skip(); // the trust object cannot be patched here; the client's middleware is unit-tested
    try {
      await settings().update('helm.path', standIn('untrusted'), vscode.ConfigurationTarget.Global);
      await settings().update('helm.enabled', true, vscode.ConfigurationTarget.Global);
      const uri = await waitFor(
        'a preview of the new folder',
        () => vscode.commands.executeCommand('fluxEnvironments.preview', target),
        (found) => !!found,
      );
      const text = await documentText(uri, (t) => t.includes('must specify --enable-helm'), "kubectl's error for helmCharts", 20000);
      assert.doesNotMatch(text, /web-untrusted/);
    } finally {
      restore();
    }

    // A new helm path is a configuration change: the server pulls its settings again, now trusted.
    await settings().update('helm.path', standIn('trusted'), vscode.ConfigurationTarget.Global);
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', target);
    const text = await documentText(uri, (t) => t.includes('name: web-trusted'), 'the chart rendered by the trusted stand-in', 20000);
    assert.match(text, /greeting: hi/);
    assert.doesNotMatch(text, /--enable-helm/);
  });
});
