// npm start works on a copy of the sample fleet: a git repository outside this clone, where staging is ahead
// of production, so a promotion can be shown out of the box and commits into the copy only.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');

describe('npm start (scripts/start.mjs)', function () {
  this.timeout(60000);

  it('prepares a git copy of the sample fleet in the temp folder, with a promotion waiting', () => {
    const cli = path.join(repoRoot, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) assert.fail('dist/cli.js is missing: run `npm run build` (npm test does) before the unit tests');
    const ownStatus = execFileSync('git', ['status', '--porcelain', '--', 'examples'], { cwd: repoRoot, encoding: 'utf8' });
    const prepared = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--prepare-only'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.strictEqual(prepared.status, 0, prepared.stderr);
    const fleet = prepared.stdout.trim();
    try {
      assert.ok(fs.realpathSync(fleet).startsWith(fs.realpathSync(os.tmpdir())), fleet);
      assert.strictEqual(
        execFileSync('git', ['status', '--porcelain'], { cwd: fleet, encoding: 'utf8' }),
        '',
        'the copy starts committed and clean',
      );
      assert.strictEqual(
        execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: fleet, encoding: 'utf8' }).trim(),
        fs.realpathSync(fleet),
      );
      const dryRun = spawnSync(process.execPath, [cli, 'promote', '--from', 'staging', '--to', 'production', '--dry-run'], {
        cwd: fleet,
        encoding: 'utf8',
      });
      assert.strictEqual(dryRun.status, 0, dryRun.stdout + dryRun.stderr);
      assert.match(dryRun.stdout, /my-app[^\n]*1\.0\.0[^\n]*1\.1\.0/);
      assert.match(dryRun.stdout, /Dry run: nothing was changed/);
    } finally {
      fs.rmSync(path.dirname(fleet), { recursive: true, force: true });
    }
    assert.strictEqual(
      execFileSync('git', ['status', '--porcelain', '--', 'examples'], { cwd: repoRoot, encoding: 'utf8' }),
      ownStatus,
      'the project clone is untouched',
    );
  });
});
