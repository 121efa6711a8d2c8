import * as assert from 'assert';
import { invalidFluxObject } from '../../../server/src/rules/invalid-flux-object';
import { makeFleet, type Fleet } from './harness';

const ks = (spec: string, apiVersion = 'kustomize.toolkit.fluxcd.io/v1') => `apiVersion: ${apiVersion}
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
${spec}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;

describe('rule invalid-flux-object', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger on a well-formed object, nor on a duration of the wrong type (invalid-duration reports that)', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': ks('  prune: true\n'),
      'clusters/prod/b.yaml': ks('  timeout: 60\n').replace('name: apps', 'name: b'),
    });
    assert.deepStrictEqual(fleet.check(invalidFluxObject), []);
  });

  it('flags prune: "true" at the value and removes the quotes', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('  prune: "true"\n') });
    const [d] = fleet.check(invalidFluxObject);
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 7, character: 9 }, end: { line: 7, character: 15 } });
    assert.match(d.message, /spec\.prune must be true or false; got a string "true" \(remove the quotes\)/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {2}prune: true\n/);
    assert.deepStrictEqual(fleet.check(invalidFluxObject), []);
  });

  it('flags a label that is not a string and quotes it', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': ks('  prune: true\n').replace(
        '  namespace: flux-system\n',
        '  namespace: flux-system\n  labels:\n    tier: 3\n',
      ),
    });
    const [d] = fleet.check(invalidFluxObject);
    assert.deepStrictEqual(d.range.start, { line: 6, character: 10 });
    assert.match(d.message, /metadata\.labels\.tier must be a string; got a number\. Quote the value\./);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /tier: "3"\n/);
    assert.deepStrictEqual(fleet.check(invalidFluxObject), []);
  });

  it('flags an apiVersion that is not served and offers the current one', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('  prune: true\n', 'kustomize.toolkit.fluxcd.io/v2') });
    const [d] = fleet.check(invalidFluxObject);
    assert.deepStrictEqual(d.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 42 } });
    assert.match(d.message, /use kustomize\.toolkit\.fluxcd\.io\/v1/);
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(invalidFluxObject), []);
  });

  it('warns about an apiVersion Flux 2.8 stopped serving (HelmRelease v2beta2), and rewrites it to v2', () => {
    fleet = makeFleet({
      'clusters/prod/podinfo.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2beta2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n',
    });
    const [d] = fleet.check(invalidFluxObject);
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(
      d.message,
      'HelmRelease "podinfo": apiVersion helm.toolkit.fluxcd.io/v2beta2 is not served by Flux after 2.7 (Flux 2.9 refuses it); use helm.toolkit.fluxcd.io/v2.',
    );
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/podinfo.yaml'), /^apiVersion: helm\.toolkit\.fluxcd\.io\/v2\n/);
    assert.deepStrictEqual(fleet.check(invalidFluxObject), []);
  });

  it('checks the apiVersion of Flux kinds the engine has no typed view of, such as an ImagePolicy', () => {
    fleet = makeFleet({
      'clusters/prod/policy.yaml':
        'apiVersion: image.toolkit.fluxcd.io/v1beta1\nkind: ImagePolicy\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: app\n  policy:\n    semver:\n      range: 1.x\n',
    });
    const [d] = fleet.check(invalidFluxObject);
    assert.strictEqual(
      d.message,
      'ImagePolicy "app": apiVersion image.toolkit.fluxcd.io/v1beta1 is not served by Flux after 2.6 (Flux 2.9 refuses it); use image.toolkit.fluxcd.io/v1.',
    );
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(invalidFluxObject), []);
  });

  it('flags a list where a mapping belongs, without a fix', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('  prune: true\n  postBuild:\n  - substitute: {}\n') });
    const [d] = fleet.check(invalidFluxObject);
    assert.strictEqual(d.range.start.line, 9);
    assert.match(d.message, /spec\.postBuild must be a mapping; got a list/);
    assert.strictEqual(d.fixes, undefined);
  });
});
