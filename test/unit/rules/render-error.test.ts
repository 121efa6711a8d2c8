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
