// Remote bases (URLs, git references) are fetched by kustomize at build time; Flux Environments never
// fetches, so it cannot check what such an entry adds. Vendoring makes the render checkable and pinned.
import { fieldLabel, judgeEachEntry } from './support/kustomizationEntries';
import type { Rule } from './rule';

export const remoteResource: Rule = {
  id: 'remote-resource',
  severity: 'warning',
  category: 'overlay',
  description: 'A kustomization entry is a URL or git reference; Flux Environments does not fetch it, so the render cannot be checked.',
  check(ctx) {
    return judgeEachEntry(ctx, (entry, status) =>
      status.kind !== 'remote'
        ? undefined
        : {
            message: `'${entry.ref}' in ${fieldLabel(entry)} is a remote reference that Flux Environments never fetches, so this kustomization's render cannot be checked here. Vendor it: copy the manifests into a folder of this repository (pinned to a tag or commit) and list that folder instead.`,
          },
    );
  },
};
