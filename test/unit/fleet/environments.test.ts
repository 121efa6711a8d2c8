// Environments of a fleet repo and their renders: cluster entry folders followed through Flux
// Kustomizations (the seed article's fleet-infra), overlay environments without Flux, promotion order.
import { strict as assert } from 'assert';
import { discoverEnvironments, inferredRank, promotionOrder } from '../../../server/src/fleet/environments';
import { renderEnvironment } from '../../../server/src/fleet/environmentRender';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import type { JsonObject } from '../../../server/src/kustomize/types';

const meta = (o: JsonObject) => o.metadata as JsonObject;

const ks = (name: string, p: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ${p}
${extra}`;

const cm = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: flux-system\ndata:\n  ${data}\n`;

function memoryRepo(files: Record<string, string>) {
  const abs: Record<string, string> = {};
  for (const [rel, text] of Object.entries(files)) abs[`/repo/${rel}`] = text;
  return {
    fs: memoryFileSystem(abs),
    files: Object.keys(abs)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort(),
  };
}

describe('environments: following Flux Kustomizations', () => {
  it('follows Kustomizations whose path holds more Kustomizations, and stops on cycles', () => {
    const { fs, files } = memoryRepo({
      'clusters/dev/tenants.yaml': ks('tenants', './tenants'),
      'tenants/team-a.yaml': ks('team-a', './team-a/app', '  targetNamespace: team-a\n'),
      'tenants/loop.yaml': ks('loop', './clusters/dev'),
      'team-a/app/cm.yaml': cm('team-a-settings', 'x: "1"'),
    });
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs });
    assert.deepEqual(
      d.environments.map((e) => e.name),
      ['dev'],
    );
    assert.deepEqual(d.environments[0].kustomizations.map((k) => k.name).sort(), ['loop', 'team-a', 'tenants']);
    const r = renderEnvironment(d.environments[0], { repoRoot: '/repo', fs });
    assert.deepEqual(
      r.problems.filter((p) => p.severity === 'error'),
      [],
    );
    const settings = r.objects.find((o) => meta(o.object).name === 'team-a-settings')!;
    assert.equal(settings.appliedBy?.name, 'team-a');
    assert.equal(meta(settings.object).namespace, 'team-a');
    assert.equal(r.kustomizations.length, 3);
  });

  it('substitutes from a ConfigMap another Kustomization of the environment applies', () => {
    const { fs, files } = memoryRepo({
      'clusters/prod/vars.yaml': cm('cluster-vars', 'cluster_name: prod-eu'),
      'clusters/prod/apps.yaml': ks(
        'apps',
        './apps',
        '  postBuild:\n    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n',
      ),
      'clusters/prod/sync.yaml': ks('flux-system', './clusters/prod'),
      'apps/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  cluster: \${cluster_name}\n`,
    });
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs });
    const r = renderEnvironment(d.environments[0], { repoRoot: '/repo', fs });
    assert.deepEqual(
      r.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual(r.objects.find((o) => meta(o.object).name === 'app')?.object.data, { cluster: 'prod-eu' });
  });

  it('warns when two Kustomizations apply the same object', () => {
    const { fs, files } = memoryRepo({
      'clusters/dev/a.yaml': ks('a', './shared'),
      'clusters/dev/b.yaml': ks('b', './shared'),
      'shared/cm.yaml': cm('same', 'x: "1"'),
    });
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs });
    const r = renderEnvironment(d.environments[0], { repoRoot: '/repo', fs });
    assert.equal(r.problems.filter((p) => p.code === 'flux-object-applied-twice').length, 1);
  });
});

describe('environments: hub and spoke through workload identity', () => {
  // kustomize-controller docs/spec/v1/kustomizations.md "KubeConfig (Remote clusters)": spec.kubeConfig.configMapRef
  // (provider, cluster, address; the ConfigMap's serviceAccountName authenticates) targets another cluster just
  // as a kubeconfig Secret does.
  it('groups Kustomizations whose kubeConfig is a ConfigMap reference into the cluster they target', () => {
    const remote = (configMap: string) => `  kubeConfig:\n    configMapRef:\n      name: ${configMap}\n`;
    const { fs, files } = memoryRepo({
      'clusters/hub/flux-system/gotk-sync.yaml': [
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/fleet.git\n  ref:\n    branch: main',
        ks('flux-system', './clusters/hub'),
      ].join('\n---\n'),
      'clusters/hub/spokes.yaml': [
        ks('apps-staging', './apps/staging', remote('staging-cluster-config')),
        ks('apps-production', './apps/production', remote('production-kubeconfig')),
      ].join('---\n'),
      'apps/staging/cm.yaml': cm('settings', 'stage: staging'),
      'apps/production/cm.yaml': cm('settings', 'stage: production'),
    });
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs });
    const byName = new Map(d.environments.map((e) => [e.name, e.kustomizations.map((k) => k.name)]));
    assert.deepEqual(byName.get('staging'), ['apps-staging']);
    assert.deepEqual(byName.get('production'), ['apps-production']);
    assert.deepEqual(byName.get('hub'), ['flux-system']);
  });
});

describe('environments: repos without Flux get overlay environments', () => {
  const base = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n';
  const overlay = (ns: string) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nresources:\n- ../../base\n`;
  const { fs, files } = memoryRepo({
    'base/kustomization.yaml': base,
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
    'overlays/production/kustomization.yaml': overlay('prod'),
    'overlays/dev/kustomization.yaml': overlay('dev'),
    'envs/qa/kustomization.yaml': 'resources:\n- ../../base\n',
    'svc/base/kustomization.yaml': base,
    'svc/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: svc\n',
    'svc/staging/kustomization.yaml': 'resources:\n- ../base\n',
    'svc/production/kustomization.yaml': 'resources:\n- ../base\n',
  });

  it('finds leaf overlay folders and base siblings, grouped by name, in promotion order', () => {
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs });
    assert.deepEqual(
      d.environments.map((e) => [e.name, e.kind, e.dirs]),
      [
        ['dev', 'overlay', ['/repo/overlays/dev']],
        ['qa', 'overlay', ['/repo/envs/qa']],
        ['staging', 'overlay', ['/repo/svc/staging']],
        ['production', 'overlay', ['/repo/overlays/production', '/repo/svc/production']],
      ],
    );
    const r = renderEnvironment(d.environments[3], { repoRoot: '/repo', fs });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.objects.map((o) => [meta(o.object).name, meta(o.object).namespace]).sort(), [
      ['app', 'prod'],
      ['svc', undefined],
    ]);
  });

  it('are used too when Flux objects exist but no cluster entry folder does', () => {
    const withStrayFlux = memoryRepo({
      'overlays/dev/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'overlays/dev/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
      'overlays/dev/ks.yaml': ks('stray', './elsewhere'),
    });
    const d = discoverEnvironments({ repoRoot: '/repo', ...withStrayFlux });
    assert.deepEqual(
      d.environments.map((e) => [e.name, e.kind]),
      [['dev', 'overlay']],
    );
  });

  it('the promotion-order setting wins over names', () => {
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs, promotionOrder: ['production', 'dev'] });
    assert.deepEqual(
      d.environments.map((e) => e.name),
      ['production', 'dev', 'qa', 'staging'],
    );
  });
});

describe('environments: promotion order inferred from names', () => {
  it('dev < test/qa < staging < prod/production, by any word of the name', () => {
    assert.deepEqual(promotionOrder(['production', 'eu-staging', 'qa', 'dev', 'prod-us', 'test']), [
      'dev',
      'qa',
      'test',
      'eu-staging',
      'prod-us',
      'production',
    ]);
    assert.ok(inferredRank('sandbox') < inferredRank('uat'));
    assert.ok(inferredRank('mystery') > inferredRank('staging') && inferredRank('mystery') < inferredRank('prod'));
  });
});
