import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { planFileChanges, verifyFileChanges } from '../../../server/src/promote/applyPlan';
import { planOverlayPromotion, type PromotionPlan } from '../../../server/src/promote/plan';
import { detectStrategy } from '../../../server/src/promote/strategy';
import { readText, writeFile } from '../../git/gitFixture';
import { SEED, STAGING_IMAGES } from '../../git/promote/promoteFixture';

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

  it('the seed fleet (shared main branch) is the overlay strategy, with nothing to promote: settings are not versions', () => {
    const index = new FleetIndex(root);
    index.scan();
    const strategy = detectStrategy(index, index.environment('staging')!, index.environment('production')!);
    assert.equal(strategy.kind, 'overlay');
    // Replicas, resources, namespaces and the ingress replicaCount differ; none of them is promoted.
    assert.deepEqual(plan().plan.changes, []);
  });

  it('edits an existing production images entry in place, keeping its quotes and comment, and drops a digest the source does not have', () => {
    writeFile(root, 'apps/staging/kustomization.yaml', readText(root, 'apps/staging/kustomization.yaml') + STAGING_IMAGES);
    const existing = 'images:\n- name: ghcr.io/my-org/my-app # pinned\n  newTag: "1.0.0"\n  digest: sha256:0123\n';
    writeFile(root, 'apps/production/kustomization.yaml', readText(root, 'apps/production/kustomization.yaml') + existing);
    const { index, plan: p } = plan();
    assert.equal(p.changes.length, 1);
    assert.equal(p.changes[0].before, '1.0.0@sha256:0123');
    const planned = planFileChanges(index, p.changes);
    assert.ok(
      planned.files[0].after.endsWith('images:\n- name: ghcr.io/my-org/my-app # pinned\n  newTag: "1.1.0"\n'),
      planned.files[0].after,
    );
    assert.deepEqual(verifyFileChanges(index, 'production', planned), { ok: true });
  });

  it('a production patch that sets the image is outranked by a new images entry; the render check proves it', () => {
    writeFile(root, 'apps/staging/kustomization.yaml', readText(root, 'apps/staging/kustomization.yaml') + STAGING_IMAGES);
    writeFile(
      root,
      'apps/production/my-app-patch.yaml',
      readText(root, 'apps/production/my-app-patch.yaml').replace(
        '      - name: app\n',
        '      - name: app\n        image: ghcr.io/my-org/my-app:0.9.0\n',
      ),
    );
    const { index, plan: p } = plan();
    assert.equal(p.changes[0].before, '0.9.0');
    const planned = planFileChanges(index, p.changes);
    assert.deepEqual(
      planned.files.map((f) => f.path),
      ['apps/production/kustomization.yaml'],
    );
    assert.deepEqual(verifyFileChanges(index, 'production', planned), { ok: true });
  });

  it('source refs: an OCIRepository tag pinned in the production cluster folder is edited there', () => {
    const oci = (tag: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/stefanprodan/manifests/podinfo\n  ref:\n    tag: ${tag} # the release\n`;
    writeFile(root, 'clusters/staging/podinfo.yaml', oci('6.5.0'));
    writeFile(root, 'clusters/production/podinfo.yaml', oci('6.4.0'));
    const { index, plan: p } = plan();
    assert.deepEqual(
      p.changes.map((c) => [c.kind, c.workload, c.before, c.after]),
      [['source', 'OCIRepository/podinfo', '6.4.0', '6.5.0']],
    );
    const planned = planFileChanges(index, p.changes);
    assert.equal(planned.files[0].after, oci('6.5.0'));
    assert.deepEqual(verifyFileChanges(index, 'production', planned), { ok: true });
  });
});
