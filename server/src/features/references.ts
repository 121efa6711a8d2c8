// Find references: from a Flux Kustomization (its metadata.name, or a dependsOn entry naming it) to every
// dependsOn entry naming it in its clusters; from a base object (cursor on its kind or name) to every patch
// that changes it, in every kustomization folder's render (overlays included).
import * as path from 'path';
import type { Location, ReferenceParams } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf, type NodeKey } from '../flux/dependsOn';
import { isObject } from '../kustomize/resource';
import type { Range } from '../kustomize/types';
import type { ClusterView } from '../rules/support/fluxClusters';
import { comparePositions, cursorAt, fileOfUri, type Cursor } from './cursor';
import { isKustomizationFile } from './definition';
import { fileUri } from './diagnostics';
import { dependsOnEntriesNaming, fluxObjectAt, kustomizationInClusters, kustomizationsNamed } from './targets';

export function references(index: FleetIndex, params: ReferenceParams): Location[] {
  try {
    const file = fileOfUri(params.textDocument.uri);
    if (!file) return [];
    const cursor = cursorAt(index, file, params.position);
    if (!cursor) return [];
    const includeDeclaration = params.context?.includeDeclaration ?? false;
    return kustomizationReferences(index, cursor, includeDeclaration) ?? patchReferences(index, cursor, includeDeclaration) ?? [];
  } catch {
    return [];
  }
}

/** The Kustomization a cursor names (by its own name or a dependsOn entry), and the clusters to search. */
export function namedKustomization(index: FleetIndex, cursor: Cursor): { key: NodeKey; views: ClusterView[] } | undefined {
  const indexed = fluxObjectAt(index, cursor.file, cursor.document.index);
  if (indexed?.object.kind !== 'Kustomization') return undefined;
  const p = cursor.path;
  const clusters = kustomizationInClusters(index, cursor.file, cursor.document.index);
  const views = clusters.map((c) => c.view);
  if (p[0] === 'metadata' && p[1] === 'name' && p.length === 2) {
    return { key: clusters[0]?.key ?? keyOf(indexed.object), views };
  }
  if (p[0] === 'spec' && p[1] === 'dependsOn' && typeof p[2] === 'number' && (p.length === 3 || p[3] === 'name')) {
    const own = clusters[0]?.ks ?? indexed.object;
    const ref = own.dependsOn.find((d) => d.path[2] === p[2]);
    if (!ref) return undefined;
    // The target's own clusters: a dependsOn only ever resolves inside the referrer's cluster.
    return { key: keyOf(ref), views };
  }
  return undefined;
}

function kustomizationReferences(index: FleetIndex, cursor: Cursor, includeDeclaration: boolean): Location[] | undefined {
  const named = namedKustomization(index, cursor);
  if (!named) return undefined;
  const out: Location[] = [];
  if (includeDeclaration) {
    for (const ks of kustomizationsNamed(index, named.key, named.views)) {
      const range = index.parsed(ks.place.file)?.documents[ks.place.documentIndex]?.locate(['metadata', 'name']);
      if (range) out.push({ uri: fileUri(ks.place.file), range });
    }
  }
  for (const { ks, entry } of dependsOnEntriesNaming(index, named.key, named.views)) {
    const doc = index.parsed(ks.place.file)?.documents[ks.place.documentIndex];
    const range = doc?.locate(['spec', 'dependsOn', entry, 'name']) ?? doc?.locate(['spec', 'dependsOn', entry]);
    if (range) out.push({ uri: fileUri(ks.place.file), range });
  }
  return sortLocations(out);
}

function patchReferences(index: FleetIndex, cursor: Cursor, includeDeclaration: boolean): Location[] | undefined {
  if (isKustomizationFile(cursor.file)) return undefined;
  const p = cursor.path;
  const onIdentity = (p.length === 1 && p[0] === 'kind') || (p.length === 2 && p[0] === 'metadata' && p[1] === 'name');
  if (!onIdentity || !isObject(cursor.document.value)) return undefined;
  const byPatch = new Map<string, Location>();
  for (const kfile of index.kustomizationFiles()) {
    const render = index.renderFolder(path.posix.dirname(kfile));
    for (const resource of render.resources) {
      if (resource.source.file !== cursor.file || resource.source.documentIndex !== cursor.document.index) continue;
      for (const origin of resource.setBy.values()) {
        if (origin.kind !== 'patch' || !origin.range) continue;
        // One location per patch: the first value it sets.
        const id = `${origin.file}\n${origin.step}\n${patchDocumentStart(index, origin.file, origin.range)}`;
        const known = byPatch.get(id);
        if (!known || comparePositions(origin.range.start, known.range.start) < 0)
          byPatch.set(id, { uri: fileUri(origin.file), range: origin.range });
      }
    }
  }
  const out = [...byPatch.values()];
  if (includeDeclaration) {
    const range = cursor.document.locate(['metadata', 'name']);
    if (range) out.push({ uri: fileUri(cursor.file), range });
  }
  return sortLocations(out);
}

/** The start line of the document holding a range (patch files may hold several patches). */
function patchDocumentStart(index: FleetIndex, file: string, range: Range): number {
  const doc = index
    .parsed(file)
    ?.documents.find((d) => comparePositions(d.range.start, range.start) <= 0 && comparePositions(range.start, d.range.end) <= 0);
  return doc?.range.start.line ?? -1;
}

function sortLocations(locations: Location[]): Location[] {
  const seen = new Set<string>();
  return locations
    .filter((l) => {
      const id = `${l.uri}:${l.range.start.line}:${l.range.start.character}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : comparePositions(a.range.start, b.range.start)));
}
