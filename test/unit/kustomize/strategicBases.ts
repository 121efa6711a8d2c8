// The base objects the strategic-merge tests patch, shared by the in-memory tests and the kubectl comparisons.
export const BASES: Record<string, string> = {
  deployment: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {app: web, tier: front}
  finalizers: [example.com/a, example.com/b]
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: owner1, uid: u1}
  - {apiVersion: v1, kind: ConfigMap, name: owner2, uid: u2}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - {name: init, image: busybox, command: [sh, -c, "true"]}
      containers:
      - name: web
        image: nginx:1.25
        args: [--port, "8080"]
        ports:
        - {containerPort: 8080, name: http}
        - {containerPort: 53, protocol: UDP, name: dns}
        env:
        - {name: LOG_LEVEL, value: info}
        - {name: MODE, value: prod}
        volumeMounts:
        - {name: data, mountPath: /data}
        - {name: cache, mountPath: /cache}
        resources: {limits: {cpu: 500m, memory: 256Mi}}
      - name: sidecar
        image: envoy:1.0
      volumes:
      - {name: data, emptyDir: {}}
      - {name: cache, configMap: {name: cache-cm}}
      imagePullSecrets: [{name: reg1}]
      hostAliases: [{ip: 10.0.0.1, hostnames: [a.local]}]
      tolerations:
      - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
      nodeSelector: {disk: ssd}
`,
  service: `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: dns, port: 53, protocol: UDP}
`,
  helmrelease: `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  finalizers: [finalizers.fluxcd.io]
spec:
  interval: 5m
  chart: {spec: {chart: podinfo, version: 6.5.0}}
  values:
    replicaCount: 1
    env:
    - {name: A, value: "1"}
    - {name: B, value: "2"}
    ingress: {enabled: false, hosts: [{host: a.example.com, paths: [{path: /}]}]}
`,
  fluxks: `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps}
spec:
  interval: 10m
  path: ./apps/staging
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  dependsOn: [{name: infra}]
  patches:
  - {target: {kind: Deployment}, patch: "- op: add"}
`,
  cronjob: `
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: backup:1
            env: [{name: TARGET, value: s3}]
`,
  statefulset: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: db, image: postgres:15, volumeMounts: [{name: pgdata, mountPath: /var/lib/postgresql}]}
  volumeClaimTemplates:
  - metadata: {name: pgdata}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
  serviceaccount: `
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot}
secrets: [{name: token-a}]
imagePullSecrets: [{name: pull-a}]
`,
  configmap: `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, finalizers: [x/a]}
data: {a: "1", b: "2"}
`,
  role: `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
`,
  rolebinding: `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: robot}
`,
  ingress: `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  tls: [{hosts: [a.example.com], secretName: tls-a}]
`,
  hpa: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, finalizers: [x/a]}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}
`,
  pdb: `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, finalizers: [x/a]}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
`,
  pod: `
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers:
  - {name: main, image: busybox, volumeDevices: [{name: raw, devicePath: /dev/xvda}]}
  ephemeralContainers:
  - {name: dbg, image: busybox}
`,
  olddeployment: `
apiVersion: apps/v1beta1
kind: Deployment
metadata: {name: legacy}
spec:
  template:
    spec:
      containers:
      - {name: a, image: a:1}
      - {name: b, image: b:1}
`,
  // Merge lists that merging rewrites even where the patch has nothing to say (kyaml walks them all).
  oddities: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: odd
  finalizers: [example.com/a, example.com/a, example.com/b]
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: o1, uid: u1}
  - {apiVersion: v1, kind: ConfigMap, name: o1-again, uid: u1}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: web:1
        env:
        - {name: A, value: "1"}
        - {name: A, value: "2"}
        - {}
        - {value: nameless}
        ports:
        - {containerPort: 80}
        - {containerPort: 80, protocol: TCP, name: http}
        - {containerPort: 81, name: metrics}
        volumeMounts:
        - {name: a, mountPath: /a}
        - {name: a2, mountPath: /a}
      - name: sidecar
        image: side:1
        env:
        - {name: "1", value: a}
        - {name: 1, value: b}
      volumes:
      - {name: data, emptyDir: {}}
      - {name: data, configMap: {name: c}}
      imagePullSecrets: [{name: r}, {name: r}, {name: s}]
      extra:
        apiVersion: apps/v1
        kind: Deployment
        spec: {template: {spec: {containers: [{name: x, image: x:1}, {name: x, image: x:2}]}}}
`,
  duplicates: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: dup}
spec:
  replicas: null
  template:
    spec:
      containers:
      - {name: a, image: a:1}
      - {name: a, image: a:2}
      - {name: b, image: b:1}
`,
};
