// Kustomizations (or HelmReleases) that wait on each other in a ring are never applied: the
// controller keeps every member "dependency not ready" forever.
import type { FleetIndex } from '../fleet/fleetIndex';
import type { DependsOnGraph, DependsOnNode, NodeKey } from '../flux/dependsOn';
import { getPath } from '../kustomize/resource';
import { deleteLines, entryRange } from '../kustomize/yaml/edit';
import { clusterViews, documentOf, uniqueFindings } from './support/fluxClusters';
import type { Finding, Fix, Rule } from './rule';

/** Above this many edges in one ring, every entry shows the ring's overall walk instead of its own shortest loop. */
const MAX_EDGES_FOR_OWN_LOOP = 2000;

export const dependsonCycle: Rule = {
  id: 'dependson-cycle',
  severity: 'error',
  category: 'flux',
  description: 'dependsOn entries forming a cycle; none of its members is ever applied.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    for (const view of clusterViews(index)) {
      if (isCancelled()) break;
      cycleFindings(index, view.graph, 'Kustomization', findings);
      cycleFindings(index, view.releaseGraph, 'HelmRelease', findings);
    }
    return uniqueFindings(findings);
  },
};

function cycleFindings<T extends DependsOnNode>(index: FleetIndex, graph: DependsOnGraph<T>, kind: string, findings: Finding[]): void {
  for (const walk of graph.cycles) {
    const members = new Set(walk);
    const namespaces = new Set(walk.map((k) => k.slice(0, k.indexOf('/'))));
    const label = (k: NodeKey) => (namespaces.size === 1 ? k.slice(k.indexOf('/') + 1) : k);
    let edges = 0;
    for (const m of members) edges += (graph.dependencies.get(m) ?? []).filter((t) => members.has(t)).length;
    for (const from of members) {
      const node = graph.nodes.get(from);
      if (!node) continue;
      const source = documentOf(index, node.place);
      if (!source) continue;
      const reported = new Set<NodeKey>();
      for (const ref of node.dependsOn) {
        const to = `${ref.namespace}/${ref.name}`;
        if (!members.has(to) || reported.has(to)) continue;
        reported.add(to);
        const range = source.doc.locate([...ref.path, 'name']);
        if (!range) continue;
        const loop = edges <= MAX_EDGES_FOR_OWN_LOOP ? loopThrough(graph, from, to, members) : undefined;
        const ring = loop ?? rotate(walk, from);
        const shown = ring.length > 8 ? [...ring.slice(0, 6).map(label), `… ${ring.length - 6} more`] : ring.map(label);
        const text = [...shown, label(from)].join(' -> ');
        const fix = removeEntryFix(node, ref.path, source);
        findings.push({
          file: node.place.file,
          range,
          message: `dependsOn cycle: ${text}. No ${kind} of the cycle is ever applied; remove the dependsOn entry that is not a real need (this one or another of the cycle).`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  }
}

/** `[from, to, ..., last]` where last depends on `from`: the shortest loop using this edge, inside the ring. */
function loopThrough<T extends DependsOnNode>(
  graph: DependsOnGraph<T>,
  from: NodeKey,
  to: NodeKey,
  members: ReadonlySet<NodeKey>,
): NodeKey[] | undefined {
  if (from === to) return [from];
  const previous = new Map<NodeKey, NodeKey>([[to, to]]);
  const queue: NodeKey[] = [to];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of graph.dependencies.get(node) ?? []) {
      if (next === from) {
        const path: NodeKey[] = [];
        for (let cur = node; cur !== to; cur = previous.get(cur)!) path.push(cur);
        return [from, to, ...path.reverse()];
      }
      if (!members.has(next) || previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  return undefined;
}

function rotate(walk: NodeKey[], start: NodeKey): NodeKey[] {
  const i = walk.indexOf(start);
  return i <= 0 ? walk : [...walk.slice(i), ...walk.slice(0, i)];
}

function removeEntryFix(
  node: DependsOnNode,
  refPath: Array<string | number>,
  source: NonNullable<ReturnType<typeof documentOf>>,
): Fix | undefined {
  const listPath = refPath.slice(0, -1);
  const listKey = source.doc.locate(listPath, { key: true });
  const item = source.doc.locate(refPath);
  if (!listKey || !item || item.start.line === listKey.start.line) return undefined; // flow style: no safe line edit
  const list = getPath(source.doc.value, listPath);
  const only = Array.isArray(list) && list.length === 1;
  const range = only ? entryRange(source.doc, listPath) : item;
  if (!range) return undefined;
  return { title: `Remove this dependsOn entry`, edits: [deleteLines(node.place.file, source.text, range)] };
}
