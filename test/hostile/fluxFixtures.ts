// Fleet files shared by the hostile tests.

/** A Flux Kustomization of the flux-system source applying `path`; `extra` lines go at the end of its spec. */
export const ks = (name: string, path: string, extra = ''): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${extra}`;
