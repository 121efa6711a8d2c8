import * as assert from 'assert';
import { waitHealthChecksIgnored } from '../../../server/src/rules/wait-healthchecks-ignored';
import { makeFleet, type Fleet } from './harness';

const ks = (spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
${spec}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;

const both = '  wait: true\n  healthChecks:\n  - apiVersion: apps/v1\n    kind: Deployment\n    name: my-app\n    namespace: production\n';

describe('rule wait-healthchecks-ignored', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger with only wait, only healthChecks, or an empty list', () => {
    fleet = makeFleet({
      'clusters/prod/a.yaml': ks('  wait: true\n'),
      'clusters/prod/b.yaml': ks('  healthChecks:\n  - kind: Deployment\n    name: web\n').replace('name: apps', 'name: b'),
      'clusters/prod/c.yaml': ks('  wait: true\n  healthChecks: []\n').replace('name: apps', 'name: c'),
    });
    assert.deepStrictEqual(fleet.check(waitHealthChecksIgnored), []);
  });

  it('flags healthChecks next to wait: true at the healthChecks key; the preferred fix removes the list', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks(both) });
    const [d] = fleet.check(waitHealthChecksIgnored);
    assert.strictEqual(d.severity, 'info');
    assert.deepStrictEqual(d.range, { start: { line: 9, character: 2 }, end: { line: 9, character: 14 } });
    assert.match(d.message, /Flux ignores its healthChecks/);
    assert.match(d.message, /Remove the healthChecks, or remove wait: true/);
    assert.strictEqual(d.fixes!.length, 2);
    assert.ok(d.fixes![0].preferred);
    fleet.apply(d.fixes![0]);
    assert.strictEqual(fleet.read('clusters/prod/apps.yaml'), ks('  wait: true\n'));
    assert.deepStrictEqual(fleet.check(waitHealthChecksIgnored), []);
  });

  it('offers to remove wait: true instead', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks(both) });
    const [d] = fleet.check(waitHealthChecksIgnored);
    fleet.apply(d.fixes![1]);
    assert.strictEqual(fleet.read('clusters/prod/apps.yaml'), ks(both.replace('  wait: true\n', '')));
    assert.deepStrictEqual(fleet.check(waitHealthChecksIgnored), []);
  });
});
