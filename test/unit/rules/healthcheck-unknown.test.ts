import * as assert from 'assert';
import { healthcheckUnknown } from '../../../server/src/rules/healthcheck-unknown';
import { configMap, fluxKs, folder, seedFleet } from './fluxGraphFixtures';
import { makeFleet, type Fleet } from './harness';

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
`;

/** healthChecks entries start at line 13; the first entry's name value at line 15, character 10. */
const withCheck = (entry: string, more = '') => fluxKs('apps', `${more}  healthChecks:\n${entry}`);

describe('rule healthcheck-unknown', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  const apps = folder('apps', { 'web.yaml': deployment('web'), 'cm.yaml': configMap('web-config') });

  it('keeps the seed fleet clean', () => {
    fleet = seedFleet();
    assert.deepStrictEqual(fleet.check(healthcheckUnknown), []);
  });

  it('does not trigger for an object the Kustomization renders after targetNamespace and prefix', () => {
    fleet = makeFleet({
      ...apps,
      'clusters/prod/apps.yaml': withCheck(
        '  - apiVersion: apps/v1\n    kind: Deployment\n    name: prod-web\n    namespace: shop\n',
        '  targetNamespace: shop\n  namePrefix: prod-\n',
      ),
    });
    assert.deepStrictEqual(fleet.check(healthcheckUnknown), []);
  });

  it('flags a misspelled name at the value and fixes it to the rendered object', () => {
    fleet = makeFleet({
      ...apps,
      'clusters/prod/apps.yaml': withCheck('  - apiVersion: apps/v1\n    kind: Deployment\n    name: webb\n    namespace: default\n'),
    });
    const found = fleet.check(healthcheckUnknown);
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 15, character: 10 }, end: { line: 15, character: 14 } });
    assert.match(d.message, /Deployment default\/webb is not applied by Kustomization "apps"/);
    assert.match(d.message, /Did you mean Deployment default\/web\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {4}name: web\n {4}namespace: default\n$/);
    assert.deepStrictEqual(fleet.check(healthcheckUnknown), []);
  });

  it('points a check at the prefixed name and the targetNamespace', () => {
    fleet = makeFleet({
      ...apps,
      'clusters/prod/apps.yaml': withCheck(
        '  - apiVersion: apps/v1\n    kind: Deployment\n    name: web\n    namespace: default\n',
        '  targetNamespace: shop\n  namePrefix: prod-\n',
      ),
    });
    const [d] = fleet.check(healthcheckUnknown);
    assert.deepStrictEqual(d.range.start, { line: 17, character: 10 });
    assert.match(d.message, /Did you mean Deployment shop\/prod-web\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {4}name: prod-web\n {4}namespace: shop\n$/);
    assert.deepStrictEqual(fleet.check(healthcheckUnknown), []);
  });

  it('flags a namespace on a cluster-scoped kind and removes it', () => {
    fleet = makeFleet({
      ...folder('apps', { 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n' }),
      'clusters/prod/apps.yaml': withCheck('  - apiVersion: v1\n    kind: Namespace\n    name: shop\n    namespace: flux-system\n'),
    });
    const [d, ...rest] = fleet.check(healthcheckUnknown);
    assert.strictEqual(rest.length, 0);
    assert.deepStrictEqual(d.range, { start: { line: 16, character: 15 }, end: { line: 16, character: 26 } });
    assert.match(d.message, /Namespace is cluster-scoped.*Remove the namespace/);
    fleet.apply(d.fixes![0]);
    assert.doesNotMatch(fleet.read('clusters/prod/apps.yaml'), /namespace: flux-system\n$/);
    assert.deepStrictEqual(fleet.check(healthcheckUnknown), []);
  });

  it('says which Kustomization applies the object when another one does', () => {
    fleet = makeFleet({
      ...apps,
      ...folder('infra', { 'db.yaml': deployment('db') }),
      'clusters/prod/infra.yaml': fluxKs('infra'),
      'clusters/prod/apps.yaml': withCheck('  - apiVersion: apps/v1\n    kind: Deployment\n    name: db\n'),
    });
    const [d] = fleet.check(healthcheckUnknown);
    assert.match(d.message, /It is applied by Kustomization "infra": check it there\./);
  });

  it('trusts checks on what its HelmReleases install in their namespace', () => {
    fleet = makeFleet({
      ...folder('apps', {
        'hr.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: web\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n',
      }),
      'clusters/prod/apps.yaml': withCheck('  - apiVersion: apps/v1\n    kind: Deployment\n    name: podinfo\n    namespace: web\n'),
    });
    assert.deepStrictEqual(fleet.check(healthcheckUnknown), []);
  });
});
