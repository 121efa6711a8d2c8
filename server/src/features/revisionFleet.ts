// The fleet at a git revision, as an index over the revision's tree: the same engine, graph and limits as
// the work tree's index, read from git objects only (git/revisionTree.ts), so nothing in the work tree,
// the index or the refs changes.
import * as path from 'path';
import { FleetIndex, type FleetSettings } from '../fleet/fleetIndex';
import type { BuildCache } from '../kustomize/buildCache';
import { fail, ok, type GitResult } from '../git/exec';
import { findRepoRoot } from '../git/repo';
import { openRevisionTree } from '../git/revisionTree';

export interface RevisionFleet {
  index: FleetIndex;
  commit: string;
  revision: string;
}

/** The repository holding `folder`, as git names its top folder, with forward slashes. */
export async function repositoryOf(folder: string): Promise<GitResult<string>> {
  const root = await findRepoRoot(folder);
  if (!root.ok) {
    if (root.error.kind === 'notARepo' || root.error.kind === 'unknown')
      return fail('notARepo', `${folder} is not inside a git repository: a rendered diff compares git revisions.`, {
        detail: root.error.detail,
      });
    return root;
  }
  return ok(root.value.replace(/\\/g, '/'));
}

/**
 * The fleet at `folder` (inside the repository at `repoRoot`) as it is at `revision`, scanned and ready to
 * render. `buildCache` is shared with the other side of a comparison: folders both agree on build once.
 */
export async function openRevisionFleet(
  repoRoot: string,
  folder: string,
  revision: string,
  settings: FleetSettings,
  buildCache?: BuildCache,
): Promise<GitResult<RevisionFleet>> {
  const tree = await openRevisionTree(repoRoot, revision);
  if (!tree.ok) return tree;
  const relative = path.relative(repoRoot, folder).replace(/\\/g, '/');
  const root = relative === '' ? tree.value.root : `${tree.value.root.replace(/\/$/, '')}/${relative}`;
  const index = new FleetIndex(root, settings, tree.value, { ...(buildCache ? { buildCache } : {}), scanBase: true });
  index.scan();
  return ok({ index, commit: tree.value.commit, revision });
}
