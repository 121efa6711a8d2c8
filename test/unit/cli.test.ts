import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../server/src/cli';

const repoRoot = path.resolve(__dirname, '../..');

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('fluxenv render', () => {
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

  it('prints the rendered YAML and exits 0', async () => {
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'namePrefix: prod-\nresources:\n- cm.yaml\n');
    const r = await cli(['render', 'app'], tmp);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout, 'apiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  name: prod-settings\n');
  });

  it('prints file:line:col errors to stderr and exits 1', async () => {
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources:\n- cm.yaml\n- gone.yaml\n');
    const r = await cli(['render', 'app'], tmp);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^app\/kustomization\.yaml:3:3: error: .*gone\.yaml/m);
  });

  it('takes kubectl kustomize flags in both spellings and refuses bad values with exit 2', async () => {
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    const a = await cli(['render', 'app', '--reorder', 'none', '--load-restrictor=LoadRestrictionsNone', '--enable-managedby-label'], tmp);
    assert.strictEqual(a.code, 0, a.stderr);
    assert.match(a.stdout, /app\.kubernetes\.io\/managed-by: kustomize-\(devel\)/);
    const b = await cli(['render', 'app', '--reorder', 'sideways'], tmp);
    assert.strictEqual(b.code, 2);
    assert.match(b.stderr, /--reorder must be/);
    const c = await cli(['render', 'app', '--frobnicate'], tmp);
    assert.strictEqual(c.code, 2);
  });

  it('documents every flag in --help', async () => {
    const r = await cli(['render', '--help'], tmp);
    assert.strictEqual(r.code, 0);
    for (const flag of ['--reorder', '--load-restrictor', '--enable-managedby-label', '--output']) assert.ok(r.stdout.includes(flag), flag);
  });

  it('runs as the bundled executable', function () {
    const bin = path.join(repoRoot, 'dist', 'cli.js');
    if (!fs.existsSync(bin)) assert.fail('dist/cli.js is missing: run `npm run build` (npm test does) before the unit tests');
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    const r = spawnSync(bin, ['render', path.join(tmp, 'app')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /name: settings/);
  });
});
