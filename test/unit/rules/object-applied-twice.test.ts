import * as assert from 'assert';
import { objectAppliedTwice } from '../../../server/src/rules/object-applied-twice';
import { makeFleet, type Fleet } from './harness';

const ks = (name: string, p: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ${p}
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "1"\n`;

describe('rule object-applied-twice', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags an object two Kustomizations of one cluster apply, at the second one, naming both', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'clusters/prod/extra.yaml': ks('extra', './apps/shared'),
      'apps/shared/settings.yaml': cm('settings'),
      'apps/own.yaml': cm('own'),
    });
    const found = fleet.check(objectAppliedTwice);
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.severity, 'warning');
    assert.match(
      d.message,
      /ConfigMap.*settings.* is applied by both Kustomization flux-system\/(apps|extra) and flux-system\/(apps|extra) on cluster prod/,
    );
    assert.ok(d.related?.some((r) => r.file.endsWith('apps/shared/settings.yaml')));
  });

  it('does not trigger when each Kustomization applies its own objects, or in two different clusters', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': ks('apps', './apps/prod'),
      'clusters/staging/apps.yaml': ks('apps', './apps/prod'),
      'clusters/prod/extra.yaml': ks('extra', './extra'),
      'apps/prod/settings.yaml': cm('settings'),
      'extra/other.yaml': cm('other'),
    });
    assert.deepStrictEqual(fleet.check(objectAppliedTwice), []);
  });
});
