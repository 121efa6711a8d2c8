// helmCharts with helm enabled, with an in-process stand-in for helm (no program starts): what helm is
// given (a copy of the chart and values made from the build's own file system), what the build records as
// read (so an edit of a chart template invalidates the cached build), and what the user reads when it fails.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { BuildCache } from '../../../server/src/kustomize/buildCache';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';
import type { HelmRunner, HelmTemplateRequest } from '../../../server/src/util/helm';

const REPO = '/repo';

const FILES: Record<string, string> = {
  '/repo/.git/HEAD': 'ref: refs/heads/main\n',
  '/repo/app/kustomization.yaml': [
    'namespace: shop',
    'helmCharts:',
    '- name: hello',
    '  releaseName: web',
    '  valuesInline:',
    '    greeting: inline',
    '',
  ].join('\n'),
  '/repo/app/charts/hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
  '/repo/app/charts/hello/values.yaml': 'greeting: from-chart\n',
  '/repo/app/charts/hello/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: RELEASE-hello\ndata:\n  greeting: GREETING\n',
};

/**
 * A stand-in for `helm template` that reads what it was given from disk, as helm would: each template with
 * RELEASE replaced by the release name and GREETING by the last values file's greeting.
 */
function stubHelm(calls: HelmTemplateRequest[]): HelmRunner {
  return (request) => {
    calls.push(request);
    const greeting = (request.valuesFiles ?? [])
      .map((file) => /greeting: (\S+)/.exec(fs.readFileSync(file, 'utf8'))?.[1])
      .filter((g): g is string => g !== undefined)
      .pop();
    const templates = path.join(request.chart, 'templates');
    const output = fs
      .readdirSync(templates)
      .map((name) => fs.readFileSync(path.join(templates, name), 'utf8'))
      .map((text) => `---\n${text.replace('RELEASE', request.releaseName).replace('GREETING', greeting ?? '')}`)
      .join('');
    return { ok: true, output, args: [] };
  };
}

describe('helmCharts with helm enabled (helm stood in for)', () => {
  it('gives helm a copy of the chart and values as the build reads them, and transforms what it prints', () => {
    const calls: HelmTemplateRequest[] = [];
    const out = renderKustomization('/repo/app', {
      fs: memoryFileSystem(FILES),
      repoRoot: REPO,
      helm: { command: 'helm', run: stubHelm(calls) },
    });
    assert.deepStrictEqual(out.problems, []);
    assert.strictEqual(
      out.yaml,
      'apiVersion: v1\ndata:\n  greeting: inline\nkind: ConfigMap\nmetadata:\n  name: web-hello\n  namespace: shop\n',
    );
    assert.strictEqual(calls.length, 1);
    assert.strictEqual(path.basename(calls[0].chart), 'hello', 'the copy is a folder named after the chart');
    assert.strictEqual(calls[0].valuesFiles?.length, 2, "the chart's values.yaml, then valuesInline");
    assert.ok(!fs.existsSync(calls[0].chart), 'the copy is removed after helm ran');
    for (const file of ['Chart.yaml', 'values.yaml', 'templates/cm.yaml']) {
      assert.ok(out.filesRead.has(`/repo/app/charts/hello/${file}`), `${file} is read by the build`);
    }
  });

  it('renders an unsaved template, not the disk: helm reads what the build read', () => {
    const calls: HelmTemplateRequest[] = [];
    const edited = {
      ...FILES,
      '/repo/app/charts/hello/templates/cm.yaml': FILES['/repo/app/charts/hello/templates/cm.yaml'].replace('greeting', 'message'),
    };
    const out = renderKustomization('/repo/app', {
      fs: memoryFileSystem(edited),
      repoRoot: REPO,
      helm: { command: 'helm', run: stubHelm(calls) },
    });
    assert.match(out.yaml ?? '', /message: inline/);
  });

  it('runs helm again only when a file of the chart changed (the cached build read them all)', () => {
    const calls: HelmTemplateRequest[] = [];
    const cache = new BuildCache();
    const helm = { command: 'helm', run: stubHelm(calls) };
    renderKustomization('/repo/app', { fs: memoryFileSystem(FILES), repoRoot: REPO, helm, cache });
    renderKustomization('/repo/app', { fs: memoryFileSystem(FILES), repoRoot: REPO, helm, cache });
    assert.strictEqual(calls.length, 1, 'unchanged chart: the cached build');
    const edited = {
      ...FILES,
      '/repo/app/charts/hello/templates/cm.yaml': FILES['/repo/app/charts/hello/templates/cm.yaml'] + '  extra: "1"\n',
    };
    const again = renderKustomization('/repo/app', { fs: memoryFileSystem(edited), repoRoot: REPO, helm, cache });
    assert.strictEqual(calls.length, 2, 'a template edited: helm runs again');
    assert.match(again.yaml ?? '', /extra: "1"/);
  });

  it("names the chart where the user keeps it when helm fails, not helm's temporary copy", () => {
    const failing: HelmRunner = (request) => ({
      ok: false,
      message: `helm template failed for chart ${request.chart} (exit 1): Error: parse error in "${request.chart}/templates/cm.yaml"`,
      args: [],
    });
    const out = renderKustomization('/repo/app', { fs: memoryFileSystem(FILES), repoRoot: REPO, helm: { command: 'helm', run: failing } });
    assert.strictEqual(out.yaml, undefined);
    assert.deepStrictEqual(
      out.problems.map((p) => [p.code, p.file, p.message]),
      [
        [
          'helm-chart',
          '/repo/app/kustomization.yaml',
          'helm template failed for chart charts/hello (exit 1): Error: parse error in "charts/hello/templates/cm.yaml"',
        ],
      ],
    );
  });

  it('refuses a chart folder too large to copy, saying why', () => {
    const huge: Record<string, string> = { ...FILES };
    for (let i = 0; i <= 2000; i++) huge[`/repo/app/charts/hello/files/f${i}.txt`] = 'x';
    const calls: HelmTemplateRequest[] = [];
    const out = renderKustomization('/repo/app', {
      fs: memoryFileSystem(huge),
      repoRoot: REPO,
      helm: { command: 'helm', run: stubHelm(calls) },
    });
    assert.strictEqual(calls.length, 0);
    assert.match(out.problems[0]?.message ?? '', /helm chart 'hello' at 'charts\/hello' was not rendered: it has more than 2000 files/);
  });

  it('without helm enabled, reports the chart and the missing --enable-helm as kubectl does, and runs nothing', () => {
    const out = renderKustomization('/repo/app', { fs: memoryFileSystem(FILES), repoRoot: REPO });
    assert.strictEqual(out.yaml, undefined);
    assert.strictEqual(out.problems[0]?.code, 'helm-not-enabled');
    assert.match(out.problems[0].message, /HelmChartInflationGenerator for chart 'hello': must specify --enable-helm/);
  });
});
