// "Preview HelmRelease Values": the values a HelmRelease of an environment installs its chart with, merged as
// helm-controller merges them (fleet/helmReleaseValues.ts), as a read-only YAML document (keys sorted, as
// `helm get values` prints them), with a header listing the sources in the order they merge. Hover and
// go-to on a value name its source: the valuesFrom entry (the ConfigMap or Secret, its key, and the line of
// the values file a generator read it from) or spec.values (the line of the release, or the patch that set
// it). Values from Secrets are masked unless revealed. Reads the index's cached environment render only.
import * as path from 'path';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import type { FleetIndex } from '../fleet/fleetIndex';
import { helmReleaseValues, type ReleaseValues } from '../fleet/helmReleaseValues';
import { maskedValues, valuesProblems, type ValuesFromOutcome } from '../flux/helmValues';
import { getPath, isObject, originAt } from '../kustomize/resource';
import type { Range } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import type { ParsedDocument } from '../kustomize/yaml/parse';
import type { HelmRenderSettings, LspLocation, OriginResult, RenderResult, RenderTarget } from '../protocol';
import { renderChart, sourcesIn } from '../fleet/helmChart';
import { fileOfUri } from './cursor';
import { fileUri } from './diagnostics';
import { pathAtLine } from './previewPath';
import { indexOfFile, MASK, relativeName, ZERO_RANGE, type Indexes } from './renderedText';

export type ValuesTarget = Extract<RenderTarget, { kind: 'helmReleaseValues' }>;

interface ValuesModel {
  index: FleetIndex;
  release: ReleaseValues;
  /** The whole text: header comments, then the values. */
  text: string;
  /** Line where the values start, and the line after them. */
  valuesLine: number;
  valuesEnd: number;
}

/** The HelmRelease a target names, as the target's environment applies it. */
function releaseOf(indexes: Indexes, target: ValuesTarget): { index: FleetIndex; release: ReleaseValues } | undefined {
  const file = fileOfUri(target.uri);
  const index = file ? indexOfFile(indexes, file) : undefined;
  if (!file || !index) return undefined;
  const env = index.environment(target.environment);
  if (!env) return undefined;
  const release = helmReleaseValues(index.renderEnvironment(env)).find(
    (r) => r.rendered.resource.source.file === file && r.rendered.resource.source.documentIndex === target.documentIndex,
  );
  return release ? { index, release } : undefined;
}

function describeEntry(index: FleetIndex, entry: ValuesFromOutcome): string {
  const { ref } = entry;
  const name = entry.found ? String(getPath(entry.found.object, ['metadata', 'name']) ?? ref.name) : ref.name;
  const key = ref.targetPath ? `key ${ref.valuesKey} at ${ref.targetPath}${ref.literal ? ' (literal)' : ''}` : `key ${ref.valuesKey}`;
  const where = entry.found?.file ? ` (${relativeName(index, entry.found.file)})` : '';
  const status =
    entry.status === 'merged'
      ? ''
      : entry.status === 'produced-elsewhere'
        ? ` - made on the cluster by ${entry.producer}: not known here`
        : entry.status === 'encrypted'
          ? ' - SOPS-encrypted: known only on the cluster'
          : ref.optional
            ? ' - skipped (optional)'
            : ' - FAILS the release';
  return `valuesFrom[${entry.index}] ${ref.kind} ${name}, ${key}${where}${status}`;
}

function model(indexes: Indexes, target: ValuesTarget, reveal: boolean, helm?: HelmRenderSettings): ValuesModel | undefined {
  const found = releaseOf(indexes, target);
  if (!found) return undefined;
  const { index, release } = found;
  const r = release.release;
  const chart = r.chart
    ? `chart ${r.chart.chart ?? '?'}${r.chart.version && r.chart.version !== '*' ? ` ${r.chart.version}` : ''}`
    : r.chartRef
      ? `chartRef ${r.chartRef.kind} ${r.chartRef.name}`
      : 'no chart';
  const header = [
    `# HelmRelease ${r.namespace}/${r.name} in environment ${target.environment} (${chart}, release ${r.releaseName})`,
    '# Values as helm-controller merges them, later over earlier:',
    ...release.values.entries.map((e, i) => `#   ${i + 1}. ${describeEntry(index, e)}`),
    `#   ${release.values.entries.length + 1}. spec.values (${relativeName(index, r.place.file)})`,
  ];
  if (!release.values.ok) header.push(`# helm-controller fails this release: ${release.values.failure}`);
  const versions = chartVersionsByEnvironment(index, release);
  if (new Set(versions.map((v) => v.version)).size > 1)
    header.push(
      `# Chart version per environment: ${versions.map((v) => `${v.environment} ${v.version}`).join(', ')}; a promotion candidate (Promote to Production… moves it), not a problem.`,
    );
  const values = maskedValues(release.values, reveal, MASK);
  const body = Object.keys(values).length === 0 ? '{}\n' : emitYaml(values);
  const valuesEnd = header.length + body.split('\n').length - 1;
  // The chart's objects follow, when asked for and at hand. helm gets the real values; the Secrets it prints are
  // masked as in any preview.
  let chartText = '';
  if (!helm)
    chartText =
      '---\n# The chart is not rendered: turn on fluxEnvironments.helm.enabled (trusted workspaces) to render a chart at hand with helm template.\n';
  else {
    const rendered = renderChart(
      index.root,
      r,
      release.values.values,
      {
        helmPath: helm.path,
        ...(helm.chartCache ? { chartCache: helm.chartCache } : {}),
      },
      sourcesIn(index.renderEnvironment(index.environment(target.environment)!).objects),
    );
    chartText = `---\n# ${rendered.note}\n${rendered.output ? maskRenderedSecrets(rendered.output, reveal) : ''}`;
  }
  return { index, release, text: `${header.join('\n')}\n${body}${chartText}`, valuesLine: header.length, valuesEnd };
}

export function valuesPreview(indexes: Indexes, target: ValuesTarget, reveal: boolean, helm?: HelmRenderSettings): RenderResult {
  const m = model(indexes, target, reveal, helm);
  if (!m) {
    const message = `No HelmRelease here in environment ${target.environment}: the release is not applied there, or the file changed.`;
    return { yaml: `# ${message}\n`, title: 'HelmRelease values', problems: [{ message, severity: 'error' }], objects: [] };
  }
  const r = m.release.release;
  return {
    yaml: m.text,
    title: `${r.name} values (${target.environment})`,
    problems: valuesProblems(r, m.release.values).map((p) => ({
      message: p.message,
      severity: p.severity,
      location: { uri: fileUri(p.file), range: p.range ?? ZERO_RANGE },
    })),
    objects: [],
  };
}

/** Hover / go-to in the values preview: who set the value under the position. */
export function valuesOrigin(
  indexes: Indexes,
  target: ValuesTarget,
  position: { line: number; character: number },
  reveal: boolean,
): OriginResult | null {
  const m = model(indexes, target, reveal);
  if (!m || position.line < m.valuesLine || position.line >= m.valuesEnd) return null;
  const lines = m.text.split('\n').slice(m.valuesLine);
  const at = pathAtLine(lines, position.line - m.valuesLine, position.character);
  if (!at) return null;
  const valuePath = at.path;
  const shown = valuePath
    .map((s) => (typeof s === 'number' ? `[${s}]` : s))
    .join('.')
    .replace(/\.\[/g, '[');
  const origin = m.release.values.originOf(valuePath);
  if (!origin) return null;
  const { index } = m;
  if (origin.from === 'values') {
    const location = specValuesLocation(index, m.release, valuePath);
    return {
      description: `\`${shown}\` from spec.values of HelmRelease ${m.release.release.name}${location ? ` (${relativeName(index, fileOfUri(location.uri) ?? '')}:${location.range.start.line + 1}${location.by ? `, ${location.by}` : ''})` : ''}`,
      ...(location ? { location: { uri: location.uri, range: location.range } } : {}),
    };
  }
  const entry = m.release.values.entries.find((e) => e.index === origin.index);
  if (!entry) return null;
  const location = entryValueLocation(index, entry, valuePath);
  const name = entry.found ? String(getPath(entry.found.object, ['metadata', 'name']) ?? entry.ref.name) : entry.ref.name;
  return {
    description: `\`${shown}\` from valuesFrom[${entry.index}]: ${entry.ref.kind} ${name}, key ${entry.ref.valuesKey}${entry.ref.targetPath ? ` (targetPath ${entry.ref.targetPath})` : ''}${location ? ` (${relativeName(index, fileOfUri(location.uri) ?? '')}:${location.range.start.line + 1})` : ''}`,
    ...(location ? { location } : {}),
  };
}

/** Where spec.values.<path> of the release as applied was written: the patch that set it, else the release's file. */
function specValuesLocation(
  index: FleetIndex,
  release: ReleaseValues,
  valuePath: ReadonlyArray<string | number>,
): (LspLocation & { by?: string }) | undefined {
  const resource = release.rendered.resource;
  const full = ['spec', 'values', ...valuePath];
  for (let n = full.length; n >= 2; n--) {
    const recorded = originAt(resource, full.slice(0, n));
    if (recorded && recorded.kind !== 'resource') {
      return {
        uri: fileUri(recorded.file),
        range: recorded.range ?? ZERO_RANGE,
        by: `${recorded.kind === 'substitution' ? 'substituted by' : 'set by'} ${recorded.step}`,
      };
    }
  }
  const source = resource.source;
  const doc = source.documentIndex >= 0 ? index.parsed(source.file)?.documents[source.documentIndex] : undefined;
  for (let n = full.length; n >= 2; n--) {
    const range = doc?.locate(full.slice(0, n));
    if (range) return { uri: fileUri(source.file), range };
  }
  return source.range ? { uri: fileUri(source.file), range: source.range } : undefined;
}

/** Where a value of a valuesFrom entry is written: the line in the values file a generator read, or in the ConfigMap/Secret. */
function entryValueLocation(
  index: FleetIndex,
  entry: ValuesFromOutcome,
  valuePath: ReadonlyArray<string | number>,
): LspLocation | undefined {
  const found = entry.found;
  if (!found) return undefined;
  const generated = generatorFile(index, found.file, entry.ref.valuesKey);
  if (generated) {
    const doc = entry.ref.targetPath ? undefined : index.parsed(generated.file)?.documents[0];
    return { uri: fileUri(generated.file), range: nearestKey(doc, valuePath) ?? generated.range };
  }
  if (!found.file) return undefined;
  // A manifest: data.<key> in its document; inside a block scalar, the line of the value within it.
  const parsed = index.parsed(found.file);
  for (const doc of parsed?.documents ?? []) {
    const keyRange = doc.locate(['data', entry.ref.valuesKey]) ?? doc.locate(['stringData', entry.ref.valuesKey]);
    if (!keyRange) continue;
    const text = index.text(found.file) ?? '';
    const firstLine = text.split('\n')[keyRange.start.line] ?? '';
    const block = /[|>][-+0-9]*\s*$/.test(firstLine.slice(keyRange.start.character));
    if (block && !entry.ref.targetPath && entry.ref.kind === 'ConfigMap') {
      const blockText = text
        .split('\n')
        .slice(keyRange.start.line + 1, keyRange.end.line + 1)
        .join('\n');
      const range = lineOfPath(blockText, keyRange.start.line + 1, valuePath);
      if (range) return { uri: fileUri(found.file), range };
    }
    return { uri: fileUri(found.file), range: keyRange };
  }
  return found.range ? { uri: fileUri(found.file), range: found.range } : undefined;
}

/** The file a generated ConfigMap/Secret read `key` from (`files: [key=path]`), with the entry's range. */
function generatorFile(index: FleetIndex, file: string | undefined, key: string): { file: string; range: Range } | undefined {
  if (!file) return undefined;
  const kustomization = index.parsed(file)?.documents[0];
  const json = kustomization?.value;
  if (!kustomization || !isObject(json)) return undefined;
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    const entries = json[field];
    if (!Array.isArray(entries)) continue;
    for (let i = 0; i < entries.length; i++) {
      const generator = entries[i];
      if (!isObject(generator) || !Array.isArray(generator.files)) continue;
      for (let j = 0; j < generator.files.length; j++) {
        const spec = generator.files[j];
        if (typeof spec !== 'string') continue;
        const eq = spec.indexOf('=');
        const fileKey = eq >= 0 ? spec.slice(0, eq) : path.posix.basename(spec);
        const rel = eq >= 0 ? spec.slice(eq + 1) : spec;
        if (fileKey !== key) continue;
        const range = kustomization.locate([field, i, 'files', j]) ?? ZERO_RANGE;
        return { file: path.posix.resolve(path.posix.dirname(file), rel), range };
      }
    }
  }
  return undefined;
}

/** The range of the key at `valuePath` in a YAML text whose first line is line `firstLine` of its file. */
function lineOfPath(text: string, firstLine: number, valuePath: ReadonlyArray<string | number>): Range | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false, uniqueKeys: false });
  let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
  let keyNode: YamlNode | undefined;
  for (const segment of valuePath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      node = pair.value as YamlNode | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      keyNode = item;
      node = item;
    } else break;
  }
  const range = keyNode?.range;
  if (!range) return undefined;
  const start = counter.linePos(range[0]);
  const end = counter.linePos(range[1]);
  return {
    start: { line: firstLine + start.line - 1, character: start.col - 1 },
    end: { line: firstLine + end.line - 1, character: end.col - 1 },
  };
}

/** The key of the deepest part of `valuePath` the document holds. */
function nearestKey(doc: ParsedDocument | undefined, valuePath: ReadonlyArray<string | number>): Range | undefined {
  for (let n = valuePath.length; n >= 1 && doc; n--) {
    const range = doc.locate(valuePath.slice(0, n), { key: typeof valuePath[n - 1] === 'string' });
    if (range) return range;
  }
  return undefined;
}

export interface ReleaseValuesTarget {
  target: ValuesTarget;
  /** `namespace/name` of the release as the environment applies it. */
  release: string;
  environment: string;
}

/**
 * The values previews a file offers: each HelmRelease written in it (the document at `position` only, when
 * one is given and holds a release) in each environment that applies it, in promotion order.
 */
export function releaseValuesTargets(
  indexes: Indexes,
  params: { uri: string; position?: { line: number; character: number } },
): ReleaseValuesTarget[] {
  const file = fileOfUri(params.uri);
  const index = file ? indexOfFile(indexes, file) : undefined;
  if (!file || !index) return [];
  const out: ReleaseValuesTarget[] = [];
  const envs = [...index.environments().environments].sort((a, b) => a.order - b.order);
  for (const env of envs) {
    for (const r of helmReleaseValues(index.renderEnvironment(env))) {
      const source = r.rendered.resource.source;
      if (source.file !== file || source.documentIndex < 0) continue;
      out.push({
        target: { kind: 'helmReleaseValues', uri: fileUri(file), documentIndex: source.documentIndex, environment: env.name },
        release: `${r.release.namespace}/${r.release.name}`,
        environment: env.name,
      });
    }
  }
  const position = params.position;
  if (!position) return out;
  const parsed = index.parsed(file);
  const atCursor = parsed?.documents.find((d) => d.range.start.line <= position.line && position.line <= d.range.end.line);
  const here = atCursor ? out.filter((t) => t.target.documentIndex === atCursor.index) : [];
  return here.length > 0 ? here : out;
}

/** helm's output with the data of its Secrets masked, as every preview masks them. */
export function maskRenderedSecrets(output: string, reveal: boolean): string {
  if (reveal) return output;
  return output
    .split(/^---$/m)
    .map((doc) => {
      if (!/^kind:\s*Secret\s*$/m.test(doc)) return doc;
      // Values of the keys under data: and stringData: (one indented level) are replaced.
      return doc.replace(
        /^((?:data|stringData):[ \t]*\n)((?:[ \t]+[^\n]*\n?)*)/gm,
        (_all, head: string, body: string) => head + body.replace(/^([ \t]+[^:\n]+:)[ \t]*.*$/gm, `$1 ${MASK}`),
      );
    })
    .join('---');
}

/** The chart version of the same HelmRelease document in every environment that applies it, in promotion order. */
function chartVersionsByEnvironment(index: FleetIndex, release: ReleaseValues): Array<{ environment: string; version: string }> {
  const source = release.rendered.resource.source;
  const out: Array<{ environment: string; version: string }> = [];
  for (const env of [...index.environments().environments].sort((a, b) => a.order - b.order)) {
    const same = helmReleaseValues(index.renderEnvironment(env)).find(
      (r) => r.rendered.resource.source.file === source.file && r.rendered.resource.source.documentIndex === source.documentIndex,
    );
    const version = same?.release.chart?.version;
    if (version) out.push({ environment: env.name, version });
  }
  return out;
}
