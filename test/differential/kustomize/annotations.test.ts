import * as assert from 'assert';
import { assertSameAsKubectl, find, needKubectl } from '../kustomize/name-transformers-harness';

const kinds = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, annotations: {keep: me}}
spec:
  template:
    spec: {containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: st}
spec:
  template: {metadata: {annotations: null}}
  volumeClaimTemplates:
  - metadata: {name: data}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec: {}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec: {}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {}
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec: {}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec: {}
---
apiVersion: v1
kind: Service
metadata: {name: s}
---
apiVersion: example.com/v1
kind: Foo
metadata: {name: foo}
spec:
  template: {metadata: {annotations: {x: y}}}
`;

describe('commonAnnotations vs kubectl', function () {
  before(function () {
    needKubectl(this);
  });

  it('annotates metadata of every object and pod templates of workload kinds (creating them), not custom kinds', () => {
    const ours = assertSameAsKubectl({ commonAnnotations: { owner: 'team-a', 'example.com/note': 'hello world' }, yaml: kinds });
    const foo = find(ours.objects, 'Foo', 'foo').spec as { template: { metadata: { annotations: object } } };
    assert.deepStrictEqual(foo.template.metadata.annotations, { x: 'y' });
  });

  it('overwrites an existing annotation with the same key and keeps others', () => {
    assertSameAsKubectl({ commonAnnotations: { keep: 'changed', extra: 'x' }, yaml: kinds });
  });

  it('values that look like numbers, booleans or are empty stay strings', () => {
    assertSameAsKubectl({ commonAnnotations: { replicas: '3', enabled: 'false', empty: '', multi: 'a\nb' }, yaml: kinds });
  });

  it('base and overlay annotations combine', () => {
    assertSameAsKubectl({ commonAnnotations: { env: 'prod' }, bases: [{ commonAnnotations: { app: 'web', env: 'base' }, yaml: kinds }] });
  });
});
