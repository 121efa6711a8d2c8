// What the engine asks about Flux's API: is this apiVersion/kind Flux's, is the version served,
// which kinds may a reference name, which fields exist under a path. All answers come from the data
// derived from Flux's CRDs (fluxApi.generated.ts), so a new Flux release changes data, not code.
import { isObject, splitApiVersion } from '../../kustomize/resource';
import type { Json } from '../../kustomize/types';
import { FLUX_API_KINDS, FLUX_RELEASE } from './fluxApi.generated';
import type { FieldSchema, FluxApiKind, RemovedFluxApiVersion } from './types';

export type { FieldSchema, FluxApiKind, FluxApiVersion, RemovedFluxApiVersion } from './types';
export { FLUX_RELEASE };
export type { FluxApiKindName } from './fluxApi.generated';

/** One Flux kind at one apiVersion as written in an object. */
export interface FluxKindAtVersion {
  group: string;
  kind: string;
  version: string;
  /** Whether the newest Flux release derived from serves this version. */
  served: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  storageVersion: string;
  /** The newest served version: what to write instead of an unserved or deprecated one. */
  preferredVersion: string;
  /** Set when an older Flux release served this version and the newest no longer does. */
  removed?: RemovedFluxApiVersion;
}

// Kind names are unique across Flux's groups (the derive script refuses data where they are not).
const byKind = new Map<string, FluxApiKind>(FLUX_API_KINDS.map((k) => [k.kind, k]));

/** Every Flux kind, as derived from the CRDs. */
export function fluxApiKinds(): readonly FluxApiKind[] {
  return FLUX_API_KINDS;
}

/** The Flux kind of this group and kind name; undefined when Flux defines no such kind. */
export function fluxApiKind(group: string, kind: string): FluxApiKind | undefined {
  const api = byKind.get(kind);
  return api?.group === group ? api : undefined;
}

/** The Flux kinds in one API group, e.g. `source.toolkit.fluxcd.io`. */
export function fluxKindsOfGroup(group: string): readonly FluxApiKind[] {
  return FLUX_API_KINDS.filter((k) => k.group === group);
}

/**
 * Whether apiVersion/kind is a Flux kind, and how Flux treats the version written. Undefined when the
 * group and kind are not Flux's (a kustomize `Kustomization`, a ConfigMap); a Flux kind at a version
 * Flux never served comes back with `served: false` and no `removed`.
 */
export function fluxKind(apiVersion: string, kind: string): FluxKindAtVersion | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const api = fluxApiKind(group, kind);
  if (!api) return undefined;
  const at = api.versions.find((v) => v.name === version);
  const removed = at ? undefined : api.removedVersions.find((r) => r.version === version);
  const deprecationWarning = at?.deprecationWarning ?? removed?.deprecationWarning;
  return {
    group,
    kind,
    version,
    served: at !== undefined,
    deprecated: at?.deprecated ?? removed !== undefined,
    ...(deprecationWarning ? { deprecationWarning } : {}),
    storageVersion: api.storageVersion,
    preferredVersion: api.versions[0].name,
    ...(removed ? { removed } : {}),
  };
}

function schemaOfVersion(kind: string, version: string): FieldSchema | undefined {
  const v = byKind.get(kind)?.versions.find((x) => x.name === version);
  // Only spec is derived; the rest of the object is the API server's business, not an unknown field.
  if (v)
    return {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { freeForm: true },
        spec: v.spec,
        status: { freeForm: true },
      },
    };
  return undefined;
}

/**
 * The schema at `path` in an object of this kind and served version, e.g. ['spec', 'sourceRef', 'kind'];
 * numbers step into list items, any key steps into a map's values. Inside a free-form subtree the
 * answer is the free-form schema itself. Undefined when the path leaves the schema (an unknown field)
 * or the kind/version is not served.
 */
export function fieldSchemaAt(kind: string, version: string, path: ReadonlyArray<string | number>): FieldSchema | undefined {
  let schema = schemaOfVersion(kind, version);
  for (const segment of path) {
    if (!schema || schema.freeForm) return schema;
    if (typeof segment === 'number') schema = schema.items;
    else schema = schema.properties?.[segment] ?? schema.mapOf;
  }
  return schema;
}

/** The values the CRD allows at `path` (e.g. the kinds a sourceRef may name); undefined when it lists none. */
export function enumAt(kind: string, version: string, path: ReadonlyArray<string | number>): readonly string[] | undefined {
  const values = fieldSchemaAt(kind, version, path)?.enum;
  return values?.filter((v): v is string => typeof v === 'string');
}

/**
 * The field names the CRD defines for the mapping at `path`; undefined when any name is allowed
 * there (a free-form subtree or a map such as labels) or the path is not in the schema.
 */
export function knownFields(kind: string, version: string, path: ReadonlyArray<string | number>): readonly string[] | undefined {
  const schema = fieldSchemaAt(kind, version, path);
  if (!schema || schema.freeForm || schema.mapOf || !schema.properties) return undefined;
  return Object.keys(schema.properties);
}

/**
 * The paths of fields in `value` (the object's content at `path`) that the CRD does not define: the
 * API server prunes them silently, so what was written never reaches the controller.
 */
export function unknownFields(
  kind: string,
  version: string,
  value: Json,
  path: ReadonlyArray<string | number> = [],
): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const walk = (node: Json, at: Array<string | number>, schema: FieldSchema | undefined) => {
    if (!schema || schema.freeForm) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...at, i], schema.items));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      const childSchema = schema.properties?.[key] ?? schema.mapOf;
      if (childSchema) walk(child, [...at, key], childSchema);
      else if (schema.properties) out.push([...at, key]);
    }
  };
  walk(value, [...path], fieldSchemaAt(kind, version, path));
  return out;
}
