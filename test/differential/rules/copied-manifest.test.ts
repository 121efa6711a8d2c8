import * as assert from 'assert';
import * as path from 'path';
import { copiedManifest } from '../../../server/src/rules/copied-manifest';
import { makeFleet, type Fleet } from '../../unit/rules/harness';
import { kubectlBuild } from '../rules/kubectl';
import { copiedDeployment, service, fleetFiles } from '../../unit/rules/copiedManifestFixtures';

/** kubectl's output, one document per entry, sorted: "the same objects, modulo order". */
function objects(test: Mocha.Context, dir: string): string[] {
  const built = kubectlBuild(test, dir);
  assert.strictEqual(built.status, 0, built.stderr);
  return built.stdout.split(/^---\n/m).sort();
}

describe('rule copied-manifest', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags the copy at its resources entry and turns it into a patch that renders the same objects', function () {
    fleet = makeFleet(
      fleetFiles({
        'apps/staging/kustomization.yaml': 'namespace: staging\nresources:\n- deployment.yaml\n',
        'apps/staging/deployment.yaml': copiedDeployment,
      }),
    );
    const stagingDir = path.join(fleet.root, 'apps/staging');
    const before = objects(this, stagingDir);
    const [d, ...rest] = fleet.check(copiedManifest);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'warning');
    assert.deepStrictEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 17 } });
    assert.match(
      d.message,
      /deployment\.yaml is a full copy of Deployment my-app, which base apps\/base\/my-app renders.*keep only the differences as a patch/,
    );
    assert.strictEqual(path.relative(fleet.root, d.related![0].file), 'apps/base/my-app/deployment.yaml');
    fleet.apply(d.fixes![0]);
    assert.strictEqual(
      fleet.read('apps/staging/kustomization.yaml'),
      'namespace: staging\nresources:\n- ../base/my-app\npatches:\n  - path: deployment.yaml\n',
    );
    const patch = fleet.read('apps/staging/deployment.yaml');
    assert.doesNotMatch(patch, /app: my-app|envoy|name: LOG_LEVEL\n\s+value: info/, 'only the differences stay');
    assert.match(patch, /replicas: 2/);
    assert.match(patch, /tier: null/);
    assert.match(patch, /\$patch: delete/);
    assert.deepStrictEqual(objects(this, stagingDir), before);
    assert.deepStrictEqual(fleet.check(copiedManifest), []);
  });

  it('converts every copy of one base at once and appends to existing patches', function () {
    fleet = makeFleet(
      fleetFiles(
        {
          'apps/staging/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\npatches:\n- path: extra.yaml\n',
          'apps/staging/deployment.yaml': copiedDeployment,
          'apps/staging/service.yaml': service.replace('port: 80', 'port: 8080'),
          'apps/staging/extra.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-app\n  annotations:\n    team: web\n',
        },
        { 'apps/base/my-app/service.yaml': service },
        '- deployment.yaml\n- service.yaml\n',
      ),
    );
    const stagingDir = path.join(fleet.root, 'apps/staging');
    const before = objects(this, stagingDir);
    const found = fleet.check(copiedManifest);
    assert.strictEqual(found.length, 2);
    fleet.apply(found[0].fixes![0]);
    assert.strictEqual(
      fleet.read('apps/staging/kustomization.yaml'),
      'resources:\n- ../base/my-app\npatches:\n- path: extra.yaml\n- path: deployment.yaml\n- path: service.yaml\n',
    );
    assert.deepStrictEqual(objects(this, stagingDir), before);
    assert.deepStrictEqual(fleet.check(copiedManifest), []);
  });
});
