// Differential tests of the strategic merge patch: each case is a base object and a patch, run
// through `kubectl kustomize` (patches: - path: ...) and through `strategicMerge`; the objects must
// be equal as values. All successful cases share one kustomize build to keep the file fast.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { strategicMerge } from '../../../server/src/kustomize/merge/strategic';
import { deepCopy, isObject, splitApiVersion } from '../../../server/src/kustomize/resource';
import type { Json, JsonObject } from '../../../server/src/kustomize/types';
import { requireKubectl } from '../kubectl-oracle';
import { BASES } from '../../unit/kustomize/strategicBases';

interface Build {
  objects: JsonObject[];
  error?: string;
}

/** Runs `kubectl kustomize` on `files` in a fresh temp folder, without blocking the other builds. */
function kustomizeAsync(files: Record<string, string>): Promise<Build> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-smp-'));
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), content);
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (err) return resolve({ objects: [], error: stderr || err.message });
      const objects = stdout
        .split(/^---$/m)
        .map((doc) => parse(doc) as JsonObject | null)
        .filter((o): o is JsonObject => o !== null);
      resolve({ objects });
    });
  });
}

interface Case {
  name: string;
  base: keyof typeof BASES;
  /** The patch without apiVersion/kind/metadata.name (added from the base). */
  patch: string;
  /** Select the target with `target:` instead of by the patch's own id (name may then differ). */
  byTarget?: boolean;
  /** kustomize fails: the start of its message. */
  error?: string;
}

const CASES: Case[] = [
  // Scalars and maps
  { name: 'scalar replaced', base: 'deployment', patch: 'spec: {replicas: 5}' },
  { name: 'new map key added', base: 'deployment', patch: 'metadata: {labels: {env: prod}}' },
  { name: 'null deletes a scalar', base: 'deployment', patch: 'spec: {replicas: null}' },
  { name: 'null deletes a map', base: 'deployment', patch: 'spec: {strategy: null}' },
  { name: 'null deletes a list', base: 'deployment', patch: 'spec: {template: {spec: {tolerations: null}}}' },
  { name: 'null on an absent field adds nothing', base: 'deployment', patch: 'spec: {paused: null, minReadySeconds: ~}' },
  {
    name: 'null inside a new map is dropped',
    base: 'deployment',
    patch: 'spec: {template: {spec: {securityContext: {runAsUser: 1000, fsGroup: null}}}}',
  },
  { name: 'nested map merge', base: 'deployment', patch: 'spec: {strategy: {rollingUpdate: {maxUnavailable: 0}}}' },
  { name: 'map $patch: replace', base: 'deployment', patch: 'spec: {strategy: {$patch: replace, type: Recreate}}' },
  { name: 'map $patch: delete', base: 'deployment', patch: 'spec: {template: {spec: {nodeSelector: {$patch: delete}}}}' },
  {
    name: 'map $patch: merge is the default',
    base: 'deployment',
    patch: 'spec: {template: {spec: {nodeSelector: {$patch: merge, zone: a}}}}',
  },
  {
    name: '$patch: delete in a new map drops it',
    base: 'deployment',
    patch: 'spec: {template: {spec: {affinity: {$patch: delete, nodeAffinity: {}}}}}',
  },
  { name: 'empty map in patch changes nothing', base: 'deployment', patch: 'spec: {strategy: {}}' },
  { name: 'empty map in patch adds an empty map', base: 'deployment', patch: 'spec: {template: {spec: {securityContext: {}}}}' },
  { name: 'empty list in patch replaces a plain list', base: 'deployment', patch: 'spec: {template: {spec: {tolerations: []}}}' },
  { name: 'empty list in patch leaves a merge list', base: 'deployment', patch: 'spec: {template: {spec: {containers: []}}}' },
  { name: 'emptied map stays as {}', base: 'deployment', patch: 'spec: {template: {spec: {nodeSelector: {disk: null}}}}' },
  { name: 'whole object deleted', base: 'deployment', patch: '$patch: delete' },
  { name: 'top-level $patch: replace changes nothing', base: 'configmap', patch: '$patch: replace\ndata: {z: "9"}' },
  { name: 'explicit null in the base survives', base: 'duplicates', patch: 'metadata: {labels: {x: y}}' },

  // Identity
  {
    name: 'patch name differs via target: name kept',
    base: 'deployment',
    patch: 'metadata: {name: other}\nspec: {replicas: 3}',
    byTarget: true,
  },
  {
    name: 'patch namespace via target: namespace kept',
    base: 'deployment',
    patch: 'metadata: {name: app, namespace: elsewhere}\nspec: {replicas: 4}',
    byTarget: true,
  },

  // Merge lists by key (built-in schema)
  {
    name: 'container merged by name',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, image: nginx:1.26}]}}}',
  },
  {
    name: 'new container goes first',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: extra, image: busybox}]}}}',
  },
  {
    name: 'patch order first then the rest of the target',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: sidecar, image: envoy:2}, {name: new, image: n}]}}}',
  },
  {
    name: 'container $patch: delete',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}]}}}',
  },
  {
    name: 'all containers deleted leaves []',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}, {name: web, $patch: delete}]}}}',
  },
  {
    name: 'list $patch: replace',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: only, image: o}, {$patch: replace}]}}}',
  },
  { name: 'list $patch: delete', base: 'deployment', patch: 'spec: {template: {spec: {initContainers: [{$patch: delete}]}}}' },
  {
    name: 'initContainers by name',
    base: 'deployment',
    patch: 'spec: {template: {spec: {initContainers: [{name: init, image: alpine}]}}}',
  },
  {
    name: 'env by name',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, env: [{name: MODE, value: staging}, {name: NEW, value: x}]}]}}}',
  },
  {
    name: 'env item deleted',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, env: [{name: LOG_LEVEL, $patch: delete}]}]}}}',
  },
  {
    name: 'env value to valueFrom',
    base: 'deployment',
    patch:
      'spec: {template: {spec: {containers: [{name: web, env: [{name: MODE, value: null, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}]}}}',
  },
  {
    name: 'volumeMounts by mountPath',
    base: 'deployment',
    patch:
      'spec: {template: {spec: {containers: [{name: web, volumeMounts: [{mountPath: /data, readOnly: true}, {name: tmp, mountPath: /tmp}]}]}}}',
  },
  {
    name: 'volumes by name (no retainKeys)',
    base: 'deployment',
    patch: 'spec: {template: {spec: {volumes: [{name: cache, secret: {secretName: s}}]}}}',
  },
  {
    name: 'volume source swapped with null',
    base: 'deployment',
    patch: 'spec: {template: {spec: {volumes: [{name: cache, configMap: null, secret: {secretName: s}}]}}}',
  },
  { name: 'imagePullSecrets by name', base: 'deployment', patch: 'spec: {template: {spec: {imagePullSecrets: [{name: reg2}]}}}' },
  {
    name: 'hostAliases by ip',
    base: 'deployment',
    patch: 'spec: {template: {spec: {hostAliases: [{ip: 10.0.0.1, hostnames: [b.local]}, {ip: 10.0.0.2, hostnames: [c.local]}]}}}',
  },
  {
    name: 'tolerations are replaced',
    base: 'deployment',
    patch: 'spec: {template: {spec: {tolerations: [{key: other, operator: Exists}]}}}',
  },
  {
    name: 'topologySpreadConstraints merged by topologyKey+whenUnsatisfiable',
    base: 'deployment',
    patch:
      'spec: {template: {spec: {topologySpreadConstraints: [{topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 2}, {topologyKey: host, whenUnsatisfiable: ScheduleAnyway, maxSkew: 1}]}}}',
  },
  {
    name: 'container args are replaced',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, args: [--debug]}]}}}',
  },
  {
    name: 'resources merged as a map',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, resources: {limits: {cpu: "1"}, requests: {cpu: 100m}}}]}}}',
  },
  {
    name: 'ports merged by containerPort+protocol',
    base: 'deployment',
    patch:
      'spec: {template: {spec: {containers: [{name: web, ports: [{containerPort: 8080, name: web}, {containerPort: 9090, name: metrics}]}]}}}',
  },
  {
    name: 'ports with protocol: target entries move last',
    base: 'deployment',
    patch:
      'spec: {template: {spec: {containers: [{name: web, ports: [{containerPort: 9090}, {containerPort: 53, protocol: UDP, name: dns2}]}]}}}',
  },
  {
    name: 'port without protocol does not merge into UDP port',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, ports: [{containerPort: 53, name: y}]}]}}}',
  },
  {
    name: 'port deleted',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, ports: [{containerPort: 8080, $patch: delete}]}]}}}',
  },
  {
    name: 'container without merge key is appended',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{image: nameless}]}}}',
  },
  { name: 'finalizers merged as a set, patch first', base: 'deployment', patch: 'metadata: {finalizers: [example.com/c, example.com/b]}' },
  {
    name: 'ownerReferences by uid',
    base: 'deployment',
    patch: 'metadata: {ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: renamed, uid: u2}]}',
  },
  { name: 'template labels merged', base: 'deployment', patch: 'spec: {template: {metadata: {labels: {version: v2}}}}' },
  {
    name: '$setElementOrder is kept as a field',
    base: 'deployment',
    patch: 'spec: {template: {spec: {$setElementOrder/containers: [{name: sidecar}, {name: web}], containers: [{name: web, image: x}]}}}',
  },
  { name: '$retainKeys is kept as a field', base: 'deployment', patch: 'spec: {strategy: {$retainKeys: [type], type: Recreate}}' },
  {
    name: '$deleteFromPrimitiveList is kept as a field',
    base: 'deployment',
    patch: 'metadata: {$deleteFromPrimitiveList/finalizers: [example.com/a]}',
  },
  { name: 'untouched merge lists collapse and drop empty elements (patch elsewhere)', base: 'oddities', patch: 'spec: {replicas: 3}' },
  { name: 'untouched merge lists collapse (patch on metadata only)', base: 'oddities', patch: 'metadata: {labels: {a: b}}' },
  {
    name: 'untouched parts of a touched container list',
    base: 'oddities',
    patch: 'spec: {template: {spec: {containers: [{name: web, image: web:2}]}}}',
  },
  {
    name: 'untouched container inside a touched list',
    base: 'oddities',
    patch: 'spec: {template: {spec: {containers: [{name: sidecar, image: side:2}]}}}',
  },
  {
    name: 'duplicate keys in the target collapse',
    base: 'duplicates',
    patch: 'spec: {template: {spec: {containers: [{name: b, image: b:2}]}}}',
  },
  {
    name: 'new container with directives inside',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: extra, image: e, env: [{name: X, value: "1"}, {name: Y, $patch: delete}]}]}}}',
  },

  {
    name: 'container $patch: replace',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, $patch: replace, image: only}]}}}',
  },
  {
    name: 'list $patch: merge element is removed',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, image: m}, {$patch: merge}]}}}',
  },
  {
    name: '$patch: delete of an element not in the target',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: ghost, $patch: delete}]}}}',
  },
  {
    name: 'new merge list with a replace element',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, envFrom: [{configMapRef: {name: c}}]}]}}}',
  },
  {
    name: 'port with explicit TCP next to one without protocol',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, ports: [{containerPort: 8080, protocol: TCP, name: tcp}]}]}}}',
  },
  {
    name: 'unknown field with named items is replaced',
    base: 'deployment',
    patch: 'spec: {template: {spec: {extraThings: [{name: a}], containers: [{name: web, extraList: [{name: x}]}]}}}',
  },
  { name: 'labels: null removes all labels', base: 'deployment', patch: 'metadata: {labels: null}' },
  {
    name: 'null inside a list element field',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, resources: null, args: null}]}}}',
  },
  {
    name: 'finalizers: patch repeats and reorders',
    base: 'deployment',
    patch: 'metadata: {finalizers: [example.com/b, example.com/b, example.com/a]}',
  },
  { name: 'Service port gains explicit TCP', base: 'service', patch: 'spec: {ports: [{port: 80, protocol: TCP, name: web}]}' },

  {
    name: 'merge list added where the target has none, with a replace element',
    base: 'statefulset',
    patch: 'spec: {template: {spec: {initContainers: [{name: a, image: a}, {$patch: replace}]}}}',
  },
  {
    name: 'duplicate merge keys inside the patch',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: [{name: web, image: one}, {name: web, image: two}]}}}',
  },
  {
    name: 'a scalar list item under a merge key list',
    base: 'deployment',
    patch: 'spec: {template: {spec: {imagePullSecrets: [{name: reg1}, {name: reg3}]}}}',
  },
  // Other built-in kinds
  {
    name: 'Service ports merged by port',
    base: 'service',
    patch: 'spec: {ports: [{port: 80, targetPort: 9090}, {port: 443, name: https}]}',
  },
  { name: 'Service port with protocol', base: 'service', patch: 'spec: {ports: [{port: 53, protocol: UDP, targetPort: 5353}]}' },
  { name: 'Service type change', base: 'service', patch: 'spec: {type: LoadBalancer, selector: {app: web2}}' },
  {
    name: 'CronJob containers under jobTemplate',
    base: 'cronjob',
    patch:
      'spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: backup, image: backup:2, env: [{name: EXTRA, value: "1"}]}]}}}}}',
  },
  {
    name: 'StatefulSet containers merged, volumeClaimTemplates replaced',
    base: 'statefulset',
    patch:
      'spec: {template: {spec: {containers: [{name: db, image: postgres:16}]}}, volumeClaimTemplates: [{metadata: {name: pgdata}, spec: {resources: {requests: {storage: 5Gi}}}}]}',
  },
  {
    name: 'ServiceAccount secrets merged, imagePullSecrets replaced',
    base: 'serviceaccount',
    patch: 'secrets: [{name: token-b}]\nimagePullSecrets: [{name: pull-b}]',
  },
  { name: 'ConfigMap data merged, null deletes a key', base: 'configmap', patch: 'data: {b: null, c: "3"}' },
  { name: 'ConfigMap finalizers merged', base: 'configmap', patch: 'metadata: {finalizers: [x/b]}' },
  { name: 'Role rules are replaced', base: 'role', patch: 'rules: [{apiGroups: [apps], resources: [deployments], verbs: [get]}]' },
  { name: 'RoleBinding subjects are replaced', base: 'rolebinding', patch: 'subjects: [{kind: ServiceAccount, name: other}]' },
  { name: 'Ingress rules and tls are replaced', base: 'ingress', patch: 'spec: {tls: [{hosts: [b.example.com], secretName: tls-b}]}' },
  {
    name: 'HPA metrics replaced',
    base: 'hpa',
    patch:
      'spec: {maxReplicas: 10, metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}}]}',
  },
  { name: 'autoscaling/v2 is not in the v1.21 schema: finalizers replaced', base: 'hpa', patch: 'metadata: {finalizers: [x/b]}' },
  { name: 'PDB finalizers merged', base: 'pdb', patch: 'metadata: {finalizers: [x/b]}\nspec: {minAvailable: null, maxUnavailable: 1}' },
  {
    name: 'Pod volumeDevices by devicePath and ephemeralContainers by name',
    base: 'pod',
    patch:
      'spec: {containers: [{name: main, volumeDevices: [{devicePath: /dev/xvda, name: raw2}]}], ephemeralContainers: [{name: dbg, image: alpine}]}',
  },
  {
    name: 'API version unknown to the schema: containers replaced',
    base: 'olddeployment',
    patch: 'spec: {template: {spec: {containers: [{name: b, image: b:2}]}}}',
  },

  // Custom resources: no schema, every list replaced
  {
    name: 'HelmRelease values list replaced (no merge key inference)',
    base: 'helmrelease',
    patch: 'spec: {values: {env: [{name: B, value: "3"}]}}',
  },
  {
    name: 'HelmRelease values map merged',
    base: 'helmrelease',
    patch: 'spec: {values: {replicaCount: 3, ingress: {enabled: true}}, chart: {spec: {version: 6.6.0}}}',
  },
  { name: 'HelmRelease finalizers replaced', base: 'helmrelease', patch: 'metadata: {finalizers: [other]}' },
  {
    name: 'Flux Kustomization patches and dependsOn replaced',
    base: 'fluxks',
    patch: 'spec: {dependsOn: [{name: db}], patches: [{target: {kind: Service}, patch: x}]}',
  },
  { name: 'CR list item $patch: delete is kept literally', base: 'fluxks', patch: 'spec: {dependsOn: [{name: infra, $patch: delete}]}' },
  { name: 'CR map $patch: delete', base: 'helmrelease', patch: 'spec: {values: {ingress: {$patch: delete}}}' },

  // Type mismatches: kustomize fails
  {
    name: 'list where a scalar is',
    base: 'deployment',
    patch: 'spec: {replicas: [1]}',
    error: 'wrong node kind: expected ScalarNode but got SequenceNode',
  },
  {
    name: 'map where a list is',
    base: 'deployment',
    patch: 'spec: {template: {spec: {containers: {name: web}}}}',
    error: 'wrong node kind: expected SequenceNode but got MappingNode',
  },
  {
    name: 'scalar where a map is',
    base: 'deployment',
    patch: 'spec: {selector: 5}',
    error: 'wrong node kind: expected MappingNode but got ScalarNode',
  },
  {
    name: 'unknown $patch value',
    base: 'deployment',
    patch: 'spec: {strategy: {$patch: sideways}}',
    error: "unknown patch strategy 'sideways'",
  },
];

function gvkOf(o: JsonObject): { group: string; version: string; kind: string } {
  return { ...splitApiVersion(String(o.apiVersion)), kind: String(o.kind) };
}

function caseName(i: number): string {
  return `case-${i}`;
}

/** The base object of case `i`, renamed so that every case is its own object in one build. */
const parsedBases = new Map<string, JsonObject>();
function parsedBase(name: string): JsonObject {
  let base = parsedBases.get(name);
  if (!base) parsedBases.set(name, (base = parse(BASES[name]) as JsonObject));
  return deepCopy(base);
}

function baseOf(c: Case, i: number): JsonObject {
  const base = parsedBase(c.base);
  (base.metadata as JsonObject).name = caseName(i);
  return base;
}

function patchOf(c: Case, i: number): JsonObject {
  const base = parsedBase(c.base);
  const body = (parse(c.patch) ?? {}) as JsonObject;
  const patch: JsonObject = { apiVersion: base.apiVersion, kind: base.kind, ...body };
  const meta = isObject(body.metadata) ? body.metadata : {};
  patch.metadata = { ...meta, name: c.byTarget && typeof meta.name === 'string' ? meta.name : caseName(i) };
  return patch;
}

/** kubectl's output parsed back: the same `yaml` reading as ours, so only numbers need care. */
function normalise(value: Json): Json {
  if (Array.isArray(value)) return value.map(normalise);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value).sort()) out[k] = normalise(value[k]);
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

describe('strategicMerge (differential against kubectl kustomize)', function () {
  this.timeout(20000);
  const expected = new Map<string, JsonObject>();
  const errors = new Map<number, string | undefined>();
  let buildError: string | undefined;

  before(async function () {
    requireKubectl(this);
    const files: Record<string, string> = {};
    const resources: string[] = [];
    const patches: string[] = [];
    const errorBuilds: Array<Promise<void>> = [];
    CASES.forEach((c, i) => {
      if (c.error) {
        const files = {
          'base.yaml': stringify(baseOf(c, i)),
          'patch.yaml': stringify(patchOf(c, i)),
          'kustomization.yaml': 'resources:\n- base.yaml\npatches:\n- path: patch.yaml\n',
        };
        errorBuilds.push(kustomizeAsync(files).then((b) => void errors.set(i, b.error)));
        return;
      }
      files[`base-${i}.yaml`] = stringify(baseOf(c, i));
      files[`patch-${i}.yaml`] = stringify(patchOf(c, i));
      resources.push(`- base-${i}.yaml`);
      patches.push(
        c.byTarget
          ? `- path: patch-${i}.yaml\n  target: {kind: ${String(baseOf(c, i).kind)}, name: ${caseName(i)}}`
          : `- path: patch-${i}.yaml`,
      );
    });
    files['kustomization.yaml'] = `resources:\n${resources.join('\n')}\npatches:\n${patches.join('\n')}\n`;
    const [shared] = await Promise.all([kustomizeAsync(files), ...errorBuilds]);
    buildError = shared.error;
    for (const o of shared.objects) expected.set(String((o.metadata as JsonObject).name), o);
  });

  it('the shared kustomize build succeeds', function () {
    assert.strictEqual(buildError, undefined);
  });

  CASES.forEach((c, i) => {
    it(`${c.base}: ${c.name}`, function () {
      const base = baseOf(c, i);
      const patch = patchOf(c, i);
      const ours = strategicMerge(base, patch, gvkOf(base));
      if (c.error) {
        const oracleError = errors.get(i);
        assert.ok(oracleError?.includes(c.error), `kubectl: ${oracleError}`);
        assert.strictEqual(ours.problems.length, 1, 'one problem');
        assert.ok(ours.problems[0].startsWith(c.error), ours.problems[0]);
        return;
      }
      assert.deepStrictEqual(ours.problems, []);
      const want = expected.get(caseName(i));
      if (want === undefined) assert.strictEqual(ours.result, null, 'kustomize deleted the object');
      else assert.deepStrictEqual(normalise(ours.result), normalise(want));
    });
  });
});
