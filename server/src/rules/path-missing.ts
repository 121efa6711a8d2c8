// A Flux Kustomization's spec.path decides what it applies: absent, the controller builds the whole
// source root; pointing nowhere, the reconciliation fails and nothing is applied.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { joinSpecPath } from '../fleet/clusterRoots';
import { fluxObjectsAsApplied } from './support/asApplied';
import { sourceTreeOf } from './support/sourceTree';
import { isFluxKustomization } from '../flux/objects';
import { nearestNames } from '../util/editDistance';
import { documentOfObject, quotedLike, textAt } from './support/fluxSpecHelpers';
import type { Finding, Rule } from './rule';

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
    let folders: string[] | undefined;
    const judged = new Set<string>();
    for (const indexed of fluxObjectsAsApplied(index)) {
      checking?.(indexed.file);
      const ks = indexed.object;
      if (!isFluxKustomization(ks)) continue;
      // Applied in several clusters from one file: judged once, at the first.
      const place = `${indexed.file}#${indexed.documentIndex}`;
      if (judged.has(place)) continue;
      judged.add(place);
      const tree = sourceTreeOf(index, indexed);
      const located = documentOfObject(index, indexed);
      if (!located) continue;
      const { doc, text } = located;
      if (ks.path === undefined) {
        // An OCI artifact or bucket is often exactly the manifests to apply, and another repository's root
        // (narrowed by its spec.ignore) a deliberate choice: only this repository's root is a mistake.
        if ((ks.sourceRef && ks.sourceRef.kind !== 'GitRepository') || !tree) continue;
        if (doc.locate(['spec', 'path'])) continue; // written with the wrong type: invalid-flux-object
        findings.push({
          file: indexed.file,
          range: doc.locate(['spec'], { key: true }) ?? doc.range,
          message: `Kustomization ${ks.name} has no spec.path, so kustomize-controller builds the whole source root: every manifest of ${ks.sourceRef ? `${ks.sourceRef.kind} ${ks.sourceRef.name}` : 'the source'}, every environment's overlay at once. Set spec.path to the folder this Kustomization should apply, e.g. ./apps/production.`,
        });
        continue;
      }
      if (ks.path.includes('${') || !tree) continue;
      const dir = joinSpecPath(tree.root, ks.path);
      const kind = tree.fs.kind(dir);
      if (kind === 'dir') continue;
      // Objects Flux generates (a FluxInstance's sync, a ResourceSet's template) say where their path is written.
      const range = doc.locate(['spec', 'path']) ?? (ks.place.file === indexed.file ? ks.place.rangeOf?.(['spec', 'path']) : undefined);
      if (!range) continue;
      const written = textAt(text, range);
      const fixTo = (folder: string) => ({
        title: `Change spec.path to ${styled(ks.path!, folder)}`,
        edits: [{ file: indexed.file, range, newText: quotedLike(written, styled(ks.path!, folder)) }],
      });
      if (kind === 'file') {
        const parent = path.posix.relative(tree.root, path.posix.dirname(dir));
        findings.push({
          file: indexed.file,
          range,
          message: `spec.path "${ks.path}" of Kustomization ${ks.name} names a file; kustomize-controller builds folders, so the reconciliation fails. Point spec.path at the folder${parent ? ` (${styled(ks.path, parent)})` : ''}.`,
          fixes: parent ? [{ ...fixTo(parent), preferred: true }] : undefined,
        });
        continue;
      }
      const candidates =
        tree.root === index.root
          ? (folders ??= repositoryFolders(index))
          : repositoryFolders(index)
              .map((f) => path.posix.relative(tree.root, path.posix.join(index.root, f)))
              .filter((f) => !f.startsWith('..'));
      const relative = path.posix.relative(tree.root, dir);
      const suggestions = nearestNames(relative, candidates, { maxDistance: Math.min(4, Math.max(1, Math.floor(relative.length / 4))) });
      findings.push({
        file: indexed.file,
        range,
        message: `spec.path "${ks.path}" of Kustomization ${ks.name} does not exist in ${tree.description}: kustomize-controller fails with "kustomization path not found" and applies nothing. Fix the path (it is relative to ${tree.root === index.root ? 'the repository root' : `the root of ${tree.description}`})${suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${styled(ks.path!, s)}"`).join(' or ')}?` : '.'}`,
        fixes: suggestions.length > 0 ? suggestions.map((s, i) => ({ ...fixTo(s), preferred: i === 0 })) : undefined,
      });
    }
    return findings;
  },
};
