// `helmCharts:` with helm enabled (kubectl kustomize --enable-helm): kustomize's HelmChartInflationGenerator
// (api/internal/builtins/HelmChartInflationGenerator.go, api/types/helmchartargs.go) over a chart already in
// the chart home (`charts/` by default). Never a download: where kustomize would `helm pull` a missing
// chart, this says to vendor it. Values as kustomize merges them: valuesInline over the values file
// (`valuesMerge: override`, the default), under it (`merge`), or alone (`replace`); helm merges the files
// it is given in order, which is the same. helm itself runs through util/helm.ts.
//
// helm never reads the repository itself: the chart folder and the values files are read through the
// build's file system (so they are files the build read, and an edit of a template re-renders what used it)
// and written to a temporary folder that helm is given. An unsaved template, a git revision's chart and the
// disk are then all rendered as what the build recorded.
import * as path from 'path';
import { runHelmTemplate, withStagedFiles, type HelmRunner } from '../../util/helm';
import { deepCopy, isObject, makeResource } from '../resource';
import type { Json, JsonObject, Origin, Problem, Resource } from '../types';
import { emitYaml } from '../yaml/emit';
import { parseYamlFile, type ParseLimits } from '../yaml/parse';

export interface HelmChartInput {
  /** One `helmCharts` entry (or a HelmChartInflationGenerator config) as written. */
  chart: JsonObject;
  /** The kustomization's `helmGlobals`. */
  globals?: JsonObject;
  /** The helm executable (`--helm-command`). */
  helmCommand: string;
  /** Runs helm (util/helm.ts's runHelmTemplate unless a test stands in for it). */
  run?: HelmRunner;
  /** Where the kustomization asked for the chart, recorded as the origin of every object it renders. */
  origin: Origin;
  /** A path relative to the kustomization, resolved within the load restrictions (or why not); a path of `files`. */
  resolve(rel: string): { path: string; kind: 'file' | 'dir' } | { problem: string };
  /** The build's file system; `read` records the file as read by the build. */
  files: {
    kind(p: string): 'file' | 'dir' | undefined;
    readDir(dir: string): string[];
    read(file: string): string | Uint8Array | undefined;
  };
  parseLimits?: Partial<ParseLimits>;
}

/** Bounds on the chart folder copied for helm: a chart is tens of files, a mistaken chart home may be a whole tree. */
export const CHART_LIMITS = { maxFiles: 2000, maxBytes: 64 * 1024 * 1024, maxDepth: 16 };

type StagedFile = { path: string; content: string | Uint8Array };

/** Every file under the chart folder, as `<stageAs>/<relative path>`, or why it is too large to copy. */
function chartFiles(input: HelmChartInput, dir: string, stageAs: string): StagedFile[] | { problem: string } {
  const out: StagedFile[] = [];
  let bytes = 0;
  const walk = (folder: string, rel: string, depth: number): string | undefined => {
    if (depth > CHART_LIMITS.maxDepth) return `it nests folders deeper than ${CHART_LIMITS.maxDepth}`;
    for (const name of input.files.readDir(folder)) {
      const full = `${folder}/${name}`;
      const relName = rel ? `${rel}/${name}` : name;
      const kind = input.files.kind(full);
      if (kind === 'dir') {
        const deeper = walk(full, relName, depth + 1);
        if (deeper) return deeper;
        continue;
      }
      if (kind !== 'file') continue;
      const content = input.files.read(full);
      if (content === undefined) continue;
      bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
      out.push({ path: `${stageAs}/${relName}`, content });
      if (out.length > CHART_LIMITS.maxFiles) return `it has more than ${CHART_LIMITS.maxFiles} files`;
      if (bytes > CHART_LIMITS.maxBytes) return `it holds more than ${CHART_LIMITS.maxBytes / 1024 / 1024} MiB`;
    }
    return undefined;
  };
  const tooLarge = walk(dir, '', 0);
  return tooLarge ? { problem: tooLarge } : out;
}

const VALUES_MERGE = ['override', 'replace', 'merge'];

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function inflateHelmChart(input: HelmChartInput): { resources: Resource[]; problems: Problem[] } {
  const chart = input.chart;
  const name = text(chart.name);
  const problems: Problem[] = [];
  const fail = (message: string) => {
    problems.push({ code: 'helm-chart', severity: 'error', message, file: input.origin.file, range: input.origin.range });
    return { resources: [], problems };
  };
  if (name === '') return fail('chart name cannot be empty');
  const releaseName = text(chart.releaseName);
  if (releaseName === '') {
    return fail(
      `helm chart '${name}' has no releaseName: kustomize lets helm make up a random one (--generate-name), so the output would change at every render; set releaseName`,
    );
  }
  const valuesMerge = text(chart.valuesMerge) || 'override';
  if (!VALUES_MERGE.includes(valuesMerge)) return fail(`valuesMerge must be one of [${VALUES_MERGE.join(' ')}]`);
  const chartHomeText = text(chart.chartHome) || text(input.globals?.chartHome) || 'charts';
  const chartHome = input.resolve(chartHomeText);
  // kustomize looks for a chart it pulled itself under <name>-<version> when it knows the repository.
  const versioned = text(chart.version) !== '' && text(chart.repo) !== '' ? `${name}-${text(chart.version)}/` : '';
  const chartRel = `${chartHomeText.replace(/\/+$/, '')}/${versioned}${name}`;
  const chartDir = input.resolve(chartRel);
  if ('problem' in chartHome || 'problem' in chartDir || chartDir.kind !== 'dir') {
    return fail(
      `no chart found at '${chartRel}': Flux Environments never downloads charts (kustomize would run 'helm pull'${text(chart.repo) ? ` from ${text(chart.repo)}` : ''}); put the chart in '${chartRel}' to render it`,
    );
  }
  const valuesFileRel = text(chart.valuesFile) || `${chartRel}/values.yaml`;
  const valuesFile = valuesMerge === 'replace' && isObject(chart.valuesInline) ? undefined : input.resolve(valuesFileRel);
  if (valuesFile && ('problem' in valuesFile || valuesFile.kind !== 'file')) {
    return fail(
      `cannot read the values file '${valuesFileRel}' of helm chart '${name}'${'problem' in valuesFile ? `: ${valuesFile.problem}` : ''}`,
    );
  }
  const additionalFiles: string[] = [];
  for (const file of strings(chart.additionalValuesFiles)) {
    const resolved = input.resolve(file);
    if ('problem' in resolved || resolved.kind !== 'file') return fail(`could not load additionalValuesFile '${file}'`);
    additionalFiles.push(resolved.path);
  }
  // Staged as kustomize lays charts out (`<chartHome>/<name>`), so helm sees a folder named after the chart.
  const safeName = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const stagedChart = `charts/${/^\.*$/.test(safeName) ? 'chart' : safeName}`;
  const staged = chartFiles(input, chartDir.path, stagedChart);
  if ('problem' in staged) return fail(`helm chart '${name}' at '${chartRel}' was not rendered: ${staged.problem}`);
  const readValues = (file: string): string | Uint8Array => input.files.read(file) ?? '';
  const valuesStaged: StagedFile[] = [];
  const stageValues = (file: string, content: string | Uint8Array) => {
    const rel = `values/${valuesStaged.length}-${path.posix.basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}`;
    valuesStaged.push({ path: rel, content });
    return rel;
  };
  const inline = isObject(chart.valuesInline) && Object.keys(chart.valuesInline).length > 0 ? chart.valuesInline : undefined;
  const fromFile = valuesFile ? [stageValues(valuesFile.path, readValues(valuesFile.path))] : [];
  const fromInline = inline ? [stageValues('inline.yaml', emitYaml(inline))] : [];
  const ordered = valuesMerge === 'merge' ? [...fromInline, ...fromFile] : [...fromFile, ...fromInline];
  const additional = additionalFiles.map((file) => stageValues(file, readValues(file)));
  const run = input.run ?? runHelmTemplate;
  const outcome = withStagedFiles([...staged, ...valuesStaged], (dir) => {
    const result = run({
      helmPath: input.helmCommand,
      chart: `${dir}/${stagedChart}`,
      releaseName,
      namespace: text(chart.namespace) || undefined,
      valuesFiles: [...ordered, ...additional].map((rel) => `${dir}/${rel}`),
      includeCrds: chart.includeCRDs === true,
      skipTests: chart.skipTests === true,
      kubeVersion: text(chart.kubeVersion) || undefined,
      apiVersions: strings(chart.apiVersions),
      nameTemplate: text(chart.nameTemplate) || undefined,
      noHooks: chart.skipHooks === true,
      cwd: dir,
    });
    // helm's messages name the temporary copy: name the chart where the user keeps it instead.
    return result.ok
      ? result
      : { ...result, message: result.message.split(`${dir}/${stagedChart}`).join(chartRel).split(`${dir}/`).join('') };
  });
  if (!outcome.ok) return fail(outcome.message);

  const parsed = parseYamlFile(`${chartDir.path}#helm-template`, outcome.output, input.parseLimits);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return fail(`helm template printed YAML that cannot be read for chart '${name}': ${errors[0].message}`);
  const resources: Resource[] = [];
  for (const doc of parsed.documents) {
    if (!isObject(doc.value)) continue;
    resources.push(makeResource(deepCopy(doc.value), { file: input.origin.file, documentIndex: -1, generatedBy: input.origin }));
  }
  return { resources, problems };
}
