// Go to definition: a path entry -> the file (or the folder's kustomization file); a dependsOn entry ->
// the Kustomization/HelmRelease it names in the same cluster; a sourceRef -> the source; a healthChecks
// entry -> the rendered object's source; a substituteFrom entry -> the ConfigMap/Secret; a patch (its
// entry, target or file) -> the base objects it changes; an images entry -> the containers it matches.
import * as path from 'path';
import type { DefinitionParams, LocationLink } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf } from '../flux/dependsOn';
import type { FluxKustomization, ObjectRef } from '../flux/objects';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import { isWithin } from '../kustomize/loader';
import { getPath, isObject } from '../kustomize/resource';
import type { Range, Resource } from '../kustomize/types';
import { contains, cursorAt, fileOfUri, type Cursor } from './cursor';
import { fileUri } from './diagnostics';
import {
  containersOf,
  fluxObjectAt,
  imageName,
  kustomizationInClusters,
  kustomizationsNamed,
  objectsPatchedBy,
  patchEntriesUsingFile,
  pathLinks,
  releaseInClusters,
  sourceRangeOf,
} from './targets';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const PATCH_FIELDS = ['patches', 'patchesStrategicMerge', 'patchesJson6902'];

export function definition(index: FleetIndex, params: DefinitionParams): LocationLink[] | null {
  try {
    const file = fileOfUri(params.textDocument.uri);
    if (!file) return null;
    const link = pathLinks(index, file).find((l) => contains(l.range, params.position));
    if (link) return [{ originSelectionRange: link.range, targetUri: fileUri(link.target), targetRange: ZERO, targetSelectionRange: ZERO }];
    const cursor = cursorAt(index, file, params.position);
    if (!cursor) return null;
    const found = isKustomizationFile(file)
      ? inKustomizationFile(index, cursor)
      : (inFluxObject(index, cursor) ?? inPatchFile(index, cursor));
    return found && found.length > 0 ? found : null;
  } catch {
    return null;
  }
}

export function isKustomizationFile(file: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.posix.basename(file));
}

function linkTo(origin: Range, target: { file: string; range: Range }): LocationLink {
  return { originSelectionRange: origin, targetUri: fileUri(target.file), targetRange: target.range, targetSelectionRange: target.range };
}

function objectLinks(index: FleetIndex, origin: Range, resources: Iterable<Resource>): LocationLink[] {
  const out: LocationLink[] = [];
  const seen = new Set<string>();
  for (const resource of resources) {
    const target = sourceRangeOf(index, resource);
    if (!target) continue;
    const id = `${target.file}:${target.range.start.line}:${target.range.start.character}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(linkTo(origin, target));
  }
  return out;
}

function inKustomizationFile(index: FleetIndex, cursor: Cursor): LocationLink[] | undefined {
  const [field, entry] = cursor.path;
  if (typeof field !== 'string' || typeof entry !== 'number') return undefined;
  if (PATCH_FIELDS.includes(field)) {
    const written = getPath(cursor.document.value, [field, entry]);
    const ref = field === 'patchesStrategicMerge' ? written : isObject(written) ? written.path : undefined;
    const patchFile = typeof ref === 'string' && !ref.includes('\n') ? path.posix.join(path.posix.dirname(cursor.file), ref) : undefined;
    const patched = objectsPatchedBy(index, cursor.file, field, entry, patchFile);
    return objectLinks(
      index,
      cursor.range,
      patched.map((p) => p.resource),
    );
  }
  if (field === 'images') {
    const image = getPath(cursor.document.value, ['images', entry]);
    if (!isObject(image) || typeof image.name !== 'string') return undefined;
    const render = index.renderFolder(path.posix.dirname(cursor.file));
    return containerLinks(index, cursor.range, render.resources, image.name, (r, imagePath) => {
      const origin = r.setBy.get(imagePath.join('/'));
      return origin?.step === `images[${String(image.name)}]` && origin.file === cursor.file;
    });
  }
  return undefined;
}

/** Links to the containers whose image the entry `name` matches (by origin, else by the image's name). */
function containerLinks(
  index: FleetIndex,
  origin: Range,
  resources: readonly Resource[],
  name: string,
  setByEntry: (r: Resource, imagePath: Array<string | number>) => boolean,
): LocationLink[] {
  const out: LocationLink[] = [];
  for (const resource of resources) {
    for (const { path: containerPath, container } of containersOf(resource.object)) {
      const imagePath = [...containerPath, 'image'];
      const matches = setByEntry(resource, imagePath) || (typeof container.image === 'string' && imageName(container.image) === name);
      if (!matches) continue;
      const src = resource.source;
      const doc = src.documentIndex >= 0 ? index.parsed(src.file)?.documents[src.documentIndex] : undefined;
      const range = doc?.locate(imagePath) ?? doc?.locate([...containerPath, 'name']) ?? sourceRangeOf(index, resource)?.range;
      if (range) out.push(linkTo(origin, { file: src.file, range }));
    }
  }
  return out;
}

function startsWith(p: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>): boolean {
  return prefix.length <= p.length && prefix.every((s, i) => p[i] === s);
}

function inFluxObject(index: FleetIndex, cursor: Cursor): LocationLink[] | undefined {
  const indexed = fluxObjectAt(index, cursor.file, cursor.document.index);
  if (!indexed) return undefined;
  const object = indexed.object;
  const p = cursor.path;
  if (p[0] !== 'spec') return undefined;

  if (p[1] === 'dependsOn' && typeof p[2] === 'number') {
    if (object.kind === 'Kustomization') {
      const clusters = kustomizationInClusters(index, cursor.file, cursor.document.index);
      const refs = clusters.length > 0 ? clusters.map((c) => c.ks) : [object];
      const targets = new Map<string, FluxKustomization>();
      for (const ks of refs) {
        const ref = ks.dependsOn.find((d) => d.path[2] === p[2]);
        if (!ref) continue;
        const views = clusters.filter((c) => c.ks === ks).map((c) => c.view);
        for (const t of kustomizationsNamed(index, keyOf(ref), views)) targets.set(`${t.place.file}#${t.place.documentIndex}`, t);
      }
      return [...targets.values()].flatMap((t) => nameLink(index, cursor.range, t.place));
    }
    if (object.kind === 'HelmRelease') {
      const ref = object.dependsOn.find((d) => d.path[2] === p[2]);
      if (!ref) return undefined;
      const out: LocationLink[] = [];
      const clusters = releaseInClusters(index, cursor.file, cursor.document.index);
      for (const { view, release } of clusters) {
        const r = release.dependsOn.find((d) => d.path[2] === p[2]);
        const target = r ? view.releases.get(keyOf(r)) : undefined;
        if (target) out.push(...objectLinks(index, cursor.range, [target.rendered.resource]));
      }
      if (out.length === 0) {
        for (const o of index.fluxObjects().list) {
          if (o.object.kind === 'HelmRelease' && keyOf(o.object) === keyOf(ref)) out.push(...nameLink(index, cursor.range, o.object.place));
        }
      }
      return out;
    }
  }

  const refs: ObjectRef[] = [];
  if (object.kind === 'Kustomization' && object.sourceRef) refs.push(object.sourceRef);
  if (object.kind === 'HelmChart' && object.sourceRef) refs.push(object.sourceRef);
  if (object.kind === 'HelmRelease') {
    if (object.chart?.sourceRef) refs.push(object.chart.sourceRef);
    if (object.chartRef) refs.push(object.chartRef);
  }
  const sourceRef = refs.find((r) => startsWith(p, r.path));
  if (sourceRef) {
    const sources = index.fluxObjects().list.filter((o) => o.object.kind === sourceRef.kind && o.object.name === sourceRef.name);
    const exact = sources.filter((o) => o.object.namespace === sourceRef.namespace);
    const candidates = exact.length > 0 ? exact : sources;
    // Several clusters often hold a source of the same name: the referrer's own clusters decide.
    const clusters = kustomizationInClusters(index, cursor.file, cursor.document.index);
    const clusterFiles = new Set(
      clusters.flatMap((c) => c.view.render.objects.map((o) => `${o.resource.source.file}#${o.resource.source.documentIndex}`)),
    );
    const clusterDirs = clusters.flatMap((c) => c.view.render.environment.dirs);
    const inCluster = candidates.filter(
      (o) => clusterFiles.has(`${o.file}#${o.documentIndex}`) || clusterDirs.some((d) => isWithin(o.file, d)),
    );
    return (inCluster.length > 0 ? inCluster : candidates).flatMap((o) => nameLink(index, cursor.range, o.object.place));
  }

  if (object.kind !== 'Kustomization') return undefined;
  const check = object.healthChecks.find((r) => startsWith(p, r.path));
  if (check) {
    const clusters = kustomizationInClusters(index, cursor.file, cursor.document.index);
    const results =
      clusters.length > 0 ? clusters.map((c) => c.view.kustomizations.get(c.key)?.result) : [index.renderFluxKustomization(indexed)];
    const matches: Resource[] = [];
    for (const result of results) {
      for (const r of result?.resources ?? []) {
        const meta = isObject(r.object.metadata) ? r.object.metadata : {};
        const ns = typeof meta.namespace === 'string' ? meta.namespace : undefined;
        if (
          r.object.kind === check.kind &&
          meta.name === check.name &&
          (!check.namespaceWritten || ns === undefined || ns === check.namespace)
        )
          matches.push(r);
      }
    }
    return objectLinks(index, cursor.range, matches);
  }
  if (p[1] === 'postBuild' && p[2] === 'substituteFrom' && typeof p[3] === 'number') {
    const ref = object.postBuild?.substituteFrom.find((s) => s.path[3] === p[3]);
    if (!ref) return undefined;
    return objectLinks(index, cursor.range, configObjects(index, cursor, ref.kind, ref.name));
  }
  if (p[1] === 'images' && typeof p[2] === 'number') {
    const image = getPath(cursor.document.value, ['spec', 'images', p[2]]);
    if (!isObject(image) || typeof image.name !== 'string') return undefined;
    const finalName = typeof image.newName === 'string' ? image.newName : image.name;
    const result = index.renderFluxKustomization(indexed);
    return containerLinks(index, cursor.range, result?.resources ?? [], finalName, () => false);
  }
  return undefined;
}

/** ConfigMaps/Secrets of that name: rendered in the Kustomization's clusters, else written anywhere in the repo. */
function configObjects(index: FleetIndex, cursor: Cursor, kind: string, name: string): Resource[] {
  const clusters = kustomizationInClusters(index, cursor.file, cursor.document.index);
  const out: Resource[] = [];
  for (const { view, ks } of clusters) {
    for (const o of view.render.objects) {
      const meta = isObject(o.object.metadata) ? o.object.metadata : {};
      const ns = typeof meta.namespace === 'string' ? meta.namespace : 'default';
      if (o.object.kind === kind && meta.name === name && ns === ks.namespace) out.push(o.resource);
    }
  }
  if (out.length > 0) return out;
  for (const file of index.yamlFiles()) {
    for (const doc of index.parsed(file)?.documents ?? []) {
      const v = doc.value;
      if (isObject(v) && v.kind === kind && isObject(v.metadata) && v.metadata.name === name) {
        out.push({ object: v, source: { file, documentIndex: doc.index, range: doc.range }, setBy: new Map(), previousIds: [] });
      }
    }
  }
  return out;
}

function nameLink(index: FleetIndex, origin: Range, place: { file: string; documentIndex: number }): LocationLink[] {
  const doc = index.parsed(place.file)?.documents[place.documentIndex];
  const range = doc?.locate(['metadata', 'name']) ?? doc?.range;
  return range ? [linkTo(origin, { file: place.file, range })] : [];
}

/** A patch file: every base object it changes, in every kustomization that uses it. */
function inPatchFile(index: FleetIndex, cursor: Cursor): LocationLink[] | undefined {
  const entries = patchEntriesUsingFile(index, cursor.file);
  if (entries.length === 0) return undefined;
  const resources: Resource[] = [];
  for (const e of entries) {
    for (const { resource, paths } of objectsPatchedBy(index, e.kustomizationFile, e.field, e.entry, e.patchFile)) {
      // A file of several patch documents: only the objects this document set values on.
      if (paths.some((p) => resource.setBy.get(p)?.range === undefined || withinDocument(cursor, resource.setBy.get(p)!.range!)))
        resources.push(resource);
    }
  }
  return objectLinks(index, cursor.range, resources);
}

function withinDocument(cursor: Cursor, range: Range): boolean {
  return contains(cursor.document.range, range.start);
}
