// The built CLI (dist/cli.js) as a user runs it: its own process, exit codes and output. Beside the language
// server's stdio tests because both run what `npm run build` produced, not the sources.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');

describe('fluxenv render (the bundled executable)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-'));
    fs.mkdirSync(path.join(tmp, '.git'));
    fs.mkdirSync(path.join(tmp, 'app'));
    fs.writeFileSync(
      path.join(tmp, 'app', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n',
    );
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs as the bundled executable', function () {
    const bin = path.join(repoRoot, 'dist', 'cli.js');
    if (!fs.existsSync(bin)) assert.fail('dist/cli.js is missing: run `npm run build` (npm test does) before this suite');
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    const r = spawnSync(bin, ['render', path.join(tmp, 'app')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /name: settings/);
    // `render` runs from the executable's own bundle; every other command loads dist/fluxenv.js.
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.strictEqual(version.status, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const usage = spawnSync(bin, ['render', '--frobnicate'], { encoding: 'utf8' });
    assert.strictEqual(usage.status, 2);
    assert.match(usage.stderr, /unknown flag: --frobnicate[\s\S]*Usage: fluxenv <command>/);
  });
});
