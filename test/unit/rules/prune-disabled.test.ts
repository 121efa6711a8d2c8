import * as assert from 'assert';
import { pruneDisabled } from '../../../server/src/rules/prune-disabled';
import { ruleTester } from '../../ruleTester';

const ks = (spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
${spec}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;
const file = 'clusters/prod/apps.yaml';
const parent = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
    - target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
      patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: not-used
        spec:
          prune: true
`;
const child = ks('').replace('name: apps', 'name: podinfo').replace('path: ./apps', 'path: ./podinfo');
const podinfoConfigMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n';

ruleTester.run(pruneDisabled, {
  valid: [
    { name: 'prune is true', files: { [file]: ks('  prune: true\n') } },
    { name: 'other kinds named Kustomization are not looked at', files: { 'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n' } },
    {
      name: 'a parent Kustomization patches prune: true into its children (as Flux applies them)',
      files: { 'clusters/prod/cluster-apps.yaml': parent, 'apps/podinfo.yaml': child, 'podinfo/cm.yaml': podinfoConfigMap },
    },
    { name: 'suppressed for one occurrence', files: { [file]: ks('').replace('spec:\n', '# fluxenv-disable-next-line prune-disabled\nspec:\n') } },
  ],
  invalid: [
    {
      name: "without the parent's patch (an edit removes it), the child's own file decides",
      files: { 'clusters/prod/cluster-apps.yaml': parent, 'apps/podinfo.yaml': child, 'podinfo/cm.yaml': podinfoConfigMap },
      setup: (fleet) => {
        assert.deepStrictEqual(fleet.check(pruneDisabled), [], 'clean while the parent patches prune in');
        fleet.write('clusters/prod/cluster-apps.yaml', parent.replace(/ {2}patches:[\s\S]*$/, ''));
      },
      errors: [{ file: 'apps/podinfo.yaml', line: 6, message: /podinfo does not set prune/ }],
    },
    {
      name: 'a missing prune is flagged at spec; the fix inserts prune: true among its siblings',
      files: { [file]: ks('') },
      errors: [{ file, line: 6, message: /does not set prune/, severity: 'warning' }],
      output: { [file]: /\n {2}path: \.\/apps\n {2}prune: true\n$/ },
    },
    {
      name: 'prune: false is flagged at the value and flipped',
      files: { [file]: ks('  prune: false # keep things\n') },
      errors: [{ file, line: 8, message: /prune/ }],
      output: { [file]: / {2}prune: true # keep things\n/ },
    },
  ],
});
