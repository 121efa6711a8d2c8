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

describe('fluxenv check / build --enable-helm (the bundled executable, a stub helm)', () => {
  let tmp: string;
  const bin = path.join(repoRoot, 'dist', 'cli.js');
  beforeEach(() => {
    if (!fs.existsSync(bin)) assert.fail('dist/cli.js is missing: run `npm run build` (npm test does) before this suite');
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-helm-')));
    const write = (rel: string, text: string, mode?: number) => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text, mode ? { mode } : undefined);
    };
    fs.mkdirSync(path.join(tmp, '.git'));
    // An overlay fleet (no Flux objects): the environment 'prod' is the folder overlays/prod.
    write('base/kustomization.yaml', 'helmCharts:\n- name: hello\n  releaseName: web\n');
    write('base/charts/hello/Chart.yaml', 'apiVersion: v2\nname: hello\nversion: 0.1.0\n');
    write('base/charts/hello/values.yaml', 'greeting: hi\n');
    write('overlays/prod/kustomization.yaml', 'namespace: prod\nresources:\n- ../../base\n');
    // A stand-in for helm: the release name and the chart's values as one ConfigMap.
    write(
      'stub-helm',
      [
        '#!/usr/bin/env node',
        "const fs = require('fs');",
        'const args = process.argv.slice(2);',
        "const values = fs.readFileSync(args[args.indexOf('--values') + 1], 'utf8').trim();",
        "process.stdout.write('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ' + args[1] + '-stub\\ndata:\\n  ' + values + '\\n');",
        '',
      ].join('\n'),
      0o755,
    );
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('without --enable-helm, check fails on the chart as kubectl does without the flag', () => {
    const r = spawnSync(bin, ['check', tmp], { encoding: 'utf8' });
    assert.strictEqual(r.status, 1, r.stderr);
    assert.match(r.stdout, /base\/kustomization\.yaml:2:3: error .*chart 'hello': must specify --enable-helm/);
  });

  it('with --enable-helm --helm-command, check passes and build prints the chart through the overlay', () => {
    const stub = path.join(tmp, 'stub-helm');
    const check = spawnSync(bin, ['check', tmp, '--enable-helm', '--helm-command', stub], { encoding: 'utf8' });
    assert.doesNotMatch(check.stdout, /--enable-helm/);
    const build = spawnSync(bin, ['build', tmp, '--env', 'prod', '--enable-helm', '--helm-command', stub], { encoding: 'utf8' });
    assert.strictEqual(build.status, 0, build.stderr);
    assert.strictEqual(
      build.stdout,
      'apiVersion: v1\ndata:\n  greeting: hi\nkind: ConfigMap\nmetadata:\n  name: web-stub\n  namespace: prod\n',
    );
  });

  it('diff --enable-helm renders the chart of a git revision as committed and of the work tree as edited', () => {
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd: tmp, encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
    };
    fs.rmSync(path.join(tmp, '.git'), { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    fs.writeFileSync(path.join(tmp, 'base/charts/hello/values.yaml'), 'greeting: hello\n');
    const r = spawnSync(bin, ['diff', tmp, '--base', 'HEAD', '--enable-helm', '--helm-command', path.join(tmp, 'stub-helm')], {
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /~ changed v1 ConfigMap prod\/web-stub\n[\s\S]*- {2}greeting: hi\n\s+\+ {2}greeting: hello\n/);
  });

  it('says so when helm is not where --helm-command points', () => {
    const r = spawnSync(bin, ['build', tmp, '--env', 'prod', '--enable-helm', '--helm-command', path.join(tmp, 'no-helm')], {
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /helm was not found \(.*no-helm\): install helm or set its path to render chart charts\/hello/);
  });
});
