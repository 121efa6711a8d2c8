// The Go types kustomize decodes a kustomization file into, as data. kustomize converts the YAML to
// JSON and decodes it strictly into these structs, so a number where a string belongs (`newTag: 7`), a
// YAML 1.1 boolean as a label value (`x: y`) or an unknown key anywhere is an error, with Go's wording.
import { isObject, setField } from './resource';
import type { Json } from './types';

export type GoType =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'int64' }
  | { t: 'any' }
  | { t: 'map'; value: GoType }
  | { t: 'list'; item: GoType }
  | { t: 'struct'; name: string; fields: Record<string, GoType> };

const string: GoType = { t: 'string' };
const bool: GoType = { t: 'bool' };
const int64: GoType = { t: 'int64' };
const any: GoType = { t: 'any' };
const list = (item: GoType): GoType => ({ t: 'list', item });
const map = (value: GoType): GoType => ({ t: 'map', value });
const struct = (name: string, fields: Record<string, GoType>): GoType => ({ t: 'struct', name, fields });

const stringMap = map(string);
const strings = list(string);

const fieldSpec = struct('FieldSpec', { group: string, version: string, kind: string, path: string, create: bool });
const selectorFields = { group: string, version: string, kind: string, name: string, namespace: string };
const selector = struct('Selector', { ...selectorFields, labelSelector: string, annotationSelector: string });
const patch = struct('Patch', { path: string, patch: string, target: selector, options: map(bool) });
const image = struct('Image', { name: string, newName: string, tagSuffix: string, newTag: string, digest: string });
const fieldOptions = struct('FieldOptions', { delimiter: string, index: int64, encoding: string, create: bool });
const replacementField = struct('ReplacementField', {
  path: string,
  source: struct('SourceSelector', { ...selectorFields, fieldPath: string, options: fieldOptions }),
  targets: list(struct('TargetSelector', { select: selector, reject: list(selector), fieldPaths: strings, options: fieldOptions })),
});
const generatorOptions = struct('GeneratorOptions', {
  labels: stringMap,
  annotations: stringMap,
  disableNameSuffixHash: bool,
  immutable: bool,
});
const generatorArgs = {
  namespace: string,
  name: string,
  behavior: string,
  literals: strings,
  files: strings,
  envs: strings,
  env: string,
  options: generatorOptions,
};

export const KUSTOMIZATION_TYPE: GoType = struct('Kustomization', {
  apiVersion: string,
  kind: string,
  metadata: struct('ObjectMeta', { name: string, namespace: string, labels: stringMap, annotations: stringMap }),
  openapi: stringMap,
  namePrefix: string,
  nameSuffix: string,
  namespace: string,
  commonLabels: stringMap,
  labels: list(struct('Label', { pairs: stringMap, includeSelectors: bool, includeTemplates: bool, fields: list(fieldSpec) })),
  commonAnnotations: stringMap,
  patchesStrategicMerge: strings,
  patchesJson6902: list(patch),
  patches: list(patch),
  images: list(image),
  imageTags: list(image),
  replacements: list(replacementField),
  replicas: list(struct('Replica', { name: string, count: int64 })),
  vars: list(
    struct('Var', {
      name: string,
      objref: struct('Target', { group: string, version: string, kind: string, apiVersion: string, name: string, namespace: string }),
      fieldref: struct('FieldSelector', { fieldPath: string }),
    }),
  ),
  sortOptions: struct('SortOptions', {
    order: string,
    legacySortOptions: struct('LegacySortOptions', { orderFirst: strings, orderLast: strings }),
  }),
  resources: strings,
  components: strings,
  crds: strings,
  bases: strings,
  configMapGenerator: list(struct('ConfigMapArgs', generatorArgs)),
  secretGenerator: list(struct('SecretArgs', { ...generatorArgs, type: string })),
  helmGlobals: any,
  helmCharts: any,
  helmChartInflationGenerator: any,
  generatorOptions,
  configurations: strings,
  generators: strings,
  transformers: strings,
  validators: strings,
  buildMetadata: strings,
});

export interface DecodeError {
  /** Path of the offending value in the document (keys and indexes), for its range. */
  path: Array<string | number>;
  /** When the key itself is the problem (an unknown field). */
  atKey: boolean;
  message: string;
}

function jsonTypeName(v: Json): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function goTypeName(t: GoType): string {
  switch (t.t) {
    case 'map':
      return `map[string]${goTypeName(t.value)}`;
    case 'list':
      return `[]${goTypeName(t.item)}`;
    case 'struct':
      return `types.${t.name}`;
    case 'any':
      return 'interface {}';
    default:
      return t.t;
  }
}

/** Go's encoding/json matches a key to a field by exact name first, then ignoring case. */
function matchField(fields: Record<string, GoType>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(fields).find((f) => f.toLowerCase() === lower);
}

/**
 * Decodes `value` against `type` as Go's strict JSON decoder would, returning every error (kustomize
 * stops at the first; the editor shows them all). `canonical` receives the value with keys spelled as
 * the Go fields are (case-insensitive matches normalised).
 */
export function decodeStrict(value: Json, type: GoType = KUSTOMIZATION_TYPE): { errors: DecodeError[]; canonical: Json } {
  const errors: DecodeError[] = [];
  const walk = (v: Json, t: GoType, path: Array<string | number>, structName: string, fieldPath: string[]): Json => {
    if (v === null || t.t === 'any') return v;
    const typeError = () => {
      errors.push({
        path,
        atKey: false,
        message: `json: cannot unmarshal ${jsonTypeName(v)} into Go struct field ${[structName, ...fieldPath].join('.')} of type ${goTypeName(t)}`,
      });
      return null;
    };
    switch (t.t) {
      case 'string':
        return typeof v === 'string' ? v : typeError();
      case 'bool':
        return typeof v === 'boolean' ? v : typeError();
      case 'int64':
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'number') {
          errors.push({
            path,
            atKey: false,
            message: `json: cannot unmarshal number ${v} into Go struct field ${[structName, ...fieldPath].join('.')} of type int64`,
          });
          return null;
        }
        return typeError();
      case 'list':
        if (!Array.isArray(v)) return typeError();
        return v.map((item, i) => walk(item, t.item, [...path, i], structName, fieldPath));
      case 'map': {
        if (!isObject(v)) return typeError();
        const out: Record<string, Json> = {};
        for (const [k, item] of Object.entries(v)) setField(out, k, walk(item, t.value, [...path, k], structName, fieldPath));
        return out;
      }
      case 'struct': {
        if (!isObject(v)) return typeError();
        const out: Record<string, Json> = {};
        for (const [k, item] of Object.entries(v)) {
          const field = matchField(t.fields, k);
          if (!field) {
            errors.push({ path: [...path, k], atKey: true, message: `json: unknown field "${k}"` });
            continue;
          }
          out[field] = walk(item, t.fields[field], [...path, k], t.name, [...fieldPath, field]);
        }
        return out;
      }
    }
  };
  const canonical = walk(value, type, [], type.t === 'struct' ? type.name : '', []);
  return { errors, canonical };
}
