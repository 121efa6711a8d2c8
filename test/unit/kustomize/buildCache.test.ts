// The folder build cache: what a user would notice if it were wrong is a preview that does not follow an
// edit, or an error (cycle, load restriction) that disappears because an earlier build was reused.
import * as assert from 'assert';
import { BuildCache } from '../../../server/src/kustomize/buildCache';
import { memoryFileSystem, overlayFileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';

const configMap = (name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: "${value}"
`;

function fleet(): Record<string, string> {
  return {
    '/repo/base/kustomization.yaml': 'resources:\n  - cm.yaml\ncommonLabels:\n  tier: base\n',
    '/repo/base/cm.yaml': configMap('settings', 'one'),
    '/repo/dev/kustomization.yaml': 'namespace: dev\nresources:\n  - ../base\n',
    '/repo/prod/kustomization.yaml': 'namespace: prod\nnamePrefix: p-\nresources:\n  - ../base\n',
  };
}

describe('build cache', () => {
  it('reuses a base built for one overlay in another, with the same output as a build without cache', () => {
    const fs = memoryFileSystem(fleet());
    const cache = new BuildCache();
    const dev = renderKustomization('/repo/dev', { fs, repoRoot: '/repo', cache });
    const prod = renderKustomization('/repo/prod', { fs, repoRoot: '/repo', cache });
    assert.strictEqual(dev.yaml, renderKustomization('/repo/dev', { fs, repoRoot: '/repo' }).yaml);
    assert.strictEqual(prod.yaml, renderKustomization('/repo/prod', { fs, repoRoot: '/repo' }).yaml);
    assert.match(prod.yaml ?? '', /name: p-settings\n {2}namespace: prod/);
    const stats = cache.stats();
    assert.ok(stats.hits >= 1, `the base should have been reused (${JSON.stringify(stats)})`);
    // The file list still names the base's files, so that the index invalidates the overlay when they change.
    assert.ok(prod.filesRead.has('/repo/base/cm.yaml'));
  });

  it('hands out copies: a later build changing objects in place does not change what the next one reuses', () => {
    const fs = memoryFileSystem(fleet());
    const cache = new BuildCache();
    renderKustomization('/repo/prod', { fs, repoRoot: '/repo', cache });
    const base = renderKustomization('/repo/base', { fs, repoRoot: '/repo', cache });
    assert.match(base.yaml ?? '', /name: settings\n$/m);
    assert.doesNotMatch(base.yaml ?? '', /p-settings|namespace/);
  });

  it('follows an edited base file (an unsaved buffer) and an edited kustomization', () => {
    const files = fleet();
    const fs = memoryFileSystem(files);
    const cache = new BuildCache();
    renderKustomization('/repo/dev', { fs, repoRoot: '/repo', cache });
    const edited = overlayFileSystem(fs, new Map([['/repo/base/cm.yaml', configMap('settings', 'two')]]));
    assert.match(renderKustomization('/repo/dev', { fs: edited, repoRoot: '/repo', cache }).yaml ?? '', /value: two/);
    assert.match(renderKustomization('/repo/dev', { fs, repoRoot: '/repo', cache }).yaml ?? '', /value: one/);
    const relabelled = overlayFileSystem(
      fs,
      new Map([['/repo/base/kustomization.yaml', 'resources:\n  - cm.yaml\ncommonLabels:\n  tier: edited\n']]),
    );
    assert.match(renderKustomization('/repo/dev', { fs: relabelled, repoRoot: '/repo', cache }).yaml ?? '', /tier: edited/);
  });

  it('still reports an include cycle when a folder built earlier on its own is included from below', () => {
    const files = {
      '/repo/x/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      '/repo/x/cm.yaml': configMap('x', '1'),
      '/repo/x/a/kustomization.yaml': 'resources:\n  - ..\n',
    };
    const fs = memoryFileSystem(files);
    const cache = new BuildCache();
    // x alone builds fine and is kept; from x/a, entering x means entering a folder holding the includer.
    assert.ok(renderKustomization('/repo/x', { fs, repoRoot: '/repo', cache }).yaml);
    const out = renderKustomization('/repo/x/a', { fs, repoRoot: '/repo', cache });
    assert.strictEqual(out.yaml, undefined);
    assert.ok(
      out.problems.some((p) => p.code === 'include-cycle'),
      JSON.stringify(out.problems),
    );
    assert.deepStrictEqual(
      out.problems.map((p) => p.message),
      renderKustomization('/repo/x/a', { fs, repoRoot: '/repo' }).problems.map((p) => p.message),
    );
  });

  it('does not serve a build made without load restrictions to a root-only build', () => {
    const files = {
      '/repo/app/kustomization.yaml': 'resources:\n  - ../shared/cm.yaml\n',
      '/repo/shared/cm.yaml': configMap('shared', '1'),
    };
    const fs = memoryFileSystem(files);
    const cache = new BuildCache();
    assert.ok(renderKustomization('/repo/app', { fs, repoRoot: '/repo', cache, loadRestrictor: 'none' }).yaml);
    const rootOnly = renderKustomization('/repo/app', { fs, repoRoot: '/repo', cache, loadRestrictor: 'rootOnly' });
    assert.strictEqual(rootOnly.yaml, undefined, 'kubectl kustomize refuses a file outside the folder');
    assert.ok(rootOnly.problems.some((p) => p.severity === 'error'));
  });

  it('keeps no failed build: the error is reported again on the next render', () => {
    const files = { '/repo/app/kustomization.yaml': 'resources:\n  - missing.yaml\n' };
    const fs = memoryFileSystem(files);
    const cache = new BuildCache();
    for (let i = 0; i < 2; i++) {
      const out = renderKustomization('/repo/app', { fs, repoRoot: '/repo', cache });
      assert.strictEqual(out.yaml, undefined);
      assert.ok(
        out.problems.some((p) => p.code === 'missing-path'),
        JSON.stringify(out.problems),
      );
    }
    assert.strictEqual(cache.stats().entries, 0);
  });

  it('stays within its object bound by dropping the least recently used folders', () => {
    const fs = memoryFileSystem(fleet());
    const cache = new BuildCache(1);
    renderKustomization('/repo/dev', { fs, repoRoot: '/repo', cache });
    renderKustomization('/repo/prod', { fs, repoRoot: '/repo', cache });
    assert.ok(cache.stats().objects <= 1, JSON.stringify(cache.stats()));
    assert.match(renderKustomization('/repo/prod', { fs, repoRoot: '/repo', cache }).yaml ?? '', /p-settings/);
  });
});
