// A small Flux fleet for the rendered-diff tests (unit and git): two clusters bootstrapped from
// clusters/<env>, each applying infrastructure and apps Kustomizations over shared bases.
export function fluxCluster(env: string): Record<string, string> {
  return {
    [`clusters/${env}/flux-system/gotk-sync.yaml`]: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: https://example.com/fleet.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/${env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
    [`clusters/${env}/flux-system/kustomization.yaml`]: 'resources:\n- gotk-sync.yaml\n',
    [`clusters/${env}/apps.yaml`]: fluxKustomization('apps', `./apps/${env}`),
    [`clusters/${env}/infrastructure.yaml`]: fluxKustomization('infrastructure', `./infrastructure/${env}`),
  };
}

export function fluxKustomization(name: string, path: string): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
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
`;
}

export const FLEET_FILES: Record<string, string> = {
  ...fluxCluster('staging'),
  ...fluxCluster('production'),
  'apps/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- secret.yaml\n',
  'apps/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: ghcr.io/example/web:1.0.0
        resources:
          limits:
            memory: 128Mi
`,
  'apps/base/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-token\nstringData:\n  token: hunter2-base\n',
  'apps/staging/kustomization.yaml': 'namespace: staging\nresources:\n- ../base\nimages:\n- name: ghcr.io/example/web\n  newTag: 1.1.0\n',
  'apps/production/kustomization.yaml': 'namespace: production\nresources:\n- ../base\n- config.yaml\n',
  'apps/production/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  level: info\n',
  'infrastructure/staging/kustomization.yaml': 'resources:\n- ../base\n',
  'infrastructure/production/kustomization.yaml': 'resources:\n- ../base\n',
  'infrastructure/base/kustomization.yaml': 'resources:\n- namespaces.yaml\n',
  'infrastructure/base/namespaces.yaml':
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n',
};
