import * as assert from 'assert';
import { dependsonUnknown } from '../../../server/src/rules/dependson-unknown';
import { configMap, fluxKs, folder, seedFleet } from './fluxGraphFixtures';
import { makeFleet, type Fleet } from './harness';

const apps = (dependsOn: string) => fluxKs('apps', `  dependsOn:\n${dependsOn}`);

describe('rule dependson-unknown', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  const base = {
    ...folder('apps', { 'cm.yaml': configMap('app-config', 'default') }),
    ...folder('infrastructure', { 'cm.yaml': configMap('infra-config', 'default') }),
    'clusters/prod/infrastructure.yaml': fluxKs('infrastructure'),
  };

  it('keeps the seed fleet clean', () => {
    fleet = seedFleet();
    assert.deepStrictEqual(fleet.check(dependsonUnknown), []);
  });

  it('does not trigger when the named Kustomization exists', () => {
    fleet = makeFleet({ ...base, 'clusters/prod/apps.yaml': apps('  - name: infrastructure\n') });
    assert.deepStrictEqual(fleet.check(dependsonUnknown), []);
  });

  it('flags a misspelled name at the value and fixes it to the nearest one', () => {
    fleet = makeFleet({ ...base, 'clusters/prod/apps.yaml': apps('  - name: infrastucture # typo\n') });
    const [d, ...rest] = fleet.check(dependsonUnknown);
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 13, character: 10 }, end: { line: 13, character: 23 } });
    assert.match(d.message, /dependsOn "infrastucture" names no Kustomization/);
    assert.match(d.message, /Did you mean "infrastructure"\?/);
    assert.strictEqual(d.fixes![0].title, 'Change to "infrastructure"');
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {2}- name: infrastructure # typo\n$/);
    assert.deepStrictEqual(fleet.check(dependsonUnknown), []);
  });

  it('is an error when the named Kustomization exists only in another cluster, a warning when nowhere in the repository', () => {
    fleet = makeFleet({
      ...base,
      'clusters/prod/apps.yaml': apps('  - name: monitoring\n  - name: external-crds\n'),
      ...folder('monitoring', { 'cm.yaml': configMap('mon', 'default') }),
      'clusters/staging/monitoring.yaml': fluxKs('monitoring'),
    });
    const found = fleet.check(dependsonUnknown).sort((a, b) => a.range.start.line - b.range.start.line);
    assert.strictEqual(found.length, 2);
    assert.strictEqual(found[0].severity, 'error');
    assert.match(found[0].message, /it exists only in cluster staging/);
    assert.strictEqual(found[1].severity, 'warning');
    assert.match(found[1].message, /nor anywhere in this repository; unless another repository creates it on this cluster/);
  });

  it('adds the namespace when the name exists in another namespace', () => {
    fleet = makeFleet({
      ...base,
      'clusters/prod/infrastructure.yaml': fluxKs('infrastructure', '', { namespace: 'infra-system' }),
      'clusters/prod/apps.yaml': apps('  - name: infrastructure\n'),
    });
    const [d] = fleet.check(dependsonUnknown);
    assert.match(d.message, /namespace "flux-system"/);
    assert.match(d.message, /Add namespace: infra-system/);
    assert.strictEqual(d.range.start.line, 13);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {2}- name: infrastructure\n {4}namespace: infra-system\n$/);
    assert.deepStrictEqual(fleet.check(dependsonUnknown), []);
  });

  it('says what to do when nothing is near', () => {
    fleet = makeFleet({ ...base, 'clusters/prod/apps.yaml': apps('  - name: databases\n') });
    const [d] = fleet.check(dependsonUnknown);
    assert.match(d.message, /Fix the name, or remove the entry/);
    assert.strictEqual(d.fixes, undefined);
  });

  it('does not look across clusters', () => {
    fleet = makeFleet({
      ...base,
      'clusters/staging/infrastructure.yaml': fluxKs('infrastructure'),
      'clusters/prod/infrastructure.yaml': fluxKs('infra'),
      'clusters/prod/apps.yaml': apps('  - name: infrastructure\n'),
    });
    const found = fleet.check(dependsonUnknown);
    assert.strictEqual(found.length, 1);
    assert.match(found[0].file, /clusters\/prod\/apps\.yaml$/);
  });

  it('checks HelmRelease dependsOn against the HelmReleases of the cluster', () => {
    const release = (name: string, dependsOn = '') => `apiVersion: helm.toolkit.fluxcd.io/v2
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
${dependsOn}`;
    fleet = makeFleet({
      ...folder('infrastructure', {
        'a.yaml': release('cert-manager'),
        'b.yaml': release('trust-manager', '  dependsOn:\n  - name: cert-manger\n'),
      }),
      'clusters/prod/infrastructure.yaml': fluxKs('infrastructure'),
    });
    const [d, ...rest] = fleet.check(dependsonUnknown);
    assert.strictEqual(rest.length, 0);
    assert.match(d.file, /infrastructure\/b\.yaml$/);
    assert.deepStrictEqual(d.range.start, { line: 14, character: 10 });
    assert.match(d.message, /names no HelmRelease .*Did you mean "cert-manager"/);
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(dependsonUnknown), []);
  });
});
