// Field specs a kustomization adds to the builtin tables: `configurations:` files (kustomize's
// TransformerConfig YAML) and `crds:` files (OpenAPI definitions whose x-kubernetes-* extensions mark
// name references, labels, annotations and identities). They accumulate up the build like resources do.
import type { NameBackReference } from './builtinFieldSpecs';
import type { FieldSpec } from './fieldspec';
import { isObject } from './resource';
import type { Json } from './types';

export interface CustomFieldSpecs {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
  varReference: FieldSpec[];
  nameReference: NameBackReference[];
}

const LIST_KEYS = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'templateLabels',
  'commonAnnotations',
  'images',
  'replicas',
  'varReference',
] as const;

export function emptyCustomFieldSpecs(): CustomFieldSpecs {
  return {
    namePrefix: [],
    nameSuffix: [],
    namespace: [],
    commonLabels: [],
    templateLabels: [],
    commonAnnotations: [],
    images: [],
    replicas: [],
    varReference: [],
    nameReference: [],
  };
}

function sameSpec(a: FieldSpec, b: FieldSpec): boolean {
  return (
    a.path === b.path && (a.group ?? '') === (b.group ?? '') && (a.version ?? '') === (b.version ?? '') && (a.kind ?? '') === (b.kind ?? '')
  );
}

function mergeSpecList(into: FieldSpec[], more: readonly FieldSpec[]): FieldSpec[] {
  const out = into.slice();
  for (const s of more) if (!out.some((o) => sameSpec(o, s))) out.push(s);
  return out;
}

export function mergeCustomFieldSpecs(a: CustomFieldSpecs, b: CustomFieldSpecs): CustomFieldSpecs {
  const out = emptyCustomFieldSpecs();
  for (const key of LIST_KEYS) out[key] = mergeSpecList(a[key], b[key]);
  const refs = a.nameReference.map((r) => ({ ...r, referrers: r.referrers.slice() }));
  for (const ref of b.nameReference) {
    const same = refs.find(
      (r) => r.kind === ref.kind && (r.group ?? '') === (ref.group ?? '') && (r.version ?? '') === (ref.version ?? ''),
    );
    if (same) same.referrers = mergeSpecList(same.referrers, ref.referrers);
    else refs.push({ ...ref, referrers: ref.referrers.slice() });
  }
  out.nameReference = refs;
  return out;
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function readFieldSpec(v: Json): FieldSpec | undefined {
  if (!isObject(v) || typeof v.path !== 'string') return undefined;
  return { group: str(v.group), version: str(v.version), kind: str(v.kind), path: v.path, create: v.create === true };
}

/** A `configurations:` file: the TransformerConfig YAML kustomize reads (unknown keys are an error, as there). */
export function parseConfigurationFile(value: Json): { specs?: CustomFieldSpecs; error?: string } {
  if (value === null) return { specs: emptyCustomFieldSpecs() };
  if (!isObject(value)) return { error: 'a transformer configuration must be a map of field spec lists' };
  const specs = emptyCustomFieldSpecs();
  for (const [key, list] of Object.entries(value)) {
    if (list === null) continue;
    if (!Array.isArray(list)) return { error: `'${key}' must be a list` };
    if (key === 'nameReference') {
      for (const entry of list) {
        if (!isObject(entry) || typeof entry.kind !== 'string') return { error: 'nameReference entries need a kind' };
        const referrers = (Array.isArray(entry.fieldSpecs) ? entry.fieldSpecs : []).map(readFieldSpec).filter((s): s is FieldSpec => !!s);
        specs.nameReference.push({ group: str(entry.group), version: str(entry.version), kind: entry.kind, referrers });
      }
      continue;
    }
    if (!(LIST_KEYS as readonly string[]).includes(key)) return { error: `json: unknown field "${key}"` };
    for (const entry of list) {
      const spec = readFieldSpec(entry);
      if (!spec) return { error: `'${key}' entries need a path` };
      specs[key as (typeof LIST_KEYS)[number]].push(spec);
    }
  }
  return { specs };
}

/**
 * A `crds:` file: a map of OpenAPI definitions. Definitions that look like Kubernetes types (apiVersion,
 * kind, metadata) are walked through `$ref`s; properties carrying x-kubernetes-object-ref-kind become
 * name references, x-kubernetes-annotation annotation specs, x-kubernetes-label-selector label specs and
 * x-kubernetes-identity name-prefix specs, for the kind named by the definition's last dotted segment.
 */
export function configFromCrdSchemas(value: Json): CustomFieldSpecs {
  const specs = emptyCustomFieldSpecs();
  if (!isObject(value)) return specs;
  const schemaOf = (def: Json | undefined): Json | undefined => {
    if (!isObject(def)) return undefined;
    // OpenAPIDefinition{Schema} is decoded by Go's case-insensitive field matching.
    const key = Object.keys(def).find((k) => k.toLowerCase() === 'schema');
    return key ? def[key] : undefined;
  };
  const propertiesOf = (def: Json | undefined): Record<string, Json> | undefined => {
    const schema = schemaOf(def);
    return isObject(schema) && isObject(schema.properties) ? schema.properties : undefined;
  };
  for (const [typeName, def] of Object.entries(value)) {
    const props = propertiesOf(def);
    if (!props || !('kind' in props) || !('apiVersion' in props) || !('metadata' in props)) continue;
    const kind = typeName.split('.').pop() ?? typeName;
    const visiting = new Set<string>();
    const walk = (name: string, path: string[]): void => {
      if (visiting.has(name) || path.length > 32) return; // recursive schemas must not loop
      visiting.add(name);
      const p = propertiesOf(value[name]);
      if (p) {
        for (const [propName, prop] of Object.entries(p)) {
          if (!isObject(prop)) continue;
          const here = [...path, propName];
          if (typeof prop['x-kubernetes-annotation'] === 'string') specs.commonAnnotations.push({ kind, path: here.join('/') });
          if (typeof prop['x-kubernetes-label-selector'] === 'string') specs.commonLabels.push({ kind, path: here.join('/') });
          if (typeof prop['x-kubernetes-identity'] === 'string') specs.namePrefix.push({ kind, path: here.join('/') });
          const refVersion = str(prop['x-kubernetes-object-ref-api-version']);
          const refKind = str(prop['x-kubernetes-object-ref-kind']);
          if (refVersion !== undefined && refKind !== undefined) {
            const nameKey = str(prop['x-kubernetes-object-ref-name-key']) ?? 'name';
            const merged = mergeCustomFieldSpecs(specs, {
              ...emptyCustomFieldSpecs(),
              nameReference: [{ kind: refKind, version: refVersion, referrers: [{ kind, path: [...here, nameKey].join('/') }] }],
            });
            specs.nameReference = merged.nameReference;
          }
          if (typeof prop.$ref === 'string') walk(prop.$ref, here);
        }
      }
      visiting.delete(name);
    };
    walk(typeName, []);
  }
  return specs;
}
