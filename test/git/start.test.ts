// npm start works on a copy of the sample fleet: a git repository outside this clone, where staging is ahead
// of production, so a promotion can be shown out of the box and commits into the copy only.
import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
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

  // The editor npm start opens is stopped with it, whatever stops it: Ctrl+C, SIGTERM (kill, a process
  // manager) or SIGHUP (the terminal closed). A stand-in `code` on PATH records its pid and waits.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`stops the editor it opened on ${signal}`, async () => {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-start-bin-'));
      const pidFile = path.join(bin, 'code.pid');
      fs.writeFileSync(path.join(bin, 'code'), `#!/bin/sh\n[ "$1" = "--version" ] && exit 0\necho $$ > "${pidFile}"\nexec sleep 600\n`, {
        mode: 0o755,
      });
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
      delete env.FLUX_ENV_START_BROWSER;
      const start = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs')], { cwd: repoRoot, env, stdio: 'pipe' });
      let fleet: string | undefined;
      start.stdout.on('data', (d: Buffer) => (fleet ??= /git repository at (\S+) \(a copy/.exec(d.toString())?.[1]));
      try {
        const deadline = Date.now() + 30000;
        while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') {
          if (Date.now() > deadline || start.exitCode !== null) assert.fail('the stand-in editor never started');
          await new Promise((r) => setTimeout(r, 100));
        }
        const editorPid = Number(fs.readFileSync(pidFile, 'utf8').trim());
        const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));
        start.kill(signal);
        await exited;
        const alive = () => {
          try {
            process.kill(editorPid, 0);
            return true;
          } catch {
            return false;
          }
        };
        for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(!alive(), `the editor (pid ${editorPid}) still runs after ${signal}`);
      } finally {
        if (start.exitCode === null) start.kill('SIGKILL');
        fs.rmSync(bin, { recursive: true, force: true });
        if (fleet) fs.rmSync(path.dirname(fleet), { recursive: true, force: true });
      }
    });
  }
});
