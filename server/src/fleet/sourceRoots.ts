// Where a Flux Kustomization's spec.path points: spec.path is relative to the root of its source's
// artifact (kustomize-controller docs/spec/v1/kustomizations.md, "Path"), and what that artifact holds
// depends on the source:
// - a GitRepository of this repository (the one a bootstrap or FluxInstance creates, or any whose URL is
//   one of this checkout's remotes): the repository root;
// - an OCIRepository or Bucket a root syncs from a subfolder (clusterRoots.ts): that folder;
// - an ExternalArtifact an ArtifactGenerator assembles from sources of this repository: its virtual tree;
// - anything else (a tenant's own repository, a remote OCI artifact): not here, so not checkable.
import * as path from 'path';
import type { FluxSourceTree } from '../flux/build';
import type { FluxKustomization, FluxSource } from '../flux/objects';
import type { FileSystem } from '../kustomize/fs';
import { normalize } from '../kustomize/loader';

export type SourceResolution =
  | { kind: 'repository'; root: string; source: string; note?: string }
  | { kind: 'artifact'; tree: FluxSourceTree; source: string; note?: string }
  /** The source's content is not in this repository: another repository, a registry. spec.path cannot be checked. */
  | { kind: 'elsewhere'; source: string; note: string }
  /** No source of that kind and name is known to this cluster. */
  | { kind: 'unknown'; source: string; note: string };

/** A source known to a cluster, with where its content is when a root created it. */
export interface KnownSource {
  source: FluxSource;
  /** The folder of this repository holding the source's artifact, for sources a root creates. */
  folder?: string;
}

export interface SourceCatalog {
  find(kind: string, namespace: string, name: string): KnownSource | undefined;
  /** The tree of an ExternalArtifact, when an ArtifactGenerator of the cluster builds it from this repository. */
  externalArtifact?(namespace: string, name: string): { tree?: FluxSourceTree; note?: string } | undefined;
}

/** The URLs this checkout's remotes fetch from (`.git/config`), normalised for comparison. */
export function repositoryRemotes(fs: FileSystem, repoRoot: string): Set<string> {
  const out = new Set<string>();
  const text = fs.readFile(`${normalize(repoRoot)}/.git/config`);
  if (text === undefined) return out;
  for (const m of text.matchAll(/^\s*url\s*=\s*(\S+)\s*$/gm)) out.add(normalizeGitUrl(m[1]));
  return out;
}

/** `https://github.com/o/r.git`, `ssh://git@github.com/o/r`, `git@github.com:o/r.git` are one repository: `github.com/o/r`. */
export function normalizeGitUrl(url: string): string {
  let u = url.trim();
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  u = u.replace(/^[^@/]+@/, '');
  u = u.replace(/^([^/:]+):(?!\d+\/)/, '$1/');
  u = u.replace(/^([^/:]+):\d+\//, '$1/');
  u = u.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const slash = u.indexOf('/');
  return slash < 0 ? u.toLowerCase() : u.slice(0, slash).toLowerCase() + u.slice(slash);
}

const sourceName = (kind: string, namespace: string, name: string) => `${kind} ${namespace}/${name}`;

/** What decides whether a source is this repository: its root, its remotes, and the sources its roots sync from. */
export interface RepositoryFacts {
  root: string;
  remotes: Set<string>;
  /** Normalised URL of each source a root syncs from, to the folder of this repository it holds. */
  rootSourceFolders: Map<string, string>;
}

export function resolveSource(ks: FluxKustomization, catalog: SourceCatalog, repo: RepositoryFacts): SourceResolution {
  const ref = ks.sourceRef;
  if (!ref) return { kind: 'unknown', source: 'no sourceRef', note: 'spec.sourceRef is missing' };
  const named = sourceName(ref.kind, ref.namespace, ref.name);
  if (ref.kind === 'ExternalArtifact') {
    const artifact = catalog.externalArtifact?.(ref.namespace, ref.name);
    if (artifact?.tree) return { kind: 'artifact', tree: artifact.tree, source: named, ...(artifact.note ? { note: artifact.note } : {}) };
    if (artifact) return { kind: 'elsewhere', source: named, note: artifact.note ?? `${named} is not built from this repository` };
    return { kind: 'unknown', source: named, note: `no ArtifactGenerator of this cluster produces ${named}` };
  }
  const known = catalog.find(ref.kind, ref.namespace, ref.name);
  if (!known) return { kind: 'unknown', source: named, note: `${named} is not defined in this cluster's tree` };
  return whereIsSource(known, repo);
}

/** Where a known source's content is: in this repository (which folder), or elsewhere. */
export function whereIsSource(known: KnownSource, repo: RepositoryFacts): SourceResolution {
  const ref = known.source;
  const named = sourceName(ref.kind, ref.namespace, ref.name);
  if (known.folder !== undefined) {
    const atRoot = normalize(known.folder) === normalize(repo.root);
    return {
      kind: 'repository',
      root: known.folder,
      source: named,
      ...(atRoot
        ? {}
        : {
            note: `spec.path is relative to ${path.posix.relative(repo.root, known.folder)}/, the folder the ${ref.kind} artifact is built from`,
          }),
    };
  }
  const url = 'url' in ref ? ref.url : undefined;
  if (url === undefined || url.includes('${'))
    return { kind: 'unknown', source: named, note: `the URL of ${named} is ${url === undefined ? 'not set' : 'set by substitution'}` };
  const normalized = normalizeGitUrl(url);
  // The same URL as a source a root syncs from: the same content, so the same folder.
  const sameAsRoot = repo.rootSourceFolders.get(normalized);
  if (sameAsRoot !== undefined) return { kind: 'repository', root: sameAsRoot, source: named };
  if (ref.kind === 'GitRepository' && repo.remotes.has(normalized)) return { kind: 'repository', root: repo.root, source: named };
  return {
    kind: 'elsewhere',
    source: named,
    note: `${named} fetches ${url}: its files are not in this repository, so spec.path cannot be checked here`,
  };
}
