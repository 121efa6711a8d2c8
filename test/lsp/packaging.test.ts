// The Marketplace package: vsce's checks run, a changelog ships, and it stays small. The project has no public
// repository yet, so the manifest names none (no guessed URL) and README's relative links and images resolve
// inside the package, which ships what they name (see scripts/package.mjs).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');

describe('the .vsix package', function () {
  this.timeout(180000);

  it('names no repository, issue tracker or home page: there is no public one, and a guessed URL leads nowhere', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.deepStrictEqual([manifest.repository, manifest.bugs, manifest.homepage], [undefined, undefined, undefined]);
  });

  it('packages with vsce, ships CHANGELOG.md and every file README links to (screenshots included), and stays under 2 MiB', () => {
    for (const bundle of ['extension.js', 'server.js', 'cli.js', 'fluxenv.js']) {
      if (!fs.existsSync(path.join(repoRoot, 'dist', bundle)))
        assert.fail(`dist/${bundle} is missing: run \`npm run build\` (npm test does) before the unit tests`);
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-vsix-')), 'flux-environments.vsix');
    try {
      const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), out], { cwd: repoRoot, encoding: 'utf8' });
      assert.strictEqual(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ {2}CHANGELOG\.md /m);
      const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
      const linked = [...readme.matchAll(/\]\(([^)\s#]+)/g)].map((m) => m[1]).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
      assert.ok(linked.includes('docs/images/trees.png'), `README links: ${linked.join(', ')}`);
      for (const target of linked)
        assert.match(run.stdout, new RegExp(`^ {2}${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'), target);
      assert.ok(fs.statSync(out).size < 2 * 1024 * 1024, `${fs.statSync(out).size} bytes`);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
