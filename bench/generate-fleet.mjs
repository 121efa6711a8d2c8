// Generates a synthetic fleet repository in the seed article's layout, for benchmarks:
//   apps/base/<app>/{deployment,service,configmap-env,kustomization}.yaml
//   apps/<env>/kustomization.yaml (+ one patch per app), infrastructure/{base,<env>}, clusters/<env>/*.yaml
// Usage: node bench/generate-fleet.mjs <outDir> [apps=200] [envs=dev,staging,production]
// Clusters: one per environment, or `clusters` maps a cluster name to the environments it hosts.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function generateFleet(outDir, apps = 200, envs = ['dev', 'staging', 'production'], clusters = undefined) {
  const clusterOf = (env) => (clusters ? Object.keys(clusters).find((c) => clusters[c].includes(env)) : env) ?? env;
  const shared = (env) => clusters !== undefined && clusters[clusterOf(env)].length > 1;
  fs.rmSync(outDir, { recursive: true, force: true });
  const write = (rel, text) => {
    const f = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  };
  fs.mkdirSync(path.join(outDir, '.git'), { recursive: true }); // marks the repository root
  const names = Array.from({ length: apps }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  for (const [i, name] of names.entries()) {
    write(
      `apps/base/${name}/deployment.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: ghcr.io/example/${name}:1.${i % 10}.0
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: ${name}-env
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
        - name: sidecar
          image: ghcr.io/example/proxy:2.1.0
          args: ["--upstream", "http://localhost:8080"]
`,
    );
    write(
      `apps/base/${name}/service.yaml`,
      `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
`,
    );
    write(
      `apps/base/${name}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
configMapGenerator:
  - name: ${name}-env
    literals:
      - LOG_LEVEL=info
      - APP_NAME=${name}
`,
    );
  }
  for (const [e, env] of envs.entries()) {
    const patches = names.map((name) => `  - path: patches/${name}.yaml`).join('\n');
    write(
      `apps/${env}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${env}
commonAnnotations:
  example.com/environment: ${env}
labels:
  - pairs:
      environment: ${env}
resources:
${names.map((n) => `  - ../base/${n}`).join('\n')}
patches:
${patches}
images:
  - name: ghcr.io/example/proxy
    newTag: 2.${e + 1}.0
`,
    );
    for (const name of names) {
      write(
        `apps/${env}/patches/${name}.yaml`,
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${e + 2}
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: ${100 * (e + 2)}m
`,
      );
    }
    write(
      `infrastructure/${env}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
`,
    );
    const suffix = shared(env) ? `-${env}` : '';
    const cluster = clusterOf(env);
    // One infrastructure Kustomization and one bootstrap source per cluster, shared by its environments.
    write(
      `clusters/${cluster}/infrastructure.yaml`,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infrastructure
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./infrastructure/${cluster}
  prune: true
  wait: true
`,
    );
    write(
      `clusters/${cluster}/flux-system/gotk-sync.yaml`,
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    ${/prod/.test(cluster) ? 'semver: ">=1.0.0"' : 'branch: main'}
  url: ssh://git@github.com/example/fleet
`,
    );
    write(
      `clusters/${clusterOf(env)}/apps${suffix}.yaml`,
      `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps${suffix}
  namespace: flux-system
spec:
  interval: 10m
  dependsOn:
    - name: infrastructure
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/${env}
  prune: true
  wait: true
`,
    );
  }
  write(
    'infrastructure/base/kustomization.yaml',
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespaces.yaml
`,
  );
  write(
    'infrastructure/base/namespaces.yaml',
    envs
      .map(
        (env) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${env}
`,
      )
      .join('---\n'),
  );
  return { outDir, apps, envs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, apps, envs, clusterSpec] = process.argv.slice(2);
  // clusterSpec: "staging=dev+staging,production=production"
  const clusters = clusterSpec
    ? Object.fromEntries(
        clusterSpec.split(',').map((c) => {
          const [name, list] = c.split('=');
          return [name, list.split('+')];
        }),
      )
    : undefined;
  if (!out) {
    console.error('usage: node bench/generate-fleet.mjs <outDir> [apps] [env,env,...]');
    process.exit(2);
  }
  generateFleet(path.resolve(out), apps ? Number(apps) : 200, envs ? envs.split(',') : undefined, clusters);
}
