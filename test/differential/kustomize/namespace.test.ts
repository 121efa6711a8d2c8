import * as assert from 'assert';
import { assertSameAsKubectl, find, needKubectl, renderOurs } from '../kustomize/name-transformers-harness';

describe('namespace transformer vs kubectl', function () {
  before(function () {
    needKubectl(this);
  });

  it('overwrites existing namespaces of namespaced kinds (no unsetOnly) and leaves cluster-scoped kinds alone', () => {
    const ours = assertSameAsKubectl({
      namespace: 'prod',
      yaml: `
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: already}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv, namespace: stays}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
`,
    });
    assert.strictEqual((find(ours.objects, 'ConfigMap', 'cm').metadata as { namespace: string }).namespace, 'prod');
    assert.strictEqual((find(ours.objects, 'PersistentVolume', 'pv').metadata as { namespace: string }).namespace, 'stays');
  });

  it('renames v1 Namespace objects to the namespace, but not a custom kind called Namespace', () => {
    assertSameAsKubectl({
      namespace: 'prod',
      yaml: `
apiVersion: v1
kind: Namespace
metadata: {name: old}
---
apiVersion: example.com/v1
kind: Namespace
metadata: {name: custom}
`,
    });
  });

  it('sets subjects named default in RoleBindings and ClusterRoleBindings, whatever their kind', () => {
    assertSameAsKubectl({
      namespace: 'prod',
      yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: other}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: default, namespace: xyz}
- {kind: ServiceAccount, name: elsewhere, namespace: other}
- {kind: ServiceAccount, name: nowhere}
- {kind: User, name: default}
- {kind: Group, name: devs}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
subjects:
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: sa3, namespace: default}
`,
    });
  });

  it('moves ServiceAccount subjects along with a ServiceAccount that is part of the build', () => {
    const ours = assertSameAsKubectl({
      namespace: 'prod',
      yaml: `
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- {kind: ServiceAccount, name: app}
- {kind: ServiceAccount, name: app, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
subjects:
- {kind: ServiceAccount, name: app}
`,
    });
    const subjects = find(ours.objects, 'ClusterRoleBinding', 'crb').subjects as Array<{ namespace?: string }>;
    assert.strictEqual(subjects[0].namespace, 'prod');
  });

  it('sets APIService service namespaces (creating them) and existing CRD conversion service namespaces, not webhooks', () => {
    assertSameAsKubectl({
      namespace: 'prod',
      yaml: `
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.x}
spec: {group: x}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.y}
spec:
  service: {name: s, namespace: zz}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: a.example.com}
spec:
  conversion:
    webhook:
      clientConfig:
        service: {name: s, namespace: x}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: b.example.com}
spec:
  conversion:
    webhook:
      clientConfig:
        service: {name: s}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: vwc}
webhooks:
- name: a
  clientConfig:
    service: {name: s, namespace: ww}
`,
    });
  });

  it('treats kinds by exact apiVersion like kyaml (newer API versions are namespaced)', () => {
    assertSameAsKubectl({
      namespace: 'prod',
      yaml: [
        ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'],
        ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema'],
        ['storage.k8s.io/v1', 'CSIStorageCapacity'],
        ['autoscaling/v2', 'HorizontalPodAutoscaler'],
        ['node.k8s.io/v1', 'RuntimeClass'],
        ['v1', 'Node'],
        ['scheduling.k8s.io/v1', 'PriorityClass'],
        ['networking.k8s.io/v1', 'IngressClass'],
      ]
        .map(([apiVersion, kind], i) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: n${i}}\n`)
        .join('---\n'),
    });
  });

  it('fails like kubectl when two objects end up with the same id', () => {
    const ours = assertSameAsKubectl(
      {
        namespace: 'prod',
        yaml: `
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: b}
`,
      },
      /ID conflict/,
    );
    assert.match(ours.problems[0].message, /ID conflict/);
  });

  it('fails like kubectl when a default subject has a non-scalar namespace', () => {
    assertSameAsKubectl({
      namespace: 'prod',
      yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
subjects:
- {kind: ServiceAccount, name: default, namespace: {a: b}}
`,
    });
  });

  it('replaces a null metadata.namespace', () => {
    assertSameAsKubectl({ namespace: 'prod', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: null\n' });
  });

  it('a nested overlay namespace wins over the base namespace and references follow', () => {
    assertSameAsKubectl({
      namespace: 'prod',
      bases: [
        {
          namespace: 'staging',
          yaml: `
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: runner, namespace: staging}
`,
        },
      ],
    });
  });

  it('keeps the rendered result when run through the harness without kubectl too', () => {
    const ours = renderOurs({ namespace: 'n', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n' });
    assert.deepStrictEqual(ours.objects[0].metadata, { name: 's', namespace: 'n' });
  });
});
