import * as assert from 'assert';
import { assertSameAsKubectl, find, needKubectl } from '../kustomize/name-transformers-harness';

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
