import * as assert from 'assert';
import { waitHealthChecksIgnored } from '../../../server/src/rules/wait-healthchecks-ignored';
import { ruleTester } from '../../ruleTester';

const ks = (spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
${spec}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;

const both = '  wait: true\n  healthChecks:\n  - apiVersion: apps/v1\n    kind: Deployment\n    name: my-app\n    namespace: production\n';
const file = 'clusters/prod/apps.yaml';
const finding = {
  file,
  line: 10,
  severity: 'info' as const,
  range: { start: { line: 9, character: 2 }, end: { line: 9, character: 14 } },
  message: [/Flux ignores its healthChecks/, /Remove the healthChecks, or remove wait: true/],
};

ruleTester.run(waitHealthChecksIgnored, {
  valid: [
    {
      name: 'only wait, only healthChecks, or an empty list',
      files: {
        'clusters/prod/a.yaml': ks('  wait: true\n'),
        'clusters/prod/b.yaml': ks('  healthChecks:\n  - kind: Deployment\n    name: web\n').replace('name: apps', 'name: b'),
        'clusters/prod/c.yaml': ks('  wait: true\n  healthChecks: []\n').replace('name: apps', 'name: c'),
      },
    },
  ],
  invalid: [
    {
      name: 'healthChecks next to wait: true, at the healthChecks key; the preferred fix removes the list',
      files: { [file]: ks(both) },
      errors: [finding],
      verify: ([d]) => {
        assert.strictEqual(d.fixes!.length, 2);
        assert.ok(d.fixes![0].preferred);
      },
      output: { [file]: ks('  wait: true\n') },
    },
    {
      name: 'the second fix removes wait: true instead',
      files: { [file]: ks(both) },
      errors: [finding],
      fix: 1,
      output: { [file]: ks(both.replace('  wait: true\n', '')) },
    },
  ],
});
