// Lookups the editing features share: where a path entry leads, which Flux object a document is and in
// which clusters, what a dependsOn / sourceRef names, and which rendered objects a patch changed. All of
// it reads the index's cached renders; nothing here renders per keystroke beyond what the index caches.
import * as path from 'path';
import type { RenderedObject } from '../fleet/environmentRender';
import type { FleetIndex, IndexedFluxObject } from '../fleet/fleetIndex';
import { keyOf, type NodeKey } from '../flux/dependsOn';
import { resolveSpecPath } from '../flux/generate';
import type { FluxKustomization, HelmRelease } from '../flux/objects';
import { findKustomizationFile } from '../kustomize/kustomization';
import { isRemoteReference, isWithin, normalize } from '../kustomize/loader';
import { isObject } from '../kustomize/resource';
import type { JsonObject, Origin, Range, Resource } from '../kustomize/types';
import { clusterViews, type ClusterView } from '../rules/support/fluxClusters';
import { entryStatus, pathEntries } from '../rules/support/kustomizationEntries';
import { unquotedRange } from './cursor';

export interface PathLink {
  /** The path text as written in the file (quotes excluded). */
  range: Range;
  /** The file the entry leads to: the file itself, or the kustomization file of the folder. */
  target: string;
  /** Document path of the scalar. */
  documentPath: Array<string | number>;
  documentIndex: number;
}

/** The kustomization file of a folder, when it has exactly one. */
export function folderTarget(index: FleetIndex, dir: string): string | undefined {
  const found = findKustomizationFile(index.fs, dir);
  return found.found === 'one' ? found.file : undefined;
}

/** Every local path of the file that leads somewhere inside the repository: kustomization entries and Flux spec.path/components. */
export function pathLinks(index: FleetIndex, file: string): PathLink[] {
  const text = (index.text(file) ?? '').split('\n');
  const out: PathLink[] = [];
  for (const entry of pathEntries(index, file)) {
    const status = entryStatus(index, entry);
    if (status.kind !== 'ok') continue;
    const target = status.entryKind === 'file' ? status.absolute : folderTarget(index, status.absolute);
    if (target) out.push({ range: unquotedRange(text, entry.range), target, documentPath: entry.documentPath, documentIndex: 0 });
  }
  for (const found of fluxObjectsIn(index, file)) {
    const ks = found.object;
    if (ks.kind !== 'Kustomization') continue;
    const doc = index.parsed(file)?.documents[found.documentIndex];
    if (!doc) continue;
    const add = (documentPath: Array<string | number>, dir: string) => {
      const range = doc.locate(documentPath);
      if (!range || !isWithin(dir, index.root) || index.fs.kind(dir) === undefined) return;
      const real = normalize(index.fs.realPath(dir));
      if (!isWithin(real, index.root)) return;
      const target = index.fs.kind(dir) === 'file' ? dir : folderTarget(index, dir);
      if (target) out.push({ range: unquotedRange(text, range), target, documentPath, documentIndex: found.documentIndex });
    };
    if (ks.path !== undefined && !isRemoteReference(ks.path)) add(['spec', 'path'], resolveSpecPath(index.root, ks.path));
    const base = resolveSpecPath(index.root, ks.path);
    ks.components.forEach((component, i) => {
      if (!isRemoteReference(component) && !path.posix.isAbsolute(component))
        add(['spec', 'components', i], normalize(path.posix.join(base, component)));
    });
  }
  return out;
}

export function fluxObjectsIn(index: FleetIndex, file: string): IndexedFluxObject[] {
  return index.fluxObjects().list.filter((o) => o.file === file);
}

export function fluxObjectAt(index: FleetIndex, file: string, documentIndex: number): IndexedFluxObject | undefined {
  return index.fluxObjects().list.find((o) => o.file === file && o.documentIndex === documentIndex);
}

/** A Flux Kustomization as one cluster sees it (namespace defaulted by its applier), with that cluster. */
export interface KustomizationInCluster {
  view: ClusterView;
  ks: FluxKustomization;
  key: NodeKey;
}

function samePlace(a: { file: string; documentIndex: number }, file: string, documentIndex: number): boolean {
  return a.file === file && a.documentIndex === documentIndex;
}

/** The clusters holding the Flux Kustomization written at file#documentIndex. */
export function kustomizationInClusters(index: FleetIndex, file: string, documentIndex: number): KustomizationInCluster[] {
  const out: KustomizationInCluster[] = [];
  for (const view of clusterViews(index)) {
    for (const k of view.kustomizations.values()) if (samePlace(k.ks.place, file, documentIndex)) out.push({ view, ks: k.ks, key: k.key });
  }
  return out;
}

export function releaseInClusters(
  index: FleetIndex,
  file: string,
  documentIndex: number,
): Array<{ view: ClusterView; release: HelmRelease }> {
  const out: Array<{ view: ClusterView; release: HelmRelease }> = [];
  for (const view of clusterViews(index)) {
    for (const r of view.releases.values())
      if (samePlace(r.rendered.resource.source, file, documentIndex)) out.push({ view, release: r.release });
  }
  return out;
}

/** Every Flux Kustomization a key names, over the clusters given (or the whole repository when none). */
export function kustomizationsNamed(index: FleetIndex, key: NodeKey, views: readonly ClusterView[]): FluxKustomization[] {
  const out: FluxKustomization[] = [];
  const seen = new Set<string>();
  const push = (ks: FluxKustomization) => {
    const id = `${ks.place.file}#${ks.place.documentIndex}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(ks);
    }
  };
  for (const view of views) {
    const found = view.kustomizations.get(key);
    if (found) push(found.ks);
  }
  if (out.length === 0) {
    for (const o of index.fluxObjects().list) if (o.object.kind === 'Kustomization' && keyOf(o.object) === key) push(o.object);
  }
  return out;
}

/** Every dependsOn entry naming `key` (same namespace rule as the controller), across the given clusters or the repository. */
export function dependsOnEntriesNaming(
  index: FleetIndex,
  key: NodeKey,
  views: readonly ClusterView[],
): Array<{ ks: FluxKustomization; entry: number }> {
  const out: Array<{ ks: FluxKustomization; entry: number }> = [];
  const seen = new Set<string>();
  const consider = (ks: FluxKustomization) => {
    ks.dependsOn.forEach((ref, i) => {
      const id = `${ks.place.file}#${ks.place.documentIndex}#${i}`;
      if (keyOf(ref) !== key || seen.has(id)) return;
      seen.add(id);
      out.push({ ks, entry: i });
    });
  };
  for (const view of views) for (const k of view.kustomizations.values()) consider(k.ks);
  if (views.length === 0) for (const o of index.fluxObjects().list) if (o.object.kind === 'Kustomization') consider(o.object);
  return out;
}

/** How a render step names a patch entry: `patches[2]`, `patchesStrategicMerge[0]`. */
export function patchStep(field: string, entry: number): string {
  return `${field}[${entry}]`;
}

/** Whether an origin is the patch entry `field[entry]` of the kustomization file (inline, or from its file). */
export function isOriginOfPatch(origin: Origin, kustomizationFile: string, field: string, entry: number, patchFile?: string): boolean {
  return (
    origin.kind === 'patch' && origin.step === patchStep(field, entry) && (origin.file === kustomizationFile || origin.file === patchFile)
  );
}

/** The resources of the folder's render that a patch entry changed, with the paths it set. */
export function objectsPatchedBy(
  index: FleetIndex,
  kustomizationFile: string,
  field: string,
  entry: number,
  patchFile?: string,
): Array<{ resource: Resource; paths: string[] }> {
  const render = index.renderFolder(path.posix.dirname(kustomizationFile));
  const out: Array<{ resource: Resource; paths: string[] }> = [];
  for (const resource of render.resources) {
    const paths = [...resource.setBy].filter(([, o]) => isOriginOfPatch(o, kustomizationFile, field, entry, patchFile)).map(([p]) => p);
    if (paths.length > 0) out.push({ resource, paths });
  }
  return out;
}

export interface PatchEntryRef {
  kustomizationFile: string;
  field: 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
  entry: number;
  /** The patch file, for entries that name one. */
  patchFile?: string;
}

/** The patch entries of every kustomization that name `file` as their patch. */
export function patchEntriesUsingFile(index: FleetIndex, file: string): PatchEntryRef[] {
  const out: PatchEntryRef[] = [];
  for (const kfile of index.kustomizationFiles()) {
    for (const entry of pathEntries(index, kfile)) {
      if (entry.field !== 'patches' && entry.field !== 'patchesStrategicMerge' && entry.field !== 'patchesJson6902') continue;
      if (normalize(path.posix.join(entry.dir, entry.ref)) !== file) continue;
      out.push({ kustomizationFile: kfile, field: entry.field, entry: entry.documentPath[1] as number, patchFile: file });
    }
  }
  return out;
}

/** The document a rendered object was first read from, with a range for it (its name when written). */
export function sourceRangeOf(index: FleetIndex, resource: Resource): { file: string; range: Range } | undefined {
  const src = resource.source.generatedBy ?? resource.source;
  if ('documentIndex' in src && src.documentIndex >= 0) {
    const doc = index.parsed(src.file)?.documents[src.documentIndex];
    const range = doc?.locate(['metadata', 'name']) ?? src.range;
    if (range) return { file: src.file, range };
  }
  return src.range
    ? { file: src.file, range: src.range }
    : { file: src.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/** The object's containers with their paths in the object (pods, templates, cronjob templates). */
export function containersOf(object: JsonObject): Array<{ path: Array<string | number>; container: JsonObject }> {
  const out: Array<{ path: Array<string | number>; container: JsonObject }> = [];
  const specs: Array<Array<string | number>> = [
    ['spec'],
    ['spec', 'template', 'spec'],
    ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ];
  for (const specPath of specs) {
    let spec: unknown = object;
    for (const seg of specPath) spec = isObject(spec as JsonObject) ? (spec as JsonObject)[seg as string] : undefined;
    if (!isObject(spec as JsonObject)) continue;
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      const list = (spec as JsonObject)[field];
      if (!Array.isArray(list)) continue;
      list.forEach((c, i) => {
        if (isObject(c)) out.push({ path: [...specPath, field, i], container: c });
      });
    }
  }
  return out;
}

/** Image name without tag or digest, as kustomize's images transformer compares it. */
export function imageName(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The rendered objects of every environment whose source is file#documentIndex. */
export function renderedFrom(
  index: FleetIndex,
  file: string,
  documentIndex: number,
): Array<{ environment: string; object: RenderedObject }> {
  const out: Array<{ environment: string; object: RenderedObject }> = [];
  for (const env of index.environments().environments) {
    for (const object of index.renderEnvironment(env).objects) {
      if (samePlace(object.resource.source, file, documentIndex)) out.push({ environment: env.name, object });
    }
  }
  return out;
}
