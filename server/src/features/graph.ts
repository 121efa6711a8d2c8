// The dependsOn graph of one environment for drawing: a node per Flux Kustomization its render reaches,
// `declared` edges for written dependsOn entries (from the dependent to what it waits for), `unknown`
// edges to entries naming no Kustomization, `missing` edges where the dependson-missing rule says a
// dependsOn should exist, and cycle members marked. Reads cached renders and the rules' findings.
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf, type NodeKey } from '../flux/dependsOn';
import type { FluxKustomization } from '../flux/objects';
import type { DependencyGraph, GraphEdge, GraphNode } from '../protocol';
import { dependsonMissing } from '../rules/dependson-missing';
import { clusterViews, type ClusterView } from '../rules/support/fluxClusters';
import { runRules, type Diagnostic } from '../rules/run';
import { fileUri } from './diagnostics';
import { indexOfEnvironment, ZERO_RANGE, type Indexes } from './renderedText';

export interface DependencyGraphParams {
  environment: string;
  /** The current diagnostics (runRules); when absent, the dependson-missing rule is run for this graph. */
  diagnostics?: readonly Diagnostic[];
}

export function dependencyGraph(indexes: Indexes, params: DependencyGraphParams): DependencyGraph {
  try {
    const index = indexOfEnvironment(indexes, params.environment);
    const view = index ? clusterViews(index).find((v) => v.name === params.environment) : undefined;
    if (!index || !view) return { nodes: [], edges: [] };
    return build(index, view, params.diagnostics);
  } catch {
    return { nodes: [], edges: [] };
  }
}

function build(index: FleetIndex, view: ClusterView, given: readonly Diagnostic[] | undefined): DependencyGraph {
  const cycleOf = new Map<NodeKey, number>();
  view.graph.cycles.forEach((walk, i) => walk.forEach((key) => cycleOf.set(key, i)));
  const nodes = new Map<NodeKey, GraphNode>();
  for (const { ks, key } of view.kustomizations.values()) {
    nodes.set(key, {
      id: key,
      name: ks.name,
      namespace: ks.namespace,
      location: locationOf(ks, ['metadata', 'name']),
      inCycle: cycleOf.has(key),
    });
  }
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (edge: GraphEdge) => {
    const id = `${edge.kind}\n${edge.from}\n${edge.to}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.push(edge);
  };
  for (const [from, targets] of view.graph.dependencies) {
    for (const to of targets) {
      const inCycle = cycleOf.has(from) && cycleOf.get(from) === cycleOf.get(to);
      addEdge({ from, to, kind: 'declared', ...(inCycle ? { inCycle } : {}) });
    }
  }
  for (const { from, ref } of view.graph.unknown) {
    const to = keyOf(ref);
    if (!nodes.has(to)) {
      nodes.set(to, {
        id: to,
        name: ref.name,
        namespace: ref.namespace,
        location: locationOf(from, [...ref.path, 'name']),
        inCycle: false,
        unknown: true,
      });
    }
    addEdge({ from: keyOf(from), to, kind: 'unknown' });
  }
  const diagnostics = given ?? runRules(index, { rules: [dependsonMissing] }).diagnostics;
  for (const d of diagnostics) {
    if (d.rule !== dependsonMissing.id) continue;
    const from = d.data?.kustomization;
    const to = d.data?.provider;
    if (!from || !to || !nodes.has(from) || !nodes.has(to)) continue;
    addEdge({ from, to, kind: 'missing', message: d.message });
  }
  return { nodes: [...nodes.values()], edges };
}

function locationOf(ks: FluxKustomization, path: Array<string | number>): GraphNode['location'] {
  return { uri: fileUri(ks.place.file), range: ks.place.rangeOf?.(path) ?? ks.place.range ?? ZERO_RANGE };
}
