import { strict as assert } from 'node:assert';
import { computeHelmReleaseValues, readValuesText } from '../../../server/src/flux/helmValues';
import { readFluxObject, type HelmRelease } from '../../../server/src/flux/objects';
import type { FoundObject } from '../../../server/src/flux/substitute';
import type { JsonObject } from '../../../server/src/kustomize/types';

// Cases from helm-controller's documented behaviour (docs/spec/v2/helmreleases.md, "Values references") and the
// cases of fluxcd/pkg chartutil/values_test.go, written anew.
const release = (spec: JsonObject): HelmRelease => {
  const read = readFluxObject(
    { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'app', namespace: 'apps' }, spec },
    { file: '/repo/hr.yaml', documentIndex: 0 },
  );
  assert.equal(read.value?.kind, 'HelmRelease');
  return read.value as HelmRelease;
};
const configMap = (name: string, data: Record<string, string>): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'apps' },
  data,
});
const secret = (name: string, data: Record<string, string>): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'apps' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
const finder = (...objects: JsonObject[]) => ({
  findObject: (kind: string, namespace: string, name: string): FoundObject | undefined => {
    const object = objects.find(
      (o) => o.kind === kind && (o.metadata as JsonObject).name === name && (o.metadata as JsonObject).namespace === namespace,
    );
    return object ? { object, file: `/repo/${name}.yaml` } : undefined;
  },
});

describe('flux/helmValues', () => {
  it('merges valuesFrom in order, then spec.values over them', () => {
    const hr = release({
      chart: { spec: { chart: 'app', sourceRef: { kind: 'HelmRepository', name: 'r' } } },
      valuesFrom: [
        { kind: 'ConfigMap', name: 'values' },
        { kind: 'Secret', name: 'values' },
      ],
      values: { other: 'values' },
    });
    const out = computeHelmReleaseValues(
      hr,
      finder(
        configMap('values', { 'values.yaml': 'flat: value\nnested:\n  configuration: value\n' }),
        secret('values', { 'values.yaml': 'flat:\n  nested: value\nnested: value\n' }),
      ),
    );
    assert.equal(out.ok, true);
    assert.deepEqual(out.values, { flat: { nested: 'value' }, nested: 'value', other: 'values' });
    assert.deepEqual(out.originOf(['flat', 'nested']), { from: 'valuesFrom', index: 1 });
    assert.deepEqual(out.originOf(['other']), { from: 'values' });
  });

  it('reads the key valuesKey names (values.yaml by default) and fails on a missing key unless optional', () => {
    const found = finder(configMap('cm', { 'prod.yaml': 'replicas: 3\n' }));
    const keyed = computeHelmReleaseValues(release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', valuesKey: 'prod.yaml' }] }), found);
    assert.deepEqual(keyed.values, { replicas: 3 });
    const missing = computeHelmReleaseValues(release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm' }] }), found);
    assert.equal(missing.ok, false);
    assert.equal(missing.failure, "could not resolve ConfigMap chart values reference 'apps/cm' with key 'values.yaml': key not found");
    const optional = computeHelmReleaseValues(release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', optional: true }] }), found);
    assert.equal(optional.ok, true);
    assert.equal(optional.entries[0].status, 'key-missing');
  });

  it('fails on a missing object unless optional, and skips the optional one', () => {
    const hr = release({ valuesFrom: [{ kind: 'Secret', name: 'gone' }], values: { a: 1 } });
    const out = computeHelmReleaseValues(hr, finder());
    assert.equal(out.ok, false);
    assert.equal(out.failure, "could not resolve Secret chart values reference 'apps/gone' with key 'values.yaml': resource not found");
    const optional = computeHelmReleaseValues(
      release({ valuesFrom: [{ kind: 'Secret', name: 'gone', optional: true }], values: { a: 1 } }),
      finder(),
    );
    assert.equal(optional.ok, true);
    assert.deepEqual(optional.values, { a: 1 });
  });

  it('sets a targetPath value over spec.values and over later documents ("target path precedence over all")', () => {
    const hr = release({
      valuesFrom: [
        { kind: 'Secret', name: 'values', valuesKey: 'key', targetPath: 'nested.configuration[0]' },
        { kind: 'ConfigMap', name: 'values' },
      ],
      values: { nested: { configuration: ['list', 'item', 'option'] } },
    });
    const out = computeHelmReleaseValues(
      hr,
      finder(
        configMap('values', { 'values.yaml': 'flat: value\nnested:\n  configuration: [one, two, three]\n' }),
        secret('values', { key: 'value' }),
      ),
    );
    assert.deepEqual(out.values, { flat: 'value', nested: { configuration: ['value', 'item', 'option'] } });
    assert.deepEqual(out.originOf(['nested', 'configuration', 0]), { from: 'valuesFrom', index: 0 });
    assert.deepEqual(out.originOf(['nested', 'configuration', 1]), { from: 'values' });
    assert.deepEqual(out.originOf(['flat']), { from: 'valuesFrom', index: 1 });
  });

  it('types a targetPath value as --set does, keeps quoted text a string, and takes literal text verbatim', () => {
    const found = finder(configMap('cm', { n: '3', q: '"3"', brokers: 'a:9092,b:9092', path: 'C:\\dir' }));
    const typed = computeHelmReleaseValues(
      release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', valuesKey: 'n', targetPath: 'replicas' }] }),
      found,
    );
    assert.deepEqual(typed.values, { replicas: 3 });
    const quoted = computeHelmReleaseValues(
      release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', valuesKey: 'q', targetPath: 'replicas' }] }),
      found,
    );
    assert.deepEqual(quoted.values, { replicas: '3' });
    const commas = computeHelmReleaseValues(
      release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', valuesKey: 'brokers', targetPath: 'kafka.brokers' }] }),
      found,
    );
    assert.equal(commas.ok, false, 'without literal, the comma starts another assignment and helm-controller fails');
    assert.match(commas.failure ?? '', /failed to merge value: key "b:9092" has no value/);
    const literal = computeHelmReleaseValues(
      release({
        valuesFrom: [
          { kind: 'ConfigMap', name: 'cm', valuesKey: 'brokers', targetPath: 'kafka.brokers', literal: true },
          { kind: 'ConfigMap', name: 'cm', valuesKey: 'path', targetPath: 'win', literal: true },
        ],
      }),
      found,
    );
    assert.deepEqual(literal.values, { kafka: { brokers: 'a:9092,b:9092' }, win: 'C:\\dir' });
  });

  it('ignores literal without targetPath and fails on values text that is not a map', () => {
    const found = finder(configMap('cm', { 'values.yaml': 'a: 1\n', 'list.yaml': '- 1\n' }));
    const plain = computeHelmReleaseValues(release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', literal: true }] }), found);
    assert.deepEqual(plain.values, { a: 1 });
    const list = computeHelmReleaseValues(release({ valuesFrom: [{ kind: 'ConfigMap', name: 'cm', valuesKey: 'list.yaml' }] }), found);
    assert.equal(list.ok, false);
    assert.match(list.failure ?? '', /failed to read values data: error unmarshaling JSON/);
  });

  it('leaves values made on the cluster (ExternalSecret, SOPS) unknown without failing', () => {
    const hr = release({
      valuesFrom: [
        { kind: 'Secret', name: 'db' },
        { kind: 'Secret', name: 'enc' },
      ],
      values: { a: 1 },
    });
    const out = computeHelmReleaseValues(hr, {
      ...finder({ ...secret('enc', { 'values.yaml': 'x' }), sops: { version: '3' } }),
      producerOf: (...[, ns, name]) => (name === 'db' ? `ExternalSecret ${ns}/db` : undefined),
    });
    assert.equal(out.ok, true);
    assert.deepEqual(
      out.entries.map((e) => e.status),
      ['produced-elsewhere', 'encrypted'],
    );
    assert.deepEqual(out.values, { a: 1 });
  });

  it('reads values text with YAML 1.1 types, as helm does', () => {
    assert.deepEqual(readValuesText('enabled: yes\n'), { ok: true, values: { enabled: true } });
    assert.deepEqual(readValuesText(''), { ok: true, values: {} });
  });
});
