// Differential tests of the strategic merge patch: each case is a base object and a patch, run
// through `kubectl kustomize` (patches: - path: ...) and through `strategicMerge`; the objects must
// be equal as values. All successful cases share one kustomize build to keep the file fast.
import * as assert from 'assert';
import { parse } from 'yaml';
import { strategicMerge } from '../../../server/src/kustomize/merge/strategic';
import { listStrategyAt } from '../../../server/src/kustomize/merge/schema';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { BASES } from './strategicBases';

describe('strategicMerge', function () {
  const deployment = parse(BASES.deployment) as JsonObject;
  const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

  it('does not mutate its inputs', function () {
    const base = parse(BASES.deployment) as JsonObject;
    const patch = parse('spec: {template: {spec: {containers: [{name: web, $patch: delete}]}}}') as JsonObject;
    const before = JSON.stringify([base, patch]);
    strategicMerge(base, patch, gvk);
    assert.strictEqual(JSON.stringify([base, patch]), before);
  });

  it('reports the top-most paths the patch set, with their place in the patch', function () {
    const patch = parse(`
spec:
  replicas: 3
  template:
    spec:
      tolerations: [{key: a, operator: Exists}]
      containers:
      - name: web
        image: nginx:2
      - name: extra
        image: e
`) as JsonObject;
    const seen: string[] = [];
    const { result } = strategicMerge(deployment, patch, gvk, (t, p) => seen.push(`${t.join('/')} <- ${p.join('/')}`));
    assert.ok(result);
    assert.deepStrictEqual(
      seen.sort(),
      [
        'spec/replicas <- spec/replicas',
        // The patch's containers come first: web (merged) then extra (added), then the target's sidecar.
        'spec/template/spec/containers/0/image <- spec/template/spec/containers/0/image',
        'spec/template/spec/containers/0/name <- spec/template/spec/containers/0/name',
        'spec/template/spec/containers/1 <- spec/template/spec/containers/1',
        'spec/template/spec/tolerations <- spec/template/spec/tolerations',
      ].sort(),
    );
  });

  it('reports a scalar added to a merged list of scalars', function () {
    const seen: string[] = [];
    strategicMerge(deployment, { metadata: { finalizers: ['example.com/z'] } }, gvk, (t, p) =>
      seen.push(`${t.join('/')} <- ${p.join('/')}`),
    );
    assert.deepStrictEqual(seen, ['metadata/finalizers/0 <- metadata/finalizers/0']);
  });

  it('returns null when the patch deletes the object', function () {
    assert.strictEqual(strategicMerge(deployment, { $patch: 'delete' }, gvk).result, null);
  });

  it('reports a type mismatch as a problem and leaves the target as it was', function () {
    const out = strategicMerge(deployment, { spec: { replicas: [1] } }, gvk);
    assert.deepStrictEqual(out.result, deployment);
    assert.strictEqual(out.problems.length, 1);
  });

  it('survives a deeply nested patch without overflowing', function () {
    let deep: JsonObject = { leaf: 1 };
    for (let i = 0; i < 5000; i++) deep = { nested: deep };
    const out = strategicMerge({ kind: 'X', metadata: { name: 'x' } }, { spec: deep }, { group: 'x', version: 'v1', kind: 'X' });
    assert.ok(out.result !== undefined);
  });
});

describe('listStrategyAt', function () {
  const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
  it('knows the pod template merge keys', function () {
    assert.strictEqual(listStrategyAt(deployment, ['spec', 'template', 'spec', 'containers'])?.mergeKey, 'name');
    assert.strictEqual(listStrategyAt(deployment, ['spec', 'template', 'spec', 'containers', 'env'])?.mergeKey, 'name');
    assert.deepStrictEqual(listStrategyAt(deployment, ['spec', 'template', 'spec', 'containers', 'ports'])?.mapKeys, [
      'containerPort',
      'protocol',
    ]);
    assert.strictEqual(listStrategyAt(deployment, ['spec', 'template', 'spec', 'volumes'])?.strategy, 'merge,retainKeys');
    assert.strictEqual(listStrategyAt(deployment, ['spec', 'template', 'spec', 'tolerations']), undefined);
  });
  it('follows CronJob jobTemplate paths', function () {
    const cronJob = { group: 'batch', version: 'v1', kind: 'CronJob' };
    assert.strictEqual(
      listStrategyAt(cronJob, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 'volumeMounts'])?.mergeKey,
      'mountPath',
    );
  });
  it('has nothing for custom resources', function () {
    assert.strictEqual(
      listStrategyAt({ group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease' }, ['metadata', 'finalizers']),
      undefined,
    );
  });
});
