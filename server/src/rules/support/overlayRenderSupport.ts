// What the overlay-render rules share: the kustomizations of the fleet, renders of a kustomization
// with its text changed in a buffer (cached by the content of every file they read), text edits
// applied in memory, and the environment an overlay folder stands for.
import * as path from 'path';
import type { FleetIndex } from '../../fleet/fleetIndex';
import { inferredRank, type Environment } from '../../fleet/environments';
import { resolveSpecPath } from '../../flux/generate';
import type { FluxKustomization } from '../../flux/objects';
import type { HelmOptions } from '../../kustomize/build';
import { overlayFileSystem } from '../../kustomize/fs';
import { listField, type Kustomization } from '../../kustomize/kustomization';
import { renderKustomization, type RenderOutput } from '../../kustomize/render';
import { isObject } from '../../kustomize/resource';
import type { Json, Range, Resource } from '../../kustomize/types';
import type { ParsedDocument } from '../../kustomize/yaml/parse';
import { deleteLines, entryRange, lines } from '../../kustomize/yaml/edit';
import type { TextEdit } from '../rule';

/** The index's helm options for a what-if render: it must build as the index's own folder renders do. */
export function helmOf(index: FleetIndex): { helm?: HelmOptions } {
  return index.settings.helm ? { helm: index.settings.helm } : {};
}

/** Every readable Kustomization (not Component) file of the fleet. */
export function fleetKustomizations(index: FleetIndex): Kustomization[] {
  const out: Kustomization[] = [];
  for (const file of index.kustomizationFiles()) {
    const read = index.kustomization(file);
    if (read.kustomization && read.kustomization.kind === 'Kustomization') out.push(read.kustomization);
  }
  return out;
}

interface CachedBufferRender {
  /** The text of every file the render read, as it was read; the entry is valid while they are unchanged. */
  texts: Map<string, string | undefined>;
  output: RenderOutput;
}

/** Renders of large overlays weigh megabytes; the few recent ones are the ones re-checks ask for again. */
const MAX_CACHED_RENDERS = 64;
const bufferRenders = new WeakMap<FleetIndex, Map<string, CachedBufferRender>>();

/** The render of a kustomization's folder with its file's text replaced by `text` (an unsaved what-if). */
export function renderWithKustomizationText(
  index: FleetIndex,
  kustomizationFile: string,
  text: string,
  extra: ReadonlyMap<string, string> = new Map(),
): RenderOutput {
  let cache = bufferRenders.get(index);
  if (!cache) bufferRenders.set(index, (cache = new Map()));
  const key = [kustomizationFile, text, ...[...extra].flat()].join('\0');
  const hit = cache.get(key);
  if (hit && [...hit.texts].every(([f, t]) => index.fs.readFile(f) === t)) {
    // Least recently used goes first: re-insert what was used.
    cache.delete(key);
    cache.set(key, hit);
    return hit.output;
  }
  const buffers = new Map(extra);
  buffers.set(kustomizationFile, text);
  const output = renderKustomization(path.posix.dirname(kustomizationFile), {
    fs: overlayFileSystem(index.fs, buffers),
    repoRoot: index.root,
    cache: index.buildCache,
    ...helmOf(index),
  });
  const texts = new Map<string, string | undefined>();
  for (const f of output.filesRead) if (!buffers.has(f)) texts.set(f, index.fs.readFile(f));
  if (cache.size >= MAX_CACHED_RENDERS) cache.delete(cache.keys().next().value as string);
  cache.set(key, { texts, output });
  return output;
}

/** Whether the node at `range` is an item of a block list (`- ...` on its own line), so its lines can be removed. */
export function isBlockListItem(text: string, range: Range | undefined): boolean {
  if (!range) return false;
  const line = lines(text)[range.start.line] ?? '';
  return /^\s*-\s+$/.test(line.slice(0, range.start.character));
}

/**
 * The edit removing item `itemIndex` of the block list at `listPath`: its lines, or the whole key when it
 * is the only item (an empty `patches:` would read as null, which kustomize accepts, but it is noise).
 */
export function removeListItem(
  file: string,
  text: string,
  doc: ParsedDocument,
  listPath: ReadonlyArray<string | number>,
  itemIndex: number,
): TextEdit | undefined {
  const list = getAt(doc.value, listPath);
  if (!Array.isArray(list)) return undefined;
  const itemRange = doc.locate([...listPath, itemIndex]);
  if (!isBlockListItem(text, itemRange)) return undefined;
  if (list.length === 1) {
    const whole = entryRange(doc, listPath);
    return whole ? deleteLines(file, text, whole) : undefined;
  }
  return deleteLines(file, text, itemRange!);
}

export function getAt(value: Json | undefined, p: ReadonlyArray<string | number>): Json | undefined {
  let cur: Json | undefined = value;
  for (const seg of p) {
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = isObject(cur) ? cur[seg] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

export type PatchField = 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
export const PATCH_FIELDS: readonly PatchField[] = ['patchesStrategicMerge', 'patches', 'patchesJson6902'];

export interface PatchEntry {
  field: PatchField;
  index: number;
  value: Json;
  range?: Range;
  /** The patch file an entry names (`path:`, or a legacy strategic merge path), resolved. */
  file?: string;
}

export function patchEntries(k: Kustomization): PatchEntry[] {
  const out: PatchEntry[] = [];
  for (const field of PATCH_FIELDS) {
    for (const { value, index } of listField(k, field)) {
      let rel: string | undefined;
      if (field === 'patchesStrategicMerge')
        rel = typeof value === 'string' && !value.includes('\n') && !/^\s*\{/.test(value) ? value : undefined;
      else if (isObject(value) && typeof value.path === 'string' && value.path !== '') rel = value.path;
      out.push({
        field,
        index,
        value,
        range: k.document.locate([field, index]),
        file: rel === undefined ? undefined : path.posix.normalize(path.posix.join(k.dir, rel)),
      });
    }
  }
  return out;
}

export function within(range: Range | undefined, line: number): boolean {
  return !!range && range.start.line <= line && line <= range.end.line;
}

/** Every container image of the objects (containers and initContainers at any depth), with where it is. */
export function containerImages(
  resources: readonly Resource[],
): Array<{ image: string; resource: Resource; path: Array<string | number> }> {
  const out: Array<{ image: string; resource: Resource; path: Array<string | number> }> = [];
  const walk = (node: Json, p: Array<string | number>, r: Resource, depth: number) => {
    if (depth > 64) return;
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...p, i], r, depth + 1));
    else if (isObject(node)) {
      for (const [key, v] of Object.entries(node)) {
        if ((key === 'containers' || key === 'initContainers') && Array.isArray(v)) {
          v.forEach((c, i) => {
            if (isObject(c) && typeof c.image === 'string') out.push({ image: c.image, resource: r, path: [...p, key, i, 'image'] });
          });
        } else walk(v, [...p, key], r, depth + 1);
      }
    }
  };
  for (const r of resources) walk(r.object, [], r, 0);
  return out;
}

/**
 * The environment an overlay folder stands for: the nearest folder name that reads like one
 * (`staging`, `prod-eu`), else a folder beside a `base` folder; undefined for shared folders.
 */
export function environmentOfFolder(index: FleetIndex, dir: string): string | undefined {
  const rel = path.posix.relative(index.root, dir);
  if (rel === '' || rel.startsWith('..')) return undefined;
  const segments = rel.split('/');
  for (let i = segments.length - 1; i >= 0; i--) if (inferredRank(segments[i]) !== 2.5) return segments[i];
  const name = segments[segments.length - 1];
  return name !== 'base' && index.fs.kind(path.posix.join(path.posix.dirname(dir), 'base')) === 'dir' ? name : undefined;
}

/**
 * The environments one cluster entry hosts: its Flux Kustomizations grouped by the environment their
 * spec.path folder stands for (`./apps/staging` -> staging). Kustomizations of shared folders are left out.
 */
export function environmentsOnCluster(index: FleetIndex, env: Environment): Map<string, FluxKustomization[]> {
  const groups = new Map<string, FluxKustomization[]>();
  for (const ks of env.kustomizations) {
    const name = environmentOfFolder(index, resolveSpecPath(index.root, ks.path));
    if (name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), ks]);
  }
  return groups;
}

/** Cluster entries that host two or more environments, each with its environments' Kustomizations. */
export function sharedClusters(index: FleetIndex): Array<{ cluster: Environment; environments: Map<string, FluxKustomization[]> }> {
  const out: Array<{ cluster: Environment; environments: Map<string, FluxKustomization[]> }> = [];
  for (const cluster of index.environments().environments) {
    if (cluster.kind !== 'flux') continue;
    const environments = environmentsOnCluster(index, cluster);
    if (environments.size >= 2) out.push({ cluster, environments });
  }
  return out;
}

export function relativePath(index: FleetIndex, file: string): string {
  return file.startsWith(index.root + '/') ? file.slice(index.root.length + 1) : file;
}
