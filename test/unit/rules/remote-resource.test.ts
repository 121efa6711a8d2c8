import * as assert from 'assert';
import { remoteResource } from '../../../server/src/rules/remote-resource';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet } from './overlayHelpers';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule remote-resource', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(remoteResource));

  it('does not trigger for local paths', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- ./missing\n') });
    assert.deepStrictEqual(fleet.check(remoteResource), []);
  });

  it('warns at each URL or git reference and suggests vendoring', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n- github.com/org/repo/deploy?ref=v1\ncomponents:\n- git@github.com:org/repo.git//components/x\nbases:\n- "https://example.com/app.yaml"\n',
      ),
    });
    const found = fleet.check(remoteResource);
    assert.deepStrictEqual(found.map((d) => [d.range.start.line, d.range.start.character]), [[4, 2], [5, 2], [9, 2], [7, 2]].sort((a, b) => a[0] - b[0]));
    const [first] = found;
    assert.strictEqual(first.severity, 'warning');
    assert.strictEqual(first.range.end.character, 2 + 'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0'.length);
    assert.match(first.message, /remote reference that Flux Environments never fetches/);
    assert.match(first.message, /cannot be checked/);
    assert.match(first.message, /Vendor it/);
  });
});
