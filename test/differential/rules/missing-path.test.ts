import * as assert from 'assert';
import { missingPath } from '../../../server/src/rules/missing-path';
import type { Fleet } from '../../unit/rules/harness';
import { baseFleet } from '../../unit/rules/overlayHelpers';
import { kubectlKustomize, requireKubectl } from '../rules/kubectl';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule missing-path', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags a misspelled base folder at the entry and fixes it to the nearest folder, kubectl agreeing before and after', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- "../base/my-ap" # the app\n') });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /my-ap/);
    const [d] = fleet.check(missingPath);
    assert.strictEqual(d.severity, 'error');
    assert.match(d.message, /'\.\.\/base\/my-ap' in resources does not exist/);
    assert.match(d.message, /Did you mean '\.\.\/base\/my-app'\?/);
    assert.deepStrictEqual(d.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 17 } });
    fleet.apply(d.fixes![0]);
    assert.strictEqual(fleet.read('apps/staging/kustomization.yaml'), overlay('resources:\n- "../base/my-app" # the app\n'));
    assert.deepStrictEqual(fleet.check(missingPath), []);
    assert.ok(kubectlKustomize(fleet, 'apps/staging').yaml);
  });
});
