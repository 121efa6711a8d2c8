// Environments of a fleet repo and their renders: cluster entry folders followed through Flux
// Kustomizations (the seed article's fleet-infra), overlay environments without Flux, promotion order.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as path from 'path';
import { discoverEnvironments, inferredRank, promotionOrder, type Environment } from '../../../server/src/fleet/environments';
import { renderEnvironment, type EnvironmentRender } from '../../../server/src/fleet/environmentRender';
import { scanFleet } from '../../../server/src/fleet/scan';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { emitDocuments } from '../../../server/src/kustomize/yaml/emit';
import { kubectlAvailable, parseObjects, requireKubectl, sortObjects } from '../kustomize/kubectl-oracle';

const fleetRoot = path.resolve(__dirname, '../../fixtures/fleet-infra');

const meta = (o: JsonObject) => o.metadata as JsonObject;
const find = (r: EnvironmentRender, kind: string, name: string) => r.objects.find((o) => o.object.kind === kind && meta(o.object).name === name);

function kubectl(dir: string): Promise<JsonObject[] | string> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir], { encoding: 'utf8' }, (err, stdout, stderr) => resolve(err ? stderr : parseObjects(stdout)));
  });
}

describe('environments: the seed article fleet-infra', () => {
  let environments: Environment[];
  let staging: EnvironmentRender;
  let production: EnvironmentRender;
  const oracle = new Map<string, Promise<JsonObject[] | string>>();
  before(() => {
    const files = scanFleet(fleetRoot).files;
    const d = discoverEnvironments({ repoRoot: fleetRoot, files });
    assert.deepEqual(d.problems, []);
    environments = d.environments;
    staging = renderEnvironment(environments[0], { repoRoot: fleetRoot });
    production = renderEnvironment(environments[1], { repoRoot: fleetRoot });
    if (kubectlAvailable()) for (const p of ['apps/staging', 'apps/production', 'infrastructure/staging', 'infrastructure/production']) oracle.set(p, kubectl(path.join(fleetRoot, p)));
  });

  it('finds one Flux environment per cluster folder, staging before production', () => {
    assert.deepEqual(environments.map((e) => [e.name, e.kind, e.order]), [['staging', 'flux', 0], ['production', 'flux', 1]]);
    assert.deepEqual(environments[0].dirs, [path.join(fleetRoot, 'clusters/staging')]);
  });

  it('follows the flux-system sync Kustomization back to its own folder once, and orders by dependsOn', () => {
    const names = environments[1].kustomizations.map((k) => k.name);
    assert.deepEqual([...names].sort(), ['apps', 'flux-system', 'infrastructure']);
    assert.ok(names.indexOf('infrastructure') < names.indexOf('apps'), 'apps dependsOn infrastructure');
    assert.deepEqual(production.kustomizations.map((k) => k.kustomization.name).filter((n) => n === 'flux-system'), ['flux-system']);
  });

  it('renders the union of what every Kustomization applies, each object tagged with its Kustomization', () => {
    assert.deepEqual(staging.problems, []);
    assert.deepEqual(production.problems, []);
    const app = find(production, 'Deployment', 'my-app')!;
    assert.equal(app.appliedBy?.name, 'apps');
    assert.equal(meta(app.object).namespace, 'production');
    assert.equal((app.object.spec as JsonObject).replicas, 5);
    assert.equal((find(staging, 'Deployment', 'my-app')!.object.spec as JsonObject).replicas, 2);
    assert.equal(find(production, 'HelmRelease', 'ingress-nginx')?.appliedBy?.name, 'infrastructure');
    assert.equal(find(production, 'Kustomization', 'apps')?.appliedBy?.name, 'flux-system');
    assert.equal(find(production, 'GitRepository', 'flux-system')?.appliedBy?.name, 'flux-system');
    assert.ok(find(staging, 'Deployment', 'redis'));
    assert.ok(staging.filesRead.has(path.join(fleetRoot, 'apps/staging/my-app-patch.yaml')));
  });

  it('renders each Kustomization as kubectl kustomize renders its path (no Flux fields set)', async function () {
    requireKubectl(this);
    for (const [env, render] of [['staging', staging], ['production', production]] as const) {
      for (const part of ['apps', 'infrastructure']) {
        const want = await oracle.get(`${part}/${env}`)!;
        assert.ok(typeof want !== 'string', String(want));
        const got = render.objects.filter((o) => o.appliedBy?.name === part).map((o) => o.object);
        assert.deepEqual(sortObjects(parseObjects(emitDocuments(got))), sortObjects(want));
      }
    }
  });
});

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

const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: flux-system\ndata:\n  ${data}\n`;

function memoryRepo(files: Record<string, string>) {
  const abs: Record<string, string> = {};
  for (const [rel, text] of Object.entries(files)) abs[`/repo/${rel}`] = text;
  return { fs: memoryFileSystem(abs), files: Object.keys(abs).filter((f) => /\.ya?ml$/.test(f)).sort() };
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
    assert.deepEqual(d.environments.map((e) => e.name), ['dev']);
    assert.deepEqual(d.environments[0].kustomizations.map((k) => k.name).sort(), ['loop', 'team-a', 'tenants']);
    const r = renderEnvironment(d.environments[0], { repoRoot: '/repo', fs });
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
    const settings = r.objects.find((o) => meta(o.object).name === 'team-a-settings')!;
    assert.equal(settings.appliedBy?.name, 'team-a');
    assert.equal(meta(settings.object).namespace, 'team-a');
    assert.equal(r.kustomizations.length, 3);
  });

  it('substitutes from a ConfigMap another Kustomization of the environment applies', () => {
    const { fs, files } = memoryRepo({
      'clusters/prod/vars.yaml': cm('cluster-vars', 'cluster_name: prod-eu'),
      'clusters/prod/apps.yaml': ks('apps', './apps', '  postBuild:\n    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n'),
      'clusters/prod/sync.yaml': ks('flux-system', './clusters/prod'),
      'apps/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  cluster: \${cluster_name}\n`,
    });
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs });
    const r = renderEnvironment(d.environments[0], { repoRoot: '/repo', fs });
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
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

describe('environments: repos without Flux get overlay environments', () => {
  const base = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n';
  const overlay = (ns: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nresources:\n- ../../base\n`;
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
    assert.deepEqual(r.objects.map((o) => [meta(o.object).name, meta(o.object).namespace]).sort(), [['app', 'prod'], ['svc', undefined]]);
  });

  it('are used too when Flux objects exist but no cluster entry folder does', () => {
    const withStrayFlux = memoryRepo({
      'overlays/dev/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'overlays/dev/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
      'overlays/dev/ks.yaml': ks('stray', './elsewhere'),
    });
    const d = discoverEnvironments({ repoRoot: '/repo', ...withStrayFlux });
    assert.deepEqual(d.environments.map((e) => [e.name, e.kind]), [['dev', 'overlay']]);
  });

  it('the promotion-order setting wins over names', () => {
    const d = discoverEnvironments({ repoRoot: '/repo', files, fs, promotionOrder: ['production', 'dev'] });
    assert.deepEqual(d.environments.map((e) => e.name), ['production', 'dev', 'qa', 'staging']);
  });
});

describe('environments: promotion order inferred from names', () => {
  it('dev < test/qa < staging < prod/production, by any word of the name', () => {
    assert.deepEqual(promotionOrder(['production', 'eu-staging', 'qa', 'dev', 'prod-us', 'test']), ['dev', 'qa', 'test', 'eu-staging', 'prod-us', 'production']);
    assert.ok(inferredRank('sandbox') < inferredRank('uat'));
    assert.ok(inferredRank('mystery') > inferredRank('staging') && inferredRank('mystery') < inferredRank('prod'));
  });
});
