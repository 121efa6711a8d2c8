// kustomize's root-only restriction and Flux's source checkout both end at the repository: an entry that
// leaves it (by `..`, an absolute path or a symlink) renders on one machine and fails everywhere else.
import * as path from 'path';
import { fieldLabel, judgeEachEntry } from './support/kustomizationEntries';
import type { Rule } from './rule';

export const pathOutsideRepo: Rule = {
  id: 'path-outside-repo',
  severity: 'error',
  category: 'overlay',
  description: 'A kustomization entry leads outside the repository (.., an absolute path or a symlink); it is never read.',
  check(ctx) {
    const { index } = ctx;
    return judgeEachEntry(ctx, (entry, status) => {
      const where = fieldLabel(entry);
      if (status.kind === 'absolute') {
        return {
          message: `'${entry.ref}' in ${where} is an absolute path: it names a place on one machine, not in the repository, and Flux never sees it. Write it relative to ${path.posix.relative(index.root, entry.dir) || 'the repository root'} and keep the target inside the repository.`,
        };
      }
      if (status.kind === 'outside-repo') {
        return {
          message: `'${entry.ref}' in ${where} leads outside the repository (to ${status.resolved}): Flux builds from the repository's checkout alone, so the build fails there, and Flux Environments never reads it. Move what it names into the repository and point to that copy.`,
        };
      }
      return undefined;
    });
  },
};
