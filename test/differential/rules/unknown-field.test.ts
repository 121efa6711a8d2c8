import * as assert from 'assert';
import { unknownField } from '../../../server/src/rules/unknown-field';
import type { Fleet } from '../../unit/rules/harness';
import { baseFleet } from '../../unit/rules/overlayHelpers';
import { kubectlKustomize, requireKubectl } from '../rules/kubectl';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule unknown-field', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags namePrefx at the key, like kubectl, and renames it to namePrefix', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\nnamePrefx: staging- # prefix\n') });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /unknown field \\"namePrefx\\"/);
    const [d] = fleet.check(unknownField);
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 9 } });
    assert.match(d.message, /Unknown field 'namePrefx'/);
    assert.match(d.message, /Did you mean 'namePrefix'\?/);
    fleet.apply(d.fixes![0]);
    assert.strictEqual(
      fleet.read('apps/staging/kustomization.yaml'),
      overlay('resources:\n- ../base/my-app\nnamePrefix: staging- # prefix\n'),
    );
    assert.deepStrictEqual(fleet.check(unknownField), []);
    assert.match(kubectlKustomize(fleet, 'apps/staging').yaml ?? '', /name: staging-my-app/);
  });
});
