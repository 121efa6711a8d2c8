// A HelmRelease's chart rendered with `helm template`, when the chart is at hand offline and the user asked for
// it (fluxEnvironments.helm.enabled, trusted workspaces only: the client sends the options only then). Never a
// download: the chart is a folder of this repository (a GitRepository/Bucket/ExternalArtifact source with
// `chart: ./path`), or an archive or folder in the chart cache the user points at (`<name>-<version>.tgz`,
// `<name>-<version>/`, or `<name>/` whose Chart.yaml has a version the release's version range takes). helm
// gets what helm-controller gives it: the release name (spec.releaseName or `[targetNamespace-]name`), the
// namespace (spec.targetNamespace, else the release's), the merged values as one values file, CRDs included
// unless spec.install.crds is Skip, tests skipped (helm-controller does not run them unless spec.test.enable).
// The run itself is util/helm.ts (argument array, no shell, time and output limits).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseRange, parseVersion, compareVersions, satisfies } from '../flux/semver';
import type { HelmRelease } from '../flux/objects';
import { getPath } from '../kustomize/resource';
import type { JsonObject } from '../kustomize/types';
import { runHelmTemplate, type HelmTemplateResult } from '../util/helm';

export interface HelmRenderOptions {
  /** The helm executable (a path, or a name on PATH). */
  helmPath: string;
  /** A folder of chart archives or chart folders. */
  chartCache?: string;
  timeoutMs?: number;
}

export type ChartLocation = { ok: true; chart: string; description: string } | { ok: false; reason: string };

const SOURCE_KINDS_WITH_PATHS = new Set(['GitRepository', 'Bucket', 'ExternalArtifact']);

/** Where the release's chart is on disk, or why it is not at hand. */
export function locateChart(repoRoot: string, release: HelmRelease, chartCache: string | undefined): ChartLocation {
  if (release.chartRef) {
    return {
      ok: false,
      reason: `its chart comes from ${release.chartRef.kind} ${release.chartRef.name} (chartRef), which is not looked up offline yet`,
    };
  }
  const template = release.chart;
  if (!template?.chart) return { ok: false, reason: 'it names no chart' };
  const kind = template.sourceRef?.kind ?? 'HelmRepository';
  if (SOURCE_KINDS_WITH_PATHS.has(kind)) {
    const folder = path.resolve(repoRoot, template.chart);
    if (!folder.startsWith(repoRoot + path.sep) && folder !== repoRoot)
      return { ok: false, reason: `its chart path ${template.chart} leaves the repository` };
    if (!fs.existsSync(path.join(folder, 'Chart.yaml')))
      return { ok: false, reason: `no chart folder ${template.chart} (with a Chart.yaml) in this repository` };
    return { ok: true, chart: folder, description: `chart folder ${path.relative(repoRoot, folder) || '.'} of this repository` };
  }
  if (!chartCache)
    return {
      ok: false,
      reason: `chart ${template.chart} comes from a ${kind}; set fluxEnvironments.helm.chartCache to a folder holding it`,
    };
  return fromCache(chartCache, template.chart, template.version || '*');
}

function fromCache(cache: string, name: string, versionRange: string): ChartLocation {
  let entries: string[];
  try {
    entries = fs.readdirSync(cache);
  } catch {
    return { ok: false, reason: `the chart cache ${cache} cannot be read` };
  }
  const range = parseRange(versionRange);
  const exact = parseVersion(versionRange);
  const accepts = (version: string) => {
    const v = parseVersion(version);
    if (!v) return false;
    if (range.ok) return satisfies(v, range.range);
    return exact !== undefined && compareVersions(v, exact) === 0;
  };
  const candidates: Array<{ version: string; file: string }> = [];
  const prefix = `${name}-`;
  for (const entry of entries) {
    const full = path.join(cache, entry);
    if (entry.startsWith(prefix)) {
      const version = entry.slice(prefix.length).replace(/\.tgz$/, '');
      if (accepts(version)) candidates.push({ version, file: full });
    } else if (entry === name && fs.existsSync(path.join(full, 'Chart.yaml'))) {
      const version = /^version:\s*["']?([^"'\s]+)/m.exec(fs.readFileSync(path.join(full, 'Chart.yaml'), 'utf8'))?.[1];
      if (version && accepts(version)) candidates.push({ version, file: full });
    }
  }
  if (candidates.length === 0) return { ok: false, reason: `no chart ${name} ${versionRange} in the chart cache ${cache}` };
  candidates.sort((a, b) => compareVersions(parseVersion(b.version)!, parseVersion(a.version)!));
  return { ok: true, chart: candidates[0].file, description: `chart ${name} ${candidates[0].version} from the chart cache` };
}

export interface ChartRender {
  /** The objects helm printed, or undefined when it did not run or failed. */
  output?: string;
  /** What happened, in one line, for the top of the preview: never a diagnostic. */
  note: string;
  args?: string[];
}

const renders = new Map<string, ChartRender>();
const MAX_REMEMBERED = 64;

/** Renders the release's chart with its merged values (remembered by chart, values and options). */
export function renderChart(repoRoot: string, release: HelmRelease, values: JsonObject, options: HelmRenderOptions): ChartRender {
  const located = locateChart(repoRoot, release, options.chartCache);
  if (!located.ok) return { note: `The chart is not rendered: ${located.reason}. Nothing is downloaded.` };
  const namespace = release.targetNamespace ?? release.namespace;
  const skipCrds = getPath(release.object, ['spec', 'install', 'crds']) === 'Skip';
  const valuesText = JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const key = JSON.stringify([located.chart, chartStamp(located.chart), release.releaseName, namespace, skipCrds, valuesText, options]);
  const known = renders.get(key);
  if (known) return known;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-helm-'));
  let result: HelmTemplateResult;
  try {
    const valuesFile = path.join(folder, 'values.json');
    fs.writeFileSync(valuesFile, valuesText);
    result = runHelmTemplate({
      helmPath: options.helmPath || 'helm',
      chart: located.chart,
      releaseName: release.releaseName,
      namespace,
      valuesFiles: [valuesFile],
      includeCrds: !skipCrds,
      skipTests: true,
      timeoutMs: options.timeoutMs ?? 20_000,
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  const render: ChartRender = result.ok
    ? { output: result.output, note: `Rendered by helm template from the ${located.description}.`, args: result.args }
    : { note: `The chart is not rendered: ${result.message}`, args: result.args };
  if (renders.size >= MAX_REMEMBERED) renders.delete(renders.keys().next().value as string);
  renders.set(key, render);
  return render;
}

/** Changes when the chart on disk changes (its newest modification time), so an edited chart renders again. */
function chartStamp(chart: string): number {
  let newest = 0;
  const pending = [chart];
  for (let visits = 0; pending.length > 0 && visits < 2000; visits++) {
    const entry = pending.pop()!;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(entry);
    } catch {
      continue;
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry)) pending.push(path.join(entry, child));
  }
  return newest;
}
