// The Marketplace package: vsce's checks run (none skipped), the manifest says where the project lives,
// README images resolve (vsce makes them absolute from the repository), a changelog ships, and it stays small.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');

describe('the .vsix package', function () {
  this.timeout(180000);

  it('says where the project, its issues and its home page are', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.match(manifest.repository?.url ?? '', /^https:\/\//);
    assert.match(manifest.bugs?.url ?? '', /^https:\/\//);
    assert.match(manifest.homepage ?? '', /^https:\/\//);
  });

  it('every README image is an https URL or a file the package ships', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const [, src] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
      assert.ok(/^https:\/\//.test(src) || fs.existsSync(path.join(repoRoot, src)), `README image ${src} is neither https nor a file`);
    }
  });

  it('packages with every vsce check on, ships CHANGELOG.md, and stays under 2 MiB', () => {
    for (const bundle of ['extension.js', 'server.js', 'cli.js', 'fluxenv.js']) {
      if (!fs.existsSync(path.join(repoRoot, 'dist', bundle)))
        assert.fail(`dist/${bundle} is missing: run \`npm run build\` (npm test does) before the unit tests`);
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-vsix-')), 'flux-environments.vsix');
    try {
      const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), out], { cwd: repoRoot, encoding: 'utf8' });
      assert.strictEqual(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^ {2}CHANGELOG\.md /m);
      assert.doesNotMatch(run.stdout, /docs\/images\//, 'screenshots are linked from the repository, not shipped');
      assert.ok(fs.statSync(out).size < 2 * 1024 * 1024, `${fs.statSync(out).size} bytes`);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
