// A kustomization file as kustomize v5 reads it: the accepted file names, the known fields (unknown ones are
// errors, as with kustomize's strict decoding), and the legacy fields folded into their successors.
import type { FileSystem } from './fs';
import { isObject, setField } from './resource';
import { decodeStrict, KUSTOMIZATION_TYPE } from './kustomizationSchema';
import type { Json, JsonObject, Problem, Range } from './types';
import { parseYamlFileCached, type ParsedDocument, type ParsedFile, type ParseLimits } from './yaml/parse';

/** In the order kustomize tries them; more than one in a folder is an error. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export const KUSTOMIZATION_API_VERSION = 'kustomize.config.k8s.io/v1beta1';
export const COMPONENT_API_VERSION = 'kustomize.config.k8s.io/v1alpha1';

/** Top-level fields of kustomize v5.5's Kustomization type and their shapes, read from the Go types in kustomizationSchema.ts. */
export const KUSTOMIZATION_FIELDS: Record<string, 'string' | 'list' | 'map' | 'any'> = Object.fromEntries(
  Object.entries(KUSTOMIZATION_TYPE.t === 'struct' ? KUSTOMIZATION_TYPE.fields : {}).map(([field, type]) => [
    field,
    type.t === 'string' ? 'string' : type.t === 'list' ? 'list' : type.t === 'map' || type.t === 'struct' ? 'map' : 'any',
  ]),
);

/** Fields kustomize still reads but tells users to migrate away from. */
export const DEPRECATED_FIELDS: Record<string, string> = {
  bases: 'resources',
  imageTags: 'images',
  patchesStrategicMerge: 'patches',
  patchesJson6902: 'patches',
  commonLabels: 'labels',
  vars: 'replacements',
};

export interface Kustomization {
  file: string;
  dir: string;
  kind: 'Kustomization' | 'Component';
  /** The parsed document, for ranges of fields and entries. */
  document: ParsedDocument;
  /** The fields as written, legacy names included (keys normalised to kustomize's spelling). */
  fields: JsonObject;
}

/** Range of a field or an entry of the kustomization (`['resources', 2]`), falling back to the document. */
export function fieldRange(k: Kustomization, path: ReadonlyArray<string | number>): Range | undefined {
  return k.document.locate(path) ?? k.document.range;
}

/**
 * The kustomization's text with these top-level fields (key and value) blanked: spaces in place of every
 * other character, line breaks kept, so that every other field stays where it was. Building it is building
 * the kustomization without those fields, with every origin at its place in the real file.
 */
export function blankFields(text: string, k: Kustomization, fields: readonly string[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (p: Range['start']) => Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const spans: Array<[number, number]> = [];
  for (const field of fields) {
    if (k.fields[field] === undefined) continue;
    const key = k.document.locate([field], { key: true });
    const value = k.document.locate([field]);
    if (key) spans.push([offset(key.start), offset((value ?? key).end)]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ');
    at = end;
  }
  return out + text.slice(at);
}

export type KustomizationFileLookup = { found: 'one'; file: string } | { found: 'none' } | { found: 'many'; files: string[] };

export function findKustomizationFile(fs: FileSystem, dir: string): KustomizationFileLookup {
  const files = KUSTOMIZATION_FILE_NAMES.map((n) => joinPath(dir, n)).filter((f) => fs.kind(f) === 'file');
  if (files.length === 0) return { found: 'none' };
  if (files.length > 1) return { found: 'many', files };
  return { found: 'one', file: files[0] };
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : dir + '/' + name;
}

/**
 * Reads and validates a kustomization file. Problems are kustomize's load errors: invalid YAML, unknown
 * field, a field of the wrong shape, wrong kind or apiVersion, an empty file.
 */
type ReadKustomization = { kustomization?: Kustomization; problems: Problem[] };

// Keyed by the cached parse, which stands for this file with this text: every render reads every
// kustomization again, and decoding them is the same work each time. The Kustomization is shared
// as the parsed document already is, so nobody may change it.
const decodedKustomizations = new WeakMap<ParsedFile, ReadKustomization>();

export function readKustomization(file: string, text: string, parseLimits?: Partial<ParseLimits>): ReadKustomization {
  const parsed = parseYamlFileCached(file, text, parseLimits, { dialect: 'kustomization' });
  let decoded = decodedKustomizations.get(parsed);
  if (!decoded) {
    decoded = decodeKustomization(file, parsed);
    decodedKustomizations.set(parsed, decoded);
  }
  return { kustomization: decoded.kustomization, problems: decoded.problems.slice() };
}

function decodeKustomization(file: string, parsed: ParsedFile): ReadKustomization {
  const problems: Problem[] = [...parsed.problems];
  if (problems.some((p) => p.severity === 'error')) return { problems };
  const dir = file.slice(0, file.lastIndexOf('/')) || '/';
  const docs = parsed.documents.filter((d) => d.value !== null);
  const document = docs[0] ?? parsed.documents[0];
  if (docs.length > 1) {
    problems.push({
      code: 'invalid-kustomization',
      severity: 'error',
      message: 'a kustomization file holds one YAML document; this one has several',
      file,
      range: docs[1].range,
    });
    return { problems };
  }
  const value: Json = document ? document.value : null;
  if (value === null || (isObject(value) && Object.keys(value).length === 0)) {
    problems.push({
      code: 'empty-kustomization',
      severity: 'error',
      message: 'kustomization.yaml is empty',
      file,
      range: document?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    return { problems };
  }
  if (!isObject(value)) {
    problems.push({
      code: 'invalid-kustomization',
      severity: 'error',
      message: 'invalid Kustomization: the file must hold a map of fields',
      file,
      range: document.range,
    });
    return { problems };
  }

  const { errors, canonical } = decodeStrict(value);
  for (const e of errors) {
    problems.push({
      code: e.message.startsWith('json: unknown field') ? 'unknown-field' : 'invalid-kustomization',
      severity: 'error',
      message: `invalid Kustomization: ${e.message}`,
      file,
      range: document.locate(e.path, { key: e.atKey }) ?? document.range,
    });
  }
  if (problems.length > 0) return { problems };
  const fields: JsonObject = {};
  for (const [key, v] of Object.entries(canonical as JsonObject)) if (v !== null) setField(fields, key, v);
  // kustomize compares with an empty Kustomization that keeps only apiVersion and kind.
  if (Object.keys(fields).every((key) => key === 'apiVersion' || key === 'kind')) {
    problems.push({ code: 'empty-kustomization', severity: 'error', message: 'kustomization.yaml is empty', file, range: document.range });
    return { problems };
  }

  const kindValue = typeof fields.kind === 'string' && fields.kind !== '' ? fields.kind : 'Kustomization';
  if (kindValue !== 'Kustomization' && kindValue !== 'Component') {
    problems.push({
      code: 'invalid-kustomization',
      severity: 'error',
      message: `Failed to read kustomization file under ${dir}: kind should be Kustomization or Component`,
      file,
      range: document.locate(['kind']),
    });
    return { problems };
  }
  const requiredVersion = kindValue === 'Component' ? COMPONENT_API_VERSION : KUSTOMIZATION_API_VERSION;
  if (typeof fields.apiVersion === 'string' && fields.apiVersion !== '' && fields.apiVersion !== requiredVersion) {
    problems.push({
      code: 'invalid-kustomization',
      severity: 'error',
      message: `Failed to read kustomization file under ${dir}: apiVersion for ${kindValue} should be ${requiredVersion}`,
      file,
      range: document.locate(['apiVersion']),
    });
    return { problems };
  }
  return { kustomization: { file, dir, kind: kindValue, document, fields }, problems };
}

/** A list field's entries with their index, skipping nulls. */
export function listField(k: Kustomization, name: string): Array<{ value: Json; index: number }> {
  const v = k.fields[name];
  if (!Array.isArray(v)) return [];
  return v.map((value, index) => ({ value, index })).filter((e) => e.value !== null);
}

/** A map field of strings (labels, annotations): values rendered as kustomize's map[string]string decoding does. */
/** The scalar entries of a map as strings; nested maps, lists and nulls are left out. */
export function stringRecord(o: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && !isObject(v) && !Array.isArray(v)) setField(out, k, String(v));
  return out;
}

export function stringMapField(k: Kustomization, name: string): Record<string, string> | undefined {
  const v = k.fields[name];
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, val] of Object.entries(v)) setField(out, key, val === null ? '' : typeof val === 'string' ? val : String(val));
  return out;
}
