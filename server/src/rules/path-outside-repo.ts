// kustomize's root-only restriction and Flux's source checkout both end at the repository: an entry that
// leaves it (by `..`, an absolute path or a symlink) renders on one machine and fails everywhere else.
import * as path from 'path';
import { entryStatus, fieldLabel, pathEntries } from './kustomizationEntries';
import type { Finding, Rule } from './rule';

export const pathOutsideRepo: Rule = {
  id: 'path-outside-repo',
  severity: 'error',
  category: 'overlay',
  description: 'A kustomization entry leads outside the repository (.., an absolute path or a symlink); it is never read.',
  check({ index, isCancelled, checking }) {
    const findings: Finding[] = [];
    for (const file of index.kustomizationFiles()) {
      checking?.(file);
      if (isCancelled()) break;
      for (const entry of pathEntries(index, file)) {
        const status = entryStatus(index, entry);
        const where = fieldLabel(entry);
        if (status.kind === 'absolute') {
          findings.push({
            file,
            range: entry.range,
            message: `'${entry.ref}' in ${where} is an absolute path: it names a place on one machine, not in the repository, and Flux never sees it. Write it relative to ${path.posix.relative(index.root, entry.dir) || 'the repository root'} and keep the target inside the repository.`,
          });
        } else if (status.kind === 'outside-repo') {
          findings.push({
            file,
            range: entry.range,
            message: `'${entry.ref}' in ${where} leads outside the repository (to ${status.resolved}): Flux builds from the repository's checkout alone, so the build fails there, and Flux Environments never reads it. Move what it names into the repository and point to that copy.`,
          });
        }
      }
    }
    return findings;
  },
};
