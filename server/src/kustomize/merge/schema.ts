// The patch strategies of the Kubernetes built-in types, as kustomize v5.5 sees them.
//
// kustomize's strategic merge (kyaml merge2) consults the OpenAPI document of Kubernetes v1.21.2 that
// is compiled into it; only lists whose `x-kubernetes-patch-strategy` contains `merge` are merged
// element by element, every other list is replaced. kyaml does not infer merge keys for types it
// has no schema for (CRDs, unknown fields, API versions absent from v1.21.2): their lists are
// replaced too. So this table only has to name the merge lists, reached through the types that
// hold them; everything else is "replace".

import { isObject } from '../resource';
import type { Json, JsonObject } from '../types';

export type PatchStrategy = 'merge' | 'replace' | 'merge,retainKeys' | 'retainKeys';

export interface ListStrategy {
  /** `x-kubernetes-patch-merge-key`; absent for merged lists of scalars such as `finalizers`. */
  mergeKey?: string;
  /** `x-kubernetes-list-map-keys` when the API declares several (ports: containerPort + protocol). */
  mapKeys?: readonly string[];
  strategy: PatchStrategy;
}

/** A field of a schema type: a nested object type, or a list with its strategy and item type. */
type FieldSchema = { type: string } | { list: ListStrategy; items?: string };

type TypeSchema = Readonly<Record<string, FieldSchema>>;

const obj = (type: string): FieldSchema => ({ type });
const list = (strategy: PatchStrategy, items?: string, mergeKey?: string, mapKeys?: readonly string[]): FieldSchema => ({
  list: { strategy, ...(mergeKey !== undefined ? { mergeKey } : {}), ...(mapKeys !== undefined ? { mapKeys } : {}) },
  ...(items !== undefined ? { items } : {}),
});
const mergeBy = (mergeKey: string, items?: string, mapKeys?: readonly string[]): FieldSchema => list('merge', items, mergeKey, mapKeys);

/** Only the fields that lead to a merge list; fields not named here have no merge semantics. */
const TYPES: Readonly<Record<string, TypeSchema>> = {
  ObjectMeta: {
    finalizers: list('merge'),
    ownerReferences: mergeBy('uid'),
  },
  Condition: {},
  ConditionsStatus: { conditions: mergeBy('type', 'Condition') },
  ConditionsStatusByTypeKey: { conditions: mergeBy('type', 'Condition', ['type']) },

  PodTemplateSpec: { metadata: obj('ObjectMeta'), spec: obj('PodSpec') },
  PodSpec: {
    containers: mergeBy('name', 'Container'),
    initContainers: mergeBy('name', 'Container'),
    ephemeralContainers: mergeBy('name', 'Container'),
    volumes: list('merge,retainKeys', undefined, 'name'),
    imagePullSecrets: mergeBy('name'),
    hostAliases: mergeBy('ip'),
    topologySpreadConstraints: mergeBy('topologyKey', undefined, ['topologyKey', 'whenUnsatisfiable']),
    // tolerations, readinessGates, affinity terms: no patch strategy in the API => replaced.
  },
  Container: {
    ports: mergeBy('containerPort', undefined, ['containerPort', 'protocol']),
    env: mergeBy('name'),
    volumeMounts: mergeBy('mountPath'),
    volumeDevices: mergeBy('devicePath'),
  },
  Pod: { metadata: obj('ObjectMeta'), spec: obj('PodSpec'), status: obj('ConditionsStatus') },
  PodTemplate: { metadata: obj('ObjectMeta'), template: obj('PodTemplateSpec') },
  WithPodTemplate: { metadata: obj('ObjectMeta'), spec: obj('PodTemplateOwnerSpec'), status: obj('ConditionsStatus') },
  PodTemplateOwnerSpec: { template: obj('PodTemplateSpec') },
  StatefulSet: { metadata: obj('ObjectMeta'), spec: obj('PodTemplateOwnerSpec'), status: obj('ConditionsStatus') },
  Job: { metadata: obj('ObjectMeta'), spec: obj('PodTemplateOwnerSpec'), status: obj('ConditionsStatus') },
  CronJob: { metadata: obj('ObjectMeta'), spec: obj('CronJobSpec') },
  CronJobSpec: { jobTemplate: obj('JobTemplateSpec') },
  JobTemplateSpec: { metadata: obj('ObjectMeta'), spec: obj('PodTemplateOwnerSpec') },
  Service: { metadata: obj('ObjectMeta'), spec: obj('ServiceSpec'), status: obj('ConditionsStatusByTypeKey') },
  ServiceSpec: { ports: mergeBy('port', undefined, ['port', 'protocol']) },
  ServiceAccount: { metadata: obj('ObjectMeta'), secrets: mergeBy('name') },
  PersistentVolumeClaim: { metadata: obj('ObjectMeta'), status: obj('ConditionsStatus') },
  PodDisruptionBudget: { metadata: obj('ObjectMeta'), status: obj('ConditionsStatusByTypeKey') },
  Node: {
    metadata: obj('ObjectMeta'),
    status: obj('NodeStatus'),
  },
  NodeStatus: { conditions: mergeBy('type'), addresses: mergeBy('type') },
  /** Any other kind of the v1.21.2 API: only its metadata merges. */
  Plain: { metadata: obj('ObjectMeta') },
};

/** `group/version/kind` of the kinds present in the Kubernetes v1.21.2 API, with their schema type. */
const KINDS: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = {};
  const add = (group: string, versions: string[], kinds: Record<string, string>): void => {
    for (const version of versions) for (const [kind, type] of Object.entries(kinds)) out[`${group}/${version}/${kind}`] = type;
  };
  add('', ['v1'], {
    Pod: 'Pod',
    PodTemplate: 'PodTemplate',
    ReplicationController: 'WithPodTemplate',
    Service: 'Service',
    ServiceAccount: 'ServiceAccount',
    PersistentVolumeClaim: 'PersistentVolumeClaim',
    Node: 'Node',
    ConfigMap: 'Plain',
    Secret: 'Plain',
    Namespace: 'Plain',
    PersistentVolume: 'Plain',
    Endpoints: 'Plain',
    Event: 'Plain',
    LimitRange: 'Plain',
    ResourceQuota: 'Plain',
    Binding: 'Plain',
    ComponentStatus: 'Plain',
  });
  add('apps', ['v1'], {
    Deployment: 'WithPodTemplate',
    DaemonSet: 'WithPodTemplate',
    ReplicaSet: 'WithPodTemplate',
    StatefulSet: 'StatefulSet',
    ControllerRevision: 'Plain',
  });
  add('batch', ['v1'], { Job: 'Job', CronJob: 'CronJob' });
  add('batch', ['v1beta1'], { CronJob: 'CronJob' });
  add('networking.k8s.io', ['v1'], { Ingress: 'Plain', IngressClass: 'Plain', NetworkPolicy: 'Plain' });
  add('networking.k8s.io', ['v1beta1'], { Ingress: 'Plain', IngressClass: 'Plain' });
  add('extensions', ['v1beta1'], { Ingress: 'Plain' });
  add('rbac.authorization.k8s.io', ['v1', 'v1beta1', 'v1alpha1'], {
    Role: 'Plain',
    ClusterRole: 'Plain',
    RoleBinding: 'Plain',
    ClusterRoleBinding: 'Plain',
  });
  add('autoscaling', ['v1', 'v2beta1', 'v2beta2'], { HorizontalPodAutoscaler: 'Plain' });
  add('policy', ['v1'], { PodDisruptionBudget: 'PodDisruptionBudget' });
  add('policy', ['v1beta1'], { PodDisruptionBudget: 'PodDisruptionBudget', PodSecurityPolicy: 'Plain' });
  add('storage.k8s.io', ['v1'], { StorageClass: 'Plain', CSIDriver: 'Plain', CSINode: 'Plain', VolumeAttachment: 'Plain' });
  add('scheduling.k8s.io', ['v1'], { PriorityClass: 'Plain' });
  add('coordination.k8s.io', ['v1'], { Lease: 'Plain' });
  add('discovery.k8s.io', ['v1', 'v1beta1'], { EndpointSlice: 'Plain' });
  add('node.k8s.io', ['v1'], { RuntimeClass: 'Plain' });
  add('apiextensions.k8s.io', ['v1'], { CustomResourceDefinition: 'Plain' });
  add('admissionregistration.k8s.io', ['v1'], {
    MutatingWebhookConfiguration: 'Plain',
    ValidatingWebhookConfiguration: 'Plain',
  });
  add('certificates.k8s.io', ['v1'], { CertificateSigningRequest: 'Plain' });
  add('apiregistration.k8s.io', ['v1'], { APIService: 'Plain' });
  return out;
})();

/**
 * A position in the schema: an object type, or a list field (whose items have `items` type); `custom`
 * nodes are definitions of a kustomization's `openapi:` schema file.
 */
export type SchemaNode =
  | { kind: 'object'; type: string }
  | { kind: 'list'; strategy: ListStrategy; items?: string; customItems?: JsonObject }
  | { kind: 'custom'; definition: JsonObject };

/** A kustomization's `openapi: {path}` schema: its definitions, and which one each group/version/kind uses. */
export interface CustomSchema {
  definitions: Readonly<Record<string, JsonObject>>;
  kinds: ReadonlyMap<string, JsonObject>;
}

/**
 * kyaml keeps one schema for the whole process, set by the first kustomization of a build that names one:
 * while a custom schema is in effect it is the only one (built-in kinds such as Deployment have none then,
 * so their lists are replaced). The build sets it (build.ts) and clears it when done.
 */
let customSchema: CustomSchema | undefined;

export function setCustomSchema(schema: CustomSchema | undefined): void {
  customSchema = schema;
}

/** Reads an `openapi:` schema file's value (JSON or YAML): `definitions`, indexed by x-kubernetes-group-version-kind. */
export function readCustomSchema(value: Json): CustomSchema | { error: string } {
  if (!isObject(value) || !isObject(value.definitions)) return { error: 'the schema has no definitions map' };
  const definitions: Record<string, JsonObject> = {};
  const kinds = new Map<string, JsonObject>();
  for (const [name, definition] of Object.entries(value.definitions)) {
    if (!isObject(definition)) continue;
    definitions[name] = definition;
    const gvks = definition['x-kubernetes-group-version-kind'];
    for (const gvk of Array.isArray(gvks) ? gvks : []) {
      if (!isObject(gvk)) continue;
      const text = (v: Json | undefined) => (typeof v === 'string' ? v : '');
      kinds.set(`${text(gvk.group)}/${text(gvk.version)}/${text(gvk.kind)}`, definition);
    }
  }
  return { definitions, kinds };
}

/** A property schema with its `$ref`s followed (`#/definitions/<name>`). */
function dereference(value: Json | undefined): JsonObject | undefined {
  let node = value;
  for (let hops = 0; hops < 32 && isObject(node) && typeof node.$ref === 'string'; hops++) {
    const name = node.$ref.replace(/^#\/definitions\//, '');
    node = customSchema?.definitions[name];
  }
  return isObject(node) ? node : undefined;
}

function customField(definition: JsonObject, key: string): SchemaNode | undefined {
  const properties = dereference(definition)?.properties;
  const property = isObject(properties) ? dereference(properties[key]) : undefined;
  if (!property) return undefined;
  if (property.type !== 'array' && property.items === undefined) return { kind: 'custom', definition: property };
  const strategy = property['x-kubernetes-patch-strategy'];
  if (typeof strategy !== 'string') return undefined;
  const mergeKey = property['x-kubernetes-patch-merge-key'];
  const mapKeys = property['x-kubernetes-list-map-keys'];
  const items = dereference(property.items);
  return {
    kind: 'list',
    strategy: {
      strategy: strategy as PatchStrategy,
      ...(typeof mergeKey === 'string' ? { mergeKey } : {}),
      ...(Array.isArray(mapKeys) ? { mapKeys: mapKeys.filter((k): k is string => typeof k === 'string') } : {}),
    },
    ...(items ? { customItems: items } : {}),
  };
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** The schema of a whole object, or undefined for kinds kustomize has no schema for (CRDs...). */
export function schemaForKind(gvk: Gvk): SchemaNode | undefined {
  if (customSchema) {
    const definition = customSchema.kinds.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
    return definition ? { kind: 'custom', definition } : undefined;
  }
  const type = KINDS[`${gvk.group}/${gvk.version}/${gvk.kind}`];
  return type === undefined ? undefined : objectNode(type);
}

// Schema nodes are asked for at every step of every merge; the table is small, so each node is made once.
const objectNodes = new Map<string, SchemaNode>();
const fieldNodes = new Map<string, SchemaNode>();

function objectNode(type: string): SchemaNode {
  let node = objectNodes.get(type);
  if (!node) objectNodes.set(type, (node = Object.freeze({ kind: 'object', type })));
  return node;
}

/** The schema of field `key` inside an object of schema `node`. */
export function fieldSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (node !== undefined && node.kind === 'custom') return customField(node.definition, key);
  if (node === undefined || node.kind !== 'object') return undefined;
  const type = TYPES[node.type];
  if (type === undefined || !Object.prototype.hasOwnProperty.call(type, key)) return undefined;
  const field = type[key];
  if ('type' in field) return objectNode(field.type);
  const id = `${node.type}.${key}`;
  let list = fieldNodes.get(id);
  if (!list)
    fieldNodes.set(
      id,
      (list = Object.freeze({ kind: 'list', strategy: field.list, ...(field.items !== undefined ? { items: field.items } : {}) })),
    );
  return list;
}

/** The schema of the items of a list of schema `node`. */
export function elementSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  if (node !== undefined && node.kind === 'list' && node.customItems) return { kind: 'custom', definition: node.customItems };
  if (node === undefined || node.kind !== 'list' || node.items === undefined) return undefined;
  return objectNode(node.items);
}

/** The strategy of a list schema node, or undefined when the node is not a merge-aware list. */
export function listStrategyOf(node: SchemaNode | undefined): ListStrategy | undefined {
  return node !== undefined && node.kind === 'list' ? node.strategy : undefined;
}

/**
 * The patch strategy of the list at `path` (field names only, list items implied) in an object of
 * kind `gvk`. Undefined means kustomize replaces that list as a whole.
 */
export function listStrategyAt(gvk: Gvk, path: ReadonlyArray<string>): ListStrategy | undefined {
  let node = schemaForKind(gvk);
  for (let i = 0; i < path.length && node !== undefined; i++) {
    if (node.kind === 'list') node = elementSchema(node);
    node = fieldSchema(node, path[i]);
  }
  return listStrategyOf(node);
}

/** kyaml's reading of a list schema: the keys that identify an element ([] for lists of scalars). */
export function mergeKeysOf(strategy: ListStrategy): string[] {
  if (strategy.mapKeys !== undefined && strategy.mapKeys.length > 0) return [...strategy.mapKeys];
  return strategy.mergeKey !== undefined ? [strategy.mergeKey] : [];
}

/** Whether kyaml merges the list element by element (its strategy names `merge`). */
const MERGE_STRATEGY = /(?:^|,)merge(?:,|$)/;

export function isMergeStrategy(strategy: ListStrategy | undefined): boolean {
  return strategy !== undefined && MERGE_STRATEGY.test(strategy.strategy);
}
