// A dependsOn entry naming nothing in its cluster: the controller waits for it forever and never
// applies the object (Kustomizations name Kustomizations, HelmReleases name HelmReleases).
import type { FleetIndex } from '../fleet/fleetIndex';
import type { UnknownDependency } from '../flux/dependsOn';
import type { DependsOnNode } from '../flux/dependsOn';
import { insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import { clusterViews, documentOf, uniqueFindings } from './support/fluxClusters';
import type { Finding, Fix, Rule, TextEdit } from './rule';

export const dependsonUnknown: Rule = {
  id: 'dependson-unknown',
  severity: 'error',
  category: 'flux',
  description: 'dependsOn entry naming no Kustomization (HelmRelease: no HelmRelease) of the same cluster.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    const views = clusterViews(index);
    // Where else each named object exists: in another cluster (a certain mistake here), or nowhere in the
    // repository (another repository may create it on this cluster: a warning).
    const clustersOf = new Map<string, Set<string>>();
    for (const view of views) {
      for (const key of view.kustomizations.keys()) addTo(clustersOf, `Kustomization/${key}`, view.name);
      for (const key of view.releaseGraph.nodes.keys()) addTo(clustersOf, `HelmRelease/${key}`, view.name);
    }
    for (const view of views) {
      if (isCancelled()) break;
      for (const u of view.graph.unknown)
        pushFinding(index, findings, u, 'Kustomization', clustersOf.get(`Kustomization/${u.ref.namespace}/${u.ref.name}`));
      for (const u of view.releaseGraph.unknown)
        pushFinding(index, findings, u, 'HelmRelease', clustersOf.get(`HelmRelease/${u.ref.namespace}/${u.ref.name}`));
    }
    return uniqueFindings(findings);
  },
};

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function pushFinding(
  index: FleetIndex,
  findings: Finding[],
  u: UnknownDependency<DependsOnNode>,
  kind: string,
  otherClusters: Set<string> | undefined,
): void {
  const source = documentOf(index, u.from.place);
  const range = source?.doc.locate([...u.ref.path, 'name']);
  if (!source || !range) return;
  const { ref } = u;
  const where = ref.namespaceWritten
    ? `namespace "${ref.namespace}"`
    : `namespace "${ref.namespace}" (the entry names none, so ${kind === 'HelmRelease' ? 'the release' : 'the Kustomization'}'s own)`;
  let advice = `Fix the name, or remove the entry if "${u.from.name}" needs nothing first.`;
  const fixes: Fix[] = [];
  u.suggestions.forEach((suggestion, i) => {
    const ns = suggestion.slice(0, suggestion.indexOf('/'));
    const name = suggestion.slice(suggestion.indexOf('/') + 1);
    const edits: TextEdit[] = [];
    if (name !== ref.name) {
      const e = replaceValue(u.from.place.file, source.doc, [...ref.path, 'name'], name);
      if (e) edits.push(e);
    }
    if (ns !== ref.namespace) {
      const e = ref.namespaceWritten
        ? replaceValue(u.from.place.file, source.doc, [...ref.path, 'namespace'], ns)
        : insertMapEntry(u.from.place.file, source.text, source.doc, ref.path, 'namespace', ns);
      if (e) edits.push(e);
    }
    const title = name === ref.name ? `Add namespace: ${ns}` : `Change to "${ns === ref.namespace ? name : suggestion}"`;
    if (i === 0)
      advice =
        name === ref.name
          ? `Did you mean the one in namespace "${ns}"? Add namespace: ${ns}.`
          : `Did you mean "${ns === ref.namespace ? name : suggestion}"?`;
    if (edits.length > 0) fixes.push({ title, edits, preferred: i === 0 });
  });
  findings.push({
    file: u.from.place.file,
    range,
    message: otherClusters
      ? `dependsOn "${ref.name}" names no ${kind} in ${where} of this cluster: it exists only in cluster ${[...otherClusters].join(', ')}, so "${u.from.name}" would wait for it forever. ${advice}`
      : `dependsOn "${ref.name}" names no ${kind} in ${where} of this cluster, nor anywhere in this repository; unless another repository creates it on this cluster, "${u.from.name}" waits for it forever. ${advice}`,
    ...(otherClusters || u.suggestions.length > 0 ? {} : { severity: 'warning' as const }),
    ...(fixes.length > 0 ? { fixes } : {}),
  });
}
