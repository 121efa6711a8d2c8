// Renders are time-limited: a render that runs past its deadline stops with a render-time-limit error at the
// kustomization it was building, instead of holding the language server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../../server/src/fleet/fleetIndex';
import { memoryFileSystem } from '../../server/src/kustomize/fs';
import { renderKustomization } from '../../server/src/kustomize/render';

const files: Record<string, string> = {
  '/repo/base/kustomization.yaml': 'resources:\n- cm.yaml\n',
  '/repo/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  '/repo/overlay/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\n',
};

describe('render time limit', () => {
  it('stops a render past its deadline with a render-time-limit error, and renders normally within it', () => {
    const late = renderKustomization('/repo/overlay', { fs: memoryFileSystem(files), repoRoot: '/repo', deadline: Date.now() - 1 });
    assert.strictEqual(late.yaml, undefined);
    const [p] = late.problems.filter((x) => x.code === 'render-time-limit');
    assert.ok(p, JSON.stringify(late.problems));
    assert.strictEqual(p.severity, 'error');
    assert.strictEqual(p.file, '/repo/overlay/kustomization.yaml');
    assert.strictEqual(late.problems.filter((x) => x.code === 'render-time-limit').length, 1, 'reported once');

    const inTime = renderKustomization('/repo/overlay', { fs: memoryFileSystem(files), repoRoot: '/repo', deadline: Date.now() + 60_000 });
    assert.match(inTime.yaml ?? '', /namespace: prod/);
  });

  it('applies the index limit setting to folder renders', () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-budget-')));
    try {
      fs.mkdirSync(path.join(root, '.git'));
      fs.mkdirSync(path.join(root, 'big'));
      // 3,000 objects take far longer than a 1 ms budget to read, and well under a second without one.
      const docs = Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v${i}\n`);
      fs.writeFileSync(path.join(root, 'big', 'many.yaml'), docs.join('---\n'));
      fs.writeFileSync(path.join(root, 'big', 'kustomization.yaml'), 'namespace: prod\nresources:\n- many.yaml\n');
      const strict = new FleetIndex(root, { limits: { render: { renderTimeBudgetMs: 1 } } as never });
      strict.scan();
      const limited = strict.renderFolder(path.join(root, 'big'));
      assert.strictEqual(limited.yaml, undefined);
      assert.deepStrictEqual(
        limited.problems.map((p) => p.code),
        ['render-time-limit'],
      );
      const normal = new FleetIndex(root);
      normal.scan();
      assert.match(normal.renderFolder(path.join(root, 'big')).yaml ?? '', /name: c2999/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
