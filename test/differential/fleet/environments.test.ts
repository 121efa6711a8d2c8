// Environments of a fleet repo and their renders: cluster entry folders followed through Flux
// Kustomizations (the seed article's fleet-infra), overlay environments without Flux, promotion order.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as path from 'path';
import { discoverEnvironments, type Environment } from '../../../server/src/fleet/environments';
import { renderEnvironment, type EnvironmentRender } from '../../../server/src/fleet/environmentRender';
import { scanFleet } from '../../../server/src/fleet/scan';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { emitDocuments } from '../../../server/src/kustomize/yaml/emit';
import { kubectlAvailable, parseObjects, requireKubectl, sortObjects } from '../kubectl-oracle';

const fleetRoot = path.resolve(__dirname, '../../fixtures/fleet-infra');

const meta = (o: JsonObject) => o.metadata as JsonObject;
const find = (r: EnvironmentRender, kind: string, name: string) =>
  r.objects.find((o) => o.object.kind === kind && meta(o.object).name === name);

function kubectl(dir: string): Promise<JsonObject[] | string> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir], { encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve(err ? stderr : parseObjects(stdout)),
    );
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
    if (kubectlAvailable())
      for (const p of ['apps/staging', 'apps/production', 'infrastructure/staging', 'infrastructure/production'])
        oracle.set(p, kubectl(path.join(fleetRoot, p)));
  });

  it('finds one Flux environment per cluster folder, staging before production', () => {
    assert.deepEqual(
      environments.map((e) => [e.name, e.kind, e.order]),
      [
        ['staging', 'flux', 0],
        ['production', 'flux', 1],
      ],
    );
    assert.deepEqual(environments[0].dirs, [path.join(fleetRoot, 'clusters/staging')]);
  });

  it('follows the flux-system sync Kustomization back to its own folder once, and orders by dependsOn', () => {
    const names = environments[1].kustomizations.map((k) => k.name);
    assert.deepEqual([...names].sort(), ['apps', 'flux-system', 'infrastructure']);
    assert.ok(names.indexOf('infrastructure') < names.indexOf('apps'), 'apps dependsOn infrastructure');
    assert.deepEqual(
      production.kustomizations.map((k) => k.kustomization.name).filter((n) => n === 'flux-system'),
      ['flux-system'],
    );
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
    for (const [env, render] of [
      ['staging', staging],
      ['production', production],
    ] as const) {
      for (const part of ['apps', 'infrastructure']) {
        const want = await oracle.get(`${part}/${env}`)!;
        assert.ok(typeof want !== 'string', String(want));
        const got = render.objects.filter((o) => o.appliedBy?.name === part).map((o) => o.object);
        assert.deepEqual(sortObjects(parseObjects(emitDocuments(got))), sortObjects(want));
      }
    }
  });
});
