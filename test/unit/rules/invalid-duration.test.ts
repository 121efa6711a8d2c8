import * as assert from 'assert';
import { invalidDuration, suggestDuration } from '../../../server/src/rules/invalid-duration';
import { makeFleet, type Fleet } from './harness';

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

describe('rule invalid-duration', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('suggests the obvious correction only', () => {
    assert.strictEqual(suggestDuration('10min'), '10m');
    assert.strictEqual(suggestDuration('1d'), '24h');
    assert.strictEqual(suggestDuration(60), '60s');
    assert.strictEqual(suggestDuration('1h 30m'), '1h30m');
    assert.strictEqual(suggestDuration('10M'), undefined, 'minutes or months: no guess');
    assert.strictEqual(suggestDuration('-1m'), undefined);
    assert.strictEqual(suggestDuration('10m'), undefined);
  });

  it('does not trigger on valid durations', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('1h30m', '  timeout: 2m\n  retryInterval: 500ms\n') });
    assert.deepStrictEqual(fleet.check(invalidDuration), []);
  });

  it('flags 10min at the value and fixes it to 10m, keeping the quotes', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('"10min"') });
    const [d] = fleet.check(invalidDuration);
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 19 } });
    assert.match(d.message, /spec\.interval "10min" is not a valid duration/);
    assert.match(d.message, /Did you mean "10m"\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {2}interval: "10m"\n/);
    assert.deepStrictEqual(fleet.check(invalidDuration), []);
  });

  it('flags a bare number (also its type) and days, and fixes them to seconds and hours', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('60', '  timeout: 1d\n') });
    const found = fleet.check(invalidDuration);
    assert.deepStrictEqual(found.map((d) => d.range.start.line), [6, 12]);
    assert.match(found[0].message, /must be a string duration/);
    assert.match(found[1].message, /days, weeks and years are not units/);
    fleet.apply(found[0].fixes![0]);
    fleet.apply(fleet.check(invalidDuration)[0].fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /interval: 60s\n[^]*timeout: 24h\n/);
    assert.deepStrictEqual(fleet.check(invalidDuration), []);
  });

  it('checks HelmRelease chart interval and action timeouts; no fix without an obvious reading', () => {
    fleet = makeFleet({ 'apps/web/release.yaml': release });
    const found = fleet.check(invalidDuration);
    assert.deepStrictEqual(
      found.map((d) => [d.range.start.line, d.range.start.character, d.fixes?.[0].edits[0].newText]),
      [[7, 11, '5m'], [11, 16, '168h'], [16, 13, undefined]],
    );
    assert.match(found[2].message, /HelmRelease web: spec\.upgrade\.timeout "10M"/);
  });
});
