// Environments of a fleet repository. With Flux: one per cluster of the Flux graph (fluxGraph.ts: from each
// cluster's roots, every Kustomization as Flux applies it). Without Flux: overlay folders (leaf
// kustomization folders under overlays/, envs/, environments/, or siblings of a `base` folder), grouped by name.
// Promotion order: a setting, else inferred from names (dev < test/qa < staging < prod/production).
import * as path from 'path';
import { dependsOnGraphOf } from '../flux/dependsOn';
import { isFluxKustomization, readFluxObject, type FluxKustomization } from '../flux/objects';
import type { FileSystem } from '../kustomize/fs';
import { nodeFileSystem } from '../kustomize/fs';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import { isWithin, normalize } from '../kustomize/loader';
import type { ClusterRoot } from './clusterRoots';
import { buildFluxGraph, type ClusterGraph, type FluxGraph, type GraphOptions } from './fluxGraph';
import { isObject } from '../kustomize/resource';
import type { JsonObject, Problem } from '../kustomize/types';
import { parseYamlFileCached, type ParseLimits } from '../kustomize/yaml/parse';

export interface Environment {
  name: string;
  kind: 'flux' | 'overlay';
  /** Flux: the cluster entry folder. Overlay: every overlay folder of that name. */
  dirs: string[];
  /** Flux Kustomizations found for the environment (by file location), in dependsOn order. */
  kustomizations: FluxKustomization[];
  /** Position in the promotion order, 0 first. */
  order: number;
  /** Flux: where Flux starts on the cluster (bootstrap, FluxInstance, spoke...). */
  roots?: ClusterRoot[];
  /** Flux: the cluster's part of the Flux graph, every Kustomization as applied, with its source and build. */
  cluster?: ClusterGraph;
}

export interface DiscoverOptions extends Partial<
  Pick<GraphOptions, 'deadline' | 'cache' | 'renderIndependent' | 'strictSubstitution' | 'standInsFor'>
> {
  repoRoot: string;
  /** YAML files of the repository (scanFleet's `files`). */
  files: readonly string[];
  fs?: FileSystem;
  /** The promotion-order setting: environment names, first to last. Names not listed follow, inferred. */
  promotionOrder?: readonly string[];
  /** Bound on Kustomizations followed per environment. */
  maxKustomizations?: number;
  /** Bounds on each YAML file read (the index's, undefined when they are the defaults); defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
}

export interface Discovery {
  environments: Environment[];
  problems: Problem[];
  /** The Flux graph the environments come from (what it read, the Kustomizations nothing applies). */
  graph?: FluxGraph;
}

export interface FoundDocument {
  file: string;
  documentIndex: number;
  object: JsonObject;
}

/** Every mapping document in the files (parsed through the shared cache); a file past `parseLimits` gives what it has before the limit. */
export function readDocuments(fs: FileSystem, files: readonly string[], parseLimits?: Partial<ParseLimits>): FoundDocument[] {
  const out: FoundDocument[] = [];
  for (const file of files) {
    const text = fs.readFile(file);
    if (text === undefined) continue;
    const parsed = parseYamlFileCached(file, text, parseLimits);
    for (const doc of parsed.documents) if (isObject(doc.value)) out.push({ file, documentIndex: doc.index, object: doc.value });
  }
  return out;
}

/** Reads a Flux Kustomization from a document of a file, with ranges of its fields; `parseLimits` as the document was read with. */
export function readKustomizationAt(
  fs: FileSystem,
  found: FoundDocument,
  defaultNamespace?: string,
  parseLimits?: Partial<ParseLimits>,
): { value?: FluxKustomization; problems: Problem[] } {
  const text = fs.readFile(found.file) ?? '';
  const doc = parseYamlFileCached(found.file, text, parseLimits).documents[found.documentIndex];
  const place = {
    file: found.file,
    documentIndex: found.documentIndex,
    ...(doc ? { range: doc.range, rangeOf: (p: ReadonlyArray<string | number>) => doc.locate(p) } : {}),
  };
  const read = readFluxObject(found.object, place, defaultNamespace ? { defaultNamespace } : {});
  return { value: isFluxKustomization(read.value) ? read.value : undefined, problems: read.problems };
}

const RANKS: Array<{ rank: number; pattern: RegExp }> = [
  { rank: 0, pattern: /^(local|sandbox|dev|develop|development)$/ },
  { rank: 1, pattern: /^(test|testing|qa|int|integration|sit)$/ },
  { rank: 2, pattern: /^(stage|staging|stg|preprod|pre-prod|pre-production|uat|acceptance)$/ },
  { rank: 3, pattern: /^(prod|production|prd|live)$/ },
];

/** Where a name falls in the usual promotion order: any `-`/`_`/`/` separated word counts (`eu-prod`, `prod/eu`). */
export function inferredRank(name: string): number {
  const words = name.toLowerCase().split(/[-_/.]/);
  let found: number | undefined;
  for (const { rank, pattern } of RANKS) if (words.some((w) => pattern.test(w))) found = found === undefined ? rank : Math.max(found, rank);
  // Unknown names sit between staging and production: never promoted into production by accident.
  return found ?? 2.5;
}

/** Sorts names for promotion: the setting's order first, then inferred rank, then name. */
export function promotionOrder(names: readonly string[], setting?: readonly string[]): string[] {
  const listed = new Map((setting ?? []).map((n, i) => [n, i]));
  return [...names].sort((a, b) => {
    const la = listed.get(a);
    const lb = listed.get(b);
    if (la !== undefined || lb !== undefined) return (la ?? Infinity) - (lb ?? Infinity);
    return inferredRank(a) - inferredRank(b) || (a < b ? -1 : a > b ? 1 : 0);
  });
}

export function discoverEnvironments(options: DiscoverOptions): Discovery {
  const fs = options.fs ?? nodeFileSystem;
  const repoRoot = normalize(options.repoRoot);
  const graph = buildFluxGraph({ ...options, repoRoot, fs, maxKustomizations: options.maxKustomizations });
  let environments: Environment[] = graph.clusters.map((cluster) => fluxEnvironment(cluster));
  // Without Flux roots, the overlays still are environments.
  if (environments.length === 0) environments = overlayEnvironments(fs, repoRoot, options.files);
  const ordered = promotionOrder(
    environments.map((e) => e.name),
    options.promotionOrder,
  );
  for (const env of environments) env.order = ordered.indexOf(env.name);
  environments.sort((a, b) => a.order - b.order);
  return { environments, problems: graph.problems, graph };
}

function fluxEnvironment(cluster: ClusterGraph): Environment {
  const all = [...cluster.nodes.values()].map((n) => n.kustomization);
  const order = dependsOnGraphOf(all);
  const kustomizations = order.order.map((k) => order.nodes.get(k)).filter((k): k is FluxKustomization => k !== undefined);
  const dirs = [...new Set(cluster.roots.map((r) => r.folder ?? path.posix.dirname(r.file)))];
  return { name: cluster.name, kind: 'flux', dirs, kustomizations, order: 0, roots: cluster.roots, cluster };
}

const OVERLAY_PARENTS = new Set(['overlays', 'envs', 'environments']);

function overlayEnvironments(fs: FileSystem, repoRoot: string, files: readonly string[]): Environment[] {
  const names = new Set<string>(KUSTOMIZATION_FILE_NAMES);
  const kdirs = [...new Set(files.filter((f) => names.has(path.posix.basename(f))).map((f) => path.posix.dirname(f)))].sort();
  const byName = new Map<string, string[]>();
  const add = (name: string, dir: string) => {
    const list = byName.get(name) ?? [];
    if (!list.includes(dir)) list.push(dir);
    byName.set(name, list);
  };
  for (const dir of kdirs) {
    const rel = path.posix.relative(repoRoot, dir);
    if (rel.startsWith('..')) continue;
    const segments = rel.split('/');
    const hasChild = kdirs.some((d) => d !== dir && isWithin(d, dir));
    const parentIndex = segments.findIndex((s, i) => OVERLAY_PARENTS.has(s) && i < segments.length - 1);
    if (parentIndex >= 0) {
      if (!hasChild) add(segments.slice(parentIndex + 1).join('/'), dir);
      continue;
    }
    const base = path.posix.basename(dir);
    if (base !== 'base' && fs.kind(path.posix.join(path.posix.dirname(dir), 'base')) === 'dir' && !hasChild) add(base, dir);
  }
  return [...byName.entries()].map(([name, dirs]) => ({ name, kind: 'overlay' as const, dirs, kustomizations: [], order: 0 }));
}
