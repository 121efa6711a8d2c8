// The preview of a Flux Kustomization shows the build metadata kustomize-controller writes into the kustomization
// it builds (Flux 2.9 spec.buildMetadata; see flux/generate.ts), as the objects are applied.
import { strict as assert } from 'assert';
import { preview } from '../../../server/src/features/preview';
import { makeFeatureFleet, type FeatureFleet } from './harness';

const fluxKs = (name: string, specPath: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ${specPath}
${extra}`;

describe('features/preview: spec.buildMetadata', () => {
  let fleet: FeatureFleet;
  const file = 'clusters/prod/apps.yaml';
  before(() => {
    fleet = makeFeatureFleet({
      [file]: fluxKs('apps', './apps', '  buildMetadata:\n  - originAnnotations\n'),
      'apps/kustomization.yaml': 'resources:\n- ../base\n',
      'base/kustomization.yaml': 'resources:\n- web.yaml\n',
      'base/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    });
  });
  after(() => fleet.dispose());

  it("prints each object with its origin, relative to the Kustomization's spec.path", () => {
    const result = preview(fleet.index, { target: { kind: 'fluxKustomization', uri: fleet.uri(file), documentIndex: 0 } });
    assert.deepEqual(result.problems, []);
    assert.equal(
      result.yaml,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../base/web.yaml\n  name: web\n',
    );
  });
});
