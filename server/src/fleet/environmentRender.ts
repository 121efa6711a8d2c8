// Renders a whole environment. Flux: starting from the Kustomizations of the cluster entry folder,
// each Flux Kustomization is built as the controller would (flux/build.ts); Kustomizations found in
// what one applies are followed; the result is the union, in dependsOn order, each object tagged with
// the Kustomization that applies it. Overlay environments: each overlay folder rendered by kustomize.
import { buildDependsOnGraph, keyOf } from '../flux/dependsOn';
import { renderFluxKustomization, type FluxBuildResult } from '../flux/build';
import { isFluxKustomization, readFluxObject, type FluxKustomization } from '../flux/objects';
import type { FindObject, FoundObject } from '../flux/substitute';
import type { BuildCache } from '../kustomize/buildCache';
import type { FileSystem } from '../kustomize/fs';
import { nodeFileSystem } from '../kustomize/fs';
import { normalize } from '../kustomize/loader';
import { renderKustomization, type RenderOutput } from '../kustomize/render';
import { parseYamlFileCached, type ParsedFile, type ParseLimits } from '../kustomize/yaml/parse';
import { idString, isObject, resIdOf } from '../kustomize/resource';
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
}

export interface EnvironmentRenderOptions {
  repoRoot: string;
  fs?: FileSystem;
  /** YAML files of the repository, for ConfigMaps/Secrets that substituteFrom names but no Kustomization renders. */
  files?: readonly string[];
  strictSubstitution?: boolean;
  /** Bound on Kustomizations rendered per environment. */
  maxKustomizations?: number;
  /** Bounds on each YAML file a render parses; defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
  /** Epoch milliseconds shared by every build of the environment; past it, the rest is not rendered. */
  deadline?: number;
  /** Folder builds kept between renders (the fleet index's). */
  cache?: BuildCache;
  /**
   * The fleet index's remembered build of a Kustomization that reads no variables from other objects
   * (its result does not depend on the rest of the environment), so that an edit re-renders only the
   * Kustomizations that read the edited file.
   */
  renderIndependent?: (ks: FluxKustomization) => FluxBuildResult;
  /** The fleet index's remembered render of a folder, for overlay environments (the same options as its preview). */
  renderFolder?: (dir: string) => RenderOutput;
}

export function renderEnvironment(env: Environment, options: EnvironmentRenderOptions): EnvironmentRender {
  const fs = options.fs ?? nodeFileSystem;
  const repoRoot = normalize(options.repoRoot);
  const out: EnvironmentRender = { environment: env, objects: [], kustomizations: [], problems: [], filesRead: new Set() };
  if (env.kind === 'overlay') {
    for (const dir of env.dirs) {
      const r = options.renderFolder?.(dir) ?? renderKustomization(dir, { fs, repoRoot, loadRestrictor: 'rootOnly', reorder: 'legacy', parseLimits: options.parseLimits, deadline: options.deadline, cache: options.cache });
      out.problems.push(...r.problems);
      r.filesRead.forEach((f) => out.filesRead.add(f));
      for (const resource of r.resources) out.objects.push({ object: resource.object, resource, overlay: dir });
    }
    return out;
  }

  // Only Kustomizations with substituteFrom look objects up: most environments never need the repository's.
  let repoObjects: Map<string, FoundObject> | undefined;
  const rendered = new Map<string, JsonObject>();
  const findObject: FindObject = (kind, namespace, name) => {
    const hit = rendered.get(`${kind}/${namespace}/${name}`);
    if (hit) return { object: hit };
    repoObjects ??= indexRepoObjects(fs, options.files ?? [], options.parseLimits);
    return repoObjects.get(`${kind}/${namespace}/${name}`) ?? repoObjects.get(`${kind}//${name}`);
  };

  const max = options.maxKustomizations ?? 2000;
  const byKey = new Map<string, FluxKustomization>();
  const results = new Map<string, FluxBuildResult>();
  const ready: FluxKustomization[] = [];
  // Kustomizations reading variables from ConfigMaps/Secrets wait until everything else is rendered,
  // so that objects another Kustomization applies can be found.
  const waiting: FluxKustomization[] = [];
  const enqueue = (ks: FluxKustomization) => {
    const key = keyOf(ks);
    if (byKey.has(key)) return;
    if (byKey.size >= max) {
      out.problems.push({ code: 'environment-too-many-kustomizations', severity: 'warning', message: `environment ${env.name} has more than ${max} Flux Kustomizations; the rest are not rendered`, file: ks.place.file });
      return;
    }
    byKey.set(key, ks);
    (ks.postBuild && ks.postBuild.substituteFrom.length > 0 ? waiting : ready).push(ks);
  };
  env.kustomizations.filter((k) => env.dirs.some((d) => k.place.file.startsWith(d + '/'))).forEach(enqueue);
  if (byKey.size === 0) env.kustomizations.forEach(enqueue);

  for (let guard = 0; guard <= max && (ready.length > 0 || waiting.length > 0); guard++) {
    const ks = ready.length > 0 ? ready.shift()! : waiting.shift()!;
    const independent = !(ks.postBuild && ks.postBuild.substituteFrom.length > 0);
    const result = independent && options.renderIndependent ? options.renderIndependent(ks) : renderFluxKustomization(ks, { fs, repoRoot, findObject, strictSubstitution: options.strictSubstitution ?? false, parseLimits: options.parseLimits, deadline: options.deadline, cache: options.cache });
    results.set(keyOf(ks), result);
    result.filesRead.forEach((f) => out.filesRead.add(f));
    for (const r of result.resources) {
      const o = r.object;
      const meta = isObject(o.metadata) ? o.metadata : {};
      if ((o.kind === 'ConfigMap' || o.kind === 'Secret') && o.apiVersion === 'v1') {
        rendered.set(`${String(o.kind)}/${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${String(meta.name)}`, o);
      }
      const read = readFluxObject(o, { file: r.source.file, documentIndex: r.source.documentIndex, ...(r.source.range ? { range: r.source.range } : {}) });
      if (isFluxKustomization(read.value)) enqueue(read.value);
    }
  }

  const graph = buildDependsOnGraph([...byKey.values()]);
  out.problems.push(...graph.problems);
  const seen = new Map<string, FluxKustomization>();
  for (const key of graph.order) {
    const ks = graph.nodes.get(key);
    const result = results.get(key);
    if (!ks || !result) continue;
    out.kustomizations.push({ kustomization: ks, result });
    out.problems.push(...result.problems);
    for (const resource of result.resources) {
      const id = idString(resIdOf(resource.object));
      const first = seen.get(id);
      if (first && keyOf(first) !== key) {
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
  return out;
}

/** ConfigMaps and Secrets written in the repository, by kind/namespace/name (and kind//name when the file names no namespace). */
function indexRepoObjects(fs: FileSystem, files: readonly string[], parseLimits: Partial<ParseLimits> | undefined): Map<string, FoundObject> {
  const index = new Map<string, FoundObject>();
  for (const file of files) {
    const text = fs.readFile(file);
    if (text === undefined) continue;
    for (const [key, found] of configObjectsOf(parseYamlFileCached(file, text, parseLimits))) if (!index.has(key)) index.set(key, found);
  }
  return index;
}

/** The ConfigMaps and Secrets of one parsed file, by key; remembered per parse (the same while the file's text is). */
const configObjectsByParse = new WeakMap<ParsedFile, Array<[string, FoundObject]>>();

function configObjectsOf(parsed: ParsedFile): Array<[string, FoundObject]> {
  let out = configObjectsByParse.get(parsed);
  if (out) return out;
  out = [];
  for (const doc of parsed.documents) {
    const o = doc.value;
    if (!isObject(o) || (o.kind !== 'ConfigMap' && o.kind !== 'Secret') || o.apiVersion !== 'v1') continue;
    const meta = isObject(o.metadata) ? o.metadata : {};
    if (typeof meta.name !== 'string') continue;
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    out.push([`${String(o.kind)}/${ns}/${meta.name}`, { object: o, file: parsed.file }]);
  }
  configObjectsByParse.set(parsed, out);
  return out;
}
