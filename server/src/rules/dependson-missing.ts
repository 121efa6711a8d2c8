// A Kustomization that needs what another Kustomization of its cluster provides (the CRDs of its
// custom resources, the Namespace of its objects, the source of its HelmReleases) but has no dependsOn
// path to it: on a fresh cluster, or after the provider changes, it applies first and fails.
import { apiGroupsOfChart, chartNameOfOciUrl } from '../flux/chartCrds';
import type { NodeKey } from '../flux/dependsOn';
import { dependsOnPath } from '../flux/dependsOn';
import { fluxKindsOfGroup } from '../flux/api';
import { SOURCE_GROUP } from '../flux/objects';
import { getPath, isObject, splitApiVersion } from '../kustomize/resource';
import { isNamespaced } from '../kustomize/scope';
import type { JsonObject } from '../kustomize/types';
import type { FluxBuildResult } from '../flux/build';
import {
  addDependsOnEdit,
  appliersOf,
  clusterViews,
  documentOf,
  shortKey,
  uniqueFindings,
  waitsFor,
  type ClusterView,
} from './support/fluxClusters';
import type { Finding, Rule } from './rule';

interface Provider {
  key: NodeKey;
  /** How the provider provides it, e.g. `HelmRelease cert-manager/cert-manager (chart cert-manager)`. */
  via: string;
}

interface Providers {
  /** `group/kind` -> Kustomizations rendering that CustomResourceDefinition. */
  crds: Map<string, Provider[]>;
  /** API group -> Kustomizations rendering a HelmRelease whose chart installs it. */
  chartGroups: Map<string, Provider[]>;
  namespaces: Map<string, Provider[]>;
  /** `Kind/namespace/name` of Flux sources. */
  sources: Map<string, Provider[]>;
}

/** The kinds of source-controller's API group (from Flux's CRDs): objects other Flux objects fetch artifacts from. */
const SOURCE_KINDS = new Set(fluxKindsOfGroup(SOURCE_GROUP).map((k) => k.kind));
/** Namespaces a cluster running Flux has before any Kustomization runs: objects there wait for nobody. */
const EVERY_CLUSTER_HAS = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);
const APPS = /^apps?($|[-_.])/;
const INFRASTRUCTURE = /^infra(structure)?($|[-_.])/;

const providersByView = new WeakMap<ClusterView, Providers>();

export const dependsonMissing: Rule = {
  id: 'dependson-missing',
  severity: 'warning',
  category: 'flux',
  description: 'Kustomization using CRDs, namespaces or sources another Kustomization provides, with no dependsOn path to it.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    for (const view of clusterViews(index)) {
      if (isCancelled()) break;
      let providers = providersByView.get(view);
      if (!providers) providersByView.set(view, (providers = collectProviders(view)));
      for (const k of view.kustomizations.values()) {
        const needs = needsOf(view, providers, k.key);
        for (const [providerKey, need] of needs) {
          const finding = findingFor(index, view, k.key, providerKey, need);
          if (finding) findings.push(finding);
        }
      }
    }
    return uniqueFindings(findings);
  },
};

function add(map: Map<string, Provider[]>, id: string, provider: Provider): void {
  const list = map.get(id);
  if (!list) map.set(id, [provider]);
  else if (!list.some((p) => p.key === provider.key)) list.push(provider);
}

function metaOf(o: JsonObject): { name?: string; namespace?: string } {
  const m = isObject(o.metadata) ? o.metadata : {};
  return {
    ...(typeof m.name === 'string' ? { name: m.name } : {}),
    ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}),
  };
}

function str(o: JsonObject, path: ReadonlyArray<string | number>): string | undefined {
  const v = getPath(o, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * What one Kustomization's render provides and needs, in render order, without repeats: a large app
 * overlay has thousands of objects but a handful of facts. Remembered per render, so an edit recomputes
 * the facts of the Kustomizations it re-rendered only.
 */
interface RenderFacts {
  ociUrls: Array<[string, string]>;
  provides: Array<{ map: keyof Providers; id: string; via: string } | { chart: string | undefined; chartRef?: string; via: string }>;
  needs: Array<
    | { lookup: 'crd'; group: string; kind: string }
    | { lookup: 'namespace'; namespace: string }
    | { lookup: 'source'; id: string; release: string }
  >;
}

const factsByResult = new WeakMap<FluxBuildResult, RenderFacts>();

function factsOf(result: FluxBuildResult): RenderFacts {
  let facts = factsByResult.get(result);
  if (facts) return facts;
  facts = { ociUrls: [], provides: [], needs: [] };
  const seenProvides = new Set<string>();
  const seenNeeds = new Set<string>();
  const provide = (key: string, fact: RenderFacts['provides'][number]) => {
    if (seenProvides.has(key)) return;
    seenProvides.add(key);
    facts!.provides.push(fact);
  };
  const needs = (key: string, fact: RenderFacts['needs'][number]) => {
    if (seenNeeds.has(key)) return;
    seenNeeds.add(key);
    facts!.needs.push(fact);
  };
  for (const { object: o } of result.resources) {
    if (typeof o.apiVersion !== 'string') continue;
    const { name, namespace } = metaOf(o);
    const { group, version } = splitApiVersion(o.apiVersion);
    if (name) {
      if (o.kind === 'OCIRepository' && group === 'source.toolkit.fluxcd.io') {
        const url = str(o, ['spec', 'url']);
        if (url) facts.ociUrls.push([`${namespace ?? 'default'}/${name}`, url]);
      }
      if (o.kind === 'Namespace' && o.apiVersion === 'v1')
        provide(`ns\u0000${name}`, { map: 'namespaces', id: name, via: `Namespace ${name}` });
      else if (o.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') {
        const crdGroup = str(o, ['spec', 'group']);
        const crdKind = str(o, ['spec', 'names', 'kind']);
        if (crdGroup && crdKind)
          provide(`crd\u0000${crdGroup}/${crdKind}\u0000${name}`, {
            map: 'crds',
            id: `${crdGroup}/${crdKind}`,
            via: `CustomResourceDefinition ${name}`,
          });
      } else if (SOURCE_KINDS.has(String(o.kind)) && group === SOURCE_GROUP) {
        const id = `${String(o.kind)}/${namespace ?? 'default'}/${name}`;
        provide(`src\u0000${id}`, { map: 'sources', id, via: `${String(o.kind)} ${namespace ?? 'default'}/${name}` });
      } else if (o.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
        const ns = namespace ?? 'default';
        const chart = str(o, ['spec', 'chart', 'spec', 'chart']);
        const chartRef =
          !chart && str(o, ['spec', 'chartRef', 'kind']) === 'OCIRepository'
            ? `${str(o, ['spec', 'chartRef', 'namespace']) ?? ns}/${str(o, ['spec', 'chartRef', 'name']) ?? ''}`
            : undefined;
        provide(`hr\u0000${ns}/${name}`, { chart, ...(chartRef ? { chartRef } : {}), via: `HelmRelease ${ns}/${name}` });
      }
    }
    if (typeof o.kind !== 'string') continue;
    if (group !== '') needs(`crd\u0000${group}\u0000${o.kind}`, { lookup: 'crd', group, kind: o.kind });
    if (namespace && !EVERY_CLUSTER_HAS.has(namespace) && o.kind !== 'Namespace' && isNamespaced({ group, version, kind: o.kind }))
      needs(`ns\u0000${namespace}`, { lookup: 'namespace', namespace });
    if (o.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
      const ns = namespace ?? 'default';
      const chartRef = isObject(getPath(o, ['spec', 'chartRef'])) ? ['spec', 'chartRef'] : ['spec', 'chart', 'spec', 'sourceRef'];
      const kind = str(o, [...chartRef, 'kind']) ?? 'HelmRepository';
      const refName = str(o, [...chartRef, 'name']);
      if (refName) {
        const id = `${kind}/${str(o, [...chartRef, 'namespace']) ?? ns}/${refName}`;
        needs(`src\u0000${id}\u0000${ns}/${name ?? ''}`, { lookup: 'source', id, release: `${ns}/${name ?? ''}` });
      }
    }
  }
  factsByResult.set(result, facts);
  return facts;
}

function collectProviders(view: ClusterView): Providers {
  const p: Providers = { crds: new Map(), chartGroups: new Map(), namespaces: new Map(), sources: new Map() };
  const ociUrls = new Map<string, string>();
  for (const { result } of view.kustomizations.values()) for (const [id, url] of factsOf(result).ociUrls) ociUrls.set(id, url);
  for (const { key, result } of view.kustomizations.values()) {
    for (const fact of factsOf(result).provides) {
      if ('map' in fact) {
        add(p[fact.map], fact.id, { key, via: fact.via });
        continue;
      }
      const url = fact.chartRef !== undefined ? ociUrls.get(fact.chartRef) : undefined;
      const chart = fact.chart ?? (url ? chartNameOfOciUrl(url) : undefined);
      for (const g of (chart && apiGroupsOfChart(chart)) || []) add(p.chartGroups, g, { key, via: `${fact.via} (chart ${chart})` });
    }
  }
  return p;
}

interface Need {
  reasons: string[];
  /**
   * False when every reason is a chart's CRDs, which only a table of well-known charts tells
   * (flux/chartCrds.ts): an inference, so the finding is information, not a warning.
   */
  certain: boolean;
}

/** Providers `from` needs and does not wait for, with the reasons (deduplicated, in render order). */
function needsOf(view: ClusterView, providers: Providers, from: NodeKey): Map<NodeKey, Need> {
  const k = view.kustomizations.get(from)!;
  const needs = new Map<NodeKey, Need>();
  const satisfied = new Map<NodeKey, boolean>();
  // Kustomizations `from` applies come after it by construction; asking it to wait for them would deadlock.
  const isSatisfied = (p: NodeKey) => {
    let ok = satisfied.get(p);
    if (ok === undefined) satisfied.set(p, (ok = p === from || appliersOf(view, p).includes(from) || waitsFor(view, from, p)));
    return ok;
  };
  const need = (candidates: Provider[] | undefined, reason: (p: Provider) => string, certain = true) => {
    if (!candidates || candidates.length === 0) return;
    if (candidates.some((p) => isSatisfied(p.key))) return;
    const p = candidates[0];
    const found = needs.get(p.key) ?? { reasons: [], certain: false };
    const text = reason(p);
    if (!found.reasons.includes(text)) found.reasons.push(text);
    found.certain ||= certain;
    needs.set(p.key, found);
  };

  if (k.ks.sourceRef && SOURCE_KINDS.has(k.ks.sourceRef.kind)) {
    const ref = k.ks.sourceRef;
    need(providers.sources.get(`${ref.kind}/${ref.namespace}/${ref.name}`), (p) => `its source ${p.via}`);
  }
  for (const fact of factsOf(k.result).needs) {
    if (fact.lookup === 'crd') {
      const crd = providers.crds.get(`${fact.group}/${fact.kind}`);
      need(
        crd ?? providers.chartGroups.get(fact.group),
        (p) => `${fact.kind} objects (${fact.group}) whose CRD comes from ${p.via}`,
        crd !== undefined,
      );
    } else if (fact.lookup === 'namespace') {
      need(providers.namespaces.get(fact.namespace), () => `objects in namespace ${fact.namespace}, which it creates`);
    } else {
      need(providers.sources.get(fact.id), (p) => `HelmRelease ${fact.release} using ${p.via}`);
    }
  }
  // The fleet's own layering: apps come after infrastructure.
  const ownName = from.slice(from.indexOf('/') + 1);
  if (APPS.test(ownName)) {
    for (const other of view.kustomizations.keys()) {
      if (!INFRASTRUCTURE.test(other.slice(other.indexOf('/') + 1)) || needs.has(other)) continue;
      need([{ key: other, via: '' }], () => 'apps deploy after infrastructure in this fleet');
    }
  }
  return needs;
}

function findingFor(
  index: Parameters<Rule['check']>[0]['index'],
  view: ClusterView,
  from: NodeKey,
  provider: NodeKey,
  { reasons, certain }: Need,
): Finding | undefined {
  const { ks } = view.kustomizations.get(from)!;
  const source = documentOf(index, ks.place);
  if (!source) return undefined;
  const dependsOnWritten = getPath(source.doc.value, ['spec', 'dependsOn']) !== undefined;
  const range =
    (dependsOnWritten ? source.doc.locate(['spec', 'dependsOn'], { key: true }) : undefined) ?? source.doc.locate(['metadata', 'name']);
  if (!range) return undefined;
  const providerName = shortKey(provider, ks.namespace);
  const ns = provider.slice(0, provider.indexOf('/'));
  const backwards = dependsOnPath(view.graph, provider, from) !== undefined;
  const edit = backwards ? undefined : addDependsOnEdit(ks, source, provider);
  const shown = reasons.length > 3 ? [...reasons.slice(0, 3), `${reasons.length - 3} more`] : reasons;
  const todo = backwards
    ? `But "${providerName}" already waits for "${ks.name}": move what both need into a Kustomization they can both depend on.`
    : `Add dependsOn: - name: ${providerName}${ns === ks.namespace ? '' : ` (namespace ${ns})`}.`;
  return {
    file: ks.place.file,
    range,
    message: `Kustomization "${ks.name}" needs "${providerName}" (${shown.join('; ')}) but has no dependsOn path to it: "${ks.name}" may deploy before "${providerName}" and fail until it is ready. ${todo}`,
    data: { kustomization: from, provider },
    ...(certain ? {} : { severity: 'info' as const }),
    ...(edit ? { fixes: [{ title: `Add dependsOn ${providerName}`, edits: [edit], preferred: true }] } : {}),
  };
}
