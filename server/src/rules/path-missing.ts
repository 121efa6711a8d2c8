// A Flux Kustomization's spec.path decides what it applies: absent, the controller builds the whole
// source root; pointing nowhere, the reconciliation fails and nothing is applied.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { resolveSpecPath } from '../flux/generate';
import { isFluxKustomization, type FluxKustomization } from '../flux/objects';
import { nearestNames } from '../util/editDistance';
import { documentOfObject, quotedLike, textAt } from './support/fluxSpecHelpers';
import type { Finding, Rule } from './rule';

/**
 * Whether spec.path is a path in this repository: the source is (or may be) the repository itself.
 * OCI artifacts, buckets and GitRepositories of another URL hold other trees we cannot see.
 */
function readsThisRepository(index: FleetIndex, ks: FluxKustomization, bootstrapUrls: Set<string>): boolean {
  const ref = ks.sourceRef;
  if (!ref) return true;
  if (ref.kind !== 'GitRepository') return false;
  const candidates = index.fluxObjects().list.filter((o) => o.object.kind === 'GitRepository' && o.object.name === ref.name && (!o.object.namespaceWritten || o.object.namespace === ref.namespace));
  if (candidates.length === 0 || bootstrapUrls.size === 0) return true;
  return candidates.some((c) => c.object.name === 'flux-system' || (c.object.kind === 'GitRepository' && c.object.url !== undefined && bootstrapUrls.has(c.object.url)));
}

/** Every folder of the repository that holds YAML, relative to the root (`apps/production`). */
function repositoryFolders(index: FleetIndex): string[] {
  const folders = new Set<string>();
  for (const file of index.yamlFiles()) {
    let dir = path.posix.relative(index.root, path.posix.dirname(file));
    for (let guard = 0; dir !== '' && dir !== '.' && !dir.startsWith('..') && !folders.has(dir) && guard < 256; guard++) {
      folders.add(dir);
      dir = path.posix.dirname(dir);
      if (dir === '.') break;
    }
  }
  return [...folders].sort();
}

/** `suggestion` (a repository-relative folder) written like the user wrote `written`: leading `./`, trailing `/`. */
function styled(written: string, suggestion: string): string {
  return `${written.startsWith('./') ? './' : written.startsWith('/') ? '/' : ''}${suggestion}${written.endsWith('/') && written.length > 1 ? '/' : ''}`;
}

export const pathMissing: Rule = {
  id: 'path-missing',
  severity: 'error',
  category: 'flux',
  description: 'Flux Kustomization without spec.path (the whole source root is applied) or with a spec.path that does not exist.',
  check({ index, checking }) {
    const findings: Finding[] = [];
    const list = index.fluxObjects().list;
    const bootstrapUrls = new Set(list.flatMap((o) => (o.object.kind === 'GitRepository' && o.object.name === 'flux-system' && o.object.url ? [o.object.url] : [])));
    let folders: string[] | undefined;
    for (const indexed of list) {
      checking?.(indexed.file);
      const ks = indexed.object;
      if (!isFluxKustomization(ks)) continue;
      const located = documentOfObject(index, indexed);
      if (!located) continue;
      const { doc, text } = located;
      if (ks.path === undefined) {
        // An OCI artifact or bucket is often exactly the manifests to apply; its root is a deliberate choice.
        if (ks.sourceRef && ks.sourceRef.kind !== 'GitRepository') continue;
        if (doc.locate(['spec', 'path'])) continue; // written with the wrong type: invalid-flux-object
        findings.push({
          file: indexed.file,
          range: doc.locate(['spec'], { key: true }) ?? doc.range,
          message: `Kustomization ${ks.name} has no spec.path, so kustomize-controller builds the whole source root: every manifest of ${ks.sourceRef ? `${ks.sourceRef.kind} ${ks.sourceRef.name}` : 'the source'}, every environment's overlay at once. Set spec.path to the folder this Kustomization should apply, e.g. ./apps/production.`,
        });
        continue;
      }
      if (ks.path.includes('${') || !readsThisRepository(index, ks, bootstrapUrls)) continue;
      const dir = resolveSpecPath(index.root, ks.path);
      const kind = index.fs.kind(dir);
      if (kind === 'dir') continue;
      const range = doc.locate(['spec', 'path']);
      if (!range) continue;
      const written = textAt(text, range);
      const fixTo = (folder: string) => ({
        title: `Change spec.path to ${styled(ks.path!, folder)}`,
        edits: [{ file: indexed.file, range, newText: quotedLike(written, styled(ks.path!, folder)) }],
      });
      if (kind === 'file') {
        const parent = path.posix.relative(index.root, path.posix.dirname(dir));
        findings.push({
          file: indexed.file,
          range,
          message: `spec.path "${ks.path}" of Kustomization ${ks.name} names a file; kustomize-controller builds folders, so the reconciliation fails. Point spec.path at the folder${parent ? ` (${styled(ks.path, parent)})` : ''}.`,
          fixes: parent ? [{ ...fixTo(parent), preferred: true }] : undefined,
        });
        continue;
      }
      folders ??= repositoryFolders(index);
      const relative = path.posix.relative(index.root, dir);
      const suggestions = nearestNames(relative, folders, { maxDistance: Math.min(4, Math.max(1, Math.floor(relative.length / 4))) });
      findings.push({
        file: indexed.file,
        range,
        message: `spec.path "${ks.path}" of Kustomization ${ks.name} does not exist in the repository: kustomize-controller fails with "kustomization path not found" and applies nothing. Fix the path (it is relative to the repository root)${suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${styled(ks.path!, s)}"`).join(' or ')}?` : '.'}`,
        fixes: suggestions.length > 0 ? suggestions.map((s, i) => ({ ...fixTo(s), preferred: i === 0 })) : undefined,
      });
    }
    return findings;
  },
};
