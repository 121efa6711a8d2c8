import * as assert from 'assert';
import { targetnamespaceMissing } from '../../../server/src/rules/targetnamespace-missing';
import { configMap, fluxKs, folder, namespace, seedFleet } from './fluxGraphFixtures';
import { makeFleet, type Fleet } from './harness';

describe('rule targetnamespace-missing', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  const apps = folder('apps', { 'cm.yaml': configMap('web-config') });

  it('keeps the seed fleet clean', () => {
    fleet = seedFleet();
    assert.deepStrictEqual(fleet.check(targetnamespaceMissing), []);
  });

  it('does not trigger when the Kustomization itself creates the namespace', () => {
    fleet = makeFleet({
      ...folder('apps', { 'ns.yaml': namespace('shop'), 'cm.yaml': configMap('web-config') }),
      'clusters/prod/apps.yaml': fluxKs('apps', '  targetNamespace: shop\n'),
    });
    assert.deepStrictEqual(fleet.check(targetnamespaceMissing), []);
  });

  it('does not trigger for namespaces every cluster has', () => {
    fleet = makeFleet({ ...apps, 'clusters/prod/apps.yaml': fluxKs('apps', '  targetNamespace: kube-system\n') });
    assert.deepStrictEqual(fleet.check(targetnamespaceMissing), []);
  });

  it('flags a namespace nobody creates, at the value', () => {
    fleet = makeFleet({ ...apps, 'clusters/prod/apps.yaml': fluxKs('apps', '  targetNamespace: shop\n') });
    const [d, ...rest] = fleet.check(targetnamespaceMissing);
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 'warning');
    assert.deepStrictEqual(d.range, { start: { line: 12, character: 19 }, end: { line: 12, character: 23 } });
    assert.match(d.message, /targetNamespace "shop" is not created by "apps" or any Kustomization it depends on.*Add a Namespace shop/);
    assert.strictEqual(d.fixes, undefined);
  });

  it('flags a namespace created by a Kustomization it does not depend on, and adds the dependsOn', () => {
    fleet = makeFleet({
      ...apps,
      ...folder('namespaces', { 'shop.yaml': namespace('shop') }),
      'clusters/prod/namespaces.yaml': fluxKs('namespaces'),
      'clusters/prod/apps.yaml': fluxKs('apps', '  targetNamespace: shop\n'),
    });
    const [d] = fleet.check(targetnamespaceMissing);
    assert.match(d.message, /created by Kustomization "namespaces", which "apps" does not depend on/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {2}targetNamespace: shop\n {2}dependsOn:\n {4}- name: namespaces\n$/);
    assert.deepStrictEqual(fleet.check(targetnamespaceMissing), []);
  });

  it('counts namespaces created further down the dependsOn chain', () => {
    fleet = makeFleet({
      ...apps,
      ...folder('namespaces', { 'shop.yaml': namespace('shop') }),
      ...folder('middle', { 'cm.yaml': configMap('m', 'default') }),
      'clusters/prod/namespaces.yaml': fluxKs('namespaces'),
      'clusters/prod/middle.yaml': fluxKs('middle', '  dependsOn:\n  - name: namespaces\n'),
      'clusters/prod/apps.yaml': fluxKs('apps', '  targetNamespace: shop\n  dependsOn:\n  - name: middle\n'),
    });
    assert.deepStrictEqual(fleet.check(targetnamespaceMissing), []);
  });
});
