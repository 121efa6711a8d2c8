import * as assert from 'assert';
import { unknownField } from '../../../server/src/rules/unknown-field';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet } from './overlayHelpers';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule unknown-field', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(unknownField));

  it('does not trigger for known fields, in any letter case Go accepts', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'Resources:\n- ../base/my-app\nnamePrefix: s-\nimages:\n- name: ghcr.io/example/my-app\n  newTag: 1.2.3\n',
      ),
    });
    assert.deepStrictEqual(fleet.check(unknownField), []);
  });

  it('flags nested unknown keys in patches and images entries, suggesting from that entry type', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\npatches:\n- path: p.yaml\n  targt:\n    kind: Deployment\nimages:\n- name: ghcr.io/example/my-app\n  "newTg": "2.0"\n',
      ),
      'apps/staging/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n',
    });
    const [patch, image] = fleet.check(unknownField);
    assert.deepStrictEqual(patch.range.start, { line: 6, character: 2 });
    assert.match(patch.message, /'targt' in patches\[0\]: .*Did you mean 'target'\?/);
    assert.deepStrictEqual(image.range, { start: { line: 10, character: 2 }, end: { line: 10, character: 9 } });
    assert.match(image.message, /Did you mean 'newTag'\?/);
    fleet.apply(image.fixes![0]);
    assert.match(fleet.read('apps/staging/kustomization.yaml'), /\n {2}"newTag": "2\.0"\n$/);
    fleet.apply(fleet.check(unknownField)[0].fixes![0]);
    assert.deepStrictEqual(fleet.check(unknownField), []);
  });

  it('lists the known fields when nothing is near, and never renames onto an existing key', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\nimages:\n- name: x\n  newName: y\n  newNme: z\n  colour: red\n',
      ),
    });
    const found = fleet.check(unknownField);
    assert.strictEqual(found.length, 2);
    assert.strictEqual(found[0].fixes, undefined);
    assert.match(found[1].message, /Known fields here: name, newName, tagSuffix, newTag, digest/);
  });
});
