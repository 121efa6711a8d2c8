// A Kustomization that needs what another Kustomization of its cluster provides (the CRDs of its
// custom resources, the Namespace of its objects, the source of its HelmReleases) but has no dependsOn
// path to it: on a fresh cluster, or after the provider changes, it applies first and fails.
import { apiGroupsOfChart, chartNameOfOciUrl } from '../flux/chartCrds';
import type { NodeKey } from '../flux/dependsOn';
import { dependsOnPath } from '../flux/dependsOn';
import { getPath, isObject, splitApiVersion } from '../kustomize/resource';
import { isNamespaced } from '../kustomize/scope';
import type { JsonObject } from '../kustomize/types';
import { addDependsOnEdit, appliersOf, clusterViews, documentOf, shortKey, uniqueFindings, waitsFor, type ClusterView } from './fluxClusters';
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

const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart']);
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
        for (const [providerKey, reasons] of needs) {
          const finding = findingFor(index, view, k.key, providerKey, reasons);
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
  return { ...(typeof m.name === 'string' ? { name: m.name } : {}), ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}) };
}

function str(o: JsonObject, path: ReadonlyArray<string | number>): string | undefined {
  const v = getPath(o, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function collectProviders(view: ClusterView): Providers {
  const p: Providers = { crds: new Map(), chartGroups: new Map(), namespaces: new Map(), sources: new Map() };
  const ociUrls = new Map<string, string>();
  for (const { result } of view.kustomizations.values()) {
    for (const { object: o } of result.resources) {
      const { name, namespace } = metaOf(o);
      if (o.kind === 'OCIRepository' && name && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('source.toolkit.fluxcd.io/')) {
        const url = str(o, ['spec', 'url']);
        if (url) ociUrls.set(`${namespace ?? 'default'}/${name}`, url);
      }
    }
  }
  for (const { key, result } of view.kustomizations.values()) {
    for (const { object: o } of result.resources) {
      const { name, namespace } = metaOf(o);
      if (!name || typeof o.apiVersion !== 'string') continue;
      const { group } = splitApiVersion(o.apiVersion);
      if (o.kind === 'Namespace' && o.apiVersion === 'v1') add(p.namespaces, name, { key, via: `Namespace ${name}` });
      else if (o.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') {
        const crdGroup = str(o, ['spec', 'group']);
        const crdKind = str(o, ['spec', 'names', 'kind']);
        if (crdGroup && crdKind) add(p.crds, `${crdGroup}/${crdKind}`, { key, via: `CustomResourceDefinition ${name}` });
      } else if (SOURCE_KINDS.has(String(o.kind)) && group === 'source.toolkit.fluxcd.io') {
        add(p.sources, `${String(o.kind)}/${namespace ?? 'default'}/${name}`, { key, via: `${String(o.kind)} ${namespace ?? 'default'}/${name}` });
      } else if (o.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
        const ns = namespace ?? 'default';
        let chart = str(o, ['spec', 'chart', 'spec', 'chart']);
        if (!chart && str(o, ['spec', 'chartRef', 'kind']) === 'OCIRepository') {
          const url = ociUrls.get(`${str(o, ['spec', 'chartRef', 'namespace']) ?? ns}/${str(o, ['spec', 'chartRef', 'name']) ?? ''}`);
          chart = url ? chartNameOfOciUrl(url) : undefined;
        }
        for (const g of (chart && apiGroupsOfChart(chart)) || []) add(p.chartGroups, g, { key, via: `HelmRelease ${ns}/${name} (chart ${chart})` });
      }
    }
  }
  return p;
}

/** Providers `from` needs and does not wait for, with the reasons (deduplicated, in render order). */
function needsOf(view: ClusterView, providers: Providers, from: NodeKey): Map<NodeKey, string[]> {
  const k = view.kustomizations.get(from)!;
  const needs = new Map<NodeKey, string[]>();
  const satisfied = new Map<NodeKey, boolean>();
  // Kustomizations `from` applies come after it by construction; asking it to wait for them would deadlock.
  const isSatisfied = (p: NodeKey) => {
    let ok = satisfied.get(p);
    if (ok === undefined) satisfied.set(p, (ok = p === from || appliersOf(view, p).includes(from) || waitsFor(view, from, p)));
    return ok;
  };
  const need = (candidates: Provider[] | undefined, reason: (p: Provider) => string) => {
    if (!candidates || candidates.length === 0) return;
    if (candidates.some((p) => isSatisfied(p.key))) return;
    const p = candidates[0];
    const reasons = needs.get(p.key) ?? [];
    const text = reason(p);
    if (!reasons.includes(text)) reasons.push(text);
    needs.set(p.key, reasons);
  };

  if (k.ks.sourceRef && SOURCE_KINDS.has(k.ks.sourceRef.kind)) {
    const ref = k.ks.sourceRef;
    need(providers.sources.get(`${ref.kind}/${ref.namespace}/${ref.name}`), (p) => `its source ${p.via}`);
  }
  for (const { object: o } of k.result.resources) {
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
    const { group, version } = splitApiVersion(o.apiVersion);
    const { name, namespace } = metaOf(o);
    if (group !== '') {
      const crd = providers.crds.get(`${group}/${o.kind}`);
      need(crd ?? providers.chartGroups.get(group), (p) => `${o.kind} objects (${group}) whose CRD comes from ${p.via}`);
    }
    if (namespace && o.kind !== 'Namespace' && isNamespaced({ group, version, kind: o.kind })) {
      need(providers.namespaces.get(namespace), () => `objects in namespace ${namespace}, which it creates`);
    }
    if (o.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
      const ns = namespace ?? 'default';
      const chartRef = isObject(getPath(o, ['spec', 'chartRef'])) ? ['spec', 'chartRef'] : ['spec', 'chart', 'spec', 'sourceRef'];
      const kind = str(o, [...chartRef, 'kind']) ?? 'HelmRepository';
      const refName = str(o, [...chartRef, 'name']);
      if (refName) need(providers.sources.get(`${kind}/${str(o, [...chartRef, 'namespace']) ?? ns}/${refName}`), (p) => `HelmRelease ${ns}/${name ?? ''} using ${p.via}`);
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

function findingFor(index: Parameters<Rule['check']>[0]['index'], view: ClusterView, from: NodeKey, provider: NodeKey, reasons: string[]): Finding | undefined {
  const { ks } = view.kustomizations.get(from)!;
  const source = documentOf(index, ks.place);
  if (!source) return undefined;
  const dependsOnWritten = getPath(source.doc.value, ['spec', 'dependsOn']) !== undefined;
  const range = (dependsOnWritten ? source.doc.locate(['spec', 'dependsOn'], { key: true }) : undefined) ?? source.doc.locate(['metadata', 'name']);
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
    ...(edit ? { fixes: [{ title: `Add dependsOn ${providerName}`, edits: [edit], preferred: true }] } : {}),
  };
}

