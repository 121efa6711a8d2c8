// A promotion already made but not merged yet: a local branch whose tip is a promotion commit from the same
// source to the same target, not contained in HEAD, that already holds the files a new promotion would
// write. Promoting again would only make a second branch with the same change.
import { runGit } from '../git/exec';

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
  const branches = await runGit(['for-each-ref', '--format=%(refname:short)%00%(objectname)%00%(trailers:key=Promotion,valueonly,unfold)', 'refs/heads/'], { cwd: root });
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
