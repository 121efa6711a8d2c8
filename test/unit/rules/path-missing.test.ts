import * as assert from 'assert';
import { pathMissing } from '../../../server/src/rules/path-missing';
import { makeFleet, type Fleet } from './harness';

const ks = (
  name: string,
  pathLine: string,
  source = '    kind: GitRepository\n    name: flux-system\n',
) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
${source}${pathLine}`;

const sync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: ssh://git@github.com/my-org/fleet-infra
`;

const app = { 'apps/production/kustomization.yaml': 'resources: []\n', 'apps/staging/kustomization.yaml': 'resources: []\n' };

describe('rule path-missing', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger for existing folders, substituted paths, or paths inside other sources', () => {
    fleet = makeFleet({
      ...app,
      'clusters/production/flux-system/gotk-sync.yaml': sync,
      'clusters/production/apps.yaml': ks('apps', '  path: ./apps/production\n'),
      'clusters/production/vars.yaml': ks('vars', '  path: ./apps/${cluster}\n'),
      'clusters/production/oci.yaml': ks('oci', '  path: ./deploy\n', '    kind: OCIRepository\n    name: podinfo\n'),
      'clusters/production/ocir.yaml': ks('ocir', '', '    kind: OCIRepository\n    name: podinfo\n'),
      'clusters/production/other.yaml': ks('other', '  path: ./deploy\n', '    kind: GitRepository\n    name: other\n'),
      'clusters/production/other-source.yaml': sync.replace('name: flux-system', 'name: other').replace('fleet-infra', 'other-repo'),
    });
    assert.deepStrictEqual(fleet.check(pathMissing), []);
  });

  it('flags a missing spec.path at spec and says the whole source root is applied', () => {
    fleet = makeFleet({ ...app, 'clusters/production/apps.yaml': ks('apps', '') });
    const [d] = fleet.check(pathMissing);
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } });
    assert.match(d.message, /has no spec\.path, so kustomize-controller builds the whole source root/);
    assert.match(d.message, /Set spec\.path/);
  });

  it('flags a path that does not exist at the value and corrects it to the nearest folder', () => {
    fleet = makeFleet({
      ...app,
      'clusters/production/flux-system/gotk-sync.yaml': sync,
      'clusters/production/apps.yaml': ks('apps', '  path: ./apps/prodution\n'),
    });
    const [d] = fleet.check(pathMissing);
    assert.deepStrictEqual(d.range, { start: { line: 11, character: 8 }, end: { line: 11, character: 24 } });
    assert.match(d.message, /"\.\/apps\/prodution" .* does not exist in the repository/);
    assert.match(d.message, /did you mean "\.\/apps\/production"\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/production/apps.yaml'), /\n {2}path: \.\/apps\/production\n$/);
    assert.deepStrictEqual(fleet.check(pathMissing), []);
  });

  it('flags a path naming a file and points it at its folder', () => {
    fleet = makeFleet({ ...app, 'clusters/production/apps.yaml': ks('apps', '  path: "apps/staging/kustomization.yaml"\n') });
    const [d] = fleet.check(pathMissing);
    assert.match(d.message, /names a file/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/production/apps.yaml'), /\n {2}path: "apps\/staging"\n$/);
    assert.deepStrictEqual(fleet.check(pathMissing), []);
  });

  it('offers no fix when no folder is near', () => {
    fleet = makeFleet({ ...app, 'clusters/production/apps.yaml': ks('apps', '  path: ./services/payments\n') });
    const [d] = fleet.check(pathMissing);
    assert.match(d.message, /it is relative to the repository root\)\.$/);
    assert.strictEqual(d.fixes, undefined);
  });
});
