// Fixtures shared by patches.test.ts (in memory) and its kubectl comparisons in test/differential.

export const base = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {tier: web}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: jobs
  labels: {tier: batch}
spec:
  replicas: 1
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  ports:
  - port: 80
`;

export const replicasPatch = (name: string, replicas: number, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}${extra}\nspec:\n  replicas: ${replicas}\n`;
