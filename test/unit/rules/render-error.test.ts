import * as assert from 'assert';
import { renderError } from '../../../server/src/rules/render-error';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet, DEPLOYMENT, kubectlKustomize, requireKubectl } from './overlayHelpers';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule render-error', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(renderError));

  it('does not trigger when every folder builds', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\nnamespace: staging\n') });
    assert.deepStrictEqual(fleet.check(renderError), []);
  });

  it('reports a broken base once, at the duplicated object, though two overlays include it', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/base/my-app/kustomization.yaml': overlay('resources:\n- deployment.yaml\n- service.yaml\n- copy.yaml\n'),
      'apps/base/my-app/copy.yaml': `# a copy\n${DEPLOYMENT}`,
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n'),
      'apps/production/kustomization.yaml': overlay('resources:\n- ../base/my-app\n'),
    });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /may not add resource with an already registered id/);
    const found = fleet.check(renderError);
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.severity, 'error');
    assert.ok(d.file.endsWith('apps/base/my-app/copy.yaml'));
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 14 } }, "the copy's metadata.name");
    assert.match(d.message, /may not add resource with an already registered id: Deployment\.v1\.apps\/my-app/);
    assert.match(d.message, /Remove one of the two objects/);
    assert.ok(d.related?.[0].file.endsWith('deployment.yaml'));
  });

  it('reports a folder without kustomization at the entry that lists it, like kubectl', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- ../plain\n'), 'apps/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory/);
    const [d] = fleet.check(renderError);
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 10 } });
    assert.match(d.message, /Add a kustomization\.yaml to that folder/);
  });

  it('reports the root-only restriction on a file beside the folder, like kubectl', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app/service.yaml\n') });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /is not in or below/);
    const [d] = fleet.check(renderError);
    assert.strictEqual(d.range.start.line, 3);
    assert.strictEqual(d.severity, 'warning', 'Flux builds it; only kubectl refuses it');
    assert.match(d.message, /security; file .* is not in or below/);
  });

  it('leaves the root-only restriction alone in a folder a Flux Kustomization builds (Flux builds without it)', () => {
    const ks = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps/staging\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app/service.yaml\n'), 'clusters/staging/apps.yaml': ks });
    assert.deepStrictEqual(fleet.check(renderError), []);
    // The same folder with nothing applying it is still told that kubectl refuses it.
    fleet.index.setBuffer(`${fleet.root}/clusters/staging/apps.yaml`, ks.replace('./apps/staging', './apps/base/my-app'));
    assert.strictEqual(fleet.check(renderError)[0]?.severity, 'warning');
  });

  it('reports invalid YAML of a resource at its own line', () => {
    fleet = baseFleet({ 'apps/base/my-app/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n' });
    const found = fleet.check(renderError);
    assert.ok(found.length >= 1);
    assert.ok(found.every((d) => d.file.endsWith('apps/base/my-app/service.yaml')));
  });

  it('leaves missing, outside, remote paths and unknown fields to their own rules', () => {
    fleet = baseFleet({
      'apps/a/kustomization.yaml': overlay('resources:\n- ../base/my-ap\n'),
      'apps/b/kustomization.yaml': overlay('resources:\n- ../../../../x\n'),
      'apps/c/kustomization.yaml': overlay('resources:\n- https://example.com/x.yaml\n'),
      'apps/d/kustomization.yaml': overlay('resources:\n- ../base/my-app\nnamePrefx: x-\n'),
      'apps/e/kustomization.yaml': overlay('resources:\n- ../base/my-app\npatches:\n- path: folder\n'),
      'apps/e/folder/x.yaml': 'a: 1\n',
    });
    assert.deepStrictEqual(fleet.check(renderError).map((d) => d.message), []);
  });
});
