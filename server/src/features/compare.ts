// "Compare Environments…": two rendered environments side by side for VS Code's diff editor. Both sides
// list the same objects in the same order (by kind, name, namespace), an object missing on one side is a
// comment placeholder there, and each environment's own namespace is written `<env-namespace>` on both
// sides (metadata.namespace and references to it), so the diff shows what really differs: images,
// replicas, resources. Each HelmRelease is followed by its merged values (fleet/helmReleaseValues.ts), so the
// values an environment's ConfigMaps give a release are compared too. Also the per-workload facts a reviewer
// compares, with what drifts.
import type { FleetIndex } from '../fleet/fleetIndex';
import { deepCopy, getPath, isObject, resIdOf } from '../kustomize/resource';
import type { Json, JsonObject } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import type { CompareParams, CompareResult, HelmRenderSettings, WorkloadFacts } from '../protocol';
import { containersOf } from './targets';
import { helmReleaseValues } from '../fleet/helmReleaseValues';
import { maskedValues } from '../flux/helmValues';
import { renderChart, sourcesIn } from '../fleet/helmChart';
import { maskRenderedSecrets } from './valuesPreview';
import { indexOfEnvironment, MASK, maskSecrets, type Indexes } from './renderedText';

export const ENV_NAMESPACE = '<env-namespace>';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** Bound on values rewritten per object when namespaces are normalised. */
const MAX_NORMALISE_VISITS = 1_000_000;

interface Side {
  name: string;
  objects: JsonObject[];
  /** A HelmRelease's merged values (Secret values masked), by the object shown. */
  releaseValues: Map<JsonObject, JsonObject>;
  /** A HelmRelease's chart rendered by helm (or why not), when the client asked for charts. */
  releaseCharts: Map<JsonObject, string>;
  error?: string;
}

interface Aligned {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  left?: JsonObject;
  right?: JsonObject;
}

export function compareEnvironments(indexes: Indexes, params: CompareParams & { revealSecrets?: boolean }): CompareResult {
  try {
    const left = sideOf(indexes, params.left, params.revealSecrets ?? false, params.helm);
    const right = sideOf(indexes, params.right, params.revealSecrets ?? false, params.helm);
    const [leftMap, rightMap] = namespaceTokens(left.objects, right.objects);
    const leftObjects = left.objects.map((o) => keepValues(left, o, normaliseNamespaces(o, leftMap)));
    const rightObjects = right.objects.map((o) => keepValues(right, o, normaliseNamespaces(o, rightMap)));
    const aligned = align(leftObjects, rightObjects);
    return {
      leftYaml: sideText(left, aligned, 'left', right.name),
      rightYaml: sideText(right, aligned, 'right', left.name),
      workloads: workloadRows(aligned),
    };
  } catch (error) {
    const message = `# comparing failed: ${error instanceof Error ? error.message : String(error)}\n`;
    return { leftYaml: message, rightYaml: message, workloads: [] };
  }
}

function sideOf(indexes: Indexes, name: string, revealSecrets: boolean, helm?: HelmRenderSettings): Side {
  const index: FleetIndex | undefined = indexOfEnvironment(indexes, name);
  const env = index?.environment(name);
  if (!index || !env)
    return { name, objects: [], releaseValues: new Map(), releaseCharts: new Map(), error: `environment "${name}" not found` };
  const render = index.renderEnvironment(env);
  const releases = new Map(helmReleaseValues(render).map((r) => [r.rendered.object, r]));
  const releaseValues = new Map<JsonObject, JsonObject>();
  const releaseCharts = new Map<JsonObject, string>();
  const objects = render.objects.map((o) => {
    const shown = maskSecrets(o.object, revealSecrets, o.resource.secretValuePaths);
    const release = releases.get(o.object);
    if (release) {
      releaseValues.set(shown, maskedValues(release.values, revealSecrets, MASK));
      if (helm) {
        const chart = renderChart(
          index.root,
          release.release,
          release.values.values,
          { helmPath: helm.path, ...(helm.chartCache ? { chartCache: helm.chartCache } : {}) },
          sourcesIn(render.objects),
        );
        releaseCharts.set(shown, `# ${chart.note}\n${chart.output ? maskRenderedSecrets(chart.output, revealSecrets) : ''}`);
      }
    }
    return shown;
  });
  return { name, objects, releaseValues, releaseCharts };
}

/** Carries a HelmRelease's merged values over to the object as normalised. */
function keepValues(side: Side, before: JsonObject, after: JsonObject): JsonObject {
  const merged = side.releaseValues.get(before);
  if (merged && after !== before) side.releaseValues.set(after, merged);
  const chart = side.releaseCharts.get(before);
  if (chart !== undefined && after !== before) side.releaseCharts.set(after, chart);
  return after;
}

function namespaceOf(o: JsonObject): string {
  return resIdOf(o).namespace;
}

/**
 * Which namespaces are the environments' own: those only one side uses. They are paired by the
 * objects they hold (the pair sharing most kind/names first) and each pair gets one token, so that
 * `staging` and `production` both read `<env-namespace>`. Namespaces both sides use stay as they are.
 */
function namespaceTokens(left: JsonObject[], right: JsonObject[]): [Map<string, string>, Map<string, string>] {
  const members = (objects: JsonObject[]) => {
    const byNs = new Map<string, Set<string>>();
    for (const o of objects) {
      const ns = namespaceOf(o);
      if (ns === '') continue;
      let set = byNs.get(ns);
      if (!set) byNs.set(ns, (set = new Set()));
      set.add(`${String(o.kind)}/${resIdOf(o).name}`);
    }
    return byNs;
  };
  const l = members(left);
  const r = members(right);
  const onlyLeft = [...l.keys()].filter((ns) => !r.has(ns)).sort();
  const onlyRight = [...r.keys()].filter((ns) => !l.has(ns)).sort();
  const pairs: Array<{ a: string; b: string; shared: number }> = [];
  for (const a of onlyLeft) {
    for (const b of onlyRight) {
      let shared = 0;
      for (const m of l.get(a)!) if (r.get(b)!.has(m)) shared++;
      if (shared > 0 || (onlyLeft.length === 1 && onlyRight.length === 1)) pairs.push({ a, b, shared });
    }
  }
  pairs.sort((x, y) => y.shared - x.shared || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  const leftMap = new Map<string, string>();
  const rightMap = new Map<string, string>();
  for (const { a, b } of pairs) {
    if (leftMap.has(a) || rightMap.has(b)) continue;
    const token = leftMap.size === 0 ? ENV_NAMESPACE : `<env-namespace-${leftMap.size + 1}>`;
    leftMap.set(a, token);
    rightMap.set(b, token);
  }
  return [leftMap, rightMap];
}

const NAMESPACE_KEY = /^(namespace|targetNamespace|storageNamespace|releaseNamespace)$/;

/** The object with its environment namespace replaced wherever it names that namespace. */
function normaliseNamespaces(object: JsonObject, tokens: Map<string, string>): JsonObject {
  if (tokens.size === 0) return object;
  const copy = deepCopy(object);
  if (copy.kind === 'Namespace' && isObject(copy.metadata) && typeof copy.metadata.name === 'string') {
    copy.metadata.name = tokens.get(copy.metadata.name) ?? copy.metadata.name;
  }
  // In-cluster DNS names (`svc.<ns>.svc.cluster.local`) name the namespace too.
  const dns = new RegExp(`\\.(${[...tokens.keys()].map((ns) => ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=\\.svc\\b)`, 'g');
  const pending: Array<JsonObject | Json[]> = [copy];
  for (let visits = 0; pending.length > 0 && visits < MAX_NORMALISE_VISITS; visits++) {
    const container = pending.pop() as JsonObject | Json[];
    const entries: Array<[string | number, Json]> = Array.isArray(container)
      ? container.map((v, i): [number, Json] => [i, v])
      : Object.entries(container);
    for (const [key, value] of entries) {
      const set = (v: Json) => ((container as Record<string | number, Json>)[key] = v);
      if (typeof value === 'string') {
        if (typeof key === 'string' && NAMESPACE_KEY.test(key) && tokens.has(value)) set(tokens.get(value)!);
        else if (value.includes('.svc')) set(value.replace(dns, (_, ns: string) => `.${tokens.get(ns) ?? ns}`));
      } else if (Array.isArray(value) || isObject(value)) pending.push(value);
    }
  }
  return copy;
}

function align(left: JsonObject[], right: JsonObject[]): Aligned[] {
  const rows = new Map<string, Aligned>();
  const add = (o: JsonObject, side: 'left' | 'right') => {
    const id = resIdOf(o);
    const base = `${id.kind}/${id.namespace}/${id.name}`;
    let key = base;
    // The same id twice on one side (two Kustomizations applying it) still gets a row each.
    for (let n = 2; rows.get(key)?.[side] !== undefined && n < 10_000; n++) key = `${base}#${n}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, kind: id.kind, namespace: id.namespace, name: id.name }));
    row[side] = o;
  };
  left.forEach((o) => add(o, 'left'));
  right.forEach((o) => add(o, 'right'));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows.values()].sort(
    (a, b) => cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.namespace, b.namespace) || cmp(a.key, b.key),
  );
}

function label(row: Aligned): string {
  return `${row.kind} ${row.namespace === '' ? '' : row.namespace + '/'}${row.name}`;
}

function sideText(side: Side, rows: Aligned[], which: 'left' | 'right', other: string): string {
  const docs: string[] = [];
  if (side.error) docs.push(`# ${side.error}\n`);
  for (const row of rows) {
    const o = row[which];
    // The same heading on both sides keeps the diff editor's alignment object by object.
    docs.push(o ? `# ${label(row)}\n${emitYaml(o)}` : `# ${label(row)}: not in ${side.name} (only in ${other})\n`);
    // A HelmRelease's merged values (what helm-controller installs the chart with) follow it, on both sides.
    if (row.kind === 'HelmRelease') {
      const values = o ? side.releaseValues.get(o) : undefined;
      docs.push(
        values
          ? `# ${label(row)}: merged values (valuesFrom, then spec.values)\n${Object.keys(values).length === 0 ? '{}\n' : emitYaml(values)}`
          : `# ${label(row)}: merged values${o ? '' : ` not in ${side.name}`}\n`,
      );
      const chart = o ? side.releaseCharts.get(o) : undefined;
      if (chart !== undefined || (!o && side.releaseCharts.size > 0)) docs.push(`# ${label(row)}: chart objects\n${chart ?? ''}`);
    }
  }
  return docs.join('---\n');
}

function quantities(value: Json | undefined): string {
  if (!isObject(value)) return '';
  return Object.keys(value)
    .sort()
    .map((k) => `${k}=${String(value[k])}`)
    .join(' ');
}

function factsOf(o: JsonObject): WorkloadFacts {
  const containers = containersOf(o);
  const perContainer = (field: 'requests' | 'limits') => {
    const parts = containers
      .map(({ container }) => ({
        name: typeof container.name === 'string' ? container.name : '',
        text: quantities(getPath(container, ['resources', field])),
      }))
      .filter((c) => c.text !== '');
    return parts.length === 1 && containers.length === 1 ? parts[0].text : parts.map((c) => `${c.name}: ${c.text}`).join('; ');
  };
  const replicas = getPath(o, ['spec', 'replicas']);
  const id = resIdOf(o);
  return {
    kind: id.kind,
    name: id.name,
    images: containers.map(({ container }) => (typeof container.image === 'string' ? container.image : '')).filter((i) => i !== ''),
    ...(typeof replicas === 'number' ? { replicas } : {}),
    requests: perContainer('requests'),
    limits: perContainer('limits'),
  };
}

function workloadRows(rows: Aligned[]): CompareResult['workloads'] {
  const out: CompareResult['workloads'] = [];
  for (const row of rows) {
    if (!WORKLOAD_KINDS.has(row.kind)) continue;
    const left = row.left ? factsOf(row.left) : undefined;
    const right = row.right ? factsOf(row.right) : undefined;
    const drift: string[] = [];
    if (!left || !right) drift.push('presence');
    else {
      if (left.images.join('\n') !== right.images.join('\n')) drift.push('images');
      if (left.replicas !== right.replicas) drift.push('replicas');
      if (left.requests !== right.requests) drift.push('requests');
      if (left.limits !== right.limits) drift.push('limits');
    }
    const namespaced = row.namespace === '' || row.namespace.startsWith('<env-namespace') ? '' : `${row.namespace}/`;
    out.push({ key: `${row.kind}/${namespaced}${row.name}`, ...(left ? { left } : {}), ...(right ? { right } : {}), drift });
  }
  return out;
}
