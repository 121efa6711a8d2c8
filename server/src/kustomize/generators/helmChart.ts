// `helmCharts:` with helm enabled (kubectl kustomize --enable-helm): kustomize's HelmChartInflationGenerator
// (api/internal/builtins/HelmChartInflationGenerator.go, api/types/helmchartargs.go) over a chart already in
// the chart home (`charts/` by default). Never a download: where kustomize would `helm pull` a missing
// chart, this says to vendor it. Values as kustomize merges them: valuesInline over the values file
// (`valuesMerge: override`, the default), under it (`merge`), or alone (`replace`); helm merges the files
// it is given in order, which is the same. helm itself runs through util/helm.ts.
import * as path from 'path';
import { runHelmTemplate, withTemporaryValuesFile } from '../../util/helm';
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
  /** Where the kustomization asked for the chart, recorded as the origin of every object it renders. */
  origin: Origin;
  /** A path relative to the kustomization, resolved within the load restrictions (or why not). */
  resolve(rel: string): { path: string; kind: 'file' | 'dir' } | { problem: string };
  parseLimits?: Partial<ParseLimits>;
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
  const additional: string[] = [];
  for (const file of strings(chart.additionalValuesFiles)) {
    const resolved = input.resolve(file);
    if ('problem' in resolved || resolved.kind !== 'file') return fail(`could not load additionalValuesFile '${file}'`);
    additional.push(resolved.path);
  }
  const run = (inlineFile: string | undefined) => {
    const files = inlineFile
      ? valuesMerge === 'merge'
        ? [inlineFile, ...(valuesFile ? [valuesFile.path] : [])]
        : [...(valuesFile ? [valuesFile.path] : []), inlineFile]
      : valuesFile
        ? [valuesFile.path]
        : [];
    return runHelmTemplate({
      helmPath: input.helmCommand,
      chart: chartDir.path,
      releaseName,
      namespace: text(chart.namespace) || undefined,
      valuesFiles: [...files, ...additional],
      includeCrds: chart.includeCRDs === true,
      skipTests: chart.skipTests === true,
      kubeVersion: text(chart.kubeVersion) || undefined,
      apiVersions: strings(chart.apiVersions),
      nameTemplate: text(chart.nameTemplate) || undefined,
      noHooks: chart.skipHooks === true,
      cwd: path.posix.dirname(input.origin.file),
    });
  };
  const inline = isObject(chart.valuesInline) && Object.keys(chart.valuesInline).length > 0 ? chart.valuesInline : undefined;
  const outcome = inline ? withTemporaryValuesFile(emitYaml(inline), run) : run(undefined);
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
