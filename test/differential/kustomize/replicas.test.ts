import * as assert from 'assert';
import { replicasTransformer } from '../../../server/src/kustomize/transformers/replicas';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { requireKubectl } from '../kubectl-oracle';
import { runOurs } from '../../unit/kustomize/transformer-harness';
import { runKubectl } from '../kustomize/transformer-kubectl';
import type { KubectlRun } from '../kustomize/transformer-kubectl';

const workloads = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {template: {spec: {containers: [{name: a}]}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec: {replicas: 1}
---
apiVersion: example.com/v1
kind: Thing
metadata: {name: web}
spec: {replicas: 1}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {minReplicas: 1}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: other}
spec: {replicas: 5}
`;

const cases: Array<{ name: string; field: string }> = [
  { name: 'sets Deployment and StatefulSet of that name, not other kinds', field: 'replicas:\n- name: web\n  count: 3' },
  { name: 'creates spec and spec.replicas when absent', field: 'replicas:\n- name: rs\n  count: 2\n- name: rc\n  count: 4' },
  { name: 'a missing count means zero', field: 'replicas:\n- name: rc' },
  { name: 'zero replicas', field: 'replicas:\n- name: api\n  count: 0' },
  { name: 'any namespace', field: 'replicas:\n- name: api\n  count: 9' },
  { name: 'later entries win', field: 'replicas:\n- name: web\n  count: 3\n- name: web\n  count: 7' },
  { name: 'large counts', field: 'replicas:\n- name: web\n  count: 100000' },
];

const failing: Array<{ name: string; field: string; message: RegExp }> = [
  {
    name: 'no object of that name',
    field: 'replicas:\n- name: nothing\n  count: 3',
    message: /resource with name nothing does not match a config with the following GVK \[Deployment\.\[noVer\]\.\[noGrp\] StatefulSet/,
  },
  {
    name: 'string count',
    field: 'replicas:\n- name: web\n  count: "3"',
    message: /cannot unmarshal string into Go struct field Replica.replicas.count of type int64/,
  },
  {
    name: 'fractional count',
    field: 'replicas:\n- name: web\n  count: 2.5',
    message: /cannot unmarshal number 2.5 into Go struct field Replica.replicas.count of type int64/,
  },
  { name: 'HPA only', field: 'replicas:\n- name: nothing-here\n  count: 1', message: /does not match a config/ },
];

describe('replicas', () => {
  describe('differential against kubectl kustomize', function () {
    const oracle = new Map<object, KubectlRun>();
    before(async function () {
      this.timeout(30000);
      requireKubectl(this);
      const all = [...cases, ...failing];
      const runs = await Promise.all(all.map((c) => runKubectl(workloads, c.field)));
      all.forEach((c, i) => oracle.set(c, runs[i]));
    });
    for (const c of cases) {
      it(c.name, () => {
        const expected = oracle.get(c)!;
        assert.strictEqual(expected.error, undefined, expected.error);
        const ours = runOurs(replicasTransformer, workloads, { replicas: expected.config.replicas as JsonObject[] });
        assert.deepStrictEqual(ours.problems, []);
        assert.deepStrictEqual(ours.objects, expected.objects);
      });
    }
    for (const c of failing) {
      it(`fails like kubectl: ${c.name}`, () => {
        const expected = oracle.get(c)!;
        assert.ok(expected.error);
        assert.match(expected.error, c.message);
        const ours = runOurs(replicasTransformer, workloads, { replicas: expected.config.replicas as JsonObject[] });
        assert.strictEqual(ours.problems.length, 1);
        assert.match(ours.problems[0].message, c.message);
      });
    }
  });
});
