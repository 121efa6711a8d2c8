// Changes made outside the editor (git checkout, a script, another editor) on the sample fleet: the
// extension's file watchers tell the language server, which re-indexes what changed.
/* global describe, it, after */
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { waitFor, ourDiagnostics, ruleOf } = require('./helpers');
const { api, workspaceUri } = require('./sampleHelpers');

describe('Files changed on disk outside the editor', () => {
  const production = workspaceUri('apps', 'production', 'kustomization.yaml');
  const before = fs.readFileSync(production.fsPath, 'utf8');

  after(() => fs.writeFileSync(production.fsPath, before));

  it('a file never opened gets its problem within seconds of a change on disk, and loses it when fixed', async () => {
    await api();
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === production.toString()),
      'the test needs a file that is not open',
    );
    assert.deepStrictEqual(ourDiagnostics(production).map(ruleOf), []);
    fs.writeFileSync(production.fsPath, before.replace('- ../base/redis\n', '- ../base/redis\n- ingress.yaml\n'));
    const found = await waitFor(
      'missing-path on the file changed on disk',
      () => ourDiagnostics(production),
      (d) => d.some((x) => ruleOf(x) === 'missing-path'),
      10000,
    );
    assert.match(found.find((x) => ruleOf(x) === 'missing-path').message, /ingress\.yaml/);
    fs.writeFileSync(production.fsPath, before);
    await waitFor(
      'the problem to clear once the file is fixed on disk',
      () => ourDiagnostics(production),
      (d) => d.length === 0,
      10000,
    );
  });

  it('the Environments tree follows a Flux Kustomization created on disk', async () => {
    const { environments } = await api();
    const created = workspaceUri('clusters', 'staging', 'monitoring.yaml');
    const namesUnderStaging = async () => {
      const [staging] = await environments.getChildren();
      return (await environments.getChildren(staging)).filter((n) => n.type === 'kustomization').map((n) => n.kustomization.name);
    };
    assert.ok(!(await namesUnderStaging()).includes('monitoring'));
    fs.writeFileSync(
      created.fsPath,
      [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:',
        '  name: monitoring',
        '  namespace: flux-system',
        'spec:',
        '  interval: 10m',
        '  sourceRef:',
        '    kind: GitRepository',
        '    name: flux-system',
        '  path: ./infrastructure/staging',
        '  prune: true',
        '  wait: true',
        '',
      ].join('\n'),
    );
    try {
      await waitFor('monitoring under staging', namesUnderStaging, (names) => names.includes('monitoring'), 10000);
    } finally {
      fs.rmSync(created.fsPath);
    }
    await waitFor('monitoring gone after the file is deleted', namesUnderStaging, (names) => !names.includes('monitoring'), 10000);
  });
});
