import * as assert from 'assert';
import { dependsonCycle } from '../../../server/src/rules/dependson-cycle';
import { configMap, fluxKs, folder, seedFleet } from './fluxGraphFixtures';
import { memoryFleet } from '../../ruleTester';
import { makeFleet, type Fleet } from './harness';

const dependsOn = (...names: string[]) => `  dependsOn:\n${names.map((n) => `  - name: ${n}\n`).join('')}`;

describe('rule dependson-cycle', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  const folders = {
    ...folder('apps', { 'cm.yaml': configMap('app-config', 'default') }),
    ...folder('infrastructure', { 'cm.yaml': configMap('infra-config', 'default') }),
    ...folder('monitoring', { 'cm.yaml': configMap('mon-config', 'default') }),
  };

  it('keeps the seed fleet clean', () => {
    fleet = seedFleet();
    assert.deepStrictEqual(fleet.check(dependsonCycle), []);
  });

  it('does not trigger on a chain', () => {
    fleet = makeFleet({
      ...folders,
      'clusters/prod/apps.yaml': fluxKs('apps', dependsOn('infrastructure')),
      'clusters/prod/infrastructure.yaml': fluxKs('infrastructure', dependsOn('monitoring')),
      'clusters/prod/monitoring.yaml': fluxKs('monitoring'),
    });
    assert.deepStrictEqual(fleet.check(dependsonCycle), []);
  });

  it('reports every member of a cycle at its entry, listing the cycle from that member', () => {
    fleet = makeFleet({
      ...folders,
      'clusters/prod/apps.yaml': fluxKs('apps', dependsOn('infrastructure')),
      'clusters/prod/infrastructure.yaml': fluxKs('infrastructure', dependsOn('monitoring', 'apps')),
      'clusters/prod/monitoring.yaml': fluxKs('monitoring'),
    });
    const found = fleet.check(dependsonCycle);
    assert.strictEqual(found.length, 2);
    const [a, i] = found;
    assert.match(a.file, /apps\.yaml$/);
    assert.strictEqual(a.severity, 'error');
    assert.deepStrictEqual(a.range, { start: { line: 13, character: 10 }, end: { line: 13, character: 24 } });
    assert.match(a.message, /dependsOn cycle: apps -> infrastructure -> apps\. .*remove/);
    assert.match(i.file, /infrastructure\.yaml$/);
    assert.deepStrictEqual(i.range.start, { line: 14, character: 10 });
    assert.match(i.message, /dependsOn cycle: infrastructure -> apps -> infrastructure\./);
    // Removing one entry breaks the cycle for every member.
    fleet.apply(i.fixes![0]);
    assert.match(fleet.read('clusters/prod/infrastructure.yaml'), /\n {2}dependsOn:\n {2}- name: monitoring\n$/);
    assert.deepStrictEqual(fleet.check(dependsonCycle), []);
  });

  it('removes the whole dependsOn key when its only entry closes the cycle', () => {
    fleet = makeFleet({
      ...folders,
      'clusters/prod/apps.yaml': fluxKs('apps', dependsOn('apps')),
    });
    const [d, ...rest] = fleet.check(dependsonCycle);
    assert.strictEqual(rest.length, 0);
    assert.match(d.message, /dependsOn cycle: apps -> apps\./);
    fleet.apply(d.fixes![0]);
    assert.doesNotMatch(fleet.read('clusters/prod/apps.yaml'), /dependsOn/);
    assert.deepStrictEqual(fleet.check(dependsonCycle), []);
  });

  // How fast: bench/complexity.ts (npm run bench:complexity).
  it('reports a 500-member ring, each message shortened', function () {
    const files: Record<string, string> = { ...folder('shared', { 'cm.yaml': configMap('c', 'default') }) };
    const n = 500;
    for (let k = 0; k < n; k++) files[`clusters/prod/ks-${k}.yaml`] = fluxKs(`ks-${k}`, dependsOn(`ks-${(k + 1) % n}`), { path: 'shared' });
    const ring = memoryFleet(files);
    ring.index.renderEnvironment(ring.index.environments().environments[0]);
    const found = ring.check(dependsonCycle);
    assert.strictEqual(found.length, n);
    assert.match(found[0].message, /dependsOn cycle: ks-0 -> ks-1 -> ks-2 -> ks-3 -> ks-4 -> ks-5 -> … 494 more -> ks-0\./);
  });

  it('reports HelmRelease cycles', () => {
    const release = (name: string, dep: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: tools
spec:
  interval: 10m
  chart:
    spec:
      chart: ${name}
      sourceRef:
        kind: HelmRepository
        name: charts
  dependsOn:
  - name: ${dep}
`;
    fleet = makeFleet({
      ...folder('infrastructure', { 'a.yaml': release('a', 'b'), 'b.yaml': release('b', 'a') }),
      'clusters/prod/infrastructure.yaml': fluxKs('infrastructure'),
    });
    const found = fleet.check(dependsonCycle);
    assert.strictEqual(found.length, 2);
    assert.match(found[0].message, /a -> b -> a\. No HelmRelease/);
  });
});
