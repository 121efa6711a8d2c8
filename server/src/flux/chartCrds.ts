// Which API groups widely used Helm charts install as CRDs, so that a HelmRelease can be recognised as
// the provider of custom resources another Kustomization applies. Matched by chart name (the chart of
// a HelmRelease's chart template, or the last segment of an OCI chart's URL). An empty list records a
// chart known to install no CRDs of its own. Extend by adding a row.

interface ChartCrdRow {
  charts: readonly string[];
  groups: readonly string[];
}

const ROWS: readonly ChartCrdRow[] = [
  { charts: ['cert-manager'], groups: ['cert-manager.io', 'acme.cert-manager.io'] },
  { charts: ['trust-manager'], groups: ['trust.cert-manager.io'] },
  { charts: ['cert-manager-csi-driver', 'cert-manager-csi'], groups: [] },
  { charts: ['kube-prometheus-stack', 'prometheus-operator-crds', 'prometheus-operator'], groups: ['monitoring.coreos.com'] },
  { charts: ['external-secrets'], groups: ['external-secrets.io', 'generators.external-secrets.io'] },
  { charts: ['ingress-nginx'], groups: [] },
  { charts: ['traefik', 'traefik-crds'], groups: ['traefik.io', 'traefik.containo.us', 'hub.traefik.io'] },
  { charts: ['cilium'], groups: ['cilium.io'] },
  { charts: ['sealed-secrets'], groups: ['bitnami.com'] },
  // istio's CRD chart is published as `base`.
  {
    charts: ['base', 'istio-base'],
    groups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io', 'install.istio.io'],
  },
  { charts: ['istiod'], groups: [] },
  { charts: ['linkerd-crds'], groups: ['linkerd.io', 'policy.linkerd.io', 'workload.linkerd.io', 'externalworkloads.linkerd.io'] },
  { charts: ['kyverno'], groups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'] },
  { charts: ['velero'], groups: ['velero.io'] },
  { charts: ['argo-rollouts', 'argo-cd', 'argo-workflows', 'argo-events'], groups: ['argoproj.io'] },
  { charts: ['keda'], groups: ['keda.sh', 'eventing.keda.sh'] },
  { charts: ['external-dns'], groups: ['externaldns.k8s.io'] },
  { charts: ['gateway-api', 'gateway-api-crds'], groups: ['gateway.networking.k8s.io'] },
  { charts: ['crossplane'], groups: ['crossplane.io', 'apiextensions.crossplane.io', 'pkg.crossplane.io', 'secrets.crossplane.io'] },
  { charts: ['metallb'], groups: ['metallb.io'] },
  { charts: ['longhorn'], groups: ['longhorn.io'] },
  { charts: ['rook-ceph'], groups: ['ceph.rook.io'] },
  { charts: ['cloudnative-pg'], groups: ['postgresql.cnpg.io'] },
  { charts: ['grafana-operator'], groups: ['grafana.integreatly.org'] },
  { charts: ['strimzi-kafka-operator'], groups: ['kafka.strimzi.io', 'core.strimzi.io'] },
  { charts: ['opentelemetry-operator'], groups: ['opentelemetry.io'] },
  { charts: ['flagger'], groups: ['flagger.app'] },
  { charts: ['karpenter', 'karpenter-crd'], groups: ['karpenter.sh', 'karpenter.k8s.aws'] },
  { charts: ['aws-load-balancer-controller'], groups: ['elbv2.k8s.aws'] },
  { charts: ['secrets-store-csi-driver'], groups: ['secrets-store.csi.x-k8s.io'] },
  { charts: ['snapshot-controller'], groups: ['snapshot.storage.k8s.io'] },
  { charts: ['tigera-operator'], groups: ['operator.tigera.io', 'crd.projectcalico.org'] },
  { charts: ['vault-secrets-operator'], groups: ['secrets.hashicorp.com'] },
  { charts: ['capsule'], groups: ['capsule.clastix.io'] },
  { charts: ['tf-controller'], groups: ['infra.contrib.fluxcd.io'] },
];

const BY_CHART: ReadonlyMap<string, readonly string[]> = new Map(
  ROWS.flatMap((row) => row.charts.map((chart) => [chart, row.groups] as const)),
);

/** The API groups a chart installs CRDs for; undefined when the chart is not in the table. */
export function apiGroupsOfChart(chart: string): readonly string[] | undefined {
  return BY_CHART.get(chart);
}

/** The chart name an OCI reference points at: the last path segment, without tag or digest. */
export function chartNameOfOciUrl(url: string): string | undefined {
  const last = url
    .replace(/[@:][^/]*$/, '')
    .split('/')
    .filter((s) => s !== '')
    .pop();
  return last && !last.includes(':') ? last : undefined;
}
