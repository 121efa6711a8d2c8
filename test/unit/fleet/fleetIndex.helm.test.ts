// The index's folder builds with helm enabled (the editor's fluxEnvironments.helm.enabled in a trusted
// workspace, the CLI's --enable-helm), with an in-process stand-in for helm: previews, overlay environments
// and diagnostics render helmCharts; an edit of a chart template renders again; Flux Kustomizations keep
// kustomize-controller's error, since it never runs helm; without the setting, nothing changes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import type { FileSystem } from '../../../server/src/kustomize/fs';
import { runRules } from '../../../server/src/rules/run';
import type { HelmRunner } from '../../../server/src/util/helm';

const ROOT = '/repo';
const abs = (rel: string) => `${ROOT}/${rel}`;

function mutableFileSystem(files: Map<string, string>): FileSystem {
  const dirEntries = (dir: string) => {
    const out = new Set<string>();
    const prefix = dir === '/' ? '/' : `${dir}/`;
    for (const f of files.keys()) if (f.startsWith(prefix)) out.add(f.slice(prefix.length).split('/')[0]);
    return [...out].sort();
  };
  return {
    readFile: (f) => files.get(f),
    kind: (p) => (files.has(p) ? 'file' : dirEntries(p).length > 0 ? 'dir' : undefined),
    readDir: (d) => dirEntries(d),
    realPath: (p) => p,
  };
}

const TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: RELEASE-hello\ndata:\n  greeting: hi\n';

const KUSTOMIZATION_HEAD = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

const FLEET: Record<string, string> = {
  'apps/base/kustomization.yaml': 'helmCharts:\n- name: hello\n  releaseName: web\n',
  'apps/base/charts/hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
  'apps/base/charts/hello/values.yaml': '{}\n',
  'apps/base/charts/hello/templates/cm.yaml': TEMPLATE,
  // apiVersion and kind: kustomize-controller keeps this file as written, the case where a Flux build may
  // reuse the folder's preview render, which with helm enabled it must not.
  'apps/staging/kustomization.yaml': `${KUSTOMIZATION_HEAD}namespace: staging\nresources:\n- ../base\n`,
};

const FLUX_CLUSTER: Record<string, string> = {
  'clusters/prod/apps.yaml':
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/staging\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
};

/** Prints the chart's templates with RELEASE replaced, read from the copy helm is given; counts its runs. */
function stubHelm(): { run: HelmRunner; runs: number } {
  const stub = {
    runs: 0,
    run: ((request) => {
      stub.runs++;
      const templates = path.join(request.chart, 'templates');
      const output = fs
        .readdirSync(templates)
        .map((name) => `---\n${fs.readFileSync(path.join(templates, name), 'utf8').replace('RELEASE', request.releaseName)}`)
        .join('');
      return { ok: true, output, args: [] };
    }) as HelmRunner,
  };
  return stub;
}

function openIndex(files: Record<string, string>, helm?: HelmRunner): FleetIndex {
  const disk = new Map(Object.entries(files).map(([rel, text]) => [abs(rel), text]));
  const index = new FleetIndex(ROOT, helm ? { helm: { command: 'helm', run: helm } } : {}, mutableFileSystem(disk));
  for (const f of disk.keys()) index.diskCreated(f);
  return index;
}

const messages = (index: FleetIndex) => runRules(index).diagnostics.map((d) => d.message);

describe('FleetIndex with helm enabled for helmCharts (helm stood in for)', () => {
  it('without the setting, previews and diagnostics report the chart as kubectl does without --enable-helm', () => {
    const index = openIndex(FLEET);
    const folder = index.renderFolder(abs('apps/staging'));
    assert.strictEqual(folder.yaml, undefined);
    assert.ok(folder.problems.some((p) => p.code === 'helm-not-enabled'));
    assert.ok(messages(index).some((m) => /chart 'hello': must specify --enable-helm/.test(m)));
  });

  it('with it, the folder preview, the overlay environment and the diagnostics render the chart', () => {
    const helm = stubHelm();
    const index = openIndex(FLEET, helm.run);
    assert.match(index.renderFolder(abs('apps/staging')).yaml ?? '', /name: web-hello\n {2}namespace: staging/);
    const staging = index.environments().environments.find((e) => e.name === 'staging');
    assert.ok(staging, 'the overlay folder apps/staging is an environment');
    const objects = index.renderEnvironment(staging).objects.map((o) => o.object.metadata);
    assert.deepStrictEqual(objects, [{ name: 'web-hello', namespace: 'staging' }]);
    assert.ok(!messages(index).some((m) => /--enable-helm/.test(m)), 'no helm-not-enabled diagnostic');
  });

  it('renders an edited chart template again, and only then', () => {
    const helm = stubHelm();
    const index = openIndex(FLEET, helm.run);
    index.renderFolder(abs('apps/staging'));
    const before = helm.runs;
    index.setBuffer(
      abs('apps/staging/kustomization.yaml'),
      `${KUSTOMIZATION_HEAD}namespace: staging\nresources:\n- ../base\ncommonLabels:\n  team: a\n`,
    );
    index.renderFolder(abs('apps/staging'));
    assert.strictEqual(helm.runs, before, 'an edit outside the chart reuses the base build');
    index.setBuffer(abs('apps/base/charts/hello/templates/cm.yaml'), TEMPLATE.replace('greeting: hi', 'greeting: hello'));
    assert.match(index.renderFolder(abs('apps/staging')).yaml ?? '', /greeting: hello/, 'the unsaved template is rendered');
    assert.strictEqual(helm.runs, before + 1);
  });

  it("keeps a Flux Kustomization's error: kustomize-controller never runs helm", () => {
    const helm = stubHelm();
    const index = openIndex({ ...FLEET, ...FLUX_CLUSTER }, helm.run);
    assert.match(index.renderFolder(abs('apps/staging')).yaml ?? '', /web-hello/, 'the folder preview renders the chart');
    const apps = index.fluxObjects().list.find((o) => o.object.kind === 'Kustomization');
    assert.ok(apps);
    const flux = index.renderFluxKustomization(apps);
    assert.ok(
      flux?.problems.some((p) => p.code === 'helm-not-enabled'),
      'the Flux build fails on helmCharts as on the cluster',
    );
    assert.ok(!flux?.resources.some((r) => r.object.kind === 'ConfigMap'));
    const reported = runRules(index).diagnostics.filter((d) => /must specify --enable-helm/.test(d.message));
    assert.deepStrictEqual(
      reported.map((d) => [d.rule, d.file, d.message]),
      [
        [
          'render-error',
          abs('apps/base/kustomization.yaml'),
          "Flux's build of Kustomization flux-system/apps fails: trouble configuring builtin HelmChartInflationGenerator for chart 'hello': must specify --enable-helm (kubectl kustomize --enable-helm); Flux renders charts with a HelmRelease instead. helm is enabled for folder previews, but kustomize-controller never runs helm: render the chart with a HelmRelease.",
        ],
      ],
      'the diagnostics say the cluster would fail, once, where the chart is written',
    );
  });
});
