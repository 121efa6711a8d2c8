// Renders a whole environment. Flux: the cluster's part of the Flux graph (fluxGraph.ts) already holds each
// Kustomization as applied and what it builds; here they are put together in dependsOn order, each object
// tagged with the Kustomization that applies it, and objects two Kustomizations apply are reported.
// Overlay environments: each overlay folder rendered by kustomize.
import { buildDependsOnGraph, keyOf } from '../flux/dependsOn';
import type { FluxBuildResult } from '../flux/build';
import type { FluxKustomization } from '../flux/objects';
import type { BuildCache } from '../kustomize/buildCache';
import type { FileSystem } from '../kustomize/fs';
import { nodeFileSystem } from '../kustomize/fs';
import { normalize } from '../kustomize/loader';
import { renderKustomization, type RenderOutput } from '../kustomize/render';
import type { ParseLimits } from '../kustomize/yaml/parse';
import { idString, resIdOf } from '../kustomize/resource';
import type { JsonObject, Problem, Resource } from '../kustomize/types';
import type { Environment } from './environments';

export interface RenderedObject {
  object: JsonObject;
  resource: Resource;
  /** The Flux Kustomization that applies the object; undefined for overlay environments. */
  appliedBy?: FluxKustomization;
  /** For overlay environments, the overlay folder that rendered it. */
  overlay?: string;
}

export interface EnvironmentRender {
  environment: Environment;
  objects: RenderedObject[];
  /** Every Flux Kustomization rendered, in dependsOn order, with its own result. */
  kustomizations: Array<{ kustomization: FluxKustomization; result: FluxBuildResult }>;
  problems: Problem[];
  filesRead: Set<string>;
  /** Objects (by id) a second Kustomization applies again, in dependsOn order: the first owner, the second, its copy. */
  appliedTwice: Array<{ id: string; first: FluxKustomization; second: FluxKustomization; resource: Resource }>;
}

export interface EnvironmentRenderOptions {
  repoRoot: string;
  fs?: FileSystem;
  /** Bounds on each YAML file a render parses; defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
  /** Epoch milliseconds shared by every build of the environment; past it, the rest is not rendered. */
  deadline?: number;
  /** Folder builds kept between renders (the fleet index's). */
  cache?: BuildCache;
  /** The fleet index's remembered render of a folder, for overlay environments (the same options as its preview). */
  renderFolder?: (dir: string) => RenderOutput;
}

export function renderEnvironment(env: Environment, options: EnvironmentRenderOptions): EnvironmentRender {
  const fs = options.fs ?? nodeFileSystem;
  const repoRoot = normalize(options.repoRoot);
  const out: EnvironmentRender = {
    environment: env,
    objects: [],
    kustomizations: [],
    problems: [],
    filesRead: new Set(),
    appliedTwice: [],
  };
  if (env.kind === 'overlay') {
    for (const dir of env.dirs) {
      const r =
        options.renderFolder?.(dir) ??
        renderKustomization(dir, {
          fs,
          repoRoot,
          loadRestrictor: 'rootOnly',
          reorder: 'legacy',
          parseLimits: options.parseLimits,
          deadline: options.deadline,
          cache: options.cache,
        });
      out.problems.push(...r.problems);
      r.filesRead.forEach((f) => out.filesRead.add(f));
      for (const resource of r.resources) out.objects.push({ object: resource.object, resource, overlay: dir });
    }
    return out;
  }

  const cluster = env.cluster;
  if (!cluster) return out;
  const nodes = [...cluster.nodes.values()];
  const graph = buildDependsOnGraph(nodes.map((n) => n.kustomization));
  out.problems.push(...graph.problems);
  const seen = new Map<string, FluxKustomization>();
  for (const key of graph.order) {
    const node = cluster.nodes.get(key);
    const result = node?.result;
    if (!node || !result) continue;
    const ks = node.kustomization;
    out.kustomizations.push({ kustomization: ks, result });
    out.problems.push(...result.problems);
    result.filesRead.forEach((f) => out.filesRead.add(f));
    for (const resource of result.resources) {
      const id = idString(resIdOf(resource.object));
      const first = seen.get(id);
      if (first && keyOf(first) !== key) {
        out.appliedTwice.push({ id, first, second: ks, resource });
        out.problems.push({
          code: 'flux-object-applied-twice',
          severity: 'warning',
          message: `${id} is applied by both Kustomization ${keyOf(first)} and ${key}; the two fight over it on the cluster. Keep it in one of them.`,
          file: ks.place.file,
          ...(ks.place.range ? { range: ks.place.range } : {}),
        });
      } else if (!first) seen.set(id, ks);
      out.objects.push({ object: resource.object, resource, appliedBy: ks });
    }
  }
  for (const node of nodes) out.filesRead.add(node.kustomization.place.file);
  return out;
}
