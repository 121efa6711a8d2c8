import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scanFleet } from '../../../server/src/fleet/scan';

describe('scanFleet', () => {
  let root: string;
  let outside: string;
  const write = (rel: string, text = 'a: 1\n') => {
    const f = path.join(root, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  };
  const rel = (files: string[]) => files.map((f) => path.relative(root, f));

  beforeEach(() => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-scan-')));
    root = path.join(tmp, 'repo');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.yaml'), 'kind: Secret\n');
  });
  afterEach(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

  it('finds YAML files and kustomization files, skipping .git and node_modules', () => {
    write('apps/base/kustomization.yaml');
    write('apps/base/deploy.yml');
    write('apps/other/Kustomization');
    write('apps/base/README.md');
    write('.git/config.yaml');
    write('node_modules/pkg/x.yaml');
    assert.deepStrictEqual(rel(scanFleet(root).files), [
      'apps/base/deploy.yml',
      'apps/base/kustomization.yaml',
      'apps/other/Kustomization',
    ]);
  });

  it('honours .gitignore, .sourceignore and .krmignore at any depth', () => {
    write('.gitignore', 'build/\n*.tmp.yaml\n');
    write('.sourceignore', 'docs/\n');
    write('apps/.krmignore', 'local.yaml\n');
    write('build/out.yaml');
    write('x.tmp.yaml');
    write('docs/example.yaml');
    write('apps/local.yaml');
    write('apps/kept.yaml');
    write('local.yaml');
    assert.deepStrictEqual(rel(scanFleet(root).files), ['apps/kept.yaml', 'local.yaml']);
  });

  it('never follows a symbolic link out of the repository, and survives link loops', () => {
    write('apps/ok.yaml');
    fs.symlinkSync(outside, path.join(root, 'apps', 'escape'));
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'apps', 'secret.yaml'));
    fs.symlinkSync(root, path.join(root, 'apps', 'loop'));
    const result = scanFleet(root);
    assert.deepStrictEqual(rel(result.files), ['apps/ok.yaml']);
    assert.ok(result.skipped.some((s) => s.file.endsWith('escape') && /outside/.test(s.reason)));
    assert.ok(result.skipped.some((s) => s.file.endsWith('secret.yaml')));
  });

  it('lists files over the size limit as skipped and stops at the file limit', () => {
    write('big.yaml', 'x'.repeat(2048));
    for (let i = 0; i < 5; i++) write(`many/f${i}.yaml`);
    const bySize = scanFleet(root, { maxFileBytes: 1024 });
    assert.ok(!bySize.files.some((f) => f.endsWith('big.yaml')));
    assert.ok(bySize.skipped.some((s) => s.file.endsWith('big.yaml')));
    const byCount = scanFleet(root, { maxFiles: 3 });
    assert.strictEqual(byCount.files.length, 3);
    assert.strictEqual(byCount.truncated, true);
  });
});
