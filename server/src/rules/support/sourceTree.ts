// The tree a Flux Kustomization's spec.path is resolved in, for rules that build or look into it: the
// repository root, the folder an OCI artifact is built from, an ExternalArtifact's tree, or nothing when the
// source is another repository (or cannot be placed): such a Kustomization cannot be judged here.
import * as path from 'path';
import type { FleetIndex } from '../../fleet/fleetIndex';
import { whereIsSource } from '../../fleet/sourceRoots';
import { keyOf } from '../../flux/dependsOn';
import { isFluxSource, type FluxKustomization } from '../../flux/objects';
import type { FileSystem } from '../../kustomize/fs';
import type { AppliedFluxObject } from './asApplied';

export type SourceTree = { root: string; fs: FileSystem; description: string };

/**
 * The tree of a Kustomization whose source the graph could not place (nothing here applies it, or its source
 * is created on the cluster): with no sourceRef, or a GitRepository nothing here defines or that is named
 * `flux-system` (bootstrap's and a FluxInstance's), the repository; a GitRepository defined here, where its URL
 * says (fleet/sourceRoots.ts whereIsSource, the one judge of "this repository"); anything else, nothing to check.
 */
function treeOfUnplacedSource(index: FleetIndex, ks: FluxKustomization): SourceTree | undefined {
  const repositoryTree: SourceTree = { root: index.root, fs: index.fs, description: 'the repository' };
  const ref = ks.sourceRef;
  if (!ref) return repositoryTree;
  if (ref.kind !== 'GitRepository') return undefined;
  const written = index
    .fluxObjects()
    .list.filter(
      (o) =>
        o.object.kind === 'GitRepository' &&
        o.object.name === ref.name &&
        (!o.object.namespaceWritten || o.object.namespace === ref.namespace),
    );
  if (written.length === 0 || ref.name === 'flux-system') return repositoryTree;
  const repository = index.environments().graph?.repository;
  if (!repository) return undefined;
  for (const source of written) {
    if (!isFluxSource(source.object)) continue;
    const where = whereIsSource({ source: source.object }, repository);
    if (where.kind === 'repository')
      return where.root === index.root ? repositoryTree : { root: where.root, fs: index.fs, description: where.source };
  }
  return undefined;
}

/**
 * The tree spec.path is resolved in, from the Flux graph: the repository root, the folder an OCI artifact is
 * built from, or an ExternalArtifact's tree. Undefined when the source is another repository or unknown
 * (another rule says so): such a path cannot be checked here. Kustomizations nothing applies are judged
 * as before, against the repository when their source may be it.
 */
export function sourceTreeOf(index: FleetIndex, applied: AppliedFluxObject): SourceTree | undefined {
  const ks = applied.object as FluxKustomization;
  const node = applied.cluster?.nodes.get(keyOf(ks));
  if (!node) return treeOfUnplacedSource(index, ks);
  const source = node.source;
  if (source.kind === 'repository')
    return {
      root: source.root,
      fs: index.fs,
      description:
        source.root === index.root
          ? 'the repository'
          : `${path.posix.relative(index.root, source.root)}/ (the folder ${source.source} is built from)`,
    };
  if (source.kind === 'artifact') return { root: source.tree.root, fs: source.tree.fs ?? index.fs, description: source.source };
  // A source nothing here defines (created on the cluster): the repository, as long as nothing says otherwise.
  if (source.kind === 'unknown') return treeOfUnplacedSource(index, ks);
  return undefined;
}
