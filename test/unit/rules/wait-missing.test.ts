import { waitMissing } from '../../../server/src/rules/wait-missing';
import { ruleTester } from '../../ruleTester';

const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./${name}
${spec}`;
const infra = 'clusters/prod/infra.yaml';

ruleTester.run(waitMissing, {
  valid: [
    {
      name: 'wait: true, healthChecks, or the bootstrap flux-system Kustomization',
      files: {
        [infra]: ks('infra', '  wait: true\n'),
        'clusters/prod/apps.yaml': ks('apps', '  healthChecks:\n  - kind: Deployment\n    name: web\n    namespace: apps\n'),
        'clusters/prod/flux-system/gotk-sync.yaml': ks('flux-system', ''),
      },
    },
    { name: 'a wait of the wrong type is left to invalid-flux-object', files: { [infra]: ks('infra', '  wait: "true"\n') } },
  ],
  invalid: [
    {
      name: 'a missing wait is flagged at spec, naming the dependents; the fix inserts wait: true',
      files: { [infra]: ks('infra', ''), 'clusters/prod/apps.yaml': ks('apps', '  wait: true\n  dependsOn:\n  - name: infra\n') },
      errors: [
        {
          file: infra,
          line: 6,
          severity: 'info',
          range: { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } },
          message: [/neither wait: true nor healthChecks/, /"apps" \(which dependsOn it\) starts before/, /Set wait: true/],
        },
      ],
      output: { [infra]: /\n {2}path: \.\/infra\n {2}wait: true\n$/ },
    },
    {
      name: 'wait: false is flagged at the value and flipped',
      files: { [infra]: ks('infra', '  wait: false # for now\n') },
      errors: [{ file: infra, line: 13, range: { start: { line: 12, character: 8 }, end: { line: 12, character: 13 } }, message: /sets wait: false/ }],
      output: { [infra]: / {2}wait: true # for now\n/ },
    },
  ],
});
