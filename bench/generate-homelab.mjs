// Generates a synthetic fleet shaped like today's public home-lab fleets (the flux-instance chart as the
// root, one `cluster-apps` Kustomization patching defaults into every child, one folder per namespace and
// per app), for benchmarks. Our own text; only the layout follows those fleets. Deterministic: the same
// arguments give the same files, byte for byte.
//
//   .git/config                                   a remote, so the sync URL names this repository
//   kubernetes/flux/cluster/ks.yaml               Kustomizations cluster-meta and cluster-apps (the root
//                                                 FluxInstance syncs this folder); cluster-apps patches
//                                                 prune, wait, timeout, decryption, postBuild.substituteFrom
//                                                 and HelmRelease defaults into every child Kustomization
//   kubernetes/flux/cluster/cluster-settings.yaml the ConfigMap the substitutions read
//   kubernetes/flux/meta/                         shared HelmRepositories (applied by cluster-meta)
//   kubernetes/apps/<ns>/{kustomization,namespace}.yaml   lists the namespace's apps' ks.yaml
//   kubernetes/apps/<ns>/<app>/ks.yaml            one child Kustomization per app (dependsOn chains, some
//                                                 healthChecks, spec.components, ${VAR} substitution)
//   kubernetes/apps/<ns>/<app>/app/               kustomization.yaml, helmrelease.yaml, ocirepository.yaml
//                                                 (or a shared HelmRepository), externalsecret.yaml, and
//                                                 sometimes httproute.yaml, pvc.yaml, a configMapGenerator
//                                                 with a values file, a kustomizeconfig.yaml
//   kubernetes/components/{volsync,gatus,alerts}/ components, used by some apps
//   kubernetes/apps/flux-system/flux-instance/    the HelmRelease whose values' instance.sync is the root
//
// Usage: node bench/generate-homelab.mjs <outDir> [apps=150] [seed=1]
// `apps` counts the child Kustomizations of cluster-apps (flux-operator and flux-instance included).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small seeded generator, so the fleet is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = [
  'cert-manager',
  'external-secrets',
  'database',
  'network',
  'observability',
  'kube-system',
  'storage',
  'security',
  'home-automation',
  'media',
  'downloads',
  'default',
  'tools',
  'ai',
  'games',
];
const WORDS = [
  'atlas',
  'beacon',
  'cedar',
  'delta',
  'ember',
  'falcon',
  'garnet',
  'harbor',
  'iris',
  'juniper',
  'kestrel',
  'lumen',
  'maple',
  'nimbus',
  'onyx',
  'pebble',
  'quartz',
  'raven',
  'sable',
  'tundra',
  'umber',
  'vesper',
  'willow',
  'xenon',
  'yarrow',
  'zephyr',
  'aurora',
  'basalt',
  'cobalt',
  'dune',
  'echo',
  'fjord',
  'glacier',
  'heron',
  'indigo',
  'jade',
  'krill',
  'lichen',
  'mosaic',
  'nectar',
  'orchid',
  'prism',
  'quill',
  'ripple',
  'summit',
  'thistle',
  'ultra',
  'violet',
  'wren',
  'yonder',
  'zinnia',
  'anchor',
  'birch',
  'comet',
  'drift',
];
const HELM_REPOSITORIES = ['bitnami', 'grafana', 'prometheus-community', 'jetstack', 'ingress-nginx', 'backube', 'cnpg', 'emqx'];

export function generateHomelab(outDir, apps = 150, seed = 1) {
  const random = rng(seed);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const chance = (p) => random() < p;
  fs.rmSync(outDir, { recursive: true, force: true });
  let files = 0;
  const write = (rel, text) => {
    const f = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    files++;
  };
  const repoUrl = 'https://github.com/example/home-ops';
  fs.mkdirSync(path.join(outDir, '.git'), { recursive: true });
  fs.writeFileSync(
    path.join(outDir, '.git/config'),
    `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = ${repoUrl}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
  );

  // ---- the apps: names, namespaces, dependencies --------------------------------------------------------
  /** @type {Array<{name: string, ns: string, deps: string[], health: boolean, oci: boolean, repo?: string, secret: boolean, route: boolean, pvc: boolean, values: 'none'|'plain'|'hashed', volsync: boolean, gatus: boolean, special?: string}>} */
  const list = [];
  const used = new Set();
  const nameFor = () => {
    for (let n = 0; ; n++) {
      const base = pick(WORDS);
      const second = pick(WORDS.filter((w) => w !== base));
      const name = n < 20 ? base : `${base}-${second}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  const add = (app) => {
    used.add(app.name);
    list.push({
      deps: [],
      health: false,
      oci: true,
      secret: false,
      route: false,
      pvc: false,
      rule: false,
      sops: false,
      values: 'none',
      volsync: false,
      gatus: false,
      ...app,
    });
  };
  // The infrastructure every home lab has, in the order Flux must bring it up.
  add({ name: 'flux-operator', ns: 'flux-system', health: true, special: 'flux-operator' });
  add({ name: 'flux-instance', ns: 'flux-system', deps: ['flux-operator'], special: 'flux-instance' });
  add({ name: 'cert-manager', ns: 'cert-manager', health: true });
  add({ name: 'external-secrets', ns: 'external-secrets', health: true });
  add({ name: 'onepassword-store', ns: 'external-secrets', deps: ['external-secrets'], health: true, special: 'secret-store' });
  add({ name: 'cloudnative-pg', ns: 'database', deps: ['external-secrets'], health: true, oci: false, repo: 'cnpg' });
  add({ name: 'postgres-cluster', ns: 'database', deps: ['cloudnative-pg', 'onepassword-store'], health: true, special: 'postgres' });
  add({ name: 'volsync', ns: 'storage', deps: ['onepassword-store'], health: true, oci: false, repo: 'backube' });
  const namespaces = NAMESPACES.filter((ns) => !['cert-manager', 'external-secrets', 'database', 'storage'].includes(ns));
  const perNamespace = new Map();
  for (let i = list.length; i < apps; i++) {
    const ns = namespaces[i % namespaces.length];
    const name = nameFor();
    const inNs = perNamespace.get(ns) ?? [];
    const deps = [];
    // dependsOn chains: an app often waits for the one before it in its namespace, and for infrastructure.
    if (inNs.length > 0 && chance(0.45)) deps.push(inNs[inNs.length - 1]);
    if (chance(0.5)) deps.push('onepassword-store');
    if (chance(0.15)) deps.push('postgres-cluster');
    const oci = chance(0.7);
    const values = chance(0.3) ? (chance(0.5) ? 'plain' : 'hashed') : 'none';
    add({
      name,
      ns,
      deps,
      health: chance(0.2),
      oci,
      repo: oci ? undefined : pick(HELM_REPOSITORIES),
      secret: chance(0.8),
      route: chance(0.7),
      pvc: chance(0.35),
      rule: chance(0.25),
      sops: chance(0.2),
      values,
      volsync: chance(0.25),
      gatus: chance(0.3),
    });
    inNs.push(name);
    perNamespace.set(ns, inNs);
  }
  // A Kustomization others depend on waits for what it applies (or health-checks it), as Flux's docs advise.
  const dependedOn = new Set(list.flatMap((a) => a.deps));
  const nsOfApp = new Map(list.map((a) => [a.name, a.ns]));

  // ---- the root: cluster-meta + cluster-apps, synced by the FluxInstance ----------------------------------
  write(
    'kubernetes/flux/cluster/ks.yaml',
    `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-meta
  namespace: flux-system
spec:
  interval: 1h
  path: ./kubernetes/flux/meta
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  dependsOn:
    - name: cluster-meta
  interval: 1h
  path: ./kubernetes/apps
  prune: true
  wait: false
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
    secretRef:
      name: sops-age
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
  patches:
    - # Defaults for every child Kustomization
      patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: _
        spec:
          deletionPolicy: WaitForTermination
          prune: true
          timeout: 10m
          decryption:
            provider: sops
            secretRef:
              name: sops-age
          postBuild:
            substituteFrom:
              - kind: ConfigMap
                name: cluster-settings
          patches:
            - patch: |-
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: _
                spec:
                  install:
                    crds: CreateReplace
                    remediation:
                      retries: -1
                  upgrade:
                    cleanupOnFail: true
                    crds: CreateReplace
                    remediation:
                      retries: 3
                      strategy: rollback
              target:
                group: helm.toolkit.fluxcd.io
                kind: HelmRelease
      target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
`,
  );
  write(
    'kubernetes/flux/cluster/cluster-settings.yaml',
    `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  CLUSTER_NAME: home
  SECRET_DOMAIN: example.net
  TIMEZONE: Europe/Amsterdam
  CLUSTER_CIDR: 10.42.0.0/16
  STORAGE_CLASS: ceph-block
`,
  );
  write(
    'kubernetes/flux/meta/kustomization.yaml',
    `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${HELM_REPOSITORIES.map((r) => `  - ./repos/${r}.yaml`).join('\n')}
`,
  );
  for (const r of HELM_REPOSITORIES) {
    write(
      `kubernetes/flux/meta/repos/${r}.yaml`,
      `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: ${r}
  namespace: flux-system
spec:
  interval: 2h
  url: https://charts.example.org/${r}
`,
    );
  }

  // ---- components -------------------------------------------------------------------------------------
  write(
    'kubernetes/components/volsync/kustomization.yaml',
    `---
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - ./externalsecret.yaml
  - ./pvc.yaml
  - ./replicationsource.yaml
`,
  );
  write(
    'kubernetes/components/volsync/externalsecret.yaml',
    `---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: \${APP}-volsync
spec:
  secretStoreRef:
    kind: ClusterSecretStore
    name: onepassword
  target:
    name: \${APP}-volsync-secret
    template:
      data:
        RESTIC_REPOSITORY: "s3:https://s3.\${SECRET_DOMAIN}/volsync/\${APP}"
        RESTIC_PASSWORD: "{{ .RESTIC_PASSWORD }}"
  dataFrom:
    - extract:
        key: volsync-template
`,
  );
  write(
    'kubernetes/components/volsync/pvc.yaml',
    `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: \${APP}
spec:
  accessModes: ["\${VOLSYNC_ACCESSMODES:=ReadWriteOnce}"]
  dataSourceRef:
    kind: ReplicationDestination
    apiGroup: volsync.backube
    name: \${APP}-dst
  resources:
    requests:
      storage: "\${VOLSYNC_CAPACITY:=5Gi}"
  storageClassName: "\${VOLSYNC_STORAGECLASS:=\${STORAGE_CLASS}}"
`,
  );
  write(
    'kubernetes/components/volsync/replicationsource.yaml',
    `---
apiVersion: volsync.backube/v1alpha1
kind: ReplicationSource
metadata:
  name: \${APP}
spec:
  sourcePVC: \${APP}
  trigger:
    schedule: "0 * * * *"
  restic:
    copyMethod: Snapshot
    pruneIntervalDays: 14
    repository: \${APP}-volsync-secret
    retain:
      hourly: 24
      daily: 7
`,
  );
  write(
    'kubernetes/components/gatus/kustomization.yaml',
    `---
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - ./config.yaml
`,
  );
  write(
    'kubernetes/components/gatus/config.yaml',
    `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${APP}-gatus-ep
  labels:
    gatus.io/enabled: "true"
data:
  config.yaml: |
    endpoints:
      - name: "\${APP}"
        group: external
        url: "https://\${GATUS_SUBDOMAIN:=\${APP}}.\${SECRET_DOMAIN}\${GATUS_PATH:=/}"
        interval: 1m
        conditions:
          - "[STATUS] == \${GATUS_STATUS:=200}"
`,
  );
  write(
    'kubernetes/components/alerts/kustomization.yaml',
    `---
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - ./alert.yaml
`,
  );
  write(
    'kubernetes/components/alerts/alert.yaml',
    `---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata:
  name: \${APP}
spec:
  providerRef:
    name: alertmanager
  eventSeverity: error
  eventSources:
    - kind: HelmRelease
      name: \${APP}
  exclusionList:
    - "error.*lookup github\\\\.com"
`,
  );

  // ---- namespaces and apps ----------------------------------------------------------------------------
  const byNs = new Map();
  for (const a of list) byNs.set(a.ns, [...(byNs.get(a.ns) ?? []), a]);
  for (const [ns, members] of byNs) {
    write(
      `kubernetes/apps/${ns}/namespace.yaml`,
      `---
apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
`,
    );
    write(
      `kubernetes/apps/${ns}/kustomization.yaml`,
      `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./namespace.yaml
${members.map((a) => `  - ./${a.name}/ks.yaml`).join('\n')}
`,
    );
    for (const a of members) writeApp(a, ns);
  }

  function writeApp(a, ns) {
    const dir = `kubernetes/apps/${ns}/${a.name}`;
    const waits = dependedOn.has(a.name) && !a.health;
    const ksComponents = [];
    if (a.volsync) ksComponents.push('../../../../components/volsync');
    if (a.special === undefined && chance(0.2)) ksComponents.push('../../../../components/alerts');
    const substitute = [`      APP: ${a.name}`];
    if (a.volsync) substitute.push(`      VOLSYNC_CAPACITY: ${pick(['1Gi', '2Gi', '5Gi', '10Gi', '20Gi'])}`);
    if (a.gatus && chance(0.5)) substitute.push(`      GATUS_SUBDOMAIN: ${a.name.split('-')[0]}`);
    write(
      `${dir}/ks.yaml`,
      `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${a.name}
  namespace: flux-system
  labels:
    app.kubernetes.io/part-of: \${CLUSTER_NAME}
spec:
${ksComponents.length > 0 ? `  components:\n${ksComponents.map((c) => `    - ${c}`).join('\n')}\n` : ''}${a.deps.length > 0 ? `  dependsOn:\n${a.deps.map((d) => `    - name: ${d}`).join('\n')}\n` : ''}${
        a.health
          ? `  healthChecks:
    - apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      name: ${a.name}
      namespace: ${ns}
`
          : ''
      }  interval: 1h
  path: ./${dir}/app
  postBuild:
    substitute:
${substitute.join('\n')}
  sourceRef:
    kind: GitRepository
    name: flux-system
  targetNamespace: ${ns}
  wait: ${waits ? 'true' : 'false'}
`,
    );
    const resources = ['./helmrelease.yaml'];
    if (a.oci) resources.push('./ocirepository.yaml');
    if (a.secret) resources.push('./externalsecret.yaml');
    if (a.route) resources.push('./httproute.yaml');
    if (a.pvc) resources.push('./pvc.yaml');
    if (a.rule) resources.push('./prometheusrule.yaml');
    if (a.sops) resources.push('./secret.sops.yaml');
    if (a.special === 'secret-store') resources.push('./clustersecretstore.yaml');
    if (a.special === 'postgres') resources.push('./cluster.yaml');
    const appComponents = a.gatus ? ['../../../../components/gatus'] : [];
    let generator = '';
    if (a.values !== 'none') {
      generator = `configMapGenerator:
  - name: ${a.name}-values
    files:
      - values.yaml=./helm/values.yaml
${
  a.values === 'plain'
    ? `generatorOptions:
  disableNameSuffixHash: true
`
    : `configurations:
  - ./helm/kustomizeconfig.yaml
`
}`;
    }
    write(
      `${dir}/app/kustomization.yaml`,
      `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
${appComponents.length > 0 ? `components:\n${appComponents.map((c) => `  - ${c}`).join('\n')}\n` : ''}resources:
${resources.map((r) => `  - ${r}`).join('\n')}
${generator}`,
    );
    if (a.values !== 'none') {
      write(
        `${dir}/app/helm/values.yaml`,
        `---
controllers:
  ${a.name}:
    strategy: ${pick(['Recreate', 'RollingUpdate'])}
    containers:
      app:
        env:
          TZ: \${TIMEZONE}
          LOG_LEVEL: ${pick(['info', 'debug', 'warn'])}
        resources:
          requests:
            cpu: ${pick([10, 25, 50, 100])}m
          limits:
            memory: ${pick([128, 256, 512, 1024])}Mi
`,
      );
      if (a.values === 'hashed') {
        write(
          `${dir}/app/helm/kustomizeconfig.yaml`,
          `---
nameReference:
  - kind: ConfigMap
    version: v1
    fieldSpecs:
      - path: spec/valuesFrom/name
        kind: HelmRelease
`,
        );
      }
    }
    write(`${dir}/app/helmrelease.yaml`, helmRelease(a, ns));
    if (a.oci) {
      const chart =
        a.special === 'flux-operator' || a.special === 'flux-instance'
          ? `oci://ghcr.io/controlplaneio-fluxcd/charts/${a.special}`
          : 'oci://ghcr.io/example/charts/app-template';
      write(
        `${dir}/app/ocirepository.yaml`,
        `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${a.name}
spec:
  interval: 15m
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    tag: ${a.special ? '0.40.0' : `4.${Math.floor(random() * 4)}.${Math.floor(random() * 6)}`}
  url: ${chart}
`,
      );
    }
    if (a.secret) {
      write(
        `${dir}/app/externalsecret.yaml`,
        `---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: ${a.name}
spec:
  secretStoreRef:
    kind: ClusterSecretStore
    name: onepassword
  target:
    name: ${a.name}-secret
    template:
      data:
        API_KEY: "{{ .${a.name.toUpperCase().replace(/-/g, '_')}_API_KEY }}"
${a.deps.includes('postgres-cluster') ? `        DATABASE_URL: "postgres://{{ .POSTGRES_USER }}:{{ .POSTGRES_PASS }}@postgres-rw.database.svc.cluster.local/${a.name}"\n` : ''}  dataFrom:
    - extract:
        key: ${a.name}
`,
      );
    }
    if (a.route) {
      write(
        `${dir}/app/httproute.yaml`,
        `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${a.name}
spec:
  hostnames: ["\${APP}.\${SECRET_DOMAIN}"]
  parentRefs:
    - name: ${pick(['envoy-internal', 'envoy-external'])}
      namespace: network
      sectionName: https
  rules:
    - backendRefs:
        - name: ${a.name}
          port: 80
`,
      );
    }
    if (a.pvc) {
      write(
        `${dir}/app/pvc.yaml`,
        `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${a.name}-cache
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: ${pick([1, 2, 5, 10, 50])}Gi
  storageClassName: \${STORAGE_CLASS}
`,
      );
    }
    if (a.rule) {
      write(
        `${dir}/app/prometheusrule.yaml`,
        `---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: ${a.name}
spec:
  groups:
    - name: ${a.name}.rules
      rules:
        - alert: ${a.name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}Down
          expr: absent(up{job="${a.name}"} == 1)
          for: ${pick([5, 10, 15])}m
          labels:
            severity: critical
          annotations:
            summary: ${a.name} is down on \${CLUSTER_NAME}
`,
      );
    }
    if (a.sops) {
      const enc = () =>
        Array.from(
          { length: 24 },
          () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'[Math.floor(random() * 64)],
        ).join('');
      write(
        `${dir}/app/secret.sops.yaml`,
        `apiVersion: v1
kind: Secret
metadata:
  name: ${a.name}-sops
type: Opaque
stringData:
  TOKEN: ENC[AES256_GCM,data:${enc()},iv:${enc()},tag:${enc()},type:str]
sops:
  age:
    - recipient: age1examplexamplexamplexamplexamplexamplexamplexamplexampl
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        ${enc()}${enc()}
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2026-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:${enc()},iv:${enc()},tag:${enc()},type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.10.2
`,
      );
    }
    if (a.special === 'secret-store') {
      write(
        `${dir}/app/clustersecretstore.yaml`,
        `---
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: onepassword
spec:
  provider:
    onepassword:
      connectHost: http://onepassword-connect.external-secrets.svc.cluster.local
      vaults:
        homelab: 1
      auth:
        secretRef:
          connectTokenSecretRef:
            name: onepassword-connect-secret
            key: token
            namespace: external-secrets
`,
      );
    }
    if (a.special === 'postgres') {
      write(
        `${dir}/app/cluster.yaml`,
        `---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: postgres
spec:
  instances: 3
  imageName: ghcr.io/cloudnative-pg/postgresql:17.5
  storage:
    size: 20Gi
    storageClass: \${STORAGE_CLASS}
  superuserSecret:
    name: postgres-cluster-secret
`,
      );
    }
  }

  function helmRelease(a, ns) {
    const chartRef = a.oci
      ? `  chartRef:
    kind: OCIRepository
    name: ${a.name}
`
      : `  chart:
    spec:
      chart: ${a.name}
      version: ${1 + Math.floor(random() * 3)}.${Math.floor(random() * 20)}.0
      sourceRef:
        kind: HelmRepository
        name: ${a.repo}
        namespace: flux-system
`;
    const valuesFrom =
      a.values !== 'none'
        ? `  valuesFrom:
    - kind: ConfigMap
      name: ${a.name}-values
`
        : '';
    const dependsOn = a.deps.filter((d) => nsOfApp.get(d) === ns && !['flux-operator'].includes(d)).slice(0, 1);
    const head = `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${a.name}
spec:
${chartRef}  interval: 1h
${dependsOn.length > 0 ? `  dependsOn:\n${dependsOn.map((d) => `    - name: ${d}`).join('\n')}\n` : ''}${valuesFrom}`;
    if (a.special === 'flux-instance') {
      return `${head}  values:
    instance:
      distribution:
        version: 2.7.x
        registry: ghcr.io/fluxcd
      cluster:
        networkPolicy: false
      components:
        - source-controller
        - kustomize-controller
        - helm-controller
        - notification-controller
      sync:
        kind: GitRepository
        url: ${repoUrl}
        ref: refs/heads/main
        path: kubernetes/flux/cluster
        interval: 1h
      kustomize:
        patches:
          - patch: |-
              - op: add
                path: /spec/template/spec/containers/0/args/-
                value: --concurrent=10
            target:
              kind: Deployment
              name: (kustomize-controller|helm-controller|source-controller)
`;
    }
    if (a.special === 'flux-operator') {
      return `${head}  values:
    serviceMonitor:
      create: true
`;
    }
    const port = pick([80, 3000, 8080, 8000, 9000]);
    return `${head}  values:
    controllers:
      ${a.name}:
        annotations:
          reloader.stakater.com/auto: "true"
        containers:
          app:
            image:
              repository: ghcr.io/example/${a.name}
              tag: ${Math.floor(random() * 5)}.${Math.floor(random() * 30)}.${Math.floor(random() * 10)}
            env:
              TZ: \${TIMEZONE}
              PORT: &port ${port}
${
  a.secret
    ? `            envFrom:
              - secretRef:
                  name: ${a.name}-secret
`
    : ''
}            probes:
              liveness: &probes
                enabled: true
                custom: true
                spec:
                  httpGet:
                    path: /healthz
                    port: *port
                  periodSeconds: 10
              readiness: *probes
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              capabilities: { drop: ["ALL"] }
    defaultPodOptions:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
    service:
      app:
        ports:
          http:
            port: *port
${
  a.pvc || a.volsync
    ? `    persistence:
${
  a.volsync
    ? `      config:
        existingClaim: \${APP}
`
    : ''
}${
        a.pvc
          ? `      cache:
        existingClaim: ${a.name}-cache
        globalMounts:
          - path: /cache
`
          : ''
      }`
    : ''
}`;
  }

  return { files, apps: list.length, namespaces: byNs.size };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [outDir, apps = '150', seed = '1'] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node bench/generate-homelab.mjs <outDir> [apps=150] [seed=1]');
    process.exit(2);
  }
  const r = generateHomelab(outDir, Number(apps), Number(seed));
  console.log(`generated a home-lab fleet in ${outDir}: ${r.apps} child Kustomizations in ${r.namespaces} namespaces, ${r.files} files`);
}
