import * as assert from 'assert';
import * as path from 'path';
import { waitMissing } from '../../../server/src/rules/wait-missing';
import { makeFleet, type Fleet } from './harness';

const ks = (name: string, spec: string, specPath = `./${name}`) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ${specPath}
${spec}`;

const dependsOn = (...names: string[]) => `  dependsOn:\n${names.map((n) => `  - name: ${n}\n`).join('')}`;

describe('rule wait-missing', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger with wait: true, with healthChecks, or on the bootstrap flux-system Kustomization', () => {
    fleet = makeFleet({
      'clusters/prod/infra.yaml': ks('infra', '  wait: true\n'),
      'clusters/prod/configs.yaml': ks(
        'configs',
        '  healthChecks:\n  - kind: Deployment\n    name: web\n    namespace: apps\n' + dependsOn('infra'),
      ),
      'clusters/prod/apps.yaml': ks('apps', '  wait: true\n' + dependsOn('configs', 'flux-system')),
      'clusters/prod/flux-system/gotk-sync.yaml': ks('flux-system', '', './clusters/prod'),
    });
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('stays silent on Kustomizations nothing dependsOn, also with wait: false (home-lab layout: every app its own leaf)', () => {
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': ks('flux-system', '', './clusters/prod'),
      'clusters/prod/atuin.yaml': ks('atuin', '  wait: false\n'),
      'clusters/prod/echo.yaml': ks('echo', ''),
      'clusters/prod/immich.yaml': ks('immich', '  wait: false\n'),
    });
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('leaves a wait of the wrong type to invalid-flux-object', () => {
    fleet = makeFleet({
      'clusters/prod/infra.yaml': ks('infra', '  wait: "true"\n'),
      'clusters/prod/apps.yaml': ks('apps', '  wait: true\n' + dependsOn('infra')),
    });
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('flags a missing wait at spec, names the dependents, says what Flux does, and inserts wait: true', () => {
    fleet = makeFleet({
      'clusters/prod/infra.yaml': ks('infra', ''),
      'clusters/prod/apps.yaml': ks('apps', '  wait: true\n' + dependsOn('infra')),
    });
    const [d, ...rest] = fleet.check(waitMissing);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'info');
    assert.match(d.file, /infra\.yaml$/);
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } });
    assert.match(d.message, /neither wait: true nor healthChecks/);
    assert.match(d.message, /runs no health check and marks a Kustomization Ready as soon as its objects are applied/);
    assert.match(d.message, /"apps" \(which dependsOn it\) starts before/);
    assert.match(d.message, /Set wait: true/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/infra.yaml'), /\n {2}path: \.\/infra\n {2}wait: true\n$/);
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('flags wait: false at the value and flips it', () => {
    fleet = makeFleet({
      'clusters/prod/infra.yaml': ks('infra', '  wait: false # for now\n'),
      'clusters/prod/apps.yaml': ks('apps', '  wait: true\n' + dependsOn('infra')),
    });
    const [d] = fleet.check(waitMissing);
    assert.deepStrictEqual(d.range, { start: { line: 12, character: 8 }, end: { line: 12, character: 13 } });
    assert.match(d.message, /sets wait: false/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/infra.yaml'), / {2}wait: true # for now\n/);
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('reports a whole layered environment once, with the others as related places and one fix for all', () => {
    // toboshii-style layers: crds, charts, config <- core <- apps, none waiting.
    fleet = makeFleet({
      'cluster/flux/flux-system/gotk-sync.yaml': ks('flux-system', '', './cluster/flux'),
      'cluster/flux/crds.yaml': ks('crds', ''),
      'cluster/flux/charts.yaml': ks('charts', ''),
      'cluster/flux/config.yaml': ks('config', '  wait: false\n'),
      'cluster/flux/core.yaml': ks('core', dependsOn('crds', 'charts', 'config')),
      'cluster/flux/apps.yaml': ks('apps', dependsOn('core')),
    });
    const found = fleet.check(waitMissing);
    assert.strictEqual(found.length, 1, found.map((d) => d.message).join('\n'));
    const [d] = found;
    assert.strictEqual(d.severity, 'info');
    assert.match(d.message, /4 Kustomizations that others dependOn set neither wait: true nor healthChecks/);
    assert.match(d.message, /config \(wait: false; "core" dependsOn it\)/);
    assert.match(d.message, /core \(no wait; "apps" dependsOn it\)/);
    assert.doesNotMatch(d.message, /apps \(/, 'apps has no dependents');
    assert.deepStrictEqual([d.file, ...d.related!.map((r) => r.file)].map((f) => path.basename(f)).sort(), [
      'charts.yaml',
      'config.yaml',
      'core.yaml',
      'crds.yaml',
    ]);
    assert.strictEqual(d.fixes![0].edits.length, 4);
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('names only the dependents of the same cluster', () => {
    // Two clusters with the same Kustomization names (flux2-kustomize-helm-example): each lists its own "apps".
    const cluster = (env: string) => ({
      [`clusters/${env}/flux-system/gotk-sync.yaml`]: ks('flux-system', '', `./clusters/${env}`),
      [`clusters/${env}/infrastructure.yaml`]: ks('infra-configs', '', `./infrastructure/${env}`),
      [`clusters/${env}/apps.yaml`]: ks('apps', '  wait: true\n' + dependsOn('infra-configs'), `./apps/${env}`),
    });
    fleet = makeFleet({ ...cluster('staging'), ...cluster('production') });
    const found = fleet.check(waitMissing);
    assert.strictEqual(found.length, 2);
    for (const d of found) assert.match(d.message, /"apps" \(which dependsOn it\) starts before/);
  });
});
