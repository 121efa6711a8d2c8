// helmCharts with --enable-helm: our renderer and kubectl run the same stub helm (a script this test
// writes, which prints objects describing the arguments it got), so their outputs must be byte-identical;
// and the arguments we give helm are the contract util/helm.ts keeps. helm itself is not needed.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderKustomization } from '../../../server/src/kustomize/render';
import { requireKubectl } from '../kubectl-oracle';

const STUB = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
if (args[0] === 'version') { process.stdout.write('v3.15.4+gfa9efb0\\n'); process.exit(0); }
fs.appendFileSync(process.env.STUB_HELM_LOG, JSON.stringify(args) + '\\n');
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? '' : args[i + 1]; };
const chart = path.basename(args[2]);
if (!fs.existsSync(path.join(args[2], 'Chart.yaml'))) { process.stderr.write('Error: chart not found\\n'); process.exit(1); }
process.stdout.write([
  '---',
  '# Source: ' + chart + '/templates/configmap.yaml',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: ' + args[1] + '-' + chart,
  'data:',
  '  namespace: "' + flag('--namespace') + '"',
  '  includeCrds: "' + args.includes('--include-crds') + '"',
  '  skipTests: "' + args.includes('--skip-tests') + '"',
  '  noHooks: "' + args.includes('--no-hooks') + '"',
  '  kubeVersion: "' + flag('--kube-version') + '"',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: ' + args[1],
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: app',
  '        image: podinfo:6.5.0',
  '',
].join('\\n'));
`;

const files: Record<string, string> = {
  'kustomization.yaml': [
    'namespace: apps',
    'namePrefix: team-',
    'helmGlobals:',
    '  chartHome: vendor',
    'helmCharts:',
    '- name: podinfo',
    '  releaseName: web',
    '  namespace: apps',
    '  includeCRDs: true',
    '  skipHooks: true',
    '  kubeVersion: "1.30"',
    '  valuesInline:',
    '    replicaCount: 2',
    'images:',
    '- name: podinfo',
    '  newTag: 6.7.0',
    '',
  ].join('\n'),
  'vendor/podinfo/Chart.yaml': 'apiVersion: v2\nname: podinfo\nversion: 6.5.0\n',
  'vendor/podinfo/values.yaml': 'replicaCount: 1\n',
};

describe('helmCharts with --enable-helm (a stub helm, against kubectl)', function () {
  this.timeout(60000);
  let dir: string;
  let stub: string;
  let log: string;

  before(function () {
    requireKubectl(this, 'helmCharts differential tests');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-'));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    stub = path.join(dir, 'stub-helm');
    fs.writeFileSync(stub, STUB, { mode: 0o755 });
    log = path.join(dir, 'helm-calls.log');
    process.env.STUB_HELM_LOG = log;
  });

  after(() => {
    delete process.env.STUB_HELM_LOG;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints what kubectl prints, the chart objects transformed by the kustomization', () => {
    const theirs = execFileSync('kubectl', ['kustomize', '--enable-helm', '--helm-command', stub, dir], { encoding: 'utf8' });
    const ours = renderKustomization(dir, { repoRoot: dir, helm: { command: stub } });
    assert.deepStrictEqual(
      ours.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.strictEqual(ours.yaml, theirs);
  });

  it("gives helm template the release, a copy of the chart, the chart's values then valuesInline, and the flags", () => {
    fs.writeFileSync(log, '');
    renderKustomization(dir, { repoRoot: dir, helm: { command: stub } });
    const [call] = fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    // helm reads a temporary copy made from the texts the build read (unsaved buffers, a git revision).
    assert.deepStrictEqual(call.slice(0, 2), ['template', 'web']);
    const copy = path.dirname(path.dirname(call[2]));
    assert.match(copy, /fluxenv-helm-/);
    assert.strictEqual(call[2], `${copy}/charts/podinfo`, 'the chart copy is a folder named after the chart');
    assert.deepStrictEqual(call.slice(3, 5), ['--namespace', 'apps']);
    assert.deepStrictEqual(call.slice(5, 9), ['--values', `${copy}/values/0-values.yaml`, '--values', `${copy}/values/1-inline.yaml`]);
    assert.ok(!fs.existsSync(copy), 'the copy is removed after helm ran');
    assert.deepStrictEqual(call.slice(9), ['--include-crds', '--kube-version', '1.30', '--no-hooks']);
  });

  it('never downloads: a chart missing from the chart home is an error naming where to put it', () => {
    const missing = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-missing-'));
    try {
      fs.writeFileSync(
        path.join(missing, 'kustomization.yaml'),
        'helmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.5.0\n  releaseName: web\n',
      );
      const failed = renderKustomization(missing, { repoRoot: missing, helm: { command: stub } });
      const [problem] = failed.problems.filter((p) => p.severity === 'error');
      assert.match(problem.message, /no chart found at 'charts\/podinfo-6\.5\.0\/podinfo': Flux Environments never downloads charts/);
    } finally {
      fs.rmSync(missing, { recursive: true, force: true });
    }
  });

  it('renders a local chart with the real helm as kubectl does (skipped loudly without helm)', function () {
    if (spawnSync('helm', ['version', '--short'], { stdio: 'ignore' }).status !== 0) {
      // helm is not packaged everywhere (not in Debian): this case skips, loudly, even in CI.
      console.warn('\n*** SKIPPED: helm not found on PATH (real-helm helmCharts comparison) ***\n');
      this.skip();
    }
    const real = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-real-'));
    try {
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(real, rel)), { recursive: true });
        fs.writeFileSync(path.join(real, rel), text);
      };
      write('charts/hello/Chart.yaml', 'apiVersion: v2\nname: hello\nversion: 0.1.0\n');
      write('charts/hello/values.yaml', 'greeting: hi\nreplicas: 1\n');
      write(
        'charts/hello/templates/cm.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hello\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  replicas: {{ .Values.replicas | quote }}\n',
      );
      write('kustomization.yaml', 'helmCharts:\n- name: hello\n  releaseName: web\n  valuesInline:\n    replicas: 3\n');
      const theirs = execFileSync('kubectl', ['kustomize', '--enable-helm', real], { encoding: 'utf8' });
      const ours = renderKustomization(real, { repoRoot: real, helm: { command: 'helm' } });
      assert.strictEqual(ours.yaml, theirs);
    } finally {
      fs.rmSync(real, { recursive: true, force: true });
    }
  });
});
