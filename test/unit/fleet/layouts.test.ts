// The layout corpus (test/fixtures/layouts/<name>/): small fleets written in the shapes real Flux fleets
// have, each with the `fluxenv environments` listing Flux itself implies, written by hand: which clusters
// there are, where Flux starts on each, every Kustomization Flux reconciles there (as applied: after the
// parent's patches), the source its spec.path is relative to, its dependsOn, and how many objects it applies.
//
// Facts these expectations rest on:
// - `flux bootstrap` writes GitRepository + Kustomization `flux-system/flux-system` syncing `--path`
//   (fluxcd/flux2 pkg/manifestgen/sync); a placeholder gotk-sync.yaml stands for the same objects.
// - A FluxInstance's spec.sync makes a source and a Kustomization named sync.name, default the
//   FluxInstance's namespace, with the path verbatim and prune: true (flux-operator docs/api/v1/fluxinstance.md
//   "Sync configuration"); the flux-instance chart renders its `instance:` values into a FluxInstance.
// - kustomize-controller builds spec.path relative to the source artifact's root (kustomize-controller
//   docs/spec/v1/kustomizations.md "Path"), with a generated kustomization.yaml for a folder without one
//   (every manifest, and every sub-folder holding a kustomization.yaml as one resource), then spec.patches,
//   targetNamespace, postBuild: so a child's prune/path come from its parent's patches.
// - An ExternalArtifact of an ArtifactGenerator holds what its copy rules copy (source-watcher docs).
// - A Kustomization with spec.kubeConfig applies to the cluster of that kubeconfig.
// Order of environments: promotion order (dev < test < staging < other names < production); order of
// Kustomizations: dependsOn order, ties by namespace/name.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { listEnvironments, type EnvironmentListing } from '../../../server/src/cli/environments';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';

export const LAYOUTS = path.resolve(__dirname, '../../fixtures/layouts');

export function openLayout(name: string): FleetIndex {
  const index = new FleetIndex(path.join(LAYOUTS, name));
  index.scan();
  return index;
}

interface KsRow {
  namespace: string;
  name: string;
  file: string;
  line: number;
  path?: string;
  source?: { kind: string; name: string; namespace: string };
  dependsOn: string[];
  objects: number;
}

interface EnvView {
  name: string;
  kind: 'flux' | 'overlay';
  order: number;
  roots: string[];
  rootKinds: Array<{ file: string; kind: string; inferred: boolean }>;
  kustomizations: KsRow[];
}

/** What the test compares: the listing without the wording of descriptions and notes. */
function view(listing: EnvironmentListing[]): EnvView[] {
  return listing.map((e) => ({
    name: e.name,
    kind: e.kind,
    order: e.order,
    roots: e.roots,
    rootKinds: e.rootDetails.map((r) => ({ file: r.file, kind: r.kind, inferred: r.inferred })),
    kustomizations: e.kustomizations.map((k) => ({
      namespace: k.namespace,
      name: k.name,
      file: k.file,
      line: k.line,
      ...(k.path !== undefined ? { path: k.path } : {}),
      ...(k.source ? { source: k.source } : {}),
      dependsOn: k.dependsOn,
      objects: k.objects,
    })),
  }));
}

const git = (name: string, namespace = 'flux-system') => ({ kind: 'GitRepository', name, namespace });
const oci = (name: string, namespace = 'flux-system') => ({ kind: 'OCIRepository', name, namespace });
const artifact = (name: string, namespace = 'flux-system') => ({ kind: 'ExternalArtifact', name, namespace });

function ks(id: string, file: string, line: number, p: string, source: KsRow['source'], objects: number, dependsOn: string[] = []): KsRow {
  const [namespace, name] = id.split('/');
  return { namespace, name, file, line, path: p, source, dependsOn, objects };
}

function env(name: string, order: number, roots: Array<[string, string, boolean]>, kustomizations: KsRow[]): EnvView {
  return {
    name,
    kind: 'flux',
    order,
    roots: [...new Set(roots.map((r) => r[0]))],
    rootKinds: roots.map(([file, kind, inferred]) => ({ file, kind, inferred })),
    kustomizations,
  };
}

/** A bootstrapped cluster of the bootstrap layouts: flux-system, then infrastructure, then apps. */
function bootstrapCluster(name: string, order: number, placeholder: boolean): EnvView {
  const sync = `clusters/${name}/flux-system/gotk-sync.yaml`;
  return env(
    name,
    order,
    [[sync, 'bootstrap', placeholder]],
    [
      // Placeholder gotk files render nothing: the root applies only the two Kustomizations beside flux-system/.
      ks('flux-system/flux-system', sync, placeholder ? 1 : 16, `./clusters/${name}`, git('flux-system'), placeholder ? 2 : 7 + 2 + 2),
      ks('flux-system/infrastructure', `clusters/${name}/infrastructure.yaml`, 1, `./infrastructure/${name}`, git('flux-system'), 3),
      ks('flux-system/apps', `clusters/${name}/apps.yaml`, 1, `./apps/${name}`, git('flux-system'), 3, ['flux-system/infrastructure']),
    ],
  );
}

/** The home-lab layout of flux-instance-values(-file): one cluster, a root that patches every child. */
function homeLab(name: string, rootFile: string, rootLine: number, fluxInstanceObjects: number): EnvView {
  const app = (ns: string, n: string) => `kubernetes/apps/${ns}/${n}/ks.yaml`;
  return env(
    name,
    0,
    [[rootFile, 'flux-instance-values', true]],
    [
      ks(
        'cert-manager/cert-manager',
        app('cert-manager', 'cert-manager'),
        2,
        './kubernetes/apps/cert-manager/cert-manager/app',
        git('flux-system'),
        2,
      ),
      ks('default/echo', app('default', 'echo'), 2, './kubernetes/apps/default/echo/app', git('flux-system'), 2, [
        'cert-manager/cert-manager',
      ]),
      // kubernetes/apps has no kustomization.yaml: the generated one takes each namespace folder (Namespace + ks.yaml files).
      ks('flux-system/cluster-apps', 'kubernetes/flux/cluster/ks.yaml', 2, './kubernetes/apps', git('flux-system'), 3 + 4),
      ks(
        'flux-system/flux-operator',
        app('flux-system', 'flux-operator'),
        2,
        './kubernetes/apps/flux-system/flux-operator/app',
        git('flux-system'),
        2,
      ),
      ks(
        'flux-system/flux-instance',
        app('flux-system', 'flux-instance'),
        2,
        './kubernetes/apps/flux-system/flux-instance/app',
        git('flux-system'),
        fluxInstanceObjects,
        ['flux-system/flux-operator'],
      ),
      // The chart's FluxInstance `flux` in the release namespace: sync Kustomization flux-system/flux-system, path verbatim.
      ks('flux-system/flux-system', rootFile, rootLine, 'kubernetes/flux/cluster', git('flux-system'), 1),
    ],
  );
}

export const EXPECTED: Record<string, EnvView[]> = {
  bootstrap: [bootstrapCluster('staging', 0, false), bootstrapCluster('production', 1, false)],
  'bootstrap-placeholder': [bootstrapCluster('staging', 0, true), bootstrapCluster('production', 1, true)],
  'flux-instance': ['staging', 'production'].map((name, order) =>
    env(
      name,
      order,
      [[`clusters/${name}/flux-system/flux-instance.yaml`, 'flux-instance', false]],
      [
        // The sync Kustomization stands on the FluxInstance's spec.sync block.
        ks('flux-system/flux-system', `clusters/${name}/flux-system/flux-instance.yaml`, 26, `clusters/${name}`, git('flux-system'), 1 + 2),
        ks('flux-system/infrastructure', `clusters/${name}/infrastructure.yaml`, 1, `./infrastructure/${name}`, git('flux-system'), 3),
        ks('flux-system/apps', `clusters/${name}/apps.yaml`, 1, `./apps/${name}`, git('flux-system'), 3, ['flux-system/infrastructure']),
      ],
    ),
  ),
  'flux-instance-values': [homeLab('flux-instance-values', 'kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml', 23, 2)],
  // The generated ConfigMap flux-instance-values is a third object of flux-instance.
  'flux-instance-values-file': [
    homeLab('flux-instance-values-file', 'kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml', 13, 3),
  ],
  // The flux-instance chart's OCIRepository and HelmRelease inside a ResourceSet (waiting for Flux's CRDs): ResourceSet + values ConfigMap.
  'flux-instance-resourceset': [
    homeLab('flux-instance-resourceset', 'kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml', 13, 2),
  ],
  'oci-subfolder': [
    env(
      'home',
      0,
      [['kubernetes/clusters/home/flux-system/flux-instance.yaml', 'flux-instance', true]],
      [
        ks(
          'flux-system/flux-system',
          'kubernetes/clusters/home/flux-system/flux-instance.yaml',
          19,
          'clusters/home',
          oci('flux-system'),
          1 + 3,
        ),
        ks(
          'flux-system/infra-controllers',
          'kubernetes/clusters/home/infrastructure.yaml',
          1,
          './infrastructure/controllers',
          oci('flux-system'),
          3,
        ),
        ks(
          'flux-system/infra-configs',
          'kubernetes/clusters/home/infrastructure.yaml',
          17,
          './infrastructure/configs',
          oci('flux-system'),
          1,
          ['flux-system/infra-controllers'],
        ),
        ks('flux-system/apps', 'kubernetes/clusters/home/apps.yaml', 1, './apps/home', oci('flux-system'), 3, [
          'flux-system/infra-configs',
        ]),
      ],
    ),
  ],
  'artifact-generator': ['staging', 'production'].map((name, order) =>
    env(
      name,
      order,
      [[`clusters/${name}/flux-system/gotk-sync.yaml`, 'bootstrap', false]],
      [
        // 2 components + 2 sync objects + the ArtifactGenerator + 3 Kustomizations.
        ks('flux-system/flux-system', `clusters/${name}/flux-system/gotk-sync.yaml`, 16, `./clusters/${name}`, git('flux-system'), 8),
        ks('flux-system/infra-controllers', `clusters/${name}/infrastructure.yaml`, 1, './controllers', artifact('infrastructure'), 3),
        ks('flux-system/infra-configs', `clusters/${name}/infrastructure.yaml`, 17, './configs', artifact('infrastructure'), 1, [
          'flux-system/infra-controllers',
        ]),
        // ./<env> of artifact apps = apps/<env>/, whose ../base/podinfo = apps/base/podinfo/.
        ks('flux-system/apps', `clusters/${name}/apps.yaml`, 1, `./${name}`, artifact('apps'), 3, ['flux-system/infra-configs']),
      ],
    ),
  ),
  'resource-set': [
    env(
      'production',
      0,
      [['clusters/production/flux-system/gotk-sync.yaml', 'bootstrap', false]],
      [
        // Permute: the ResourceSet's inputs (eu, us) x the Static provider's one set.
        ks('flux-system/edge-eu', 'tenants/production/edge.yaml', 1, './eu', oci('edge-eu'), 0),
        ks('flux-system/edge-us', 'tenants/production/edge.yaml', 1, './us', oci('edge-us'), 0),
        ks(
          'flux-system/flux-system',
          'clusters/production/flux-system/gotk-sync.yaml',
          16,
          './clusters/production',
          git('flux-system'),
          1 + 2 + 1,
        ),
        // Two ResourceSets and the input provider; what they generate is the operator's, not this Kustomization's.
        ks('flux-system/tenants', 'clusters/production/tenants.yaml', 1, './tenants/production', git('flux-system'), 3),
        // team-a's GitRepository is this repository (same URL as the bootstrap source).
        ks('team-a/team-a', 'tenants/production/tenants.yaml', 1, './tenants/team-a/production', git('team-a', 'team-a'), 2),
        // team-b's is its own repository: nothing here to build.
        ks('team-b/team-b', 'tenants/production/tenants.yaml', 1, './deploy/production', git('team-b', 'team-b'), 0),
      ],
    ),
  ],
  'hub-and-spoke': [
    env(
      'staging',
      0,
      [['hub/staging.yaml', 'spoke', true]],
      [
        ks('staging/infra-controllers', 'hub/staging.yaml', 6, './clusters/staging/infra-controllers', git('flux-system'), 2),
        ks('staging/infra-configs', 'hub/staging.yaml', 37, './clusters/staging/infra-configs', git('flux-system'), 1, [
          'staging/infra-controllers',
        ]),
        ks('staging/apps', 'hub/staging.yaml', 62, './clusters/staging/apps', git('flux-system'), 2, ['staging/infra-configs']),
      ],
    ),
    // hub: a name of no promotion stage, between staging and production.
    env(
      'hub',
      1,
      [['hub/flux-system/gotk-sync.yaml', 'bootstrap', false]],
      [
        // 7 components + 2 sync objects + per spoke a Namespace and 3 Kustomizations.
        ks('flux-system/flux-system', 'hub/flux-system/gotk-sync.yaml', 16, './hub', git('flux-system'), 7 + 2 + 4 + 4),
      ],
    ),
    env(
      'production',
      2,
      [['hub/production.yaml', 'spoke', true]],
      [
        ks('production/infra-controllers', 'hub/production.yaml', 6, './clusters/production/infra-controllers', git('flux-system'), 2),
        ks('production/infra-configs', 'hub/production.yaml', 37, './clusters/production/infra-configs', git('flux-system'), 1, [
          'production/infra-controllers',
        ]),
        ks('production/apps', 'hub/production.yaml', 62, './clusters/production/apps', git('flux-system'), 2, ['production/infra-configs']),
      ],
    ),
  ],
  'multi-tenancy': ['staging', 'production'].map((name, order) =>
    env(
      name,
      order,
      [[`clusters/${name}/flux-system/gotk-sync.yaml`, 'bootstrap', false]],
      [
        ks(
          'flux-system/flux-system',
          `clusters/${name}/flux-system/gotk-sync.yaml`,
          16,
          `./clusters/${name}`,
          git('flux-system'),
          7 + 2 + 1,
        ),
        // Namespace, ServiceAccount, RoleBinding, GitRepository, Kustomization.
        ks('flux-system/tenants', `clusters/${name}/tenants.yaml`, 1, `./tenants/${name}`, git('flux-system'), 5),
        // spec.path comes from the overlay's patch and is a folder of team-a-apps: nothing to build here.
        ks('team-a/team-a', 'tenants/base/team-a/sync.yaml', 12, `./${name}`, git('team-a', 'team-a'), 0),
      ],
    ),
  ),
  'orphan-root': [
    env(
      'orphan-root',
      0,
      [['flux/cluster.yaml', 'orphan', true]],
      [
        ks('flux-system/cluster', 'flux/cluster.yaml', 19, './flux/apps', git('home-ops'), 2),
        ks('flux-system/infra', 'flux/apps/infra.yaml', 1, './infra', git('home-ops'), 3),
        ks('flux-system/apps', 'flux/apps/apps.yaml', 1, './apps', git('home-ops'), 3, ['flux-system/infra']),
      ],
    ),
  ],
};

describe('fleet layouts: `fluxenv environments` as Flux sees each layout', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, () => {
      const index = openLayout(name);
      assert.deepStrictEqual(view(listEnvironments(index)), expected);
    });
  }

  it('oci-subfolder: spec.path notes name the artifact folder relative to the fleet, as every file in the listing is', () => {
    const index = openLayout('oci-subfolder');
    const notes = listEnvironments(index).flatMap((e) =>
      e.kustomizations.map((k) => `${k.namespace}/${k.name}: ${k.sourceNote ?? '(no note)'}`),
    );
    for (const note of notes) {
      assert.match(note, /kubernetes\b/, note);
      assert.ok(!note.includes(index.root), `an absolute path in the JSON of fluxenv environments: ${note}`);
    }
  });

  it('sources in other repositories say so, without a path to check', () => {
    for (const [layout, id] of [
      ['multi-tenancy', 'team-a/team-a'],
      ['resource-set', 'team-b/team-b'],
      ['resource-set', 'flux-system/edge-eu'],
    ] as const) {
      const rows = listEnvironments(openLayout(layout))
        .flatMap((e) => e.kustomizations)
        .filter((k) => `${k.namespace}/${k.name}` === id);
      assert.ok(rows.length > 0, `${layout} ${id}`);
      for (const k of rows)
        assert.match(k.sourceNote ?? '', /not in this repository|cannot be checked/, `${layout} ${id}: ${k.sourceNote}`);
    }
  });

  for (const layout of ['flux-instance-values', 'flux-instance-values-file']) {
    it(`${layout}: each child is read after cluster-apps' patches (prune, timeout, deletionPolicy, postBuild)`, () => {
      const index = openLayout(layout);
      const [home] = index.environments().environments;
      for (const id of ['cert-manager/cert-manager', 'default/echo', 'flux-system/flux-operator', 'flux-system/flux-instance']) {
        const child = home.cluster?.nodes.get(id)?.kustomization;
        assert.ok(child, id);
        assert.deepStrictEqual(
          { prune: child.prune, timeout: child.timeout, deletionPolicy: child.deletionPolicy, vars: child.postBuild?.substitute },
          { prune: true, timeout: '10m', deletionPolicy: 'WaitForTermination', vars: { CLUSTER_DOMAIN: 'home.example.org' } },
          id,
        );
      }
      // The variable the patch gives echo reaches what echo applies.
      const echo = index
        .renderEnvironment(home)
        .objects.find((o) => o.object.kind === 'HelmRelease' && (o.object.metadata as { name?: string }).name === 'echo');
      assert.match(JSON.stringify(echo?.object), /echo\.home\.example\.org/);
      assert.equal(echo?.appliedBy?.name, 'echo');
    });
  }

  // kustomize-controller builds inside the extracted artifact with a file system that refuses anything
  // outside it (fluxcd/pkg kustomize SecureBuild: securefs rooted at the artifact): a resource reached
  // through ../ past the artifact's root fails the build, even when the path exists in the repository.
  for (const [layout, file, from, to, env, id] of [
    [
      'artifact-generator',
      'apps/staging/kustomization.yaml',
      '  - ../base/podinfo\n',
      '  - ../../apps/base/podinfo\n',
      'staging',
      'flux-system/apps',
    ],
    [
      'oci-subfolder',
      'kubernetes/apps/home/kustomization.yaml',
      '  - ../base/podinfo\n',
      '  - ../../../kubernetes/apps/base/podinfo\n',
      'home',
      'flux-system/apps',
    ],
  ] as const) {
    it(`${layout}: a resource reached past the artifact's root is not built (${file})`, () => {
      const index = openLayout(layout);
      const abs = path.join(index.root, file);
      const text = index.text(abs)!;
      assert.ok(text.includes(from));
      index.setBuffer(abs, text.replace(from, to));
      const listed = listEnvironments(index)
        .find((e) => e.name === env)!
        .kustomizations.find((k) => `${k.namespace}/${k.name}` === id);
      assert.equal(listed?.objects, 0, `${id} applies nothing: its build fails`);
      const node = index
        .environments()
        .environments.find((e) => e.name === env)
        ?.cluster?.nodes.get(id);
      assert.ok(
        (node?.result?.problems ?? []).some((p) => p.severity === 'error'),
        `the build of ${id} reports an error: ${JSON.stringify(node?.result?.problems)}`,
      );
    });
  }

  it('every layout is 5 to 30 files', () => {
    const count = (dir: string): number =>
      fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(path.join(dir, e.name)) : 1), 0);
    for (const name of Object.keys(EXPECTED)) {
      const n = count(path.join(LAYOUTS, name));
      assert.ok(n >= 5 && n <= 30, `${name}: ${n} files`);
    }
  });
});
