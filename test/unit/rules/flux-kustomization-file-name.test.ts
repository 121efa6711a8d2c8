import * as assert from 'assert';
import { fluxKustomizationFileName } from '../../../server/src/rules/flux-kustomization-file-name';
import { makeFleet, type Fleet } from './harness';

const fluxKs = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;

describe('rule flux-kustomization-file-name', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger for a Flux Kustomization in its own file, nor for kustomize kustomization files', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': fluxKs,
      'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
    });
    assert.deepStrictEqual(fleet.check(fluxKustomizationFileName), []);
  });

  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    it(`flags a Flux Kustomization saved as ${name} at its kind, proposing a free name`, () => {
      fleet = makeFleet({
        [`clusters/prod/${name}`]: fluxKs,
        'clusters/prod/apps.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
      });
      const [d] = fleet.check(fluxKustomizationFileName);
      assert.strictEqual(d.severity, 'error');
      assert.deepStrictEqual(d.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 19 } });
      assert.match(d.message, new RegExp(`saved as ${name.replace('.', '\\.')}`));
      assert.match(d.message, /Rename the file, e\.g\. to apps-kustomization\.yaml/);
      assert.strictEqual(d.fixes, undefined);
    });
  }
});
