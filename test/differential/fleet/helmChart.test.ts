// Charts rendered where they are at hand (fleet/helmChart.ts through the values preview and Compare): the helm
// invocation contract checked with a stand-in helm that records its arguments and the values file it was
// given, and, when a real helm is on PATH, a real chart of the repository. helm is never asked to download.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareEnvironments } from '../../../server/src/features/compare';
import { fileUri } from '../../../server/src/features/diagnostics';
import { preview } from '../../../server/src/features/preview';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import type { RenderTarget } from '../../../server/src/protocol';

const STUB = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
const valuesFile = args[args.indexOf('--values') + 1];
fs.writeFileSync(process.env.FLUXENV_HELM_RECORD, JSON.stringify({ args, values: JSON.parse(fs.readFileSync(valuesFile, 'utf8')) }));
process.stdout.write('---\\n# Source: web/templates/cm.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ' + args[1] + '\\n---\\n# Source: web/templates/secret.yaml\\napiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: creds\\nstringData:\\n  password: hunter2\\n');
`;

const ks = (env: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
const release = (chart: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  targetNamespace: web
  chart:
    spec:
${chart}  values:
    replicas: 1
`;
const IN_REPO =
  '      chart: ./charts/web\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n';
const FROM_REPOSITORY = '      chart: web\n      version: 1.2.x\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n';

function writeFleet(root: string, chart: string): void {
  const files: Record<string, string> = {
    'clusters/staging/apps.yaml': ks('staging'),
    'clusters/production/apps.yaml': ks('production'),
    'apps/base/kustomization.yaml': 'resources:\n- release.yaml\n',
    'apps/base/release.yaml': release(chart),
    'apps/staging/kustomization.yaml': 'resources:\n- ../base\n',
    'apps/production/kustomization.yaml':
      'resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: helm.toolkit.fluxcd.io/v2\n    kind: HelmRelease\n    metadata:\n      name: web\n      namespace: apps\n    spec:\n      values:\n        replicas: 3\n',
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

describe('HelmRelease charts rendered with helm template', () => {
  let root: string;
  let tools: string;
  let record: string;
  let stub: string;
  let index: FleetIndex;
  const target = (environment: string): RenderTarget => ({
    kind: 'helmReleaseValues',
    uri: fileUri(path.join(root, 'apps/base/release.yaml')),
    documentIndex: 0,
    environment,
  });
  const recorded = () => JSON.parse(fs.readFileSync(record, 'utf8')) as { args: string[]; values: unknown };

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-fleet-')));
    tools = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-tools-'));
    record = path.join(tools, 'record.json');
    stub = path.join(tools, 'helm');
    fs.writeFileSync(stub, STUB, { mode: 0o755 });
    process.env.FLUXENV_HELM_RECORD = record;
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(tools, { recursive: true, force: true });
    delete process.env.FLUXENV_HELM_RECORD;
  });
  const open = (chart: string) => {
    writeFleet(root, chart);
    index = new FleetIndex(root);
    index.scan();
  };

  it('runs helm template on the chart folder of the repository as helm-controller would: release name, target namespace, merged values', () => {
    open(IN_REPO);
    const result = preview(index, { target: target('production'), helm: { path: stub } });
    const { args, values } = recorded();
    assert.deepStrictEqual(args.slice(0, 5), ['template', 'web-web', path.join(root, 'charts/web'), '--namespace', 'web']);
    assert.strictEqual(args[5], '--values');
    assert.deepStrictEqual(args.slice(7), ['--include-crds', '--skip-tests']);
    assert.deepStrictEqual(values, { replicas: 3 }, 'the merged values of production, the patch included');
    assert.ok(!fs.existsSync(args[6]), 'the values file is removed after the run');
    assert.match(
      result.yaml,
      /\n---\n# Rendered by helm template from the chart folder charts\/web of this repository\.\n---\n# Source: web\/templates\/cm\.yaml\n/,
    );
    assert.match(result.yaml, /name: web-web\n/);
    assert.match(result.yaml, /password: \*\*\*/, 'Secrets helm prints are masked');
    assert.doesNotMatch(result.yaml, /hunter2/);
    assert.deepStrictEqual(result.problems, [], 'never a diagnostic');
  });

  it('takes the highest cached version the version range accepts, and never runs helm without a chart at hand', () => {
    open(FROM_REPOSITORY);
    const noCache = preview(index, { target: target('staging'), helm: { path: stub } });
    assert.match(
      noCache.yaml,
      /# The chart is not rendered: chart web comes from a HelmRepository; set fluxEnvironments\.helm\.chartCache to a folder holding it\. Nothing is downloaded\.\n/,
    );
    assert.ok(!fs.existsSync(record), 'helm did not run');
    const cache = path.join(tools, 'cache');
    fs.mkdirSync(cache);
    for (const name of ['web-1.2.0.tgz', 'web-1.2.3.tgz', 'web-1.3.0.tgz', 'other-1.2.9.tgz']) fs.writeFileSync(path.join(cache, name), '');
    preview(index, { target: target('staging'), helm: { path: stub, chartCache: cache } });
    assert.strictEqual(recorded().args[2], path.join(cache, 'web-1.2.3.tgz'));
  });

  it('finds a chartRef OCIRepository chart in the cache by the last segment of its URL and its semver range', () => {
    open(IN_REPO);
    fs.writeFileSync(
      path.join(root, 'apps/base/release.yaml'),
      release('').replace('  chart:\n    spec:\n', '  chartRef:\n    kind: OCIRepository\n    name: web\n'),
    );
    fs.writeFileSync(
      path.join(root, 'apps/base/oci.yaml'),
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  interval: 10m\n  url: oci://ghcr.io/example/charts/web\n  ref:\n    semver: ">=1.0.0 <1.3.0"\n',
    );
    fs.writeFileSync(path.join(root, 'apps/base/kustomization.yaml'), 'resources:\n- release.yaml\n- oci.yaml\n');
    index = new FleetIndex(root);
    index.scan();
    const cache = path.join(tools, 'cache');
    fs.mkdirSync(cache);
    for (const name of ['web-1.2.3.tgz', 'web-1.3.0.tgz']) fs.writeFileSync(path.join(cache, name), '');
    const result = preview(index, { target: target('staging'), helm: { path: stub, chartCache: cache } });
    assert.strictEqual(recorded().args[2], path.join(cache, 'web-1.2.3.tgz'));
    assert.match(result.yaml, /# Rendered by helm template from the chart web 1\.2\.3 from the chart cache\.\n/);
  });

  it('says once in the preview when helm is missing, without a diagnostic', () => {
    open(IN_REPO);
    const result = preview(index, { target: target('staging'), helm: { path: path.join(tools, 'no-helm') } });
    assert.match(
      result.yaml,
      /# The chart is not rendered: helm was not found \(.*no-helm\): install helm or set its path to render chart .*charts\/web\.\n/,
    );
    assert.deepStrictEqual(result.problems, []);
  });

  it('shows the chart objects of both environments in Compare', () => {
    open(IN_REPO);
    const compared = compareEnvironments(index, { left: 'staging', right: 'production', helm: { path: stub } });
    assert.match(compared.leftYaml, /# HelmRelease apps\/web: chart objects\n# Rendered by helm template/);
    assert.match(compared.rightYaml, /# HelmRelease apps\/web: chart objects\n# Rendered by helm template/);
    const plain = compareEnvironments(index, { left: 'staging', right: 'production' });
    assert.doesNotMatch(plain.leftYaml, /chart objects/, 'without helm settings, helm never runs');
  });

  it('renders a real chart of the repository with a real helm (skipped, loudly, when helm is not on PATH)', function () {
    let helm: string | undefined;
    try {
      execFileSync('helm', ['version', '--short'], { stdio: 'ignore' });
      helm = 'helm';
    } catch {
      console.warn('    SKIPPED: helm is not on PATH; the real-chart test did not run (install helm to run it).');
      this.skip();
    }
    open(IN_REPO);
    const result = preview(index, { target: target('production'), helm: { path: helm! } });
    assert.match(result.yaml, /# Source: web\/templates\/cm\.yaml\n/);
    assert.match(result.yaml, /name: web-web\n {2}namespace: web\ndata:\n {2}replicas: "3"\n/);
  });
});
