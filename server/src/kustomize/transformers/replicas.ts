// The `replicas` field: sets `spec.replicas` of the workloads with the given name (current or any
// earlier name, so a base name still works after a prefix), creating the field when absent.
import type { FieldSpec } from '../fieldspec';
import { fieldSpecMatches, visitFieldSpec } from '../fieldspec';
import { recordOrigin, resIdOf } from '../resource';
import type { Transformer, StepConfig } from '../transformer';
import type { Json, JsonObject, Resource } from '../types';

/** kustomize v5.5's replica field specs, in the order its error message lists them. */
export const REPLICA_FIELD_SPECS: readonly FieldSpec[] = [
  { kind: 'Deployment', path: 'spec/replicas', create: true },
  { kind: 'StatefulSet', path: 'spec/replicas', create: true },
  { kind: 'ReplicaSet', path: 'spec/replicas', create: true },
  { kind: 'ReplicationController', path: 'spec/replicas', create: true },
];

export interface ReplicasConfig extends StepConfig {
  replicas: JsonObject[];
  /** Extra replica paths from `configurations:` files. */
  fieldSpecs?: FieldSpec[];
  /** A builtin ReplicaCountTransformer's own `fieldSpecs`: used instead of the builtin table. */
  pluginFieldSpecs?: readonly FieldSpec[];
}

/** kustomize decodes `count` into an int64: a string or a fraction is an invalid kustomization. */
function countOf(value: Json | undefined): { count: number | bigint } | { error: string } {
  if (value === undefined || value === null) return { count: 0 };
  if (typeof value === 'bigint') {
    const inRange = value >= -(2n ** 63n) && value < 2n ** 63n;
    return inRange
      ? { count: value }
      : { error: `cannot unmarshal number ${value} into Go struct field Replica.replicas.count of type int64` };
  }
  if (typeof value === 'number' && Number.isInteger(value)) return { count: value };
  const what =
    typeof value === 'number'
      ? `number ${value}`
      : typeof value === 'string'
        ? 'string'
        : Array.isArray(value)
          ? 'array'
          : typeof value === 'boolean'
            ? 'bool'
            : 'object';
  return { error: `cannot unmarshal ${what} into Go struct field Replica.replicas.count of type int64` };
}

function idsOf(resource: Resource): Array<{ name: string }> {
  return [resIdOf(resource.object), ...resource.previousIds];
}

function gvkString(spec: FieldSpec): string {
  return `${spec.kind || '[noKind]'}.${spec.version || '[noVer]'}.${spec.group || '[noGrp]'}`;
}

export const replicasTransformer: Transformer<ReplicasConfig> = (resources, config, ctx) => {
  const specs = config.pluginFieldSpecs ?? [...REPLICA_FIELD_SPECS, ...(config.fieldSpecs ?? [])];
  const fail = (message: string) =>
    ctx.problems.push({ code: 'replicas', severity: 'error', message, file: config.origin.file, range: config.origin.range });
  for (const entry of config.replicas) {
    const name = typeof entry.name === 'string' ? entry.name : '';
    const parsed = countOf(entry.count);
    if ('error' in parsed) {
      fail(`invalid Kustomization: json: ${parsed.error}`);
      return resources;
    }
    let found = false;
    for (const spec of specs) {
      for (const resource of resources) {
        if (!fieldSpecMatches(spec, resource.object)) continue;
        if (!idsOf(resource).some((id) => id.name === name)) continue;
        found = true;
        visitFieldSpec(resource, spec, (slot) => {
          slot.parent[slot.key] = parsed.count;
          recordOrigin(resource, slot.path, { ...config.origin, step: `replicas[${name}]` });
        });
      }
    }
    if (!found) {
      fail(`resource with name ${name} does not match a config with the following GVK [${specs.map(gvkString).join(' ')}]`);
      return resources;
    }
  }
  return resources;
};
