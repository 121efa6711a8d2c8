// A targetNamespace nobody creates: the apply fails with "namespace not found" unless the namespace
// happens to exist already. It must come from the Kustomization itself, one it depends on, or one
// that applies it.
import { transitiveDependencies, type NodeKey } from '../flux/dependsOn';
import { isObject } from '../kustomize/resource';
import { addDependsOnEdit, appliersOf, clusterViews, documentOf, shortKey, uniqueFindings, type ClusterView } from './support/fluxClusters';
import type { Finding, Rule } from './rule';

/** Namespaces every cluster running Flux has. */
const ALWAYS_THERE = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

export const targetnamespaceMissing: Rule = {
  id: 'targetnamespace-missing',
  severity: 'warning',
  category: 'flux',
  description: 'targetNamespace that no Kustomization of the dependsOn closure creates as a Namespace.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    const views = clusterViews(index);
    const hubCreators = new Map<string, Map<string, NodeKey[]>>();
    const clusterOf = new Map(index.environments().environments.map((e) => [e.name, e.cluster]));
    for (const view of views) {
      if (isCancelled()) break;
      let creators: Map<string, NodeKey[]> | undefined;
      for (const k of view.kustomizations.values()) {
        const target = k.ks.targetNamespace;
        if (!target || ALWAYS_THERE.has(target)) continue;
        // A spoke's Kustomization that lives on the hub (its HelmReleases carry the kubeConfig) applies into
        // the hub's namespaces: one the hub creates is there.
        const hub = clusterOf.get(view.name)?.nodes.get(k.key)?.reconciledOn;
        const hubView = hub !== undefined ? views.find((v) => v.name === hub) : undefined;
        if (hubView) {
          if (!hubCreators.has(hub!)) hubCreators.set(hub!, namespaceCreators(hubView));
          if (hubCreators.get(hub!)!.has(target)) continue;
        }
        creators ??= namespaceCreators(view);
        const closure = new Set<NodeKey>([k.key, ...transitiveDependencies(view.graph, k.key), ...appliersOf(view, k.key)]);
        const by = creators.get(target) ?? [];
        if (by.some((c) => closure.has(c))) continue;
        const source = documentOf(index, k.ks.place);
        const range = source?.doc.locate(['spec', 'targetNamespace']);
        if (!source || !range) continue;
        const provider = by.find((c) => !appliersOf(view, c).includes(k.key));
        const edit = provider ? addDependsOnEdit(k.ks, source, provider) : undefined;
        const providerName = provider ? shortKey(provider, k.ks.namespace) : undefined;
        findings.push({
          file: k.ks.place.file,
          range,
          message: providerName
            ? `targetNamespace "${target}" is created by Kustomization "${providerName}", which "${k.ks.name}" does not depend on: the apply can fail with namespace not found. Add dependsOn: - name: ${providerName}.`
            : `targetNamespace "${target}" is not created by "${k.ks.name}" or any Kustomization it depends on: the apply fails with namespace not found unless the namespace already exists. Add a Namespace ${target} to its resources, or depend on the Kustomization that creates it.`,
          ...(edit && providerName ? { fixes: [{ title: `Add dependsOn ${providerName}`, edits: [edit], preferred: true }] } : {}),
        });
      }
    }
    return uniqueFindings(findings);
  },
};

function namespaceCreators(view: ClusterView): Map<string, NodeKey[]> {
  const out = new Map<string, NodeKey[]>();
  for (const { key, result } of view.kustomizations.values()) {
    for (const { object: o } of result.resources) {
      if (o.kind !== 'Namespace' || o.apiVersion !== 'v1' || !isObject(o.metadata) || typeof o.metadata.name !== 'string') continue;
      const list = out.get(o.metadata.name) ?? [];
      if (!list.includes(key)) list.push(key);
      out.set(o.metadata.name, list);
    }
  }
  return out;
}
