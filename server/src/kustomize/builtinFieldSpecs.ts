// kustomize's builtin field-spec tables (api/konfig/builtinpluginconsts in Kustomize v5.5.0), as data.
// They say where each builtin transformer reads or writes: which kinds carry a namespace, labels,
// annotations, and which fields name another object. Entries are kept in kustomize's order (some
// transformers apply them in sequence) and checked against `kubectl kustomize` by the unit tests.
import type { FieldSpec } from './fieldspec';

/** "Objects of this kind may be referred to by name from these fields" (kustomize's NameBackReferences). */
export interface NameBackReference {
  group?: string;
  version?: string;
  kind: string;
  /** Fields (in referrer kinds) holding the name of an object of the kind above. */
  referrers: FieldSpec[];
}

/**
 * Where the namespace transformer writes. `metadata/namespace` (namespaced kinds only) and
 * RoleBinding/ClusterRoleBinding subjects have special handling in the transformer; the table is
 * complete so that it reads like kustomize's.
 */
export const namespaceFieldSpecs: readonly FieldSpec[] = [
  { path: 'metadata/namespace', create: true },
  { path: 'metadata/name', kind: 'Namespace', create: true },
  { path: 'subjects/namespace', kind: 'RoleBinding' },
  { path: 'subjects/namespace', kind: 'ClusterRoleBinding' },
  { path: 'spec/service/namespace', group: 'apiregistration.k8s.io', kind: 'APIService', create: true },
  {
    path: 'spec/conversion/webhook/clientConfig/service/namespace',
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
  },
];

export const namePrefixFieldSpecs: readonly FieldSpec[] = [{ path: 'metadata/name' }];
export const nameSuffixFieldSpecs: readonly FieldSpec[] = [{ path: 'metadata/name' }];

/** Kinds whose names prefix/suffix never touch (kustomize's hard-coded skip list, matched by kind and group). */
export const prefixSuffixSkippedKinds: ReadonlyArray<{ group?: string; kind: string }> = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

/**
 * Object and pod-template labels (kustomize's metadataLabelsFieldSpecs). Used alone by `labels:`
 * entries with `includeTemplates: true`, and as the tail of `commonLabelsFieldSpecs`.
 */
export const templateLabelsFieldSpecs: readonly FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { path: 'spec/template/metadata/labels', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/template/metadata/labels', create: true, kind: 'Deployment' },
  { path: 'spec/template/metadata/labels', create: true, kind: 'ReplicaSet' },
  { path: 'spec/template/metadata/labels', create: true, kind: 'DaemonSet' },
  { path: 'spec/template/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/template/metadata/labels', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
];

const affinityMatchLabels = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/** Where legacy `commonLabels` (and `labels:` with `includeSelectors: true`) write: selectors first, then templates. */
export const commonLabelsFieldSpecs: readonly FieldSpec[] = [
  { path: 'spec/selector', create: true, version: 'v1', kind: 'Service' },
  { path: 'spec/selector', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'Deployment' },
  ...affinityMatchLabels.map((path) => ({ path, create: false, group: 'apps', kind: 'Deployment' })),
  { path: 'spec/selector/matchLabels', create: true, kind: 'ReplicaSet' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'DaemonSet' },
  { path: 'spec/selector/matchLabels', create: true, group: 'apps', kind: 'StatefulSet' },
  ...affinityMatchLabels.map((path) => ({ path, create: false, group: 'apps', kind: 'StatefulSet' })),
  { path: 'spec/selector/matchLabels', create: false, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', create: false, group: 'batch', kind: 'CronJob' },
  { path: 'spec/selector/matchLabels', create: false, group: 'policy', kind: 'PodDisruptionBudget' },
  { path: 'spec/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { path: 'spec/ingress/from/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { path: 'spec/egress/to/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  ...templateLabelsFieldSpecs,
];

export const commonAnnotationsFieldSpecs: readonly FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { path: 'spec/template/metadata/annotations', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'Deployment' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'ReplicaSet' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'DaemonSet' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'StatefulSet' },
  { path: 'spec/template/metadata/annotations', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
];

// Pod-spec reference paths repeat for every workload kind; these build the table rows.
function podSpecRefs(kind: string, podSpec: string, tails: readonly string[], extra: Partial<FieldSpec> = {}): FieldSpec[] {
  return tails.map((tail) => ({ path: `${podSpec}/${tail}`, kind, ...extra }));
}

const configMapTails = [
  'volumes/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
  'volumes/projected/sources/configMap/name',
];
const cronJobConfigMapTails = [
  'volumes/configMap/name',
  'volumes/projected/sources/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
];
const secretTails = [
  'volumes/secret/secretName',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
  'volumes/projected/sources/secret/name',
];
const cronJobSecretTails = [
  'volumes/secret/secretName',
  'volumes/projected/sources/secret/name',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
];
const templatedWorkloads = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];
const podRefWorkloads: Array<[string, string]> = [
  ['Pod', 'spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicationController', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
];
function onEveryWorkload(tail: string): FieldSpec[] {
  return podRefWorkloads.map(([kind, podSpec]) => ({ path: `${podSpec}/${tail}`, kind }));
}

/**
 * kustomize's nameReference table (v5.5.0). The IngressClass row keeps kustomize's typo'd group
 * (`networking.k8s.io/v1`), which makes it match nothing: kubectl does not rewrite ingressClassName.
 */
export const nameReferenceBackRefs: readonly NameBackReference[] = [
  { kind: 'Deployment', referrers: [{ path: 'spec/scaleTargetRef/name', kind: 'HorizontalPodAutoscaler' }] },
  { kind: 'ReplicationController', referrers: [{ path: 'spec/scaleTargetRef/name', kind: 'HorizontalPodAutoscaler' }] },
  { kind: 'ReplicaSet', referrers: [{ path: 'spec/scaleTargetRef/name', kind: 'HorizontalPodAutoscaler' }] },
  { kind: 'StatefulSet', referrers: [{ path: 'spec/scaleTargetRef/name', kind: 'HorizontalPodAutoscaler' }] },
  {
    kind: 'ConfigMap',
    version: 'v1',
    referrers: [
      ...podSpecRefs('Pod', 'spec', configMapTails, { version: 'v1' }),
      ...podSpecRefs('PodTemplate', 'template/spec', configMapTails),
      ...templatedWorkloads.flatMap((kind) => podSpecRefs(kind, 'spec/template/spec', configMapTails)),
      ...podSpecRefs('CronJob', 'spec/jobTemplate/spec/template/spec', cronJobConfigMapTails),
      { path: 'spec/configSource/configMap', kind: 'Node' },
      { path: 'rules/resourceNames', kind: 'Role' },
      { path: 'rules/resourceNames', kind: 'ClusterRole' },
      { path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap', kind: 'Ingress' },
    ],
  },
  {
    kind: 'Secret',
    version: 'v1',
    referrers: [
      ...podSpecRefs('Pod', 'spec', secretTails, { version: 'v1' }),
      ...podSpecRefs('PodTemplate', 'template/spec', secretTails),
      ...templatedWorkloads.flatMap((kind) => podSpecRefs(kind, 'spec/template/spec', secretTails)),
      ...podSpecRefs('CronJob', 'spec/jobTemplate/spec/template/spec', cronJobSecretTails),
      { path: 'spec/tls/secretName', kind: 'Ingress' },
      { path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret', kind: 'Ingress' },
      { path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret', kind: 'Ingress' },
      { path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret', kind: 'Ingress' },
      { path: 'spec/tls/secretName', kind: 'Ingress' },
      { path: 'imagePullSecrets/name', kind: 'ServiceAccount' },
      { path: 'parameters/secretName', kind: 'StorageClass' },
      { path: 'parameters/adminSecretName', kind: 'StorageClass' },
      { path: 'parameters/userSecretName', kind: 'StorageClass' },
      { path: 'parameters/secretRef', kind: 'StorageClass' },
      { path: 'rules/resourceNames', kind: 'Role' },
      { path: 'rules/resourceNames', kind: 'ClusterRole' },
      {
        path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name',
        kind: 'Service',
        group: 'serving.knative.dev',
        version: 'v1',
      },
      { path: 'spec/azureFile/secretName', kind: 'PersistentVolume' },
    ],
  },
  {
    kind: 'Service',
    version: 'v1',
    referrers: [
      { path: 'spec/serviceName', kind: 'StatefulSet', group: 'apps' },
      { path: 'spec/rules/http/paths/backend/serviceName', kind: 'Ingress' },
      { path: 'spec/backend/serviceName', kind: 'Ingress' },
      { path: 'spec/rules/http/paths/backend/service/name', kind: 'Ingress' },
      { path: 'spec/defaultBackend/service/name', kind: 'Ingress' },
      { path: 'spec/service/name', kind: 'APIService', group: 'apiregistration.k8s.io' },
      { path: 'webhooks/clientConfig/service', kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io' },
      { path: 'webhooks/clientConfig/service', kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io' },
    ],
  },
  {
    kind: 'Role',
    group: 'rbac.authorization.k8s.io',
    referrers: [{ path: 'roleRef/name', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' }],
  },
  {
    kind: 'ClusterRole',
    group: 'rbac.authorization.k8s.io',
    referrers: [
      { path: 'roleRef/name', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' },
      { path: 'roleRef/name', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io' },
    ],
  },
  {
    kind: 'ServiceAccount',
    version: 'v1',
    referrers: [
      { path: 'subjects', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' },
      { path: 'subjects', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io' },
      ...onEveryWorkload('serviceAccountName'),
    ],
  },
  {
    kind: 'PersistentVolumeClaim',
    version: 'v1',
    referrers: onEveryWorkload('volumes/persistentVolumeClaim/claimName'),
  },
  {
    kind: 'PersistentVolume',
    version: 'v1',
    referrers: [
      { path: 'spec/volumeName', kind: 'PersistentVolumeClaim' },
      { path: 'rules/resourceNames', kind: 'ClusterRole' },
    ],
  },
  {
    kind: 'StorageClass',
    version: 'v1',
    group: 'storage.k8s.io',
    referrers: [
      { path: 'spec/storageClassName', kind: 'PersistentVolume' },
      { path: 'spec/storageClassName', kind: 'PersistentVolumeClaim' },
      { path: 'spec/volumeClaimTemplates/spec/storageClassName', kind: 'StatefulSet' },
    ],
  },
  {
    kind: 'PriorityClass',
    version: 'v1',
    group: 'scheduling.k8s.io',
    referrers: onEveryWorkload('priorityClassName'),
  },
  {
    kind: 'IngressClass',
    version: 'v1',
    group: 'networking.k8s.io/v1',
    referrers: [{ path: 'spec/ingressClassName', kind: 'Ingress' }],
  },
];

const varWorkloadTails = [
  'containers/args',
  'containers/command',
  'containers/env/value',
  'containers/volumeMounts/mountPath',
  'initContainers/args',
  'initContainers/command',
  'initContainers/env/value',
  'initContainers/volumeMounts/mountPath',
  'volumes/nfs/server',
];

/** Fields where legacy `vars` `$(NAME)` references are expanded. */
export const varReferenceFieldSpecs: readonly FieldSpec[] = [
  ...podSpecRefs('CronJob', 'spec/jobTemplate/spec/template/spec', varWorkloadTails),
  ...podSpecRefs('DaemonSet', 'spec/template/spec', varWorkloadTails),
  ...podSpecRefs('Deployment', 'spec/template/spec', varWorkloadTails),
  { path: 'spec/rules/host', kind: 'Ingress' },
  { path: 'spec/tls/hosts', kind: 'Ingress' },
  { path: 'spec/tls/secretName', kind: 'Ingress' },
  ...podSpecRefs('Job', 'spec/template/spec', varWorkloadTails),
  ...podSpecRefs('Pod', 'spec', varWorkloadTails),
  ...podSpecRefs('ReplicaSet', 'spec/template/spec', varWorkloadTails),
  { path: 'spec/ports/port', kind: 'Service' },
  { path: 'spec/ports/targetPort', kind: 'Service' },
  ...podSpecRefs('StatefulSet', 'spec/template/spec', varWorkloadTails.slice(0, 8)),
  { path: 'spec/volumeClaimTemplates/spec/nfs/server', kind: 'StatefulSet' },
  { path: 'spec/nfs/server', kind: 'PersistentVolume' },
  { path: 'metadata/labels' },
  { path: 'metadata/annotations' },
];
