// Promotions made but not merged yet. pendingPromotion: a local branch whose tip is a promotion commit from
// the same source to the same target, not contained in HEAD, that already holds the files a new promotion
// would write (promoting again would only make a second branch with the same change). unmergedPromotion: a
// promotion commit the base branch does not contain (reverting it there would undo nothing).
import { runGit } from '../git/exec';
import { defaultBranch, listRemotes, pickRemote } from '../git/repo';

export interface PendingPromotion {
  branch: string;
  commit: string;
}

export async function pendingPromotion(
  root: string,
  source: string,
  target: string,
  files: ReadonlyArray<{ path: string; after: string }>,
): Promise<PendingPromotion | undefined> {
  if (files.length === 0) return undefined;
  const branches = await runGit(
    ['for-each-ref', '--format=%(refname:short)%00%(objectname)%00%(trailers:key=Promotion,valueonly,unfold)', 'refs/heads/'],
    { cwd: root },
  );
  if (!branches.ok) return undefined;
  for (const line of branches.value.stdout.split('\n')) {
    const [branch, commit, trailer] = line.split('\0');
    if (!branch || !commit || trailer?.trim() !== `${source} -> ${target}`) continue;
    const merged = await runGit(['merge-base', '--is-ancestor', commit, 'HEAD'], { cwd: root, acceptExitCodes: [1] });
    if (!merged.ok || merged.value.exitCode === 0) continue;
    let same = true;
    for (const file of files) {
      const shown = await runGit(['show', `${commit}:${file.path}`], { cwd: root, acceptExitCodes: [128] });
      if (!shown.ok || shown.value.exitCode !== 0 || shown.value.stdout !== file.after) {
        same = false;
        break;
      }
    }
    if (same) return { branch, commit };
  }
  return undefined;
}

export interface UnmergedPromotion {
  /** The branch promotions start from (and reverts go to), which does not contain the promotion. */
  base: string;
  /** Local branches that hold the promotion commit. */
  branches: string[];
}

/**
 * A promotion commit that never reached the base branch (its pull request is not merged): reverting it on
 * the base branch has nothing to undo. Undefined when the base branch contains it, or it cannot be told.
 */
export async function unmergedPromotion(root: string, commit: string, remoteName?: string): Promise<UnmergedPromotion | undefined> {
  if (!/^[0-9a-f]{4,64}$/i.test(commit)) return undefined; // a commit id, never an option or a revision expression
  const remotes = await listRemotes(root);
  const remote = remotes.ok ? pickRemote(remotes.value, remoteName) : undefined;
  const base = await defaultBranch(root, remote?.name);
  if (!base.ok) return undefined;
  const contained = await runGit(['merge-base', '--is-ancestor', commit, base.value], { cwd: root, acceptExitCodes: [1] });
  if (!contained.ok || contained.value.exitCode === 0) return undefined;
  const holding = await runGit(['branch', '--format=%(refname:short)', '--contains', commit], { cwd: root });
  const branches = holding.ok ? holding.value.stdout.split('\n').filter((b) => b !== '') : [];
  return { base: base.value, branches };
}

export function unmergedMessage(commit: string, unmerged: UnmergedPromotion): string {
  const on = unmerged.branches.length > 0 ? ` It is on ${unmerged.branches.join(', ')}.` : '';
  const drop =
    unmerged.branches.length > 0
      ? ` To drop the promotion, delete ${unmerged.branches.length === 1 ? 'that branch' : 'those branches'} (and close its pull request).`
      : '';
  return `The promotion ${commit.slice(0, 12)} was never merged into ${unmerged.base}, so there is nothing to revert there.${on}${drop}`;
}
