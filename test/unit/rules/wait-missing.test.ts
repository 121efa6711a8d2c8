import * as assert from 'assert';
import { waitMissing } from '../../../server/src/rules/wait-missing';
import { makeFleet, type Fleet } from './harness';

const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
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
  path: ./${name}
${spec}`;

describe('rule wait-missing', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger with wait: true, with healthChecks, or on the bootstrap flux-system Kustomization', () => {
    fleet = makeFleet({
      'clusters/prod/infra.yaml': ks('infra', '  wait: true\n'),
      'clusters/prod/apps.yaml': ks('apps', '  healthChecks:\n  - kind: Deployment\n    name: web\n    namespace: apps\n'),
      'clusters/prod/flux-system/gotk-sync.yaml': ks('flux-system', ''),
    });
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('leaves a wait of the wrong type to invalid-flux-object', () => {
    fleet = makeFleet({ 'clusters/prod/infra.yaml': ks('infra', '  wait: "true"\n') });
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('flags a missing wait at spec, names the dependents, and inserts wait: true', () => {
    fleet = makeFleet({
      'clusters/prod/infra.yaml': ks('infra', ''),
      'clusters/prod/apps.yaml': ks('apps', '  wait: true\n  dependsOn:\n  - name: infra\n'),
    });
    const [d, ...rest] = fleet.check(waitMissing);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'info');
    assert.match(d.file, /infra\.yaml$/);
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } });
    assert.match(d.message, /neither wait: true nor healthChecks/);
    assert.match(d.message, /"apps" \(which dependsOn it\) starts before/);
    assert.match(d.message, /Set wait: true/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/infra.yaml'), /\n {2}path: \.\/infra\n {2}wait: true\n$/);
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });

  it('flags wait: false at the value and flips it', () => {
    fleet = makeFleet({ 'clusters/prod/infra.yaml': ks('infra', '  wait: false # for now\n') });
    const [d] = fleet.check(waitMissing);
    assert.deepStrictEqual(d.range, { start: { line: 12, character: 8 }, end: { line: 12, character: 13 } });
    assert.match(d.message, /sets wait: false/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/infra.yaml'), / {2}wait: true # for now\n/);
    assert.deepStrictEqual(fleet.check(waitMissing), []);
  });
});
