// Which kinds kustomize treats as cluster-scoped. kustomize asks kyaml's built-in OpenAPI data
// (Kubernetes 1.21-era schema, looked up by exact apiVersion + kind); anything it does not know,
// custom resources included, counts as namespaced. So `v1 Namespace` is cluster-scoped but a
// `v2 Namespace` is not, and newer API versions (e.g. flowcontrol v1) are treated as namespaced.

/** apiVersion -> kinds kyaml knows to be cluster-scoped. */
const clusterScoped: Record<string, readonly string[]> = {
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'admissionregistration.k8s.io/v1beta1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiextensions.k8s.io/v1beta1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apiregistration.k8s.io/v1beta1': ['APIService'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'certificates.k8s.io/v1beta1': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['IngressClass'],
  'networking.k8s.io/v1beta1': ['IngressClass'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'node.k8s.io/v1beta1': ['RuntimeClass'],
  'policy/v1beta1': ['PodSecurityPolicy'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding'],
  'rbac.authorization.k8s.io/v1beta1': ['ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'scheduling.k8s.io/v1beta1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  'storage.k8s.io/v1beta1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  v1: ['ComponentStatus', 'Namespace', 'Node', 'NodeProxyOptions', 'PersistentVolume'],
};

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Whether kustomize gives objects of this group/version/kind a namespace. Unknown kinds are namespaced. */
export function isNamespaced(gvk: GroupVersionKind): boolean {
  const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
  const kinds = Object.prototype.hasOwnProperty.call(clusterScoped, apiVersion) ? clusterScoped[apiVersion] : undefined;
  return !(kinds && kinds.includes(gvk.kind));
}
