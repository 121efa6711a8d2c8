import * as assert from 'assert';
import { assertSameAsKubectl, find, needKubectl } from '../kustomize/name-transformers-harness';

const kinds = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      containers: [{name: c, image: i}]
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: d}}
            topologyKey: kubernetes.io/hostname
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: d}}}
---
apiVersion: v1
kind: Service
metadata: {name: s, labels: null}
spec: {}
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template: {spec: {containers: [{name: c}]}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  jobTemplate:
    spec:
      template: {spec: {}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: st}
spec:
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
spec: {template: {}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec:
  selector: {matchLabels: {a: b}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb-empty}
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np}
spec:
  podSelector: {matchLabels: {a: b}}
  ingress:
  - from: [{podSelector: {matchLabels: {c: d}}}, {namespaceSelector: {}}]
  egress:
  - to: [{podSelector: {matchLabels: {e: f}}}]
---
apiVersion: example.com/v1
kind: Foo
metadata: {name: foo}
spec:
  template: {metadata: {labels: {x: y}}}
  selector: {matchLabels: {x: y}}
`;

describe('labels vs kubectl', function () {
  before(function () {
    needKubectl(this);
  });

  it('labels: plain entry touches metadata.labels only', () => {
    const ours = assertSameAsKubectl({ labels: [{ pairs: { app: 'web', team: 'a' } }], yaml: kinds });
    assert.deepStrictEqual(find(ours.objects, 'Service', 's').spec as object, {});
  });

  it('labels: includeTemplates adds pod template, job template and volume claim template labels, not selectors', () => {
    assertSameAsKubectl({ labels: [{ pairs: { app: 'web' }, includeTemplates: true }], yaml: kinds });
  });

  it('labels: includeSelectors adds selectors (created for Service/Deployment/StatefulSet/DaemonSet/ReplicaSet/RC, only existing for Job/PDB/NetworkPolicy)', () => {
    assertSameAsKubectl({ labels: [{ pairs: { app: 'web' }, includeSelectors: true }], yaml: kinds });
  });

  it('labels: includeSelectors with includeTemplates is the same as includeSelectors', () => {
    assertSameAsKubectl({ labels: [{ pairs: { app: 'web' }, includeSelectors: true, includeTemplates: true }], yaml: kinds });
  });

  it('legacy commonLabels writes selectors and templates', () => {
    assertSameAsKubectl({ commonLabels: { app: 'web', env: 'prod' }, yaml: kinds });
  });

  it('labels: custom fields, including creation of new maps on a custom kind', () => {
    assertSameAsKubectl({
      labels: [
        {
          pairs: { app: 'web' },
          fields: [
            { path: 'spec/template/metadata/labels', kind: 'Foo', create: true },
            { path: 'spec/x/y', kind: 'Service', create: true },
            { path: 'spec/selector/matchLabels', kind: 'Foo' },
          ],
        },
      ],
      yaml: kinds,
    });
  });

  it('labels: a custom field conflicting with the defaults fails like kubectl', () => {
    assertSameAsKubectl(
      { labels: [{ pairs: { app: 'web' }, includeSelectors: true, fields: [{ path: 'metadata/labels', create: false }] }], yaml: kinds },
      /conflicting fieldspecs/,
    );
  });

  it('several labels entries and commonLabels apply in order; later values win', () => {
    assertSameAsKubectl({
      labels: [{ pairs: { app: 'one', a: '1' } }, { pairs: { app: 'two' }, includeTemplates: true }],
      commonLabels: { app: 'three' },
      yaml: kinds,
    });
  });

  it('overlay labels add to base labels', () => {
    assertSameAsKubectl({
      commonLabels: { env: 'prod' },
      bases: [{ commonLabels: { app: 'web' }, labels: [{ pairs: { team: 't' } }], yaml: kinds }],
    });
  });

  it('label values that look like numbers or booleans stay strings', () => {
    assertSameAsKubectl({
      labels: [{ pairs: { version: '1.0', enabled: 'true', count: '7', empty: '' }, includeSelectors: true }],
      yaml: kinds,
    });
  });

  it('labels with namespace and prefix on the same kustomization', () => {
    assertSameAsKubectl({ namespace: 'prod', namePrefix: 'p-', commonLabels: { app: 'web' }, yaml: kinds });
  });
});
