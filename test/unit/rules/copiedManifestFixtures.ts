// Fixtures shared by copied-manifest.test.ts (in memory) and its kubectl comparisons in test/differential.

export const baseDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  labels:
    app: my-app
    tier: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/my-org/my-app:1.0.0
        env:
        - name: LOG_LEVEL
          value: info
      - name: proxy
        image: envoy:1.29
`;
export const copiedDeployment = `# a copy of the base, edited for staging
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  labels:
    app: my-app
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/my-org/my-app:1.1.0
        env:
        - name: LOG_LEVEL
          value: debug
`;
export const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-app\nspec:\n  ports:\n  - port: 80\n';

export function fleetFiles(
  staging: Record<string, string>,
  baseExtra: Record<string, string> = {},
  baseResources = '- deployment.yaml\n',
): Record<string, string> {
  return {
    'apps/base/my-app/kustomization.yaml': `resources:\n${baseResources}`,
    'apps/base/my-app/deployment.yaml': baseDeployment,
    ...baseExtra,
    'apps/production/kustomization.yaml': 'namespace: production\nresources:\n- ../base/my-app\n',
    ...staging,
  };
}
