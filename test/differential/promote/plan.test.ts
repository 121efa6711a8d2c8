import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { planFileChanges, verifyFileChanges } from '../../../server/src/promote/applyPlan';
import { planOverlayPromotion, type PromotionPlan } from '../../../server/src/promote/plan';
import { detectStrategy } from '../../../server/src/promote/strategy';
import { readText, writeFile } from '../../git/gitFixture';
import { SEED, STAGING_CHART_PATCH, STAGING_IMAGES } from '../../git/promote/promoteFixture';

function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

function kubectlKustomize(dir: string): string {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('promotion plan (overlay strategy)', function () {
  this.timeout(20000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fluxenv-plan-'));
    cpSync(SEED, root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function plan(): { index: FleetIndex; plan: PromotionPlan } {
    const index = new FleetIndex(root);
    index.scan();
    const source = index.environment('staging')!;
    const target = index.environment('production')!;
    const strategy = detectStrategy(index, source, target);
    const exclude = [strategy.source.gitRepository!, strategy.target.gitRepository!];
    return { index, plan: planOverlayPromotion(index, source, target, exclude) };
  }

  it('promotes the staging image with a new images entry in apps/production, keeping its comments and layout, and renders only that change (kubectl agrees)', function () {
    writeFile(root, 'apps/staging/kustomization.yaml', readText(root, 'apps/staging/kustomization.yaml') + STAGING_IMAGES);
    const productionBefore = readText(root, 'apps/production/kustomization.yaml');
    const { index, plan: p } = plan();
    assert.deepEqual(
      p.changes.map((c) => [c.kind, c.workload, c.before, c.after, c.beforeValue, c.afterValue]),
      [['image', 'my-app', '1.0.0', '1.1.0', 'ghcr.io/my-org/my-app:1.0.0', 'ghcr.io/my-org/my-app:1.1.0']],
    );
    const planned = planFileChanges(index, p.changes);
    assert.deepEqual(
      planned.files.map((f) => f.path),
      ['apps/production/kustomization.yaml'],
    );
    assert.equal(planned.files[0].after, productionBefore + 'images:\n- name: ghcr.io/my-org/my-app\n  newTag: 1.1.0\n');
    assert.deepEqual(verifyFileChanges(index, 'production', planned), { ok: true });

    if (!kubectlAvailable()) {
      if (process.env.CI) assert.fail('kubectl not found');
      console.log('SKIPPED: kubectl not found');
      this.skip();
    }
    const before = kubectlKustomize(join(root, 'apps/production'));
    writeFileSync(planned.files[0].file, planned.files[0].after);
    const after = kubectlKustomize(join(root, 'apps/production'));
    assert.match(after, /image: ghcr\.io\/my-org\/my-app:1\.1\.0/);
    assert.equal(after.replace('my-app:1.1.0', 'my-app:1.0.0'), before);
  });

  it('promotes a HelmRelease chart version with a patch in the target overlay (kubectl renders it)', function () {
    writeFile(
      root,
      'infrastructure/staging/kustomization.yaml',
      readText(root, 'infrastructure/staging/kustomization.yaml') + STAGING_CHART_PATCH,
    );
    const { index, plan: p } = plan();
    assert.deepEqual(
      p.changes.map((c) => [c.kind, c.workload, c.before, c.after]),
      [['chart', 'cert-manager', '1.14.x', '1.15.x']],
    );
    const planned = planFileChanges(index, p.changes);
    assert.deepEqual(
      planned.files.map((f) => f.path),
      ['infrastructure/production/kustomization.yaml'],
    );
    assert.ok(planned.files[0].after.startsWith(readText(root, 'infrastructure/production/kustomization.yaml')), 'existing text kept');
    assert.deepEqual(verifyFileChanges(index, 'production', planned), { ok: true });
    if (!kubectlAvailable()) {
      if (process.env.CI) assert.fail('kubectl not found');
      console.log('SKIPPED: kubectl not found');
      this.skip();
    }
    const before = kubectlKustomize(join(root, 'infrastructure/production'));
    writeFileSync(planned.files[0].file, planned.files[0].after);
    const after = kubectlKustomize(join(root, 'infrastructure/production'));
    assert.equal(after.replace('version: 1.15.x', 'version: 1.14.x'), before);
    assert.notEqual(after, before);
  });
});
