import * as assert from 'assert';
import { productionMovingBranch } from '../../../server/src/rules/production-moving-branch';
import { makeFleet, type Fleet } from './harness';

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

describe('rule production-moving-branch', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger when production tracks a semver range, a tag, or a version-named release branch (staging may track main)', () => {
    for (const ref of ['  ref:\n    semver: ">=1.0.0"\n', '  ref:\n    tag: v1.4.2\n', '  ref:\n    branch: release-1.4\n']) {
      fleet = makeFleet(fleetWith(ref));
      assert.deepStrictEqual(fleet.check(productionMovingBranch), [], ref);
      fleet.dispose();
      fleet = undefined;
    }
  });

  it("flags production's own GitRepository at its branch, once, naming the Kustomizations that use it", () => {
    fleet = makeFleet(fleetWith('  ref:\n    branch: main\n'));
    const found = fleet.check(productionMovingBranch);
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.severity, 'info');
    assert.match(d.file, /clusters\/production\/flux-system\/gotk-sync\.yaml$/);
    assert.deepStrictEqual(d.range, { start: { line: 8, character: 12 }, end: { line: 8, character: 16 } });
    assert.match(d.message, /Production environment production applies Kustomizations (flux-system, apps|apps, flux-system) from GitRepository flux-system, which tracks branch main/);
    assert.match(d.message, /Track a release tag or a semver range/);
  });

  it('flags a GitRepository without ref (the default branch) at spec', () => {
    fleet = makeFleet(fleetWith(''));
    const [d] = fleet.check(productionMovingBranch);
    assert.deepStrictEqual(d.range.start, { line: 5, character: 0 });
    assert.match(d.message, /tracks no ref, so the default branch master/);
  });

  it('flags the sourceRef of a production Kustomization whose source is shared with staging', () => {
    fleet = makeFleet(
      fleetWith('  ref:\n    semver: ">=1.0.0"\n', {
        'sources/apps-repo.yaml': gitRepository('apps-repo', '  ref:\n    branch: main\n'),
        'clusters/staging/apps.yaml': ks('apps', 'apps-repo', './apps/staging'),
        'clusters/production/apps.yaml': ks('apps', 'apps-repo', './apps/production'),
      }),
    );
    const [d, ...rest] = fleet.check(productionMovingBranch);
    assert.deepStrictEqual(rest, []);
    assert.match(d.file, /clusters\/production\/apps\.yaml$/);
    assert.deepStrictEqual(d.range, { start: { line: 10, character: 10 }, end: { line: 10, character: 19 } });
    assert.match(d.message, /Point this sourceRef at a GitRepository of production's own/);
  });
});
