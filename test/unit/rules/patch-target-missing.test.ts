// patch-target-missing on a folder that a Flux Kustomization builds with spec.components: the component's
// objects exist before the folder's own patches run, so a patch the folder alone cannot place is right there
// (mirceanton/home-ops: every app folder patches the Cluster its `cnpg` component adds).
import * as assert from 'assert';
import { patchTargetMissing } from '../../../server/src/rules/patch-target-missing';
import { makeFleet, type Fleet } from './harness';

const app = {
  'apps/shop/app/kustomization.yaml': 'resources:\n  - deployment.yaml\npatches:\n  - path: patches/database.yaml\n',
  'apps/shop/app/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n',
  'apps/shop/app/patches/database.yaml':
    'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: shop-postgres\nspec:\n  instances: 3\n',
  'components/cnpg/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cluster.yaml\n',
  'components/cnpg/cluster.yaml':
    'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: shop-postgres\nspec:\n  instances: 1\n',
};

const fluxKustomization = (components: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: shop
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps/shop/app
${components}  sourceRef:
    kind: GitRepository
    name: flux-system
`;

describe('rule patch-target-missing: folders Flux builds with components', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('judges the folder as Flux builds it, with the component that brings the patched object', () => {
    fleet = makeFleet({ ...app, 'clusters/prod/shop.yaml': fluxKustomization('  components:\n    - ../../../components/cnpg\n') });
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('still fails the folder when no Kustomization adds the component', () => {
    fleet = makeFleet({ ...app, 'clusters/prod/shop.yaml': fluxKustomization('') });
    const [d, ...rest] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'error');
    assert.ok(d.file.endsWith('apps/shop/app/patches/database.yaml'));
    assert.match(d.message, /Patch for Cluster shop-postgres matches no object/);
  });

  it('still reports a patch that the component does not place either', () => {
    fleet = makeFleet({
      ...app,
      'components/cnpg/cluster.yaml': app['components/cnpg/cluster.yaml'].replace('shop-postgres', 'shop-db'),
      'clusters/prod/shop.yaml': fluxKustomization('  components:\n    - ../../../components/cnpg\n'),
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.ok(d, 'a finding');
    assert.ok(d.file.endsWith('apps/shop/app/patches/database.yaml'));
  });
});

describe('rule patch-target-missing: spec.patches of a Kustomization built from another source', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  // stefanprodan/flux-local-dev: Kustomization flux-sync applies Flux's own manifests from an OCI artifact
  // (oci://ghcr.io/fluxcd/flux-manifests) and patches the controllers' Deployments in it.
  const sync = (sourceKind: string, sourceName: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-sync
  namespace: flux-system
spec:
  interval: 24h
  path: ./
  prune: true
  sourceRef:
    kind: ${sourceKind}
    name: ${sourceName}
  patches:
    - patch: |
        - op: add
          path: /spec/template/spec/containers/0/args/-
          value: --concurrent=20
      target:
        kind: Deployment
        name: kustomize-controller
`;
  const remoteManifests = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: flux-manifests
  namespace: flux-system
spec:
  interval: 1h
  url: oci://ghcr.io/fluxcd/flux-manifests
  ref:
    tag: latest
`;

  it('says nothing: what the artifact holds is not in this repository', () => {
    fleet = makeFleet({
      'kubernetes/clusters/local/flux-system/kustomization.yaml': 'resources:\n  - source.yaml\n  - sync.yaml\n',
      'kubernetes/clusters/local/flux-system/source.yaml': remoteManifests,
      'kubernetes/clusters/local/flux-system/sync.yaml': sync('OCIRepository', 'flux-manifests'),
    });
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('still checks the same patches over this repository', () => {
    fleet = makeFleet({
      'clusters/local/sync.yaml': sync('GitRepository', 'flux-system'),
      'clusters/local/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.ok(d, 'a finding');
    assert.match(d.message, /Patch target \(kind: Deployment, name: kustomize-controller\) matches no object/);
  });
});
