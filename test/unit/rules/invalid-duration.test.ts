import * as assert from 'assert';
import { invalidDuration, suggestDuration } from '../../../server/src/rules/invalid-duration';
import { ruleTester } from '../../ruleTester';

const ks = (interval: string, more = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: ${interval}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
${more}`;

const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 30m
  timeout: 5 minutes
  chart:
    spec:
      chart: web
      interval: 1w
      sourceRef:
        kind: HelmRepository
        name: charts
  upgrade:
    timeout: 10M
`;

const file = 'clusters/prod/apps.yaml';

describe('invalid-duration: suggestDuration', () => {
  it('suggests the obvious correction only', () => {
    assert.strictEqual(suggestDuration('10min'), '10m');
    assert.strictEqual(suggestDuration('1d'), '24h');
    assert.strictEqual(suggestDuration(60), '60s');
    assert.strictEqual(suggestDuration('1h 30m'), '1h30m');
    assert.strictEqual(suggestDuration('10M'), undefined, 'minutes or months: no guess');
    assert.strictEqual(suggestDuration('-1m'), undefined);
    assert.strictEqual(suggestDuration('10m'), undefined);
  });
});

ruleTester.run(invalidDuration, {
  valid: [{ name: 'valid durations', files: { [file]: ks('1h30m', '  timeout: 2m\n  retryInterval: 500ms\n') } }],
  invalid: [
    {
      name: '10min, at the value; the fix gives 10m, keeping the quotes',
      files: { [file]: ks('"10min"') },
      errors: [
        {
          file,
          line: 7,
          severity: 'error',
          range: { start: { line: 6, character: 12 }, end: { line: 6, character: 19 } },
          message: [/spec\.interval "10min" is not a valid duration/, /Did you mean "10m"\?/],
        },
      ],
      output: { [file]: /\n {2}interval: "10m"\n/ },
    },
    {
      name: 'a bare number (also its type) and days; the fixes give seconds and hours',
      files: { [file]: ks('60', '  timeout: 1d\n') },
      errors: [
        { file, line: 7, message: /must be a string duration/ },
        { file, line: 13, message: /days, weeks and years are not units/ },
      ],
      output: { [file]: /interval: 60s\n[^]*timeout: 24h\n/ },
    },
    {
      name: 'HelmRelease chart interval and action timeouts; no fix without an obvious reading',
      files: { 'apps/web/release.yaml': release },
      errors: [
        { file: 'apps/web/release.yaml', line: 8, column: 12, message: /timeout/ },
        { file: 'apps/web/release.yaml', line: 12, column: 17, message: /interval/ },
        { file: 'apps/web/release.yaml', line: 17, column: 14, message: /HelmRelease web: spec\.upgrade\.timeout "10M"/ },
      ],
      verify: (found) =>
        assert.deepStrictEqual(
          found.map((d) => d.fixes?.[0].edits[0].newText),
          ['5m', '168h', undefined],
        ),
    },
  ],
});
