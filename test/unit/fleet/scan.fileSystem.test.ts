// The scan over a file system that is not the disk (a git revision's tree, here held in memory): the same
// ignore files, skipped folders and limits as the disk scan.
import * as assert from 'assert';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { scanFileSystem } from '../../../server/src/fleet/scan';

const files = (map: Record<string, string>) => memoryFileSystem(Object.fromEntries(Object.entries(map).map(([f, t]) => [`/repo/${f}`, t])));

describe('scanFileSystem', () => {
  it('finds YAML and kustomization files, honouring .gitignore and .sourceignore at any depth, skipping node_modules', () => {
    const result = scanFileSystem(
      files({
        'apps/base/kustomization.yaml': 'resources: []\n',
        'apps/base/deploy.yml': 'a: 1\n',
        'apps/other/Kustomization': 'resources: []\n',
        'apps/README.md': '# not yaml\n',
        '.gitignore': 'build/\n',
        'build/out.yaml': 'a: 1\n',
        'clusters/.sourceignore': 'scratch.yaml\n',
        'clusters/scratch.yaml': 'a: 1\n',
        'clusters/prod.yaml': 'a: 1\n',
        'node_modules/pkg/x.yaml': 'a: 1\n',
      }),
      '/repo',
    );
    assert.deepStrictEqual(result.files, [
      '/repo/apps/base/deploy.yml',
      '/repo/apps/base/kustomization.yaml',
      '/repo/apps/other/Kustomization',
      '/repo/clusters/prod.yaml',
    ]);
    assert.deepStrictEqual(result.skipped, []);
  });

  it('skips a file past the size limit by the size the file system reports, naming the setting', () => {
    const fs = {
      ...files({ 'big.yaml': 'a: 1\n', 'small.yaml': 'a: 1\n' }),
      sizeOf: (f: string) => (f.endsWith('big.yaml') ? 10_000_000 : 5),
    };
    const result = scanFileSystem(fs, '/repo', { maxFileBytes: 1024 * 1024 });
    assert.deepStrictEqual(result.files, ['/repo/small.yaml']);
    assert.deepStrictEqual(result.skipped, [
      { file: '/repo/big.yaml', reason: 'larger than 1024 KiB (setting fluxEnvironments.limits.scan.maxFileBytes)' },
    ]);
  });

  it('stops at the file limit and says so', () => {
    const result = scanFileSystem(files({ 'a.yaml': '', 'b.yaml': '', 'c.yaml': '' }), '/repo', { maxFiles: 2 });
    assert.strictEqual(result.files.length, 2);
    assert.strictEqual(result.truncated, true);
    assert.match(result.skipped[0].reason, /^more than 2 YAML files; the rest are not indexed/);
  });
});
