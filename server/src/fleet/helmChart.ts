// A HelmRelease's chart rendered with `helm template`, when the chart is at hand offline and the user asked for
// it (fluxEnvironments.helm.enabled, trusted workspaces only: the client sends the options only then). Never a
// download: the chart is a folder of this repository (a GitRepository/Bucket/ExternalArtifact source with
// `chart: ./path`), or an archive or folder in the chart cache the user points at (`<name>-<version>.tgz`,
// `<name>-<version>/`, or `<name>/` whose Chart.yaml has a version the release's version range takes; for a
// chartRef OCIRepository, the last segment of its URL at its tag or semver range, for a chartRef HelmChart, its
// chart and version). helm
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

/** A source object (OCIRepository, HelmChart) of the release's environment, by kind, namespace and name. */
export type FindSource = (kind: string, namespace: string, name: string) => JsonObject | undefined;

/** Where the release's chart is on disk, or why it is not at hand. */
export function locateChart(
  repoRoot: string,
  release: HelmRelease,
  chartCache: string | undefined,
  findSource?: FindSource,
): ChartLocation {
  if (release.chartRef) return locateChartRef(repoRoot, release, chartCache, findSource);
  const template = release.chart;
  if (!template?.chart) return { ok: false, reason: 'it names no chart' };
  return locateTemplate(repoRoot, template.chart, template.version, template.sourceRef?.kind ?? 'HelmRepository', chartCache);
}

/**
 * chartRef: an OCIRepository holds one chart, named by the last segment of its URL, at `ref.tag` or in the
 * `ref.semver` range (a digest cannot be matched offline); a HelmChart is a chart template of its own.
 */
function locateChartRef(repoRoot: string, release: HelmRelease, chartCache: string | undefined, findSource?: FindSource): ChartLocation {
  const ref = release.chartRef!;
  const source = findSource?.(ref.kind, ref.namespace, ref.name);
  if (!source) return { ok: false, reason: `its chartRef ${ref.kind} ${ref.namespace}/${ref.name} is not in this environment` };
  if (ref.kind === 'HelmChart') {
    const chart = getPath(source, ['spec', 'chart']);
    const version = getPath(source, ['spec', 'version']);
    const kind = getPath(source, ['spec', 'sourceRef', 'kind']);
    if (typeof chart !== 'string') return { ok: false, reason: `HelmChart ${ref.name} names no chart` };
    return locateTemplate(
      repoRoot,
      chart,
      typeof version === 'string' ? version : '*',
      typeof kind === 'string' ? kind : 'HelmRepository',
      chartCache,
    );
  }
  const url = getPath(source, ['spec', 'url']);
  if (typeof url !== 'string' || url === '') return { ok: false, reason: `${ref.kind} ${ref.name} has no spec.url` };
  const name = url.replace(/\/+$/, '').split('/').pop() ?? '';
  const tag = getPath(source, ['spec', 'ref', 'tag']);
  const semver = getPath(source, ['spec', 'ref', 'semver']);
  const version = typeof semver === 'string' ? semver : typeof tag === 'string' ? tag : 'latest';
  if (!chartCache)
    return {
      ok: false,
      reason: `chart ${name} comes from ${ref.kind} ${ref.name}; set fluxEnvironments.helm.chartCache to a folder holding it`,
    };
  if (version === 'latest') return { ok: false, reason: `${ref.kind} ${ref.name} follows the latest tag, which cannot be matched offline` };
  return fromCache(chartCache, name, version);
}

function locateTemplate(repoRoot: string, chart: string, version: string, kind: string, chartCache: string | undefined): ChartLocation {
  const template = { chart, version };
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
export function renderChart(
  repoRoot: string,
  release: HelmRelease,
  values: JsonObject,
  options: HelmRenderOptions,
  findSource?: FindSource,
): ChartRender {
  const located = locateChart(repoRoot, release, options.chartCache, findSource);
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

/** The sources an environment applies, for chartRef lookups. */
export function sourcesIn(objects: ReadonlyArray<{ object: JsonObject }>): FindSource {
  return (kind, namespace, name) =>
    objects.find((o) => {
      const meta = o.object.metadata as JsonObject | undefined;
      return o.object.kind === kind && meta?.name === name && ((meta?.namespace as string | undefined) ?? 'default') === namespace;
    })?.object;
}
