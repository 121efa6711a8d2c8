import * as assert from 'assert';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { prefixSuffixTransformer } from '../../../server/src/kustomize/transformers/prefixSuffix';
import type { Origin } from '../../../server/src/kustomize/types';
import { assertSameAsKubectl, find, needKubectl } from './name-transformers-harness';

const origin: Origin = { kind: 'transformer', step: 'namePrefix', file: '/k/kustomization.yaml' };

const app = `
apiVersion: v1
kind: ConfigMap
metadata: {name: config}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      serviceAccountName: runner
      imagePullSecrets: [{name: creds}]
      initContainers:
      - name: init
        envFrom: [{configMapRef: {name: config}}]
      containers:
      - name: app
        env:
        - {name: A, valueFrom: {configMapKeyRef: {name: config, key: a}}}
        - {name: B, valueFrom: {secretKeyRef: {name: creds, key: b}}}
        - {name: C, valueFrom: {secretKeyRef: {name: not-ours, key: c}}}
        envFrom: [{secretRef: {name: creds}}]
      volumes:
      - {name: v1, configMap: {name: config}}
      - {name: v2, secret: {secretName: creds}}
      - {name: v3, persistentVolumeClaim: {claimName: data}}
      - name: v4
        projected:
          sources:
          - configMap: {name: config}
          - secret: {name: creds}
`;

describe('prefix/suffix transformer (unit)', () => {
  it('prefixes and suffixes metadata.name, records origin, previous ids and affixes', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    prefixSuffixTransformer([r], { prefix: 'p-', suffix: '-s', origin }, ctx);
    assert.strictEqual((r.object.metadata as { name: string }).name, 'p-cm-s');
    assert.strictEqual(originAt(r, ['metadata', 'name']), origin);
    assert.deepStrictEqual(
      r.previousIds.map((id) => id.name),
      ['cm', 'p-cm'],
    );
    assert.deepStrictEqual(r.nameAffixes, { prefixes: ['p-'], suffixes: ['-s'] });
  });
  it('skips CustomResourceDefinitions, APIServices and Namespaces of any group', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const objs = [
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'a' } },
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'b' } },
      { apiVersion: 'v2', kind: 'Namespace', metadata: { name: 'c' } },
    ];
    const rs = objs.map((o, i) => makeResource(o, { file: '/x.yaml', documentIndex: i }));
    prefixSuffixTransformer(rs, { prefix: 'p-', suffix: '', origin }, ctx);
    assert.deepStrictEqual(
      rs.map((r) => (r.object.metadata as { name: string }).name),
      ['a', 'b', 'c'],
    );
    assert.ok(rs.every((r) => r.previousIds.length === 0));
  });
});

describe('prefix/suffix vs kubectl', function () {
  before(function () {
    needKubectl(this);
  });

  it('prefix renames objects and rewrites ConfigMap/Secret/ServiceAccount/PVC references in pod templates', () => {
    const ours = assertSameAsKubectl({ namePrefix: 'p-', yaml: app });
    const spec = (find(ours.objects, 'Deployment', 'p-web').spec as { template: { spec: { serviceAccountName: string } } }).template.spec;
    assert.strictEqual(spec.serviceAccountName, 'p-runner');
  });

  it('suffix alone', () => {
    assertSameAsKubectl({ nameSuffix: '-v2', yaml: app });
  });

  it('prefix and suffix together', () => {
    assertSameAsKubectl({ namePrefix: 'team-', nameSuffix: '-prod', yaml: app });
  });

  it('prefixes stack across overlays (outer prefix outermost)', () => {
    assertSameAsKubectl({ namePrefix: 'outer-', nameSuffix: '-o', bases: [{ namePrefix: 'inner-', nameSuffix: '-i', yaml: app }] });
  });

  it('does not rename CRDs, APIServices or Namespaces', () => {
    assertSameAsKubectl({
      namePrefix: 'p-',
      nameSuffix: '-s',
      yaml: `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.example.com}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
`,
    });
  });

  it('does not follow ingressClassName (kustomize table typo) but renames the IngressClass', () => {
    assertSameAsKubectl({
      namePrefix: 'p-',
      yaml: `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  ingressClassName: nginx
`,
    });
  });

  it('rewrites references in PodTemplate but not ConfigMap refs in knative Services', () => {
    assertSameAsKubectl({
      namePrefix: 'p-',
      yaml: `
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: pt}
template:
  spec:
    containers:
    - name: c
      envFrom: [{configMapRef: {name: cm}}]
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: ks}
spec:
  template:
    spec:
      containers:
      - name: c
        env:
        - {name: x, valueFrom: {configMapKeyRef: {name: cm, key: k}}}
        - {name: y, valueFrom: {secretKeyRef: {name: sec, key: k}}}
`,
    });
  });

  it('combined with namespace: references still follow', () => {
    assertSameAsKubectl({ namespace: 'prod', namePrefix: 'p-', yaml: app });
  });
});
