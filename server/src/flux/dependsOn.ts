// The dependsOn graph of one cluster's Flux Kustomizations: which entries name nothing, which
// Kustomizations wait on each other forever (cycles), the order the controller can apply them in,
// and whether one waits on another. Everything is iterative: fleets have long chains and big cycles.
import { nearestNames } from '../util/editDistance';
import type { Place, Problem, Range } from '../kustomize/types';
import type { DependencyRef, FluxKustomization } from './objects';

/** `namespace/name`: how a Kustomization is found by a dependsOn entry. */
export type NodeKey = string;

/** What the graph reads of an object: Kustomizations and HelmReleases both have it. */
export type DependsOnNode = Pick<FluxKustomization, 'name' | 'namespace' | 'dependsOn' | 'place'>;

export interface UnknownDependency<T extends DependsOnNode = FluxKustomization> {
  from: T;
  ref: DependencyRef;
  /** Keys of existing Kustomizations the entry probably meant, nearest first. */
  suggestions: NodeKey[];
}

export interface DependsOnGraph<T extends DependsOnNode = FluxKustomization> {
  /** One Kustomization per key (the first one read wins when a key repeats). */
  nodes: Map<NodeKey, T>;
  /** Resolved edges: key -> keys it depends on, in written order, without repeats. */
  dependencies: Map<NodeKey, NodeKey[]>;
  /** The reverse: key -> keys that depend on it. */
  dependents: Map<NodeKey, NodeKey[]>;
  unknown: Array<UnknownDependency<T>>;
  /**
   * Every dependency cycle: one per strongly connected component with more than one member, or a
   * Kustomization depending on itself. Each is a closed walk in dependsOn direction starting at its
   * smallest key (`[a, b, c]` means a -> b -> c -> a), covering at least every member once.
   */
  cycles: NodeKey[][];
  /** Apply order: dependencies first; ties broken by key; members of a cycle kept together, by key. */
  order: NodeKey[];
  problems: Problem[];
}

export function keyOf(k: { namespace: string; name: string }): NodeKey {
  return `${k.namespace}/${k.name}`;
}

function placeOf(k: DependsOnNode, path?: ReadonlyArray<string | number>): Place {
  const range: Range | undefined = (path ? k.place.rangeOf?.(path) : undefined) ?? k.place.range;
  return { file: k.place.file, ...(range ? { range } : {}) };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The graphs built last, by the objects they were built from: the Flux graph is walked again after every
 * edit and most of its Kustomizations (and HelmReleases) are the same objects as before, read from the
 * renders the edit did not touch, so their graph is the same too.
 */
const recentGraphs: Array<{ items: readonly DependsOnNode[]; graph: DependsOnGraph<DependsOnNode> }> = [];

/** `buildDependsOnGraph`, reused while built from the same objects in the same order; the graph must not be changed. */
export function dependsOnGraphOf<T extends DependsOnNode>(items: readonly T[]): DependsOnGraph<T> {
  const known = recentGraphs.find((g) => g.items.length === items.length && g.items.every((item, i) => item === items[i]));
  if (known) return known.graph as unknown as DependsOnGraph<T>;
  const graph = buildDependsOnGraph(items);
  recentGraphs.unshift({ items, graph: graph as unknown as DependsOnGraph<DependsOnNode> });
  recentGraphs.length = Math.min(recentGraphs.length, 8);
  return graph;
}

/** Builds the graph and reports unknown targets, duplicates and cycles as problems. */
export function buildDependsOnGraph<T extends DependsOnNode = FluxKustomization>(kustomizations: ReadonlyArray<T>): DependsOnGraph<T> {
  const nodes = new Map<NodeKey, T>();
  const problems: Problem[] = [];
  for (const k of kustomizations) {
    const key = keyOf(k);
    const first = nodes.get(key);
    if (first) {
      problems.push({
        code: 'flux-duplicate-kustomization',
        severity: 'error',
        message: `Kustomization "${key}" is defined twice in this cluster; the cluster keeps only one of them. Rename one or remove it.`,
        ...placeOf(k, ['metadata', 'name']),
        related: [{ ...placeOf(first, ['metadata', 'name']), message: 'first definition' }],
      });
      continue;
    }
    nodes.set(key, k);
  }

  const dependencies = new Map<NodeKey, NodeKey[]>();
  const dependents = new Map<NodeKey, NodeKey[]>();
  for (const key of nodes.keys()) dependents.set(key, []);
  const unknown: Array<UnknownDependency<T>> = [];
  const allKeys = [...nodes.keys()];
  for (const [key, k] of nodes) {
    const targets: NodeKey[] = [];
    for (const ref of k.dependsOn) {
      const target = keyOf(ref);
      if (!nodes.has(target)) {
        const suggestions = suggest(ref, allKeys);
        unknown.push({ from: k, ref, suggestions });
        problems.push({
          code: 'flux-depends-on-unknown',
          severity: 'error',
          message: unknownMessage(k, ref, suggestions),
          ...placeOf(k, [...ref.path, 'name']),
        });
        continue;
      }
      if (!targets.includes(target)) targets.push(target);
    }
    dependencies.set(key, targets);
    for (const t of targets) dependents.get(t)!.push(key);
  }

  const components = stronglyConnectedComponents(allKeys, dependencies);
  const cycles: NodeKey[][] = [];
  const componentOf = new Map<NodeKey, number>();
  components.forEach((members, index) => {
    for (const m of members) componentOf.set(m, index);
  });
  for (const members of components) {
    const selfLoop = members.length === 1 && dependencies.get(members[0])!.includes(members[0]);
    if (members.length < 2 && !selfLoop) continue;
    const cycle = cycleThrough(members, dependencies, componentOf);
    cycles.push(cycle);
    const shown = cycle.length > 8 ? [...cycle.slice(0, 6), `… ${cycle.length - 6} more`] : cycle;
    const text = [...shown, cycle[0]].join(' -> ');
    // A closed walk can pass a node twice; report each edge once.
    const reported = new Set<string>();
    for (let i = 0; i < cycle.length; i++) {
      const from = cycle[i];
      const to = cycle[(i + 1) % cycle.length];
      if (reported.has(`${from}\n${to}`)) continue;
      reported.add(`${from}\n${to}`);
      const k = nodes.get(from)!;
      const ref = k.dependsOn.find((d) => keyOf(d) === to);
      problems.push({
        code: 'flux-depends-on-cycle',
        severity: 'error',
        message: `dependsOn cycle: ${text}. None of these Kustomizations will ever be applied; remove one of the dependsOn entries.`,
        ...placeOf(k, ref ? [...ref.path, 'name'] : ['spec', 'dependsOn']),
      });
    }
  }

  const order = topologicalOrder(components, componentOf, dependencies);
  return { nodes, dependencies, dependents, unknown, cycles, order, problems };
}

function suggest(ref: DependencyRef, keys: NodeKey[]): NodeKey[] {
  const sameName = keys.filter((k) => k.slice(k.indexOf('/') + 1) === ref.name);
  if (sameName.length > 0) return sameName.sort(compareKeys).slice(0, 3);
  const sameNamespace = keys.filter((k) => k.startsWith(ref.namespace + '/'));
  const byName = nearestNames(
    ref.name,
    sameNamespace.map((k) => k.slice(ref.namespace.length + 1)),
  );
  if (byName.length > 0) return byName.map((n) => `${ref.namespace}/${n}`);
  return nearestNames(keyOf(ref), keys);
}

function unknownMessage(k: DependsOnNode, ref: DependencyRef, suggestions: NodeKey[]): string {
  const where = ref.namespaceWritten
    ? `namespace "${ref.namespace}"`
    : `namespace "${ref.namespace}" (the namespace of "${k.name}", since the entry names none)`;
  let message = `dependsOn "${ref.name}" names no Kustomization in ${where}; "${keyOf(k)}" would wait for it forever.`;
  if (suggestions.length > 0) {
    const first = suggestions[0];
    const [ns, name] = [first.slice(0, first.indexOf('/')), first.slice(first.indexOf('/') + 1)];
    message +=
      name === ref.name
        ? ` Did you mean the one in namespace "${ns}"? Add namespace: ${ns}.`
        : ` Did you mean "${ns === ref.namespace ? name : first}"?`;
  } else {
    message += ' Fix the name or remove the entry.';
  }
  return message;
}

/** Tarjan's algorithm with an explicit stack. Components come out dependencies-first (reverse topological of the dependsOn direction). */
export function stronglyConnectedComponents(
  keys: ReadonlyArray<NodeKey>,
  edges: ReadonlyMap<NodeKey, ReadonlyArray<NodeKey>>,
): NodeKey[][] {
  const index = new Map<NodeKey, number>();
  const low = new Map<NodeKey, number>();
  const onStack = new Set<NodeKey>();
  const stack: NodeKey[] = [];
  const components: NodeKey[][] = [];
  let counter = 0;
  const sortedKeys = [...keys].sort(compareKeys);
  for (const root of sortedKeys) {
    if (index.has(root)) continue;
    const frames: Array<{ node: NodeKey; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const out = edges.get(frame.node) ?? [];
      if (frame.next < out.length) {
        const target = out[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const members: NodeKey[] = [];
        let member: NodeKey;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          members.push(member);
        } while (member !== frame.node);
        components.push(members.sort(compareKeys));
      }
    }
  }
  return components;
}

/**
 * A closed walk through every member of a strongly connected component, from its smallest key:
 * repeatedly the shortest path (BFS inside the component) to the nearest member not yet visited,
 * then back to the start. For a simple ring this is the ring itself.
 */
function cycleThrough(
  members: NodeKey[],
  edges: ReadonlyMap<NodeKey, ReadonlyArray<NodeKey>>,
  componentOf: ReadonlyMap<NodeKey, number>,
): NodeKey[] {
  const start = members[0];
  const component = componentOf.get(start);
  if (members.length === 1) return [start];
  const walk: NodeKey[] = [start];
  const visited = new Set<NodeKey>([start]);
  let current = start;
  // Each round visits at least one new member, so at most members.length rounds.
  for (let round = 0; round <= members.length && visited.size < members.length; round++) {
    const path = shortestPath(
      current,
      (n) => !visited.has(n),
      edges,
      (n) => componentOf.get(n) === component,
    );
    if (!path) break;
    for (const n of path.slice(1)) {
      walk.push(n);
      visited.add(n);
    }
    current = path[path.length - 1];
  }
  const back = shortestPath(
    current,
    (n) => n === start,
    edges,
    (n) => componentOf.get(n) === component,
  );
  if (back) walk.push(...back.slice(1, -1));
  return walk;
}

function shortestPath(
  from: NodeKey,
  isGoal: (n: NodeKey) => boolean,
  edges: ReadonlyMap<NodeKey, ReadonlyArray<NodeKey>>,
  allowed: (n: NodeKey) => boolean = () => true,
): NodeKey[] | undefined {
  const previous = new Map<NodeKey, NodeKey>();
  const queue: NodeKey[] = [from];
  const seen = new Set<NodeKey>([from]);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of edges.get(node) ?? []) {
      if (!allowed(next)) continue;
      if (isGoal(next)) {
        const path = [next, node];
        let cur = node;
        while (cur !== from) {
          cur = previous.get(cur)!;
          path.push(cur);
        }
        return path.reverse();
      }
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, node);
      queue.push(next);
    }
  }
  return undefined;
}

/** Kahn's algorithm over the components, always taking the ready component with the smallest key. */
function topologicalOrder(
  components: NodeKey[][],
  componentOf: ReadonlyMap<NodeKey, number>,
  dependencies: ReadonlyMap<NodeKey, ReadonlyArray<NodeKey>>,
): NodeKey[] {
  const waitingOn = components.map(() => 0);
  const unblocks: number[][] = components.map(() => []);
  components.forEach((members, c) => {
    const seen = new Set<number>();
    for (const m of members) {
      for (const d of dependencies.get(m) ?? []) {
        const dc = componentOf.get(d)!;
        if (dc === c || seen.has(dc)) continue;
        seen.add(dc);
        waitingOn[c]++;
        unblocks[dc].push(c);
      }
    }
  });
  const heap = new MinHeap<number>((a, b) => compareKeys(components[a][0], components[b][0]));
  components.forEach((_, c) => {
    if (waitingOn[c] === 0) heap.push(c);
  });
  const order: NodeKey[] = [];
  while (heap.size > 0) {
    const c = heap.pop()!;
    order.push(...components[c]);
    for (const next of unblocks[c]) if (--waitingOn[next] === 0) heap.push(next);
  }
  return order;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i], a[p]) >= 0) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.less(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The shortest dependsOn chain from `from` to `to` (`[from, ..., to]`): `from` waits, directly or
 * through others, until `to` is ready. Undefined when it does not; `[from]` when they are the same.
 */
export function dependsOnPath<T extends DependsOnNode>(graph: DependsOnGraph<T>, from: NodeKey, to: NodeKey): NodeKey[] | undefined {
  if (!graph.nodes.has(from) || !graph.nodes.has(to)) return undefined;
  if (from === to) return [from];
  return shortestPath(from, (n) => n === to, graph.dependencies);
}

/** Every Kustomization `key` waits for, directly or transitively (not including itself unless in a cycle). */
export function transitiveDependencies<T extends DependsOnNode>(graph: DependsOnGraph<T>, key: NodeKey): Set<NodeKey> {
  const out = new Set<NodeKey>();
  const queue = [...(graph.dependencies.get(key) ?? [])];
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head];
    if (out.has(n)) continue;
    out.add(n);
    for (const d of graph.dependencies.get(n) ?? []) if (!out.has(d)) queue.push(d);
  }
  return out;
}
