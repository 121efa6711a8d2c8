import * as assert from 'assert';
import { renderError } from '../../../server/src/rules/render-error';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet } from './overlayHelpers';

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

  it('leaves the root-only restriction alone in a folder a Flux Kustomization builds (Flux builds without it)', () => {
    const ks = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps/staging\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app/service.yaml\n'),
      'clusters/staging/apps.yaml': ks,
    });
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
    assert.deepStrictEqual(
      fleet.check(renderError).map((d) => d.message),
      [],
    );
  });

  it('still reports an error inside a component where an includer builds it', () => {
    fleet = baseFleet({
      'components/broken/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n',
      'components/broken/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n',
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\ncomponents:\n- ../../components/broken\n'),
    });
    const found = fleet.check(renderError);
    assert.ok(found.length >= 1);
    assert.ok(found.every((d) => d.file.endsWith('components/broken/cm.yaml')));
  });

  it('does not build template scaffolding that nothing applies ({{ .app_name }} in names or values)', () => {
    fleet = baseFleet({
      'templates/app/kustomization.yaml': overlay('namespace: {{ .namespace }}\nresources:\n- deployment.yaml\n'),
      'templates/app/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .app_name }}\n',
      'scaffold/{{cookiecutter.app}}/kustomization.yaml': overlay('resources:\n- missing-kustomization-folder\n'),
      'scaffold/{{cookiecutter.app}}/missing-kustomization-folder/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    assert.deepStrictEqual(
      fleet.check(renderError).map((d) => d.message),
      [],
    );
  });

  it('still reports a templated folder that an overlay includes: Flux would build it', () => {
    fleet = baseFleet({
      'apps/shared/kustomization.yaml': overlay('resources:\n- cm.yaml\n'),
      'apps/shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .name }}\n',
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- ../shared\n'),
    });
    const found = fleet.check(renderError);
    assert.ok(found.length >= 1, 'the include makes it a real build');
    assert.ok(found.every((d) => d.file.endsWith('apps/shared/cm.yaml')));
  });
});
