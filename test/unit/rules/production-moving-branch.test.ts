import { productionMovingBranch } from '../../../server/src/rules/production-moving-branch';
import { ruleTester } from '../../ruleTester';

const gitRepository = (name: string, ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m0s
${ref}  url: ssh://git@github.com/my-org/fleet-infra
`;

const ks = (name: string, source: string, path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: ${source}
  path: ${path}
`;

function fleetWith(productionRef: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'apps/staging/kustomization.yaml': 'resources: []\n',
    'apps/production/kustomization.yaml': 'resources: []\n',
    'clusters/staging/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', '  ref:\n    branch: main\n')}---\n${ks('flux-system', 'flux-system', './clusters/staging')}`,
    'clusters/staging/apps.yaml': ks('apps', 'flux-system', './apps/staging'),
    'clusters/production/flux-system/gotk-sync.yaml': `${gitRepository('flux-system', productionRef)}---\n${ks('flux-system', 'flux-system', './clusters/production')}`,
    'clusters/production/apps.yaml': ks('apps', 'flux-system', './apps/production'),
    ...extra,
  };
}

const gotk = 'clusters/production/flux-system/gotk-sync.yaml';

ruleTester.run(productionMovingBranch, {
  valid: [
    // Staging may track main.
    { name: 'production tracks a semver range', files: fleetWith('  ref:\n    semver: ">=1.0.0"\n') },
    { name: 'production tracks a tag', files: fleetWith('  ref:\n    tag: v1.4.2\n') },
    { name: 'production tracks a version-named release branch', files: fleetWith('  ref:\n    branch: release-1.4\n') },
  ],
  invalid: [
    {
      name: "production's own GitRepository, at its branch, once, naming the Kustomizations that use it",
      files: fleetWith('  ref:\n    branch: main\n'),
      errors: [
        {
          file: gotk,
          line: 9,
          severity: 'info',
          range: { start: { line: 8, character: 12 }, end: { line: 8, character: 16 } },
          message: [
            /Production environment production applies Kustomizations (flux-system, apps|apps, flux-system) from GitRepository flux-system, which tracks branch main/,
            /Track a release tag or a semver range/,
          ],
        },
      ],
    },
    {
      name: 'a GitRepository without ref (the default branch), at spec',
      files: fleetWith(''),
      errors: [{ file: gotk, line: 6, message: /tracks no ref, so the default branch master/, column: 1 }],
    },
    {
      name: 'the sourceRef of a production Kustomization whose source is shared with staging',
      files: fleetWith('  ref:\n    semver: ">=1.0.0"\n', {
        'sources/apps-repo.yaml': gitRepository('apps-repo', '  ref:\n    branch: main\n'),
        'clusters/staging/apps.yaml': ks('apps', 'apps-repo', './apps/staging'),
        'clusters/production/apps.yaml': ks('apps', 'apps-repo', './apps/production'),
      }),
      errors: [
        {
          file: 'clusters/production/apps.yaml',
          line: 11,
          range: { start: { line: 10, character: 10 }, end: { line: 10, character: 19 } },
          message: /Point this sourceRef at a GitRepository of production's own/,
        },
      ],
    },
  ],
});
