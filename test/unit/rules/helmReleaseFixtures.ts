// Small fleets with HelmReleases for the values rules: one cluster (clusters/dev) applying ./app, or two
// (dev, prod) applying their own overlay of a shared base.
export const fluxKustomization = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

/** A HelmRelease "web" in namespace apps; `spec` is indented two spaces (under spec:). */
export const release = (spec: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
${spec}`;

export const chart = `  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
`;

export const configMap = (name: string, data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: apps
data:
${data}`;

/** One cluster `dev` applying app/ with the given files (kustomization.yaml written from the resources listed). */
export function oneCluster(files: Record<string, string>, kustomization?: string): Record<string, string> {
  const resources = Object.keys(files).map((f) => `- ${f}`);
  return {
    'clusters/dev/app.yaml': fluxKustomization('./app'),
    'app/kustomization.yaml': kustomization ?? `resources:\n${resources.join('\n')}\n`,
    ...Object.fromEntries(Object.entries(files).map(([f, t]) => [`app/${f}`, t])),
  };
}
