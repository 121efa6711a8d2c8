import * as assert from 'assert';
import { assertSameAsKubectl, find, needKubectl } from '../kustomize/name-transformers-harness';

const workloads = `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pvc}
spec:
  volumeName: pv
  storageClassName: fast
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec:
  storageClassName: fast
  azureFile: {secretName: sec}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
parameters: {secretName: sec}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cron}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: sa
          priorityClassName: high
          imagePullSecrets: [{name: sec}]
          containers:
          - name: c
            envFrom: [{configMapRef: {name: cfg}}, {secretRef: {name: sec}}]
          volumes:
          - {name: d, persistentVolumeClaim: {claimName: pvc}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: job}
spec:
  template:
    spec:
      serviceAccountName: sa
      containers:
      - name: c
        env: [{name: X, valueFrom: {configMapKeyRef: {name: cfg, key: x}}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  template:
    spec:
      priorityClassName: high
      volumes: [{name: s, secret: {secretName: sec}}]
---
apiVersion: v1
kind: Pod
metadata: {name: pod}
spec:
  serviceAccountName: sa
  volumes: [{name: c, configMap: {name: cfg}}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: puller}
imagePullSecrets: [{name: sec}]
`;

describe('name references vs kubectl', function () {
  before(function () {
    needKubectl(this);
  });

  it('follows renamed ConfigMaps, Secrets, ServiceAccounts, PVCs, PVs, StorageClasses and PriorityClasses in every workload kind', () => {
    const ours = assertSameAsKubectl({ namePrefix: 'p-', nameSuffix: '-s', yaml: workloads });
    assert.strictEqual((find(ours.objects, 'PersistentVolumeClaim', 'p-pvc-s').spec as { volumeName: string }).volumeName, 'p-pv-s');
  });

  it('rewrites HPA scale targets, StatefulSet serviceName and Ingress backends (both API shapes), TLS secrets and auth annotations', () => {
    assertSameAsKubectl({
      namePrefix: 'p-',
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec: {serviceName: db}
---
apiVersion: v1
kind: Service
metadata: {name: db}
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: Secret
metadata: {name: tls}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: db}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
  annotations:
    nginx.ingress.kubernetes.io/auth-secret: tls
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
  tls: [{hosts: [a.example.com], secretName: tls}]
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old}
spec:
  backend: {serviceName: web, servicePort: 80}
  rules:
  - http:
      paths:
      - backend: {serviceName: db, servicePort: 80}
`,
    });
  });

  it('RBAC: roleRef picks Role or ClusterRole by roleRef kind even when both share a name; resourceNames follow', () => {
    assertSameAsKubectl({
      namePrefix: 'p-',
      yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- {apiGroups: [''], resources: [configmaps], resourceNames: [cfg, unrelated], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-role}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-cluster-role}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
`,
    });
  });

  it('webhook and APIService service references get the new name and namespace', () => {
    assertSameAsKubectl({
      namespace: 'system',
      namePrefix: 'p-',
      yaml: `
apiVersion: v1
kind: Service
metadata: {name: hook}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: mwc}
webhooks:
- name: a.example.com
  clientConfig:
    service: {name: hook, namespace: default}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: vwc}
webhooks:
- name: a.example.com
  clientConfig:
    service: {name: hook}
- name: b.example.com
  clientConfig:
    service: {name: hook, namespace: elsewhere}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.example.com}
spec:
  service: {name: hook}
`,
    });
  });

  it('a reference only follows an object in the referrer namespace', () => {
    assertSameAsKubectl({
      bases: [
        { namespace: 'a', namePrefix: 'a-', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n' },
        {
          namespace: 'b',
          yaml: `
apiVersion: v1
kind: Pod
metadata: {name: pod}
spec:
  volumes: [{name: c, configMap: {name: cfg}}]
`,
        },
      ],
    });
  });

  it('two bases with different prefixes: each referrer follows the object with its own prefixes', () => {
    const base = `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      volumes: [{name: c, configMap: {name: cfg}}]
`;
    const ours = assertSameAsKubectl({
      bases: [
        { namePrefix: 'blue-', yaml: base },
        { namePrefix: 'green-', yaml: base },
      ],
    });
    const green = find(ours.objects, 'Deployment', 'green-web').spec as {
      template: { spec: { volumes: Array<{ configMap: { name: string } }> } };
    };
    assert.strictEqual(green.template.spec.volumes[0].configMap.name, 'green-cfg');
  });

  it('fails like kubectl when two renamed objects are equally good referrals', () => {
    const ours = assertSameAsKubectl(
      {
        bases: [
          { namePrefix: 'x-', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n' },
          { namePrefix: 'y-', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n' },
          { yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: pod}\nspec:\n  volumes: [{name: c, configMap: {name: cfg}}]\n' },
        ],
        namePrefix: 'top-',
      },
      /multiple possible referrals/,
    );
    assert.match(ours.problems[0].message, /found multiple possible referrals/);
  });

  it('a cluster-scoped referrer (ClusterRole resourceNames) sees objects of every namespace', () => {
    assertSameAsKubectl({
      bases: [
        { namespace: 'a', nameSuffix: '-a', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: token}\n' },
        {
          yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: read-token}
rules:
- {apiGroups: [''], resources: [secrets], resourceNames: [token], verbs: [get]}
`,
        },
      ],
    });
  });

  it('RoleBinding subjects reach ServiceAccounts in other namespaces', () => {
    assertSameAsKubectl({
      bases: [
        { namespace: 'ci', namePrefix: 'ci-', yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner}\n' },
        {
          namespace: 'apps',
          yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: ServiceAccount, name: runner, namespace: ci}
- {kind: ServiceAccount, name: runner}
`,
        },
      ],
    });
  });
});

const realisticBase = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: shop-config}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: shop-secrets}
stringData: {DB_PASSWORD: hunter2}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: uploads}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      serviceAccountName: shop
      containers:
      - name: shop
        image: shop:1.0
        envFrom: [{configMapRef: {name: shop-config}}]
        env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: shop-secrets, key: DB_PASSWORD}}}]
        volumeMounts: [{name: uploads, mountPath: /data}]
      volumes: [{name: uploads, persistentVolumeClaim: {claimName: uploads}}]
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: shop-reader}
rules:
- {apiGroups: [''], resources: [configmaps], resourceNames: [shop-config], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: shop-reader}
subjects:
- {kind: ServiceAccount, name: shop}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-secrets}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: v1
kind: Service
metadata: {name: shop-db}
spec:
  clusterIP: None
  selector: {app: shop-db}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: shop-db}
spec:
  serviceName: shop-db
  selector: {matchLabels: {app: shop-db}}
  template:
    metadata: {labels: {app: shop-db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        envFrom: [{secretRef: {name: shop-secrets}}]
  volumeClaimTemplates:
  - metadata: {name: pgdata}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: shop-cleanup}
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: shop
          restartPolicy: OnFailure
          containers:
          - name: cleanup
            image: shop:1.0
            envFrom: [{configMapRef: {name: shop-config}}]
          volumes: [{name: uploads, persistentVolumeClaim: {claimName: uploads}}]
`;

describe('a realistic app: namespace + prefix + suffix + labels all at once, vs kubectl', function () {
  before(function () {
    needKubectl(this);
  });

  it('renders the production overlay exactly like kubectl', () => {
    const ours = assertSameAsKubectl({
      namespace: 'shop-prod',
      namePrefix: 'prod-',
      nameSuffix: '-v1',
      labels: [{ pairs: { env: 'production' }, includeTemplates: true }],
      commonAnnotations: { 'example.com/owner': 'shop-team' },
      bases: [{ commonLabels: { app: 'shop' }, yaml: realisticBase }],
    });
    const binding = find(ours.objects, 'RoleBinding', 'prod-shop-v1') as { subjects: Array<{ name: string; namespace: string }> };
    assert.deepStrictEqual(binding.subjects[0], { kind: 'ServiceAccount', name: 'prod-shop-v1', namespace: 'shop-prod' });
  });

  it('renders a staging overlay over a namespaced base with its own prefix exactly like kubectl', () => {
    assertSameAsKubectl({
      namespace: 'shop-staging',
      namePrefix: 'staging-',
      labels: [{ pairs: { env: 'staging' }, includeSelectors: true }],
      bases: [{ namespace: 'shop', namePrefix: 'base-', yaml: realisticBase }],
    });
  });
});
