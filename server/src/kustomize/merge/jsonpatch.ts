// JSON 6902 patches with the exact behaviour kustomize v5.5 gets from evanphx/json-patch v4:
// a missing map key reads as null (so `copy` from it copies null and `replace` of it adds it),
// the first path segment is always dropped (`spec/x` means `/x`), `-` appends, negative
// indices count from the end, and error messages are worded like the library's.
//
// Patch text that does not start with `[` is read as YAML 1.1 (sigs.k8s.io/yaml uses yaml.v2),
// so `yes`/`on`/`y` are booleans and `0777` is octal there, unlike in resources.
import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { deepCopy, isObject, setField } from '../resource';
import type { Json, JsonObject, Range } from '../types';

export interface JsonPatchOperation {
  /** The `op` field when it is a string; kustomize calls anything else `unknown`. */
  op: string;
  /** Undefined when the field is absent or not a string. */
  path?: string;
  from?: string;
  /** Undefined when the operation has no `value` (kustomize then adds null). */
  value?: Json;
  /** Where the operation is in the patch text (0-based, relative to the text). */
  range?: Range;
  /** Where the operation's `value` is, when it has one. */
  valueRange?: Range;
}

export interface JsonPatchParse {
  /** The operations, when the text is a JSON 6902 patch (possibly empty: `[]` or an empty document). */
  operations?: JsonPatchOperation[];
  /** Why the text is not a JSON 6902 patch. */
  error?: string;
  /** Range of the first document in the text. */
  range?: Range;
  /** The text as kustomize hands it to the JSON decoder (YAML converted to compact JSON), for messages. */
  decoderInput?: string;
}

/**
 * Reads patch text as kustomize does: a list of operation maps in the first YAML document. Each
 * item must be a map (or null, which later fails as `Unexpected kind: unknown`).
 */
const parsedPatches = new Map<string, JsonPatchParse>();
const PARSED_PATCHES_KEPT = 2048;

/**
 * parseJsonPatch with a content-keyed cache: every patch is classified (strategic or JSON) on every render,
 * and most patch texts never change between renders. Results are shared: callers never mutate them.
 */
export function parseJsonPatchCached(text: string): JsonPatchParse {
  let hit = parsedPatches.get(text);
  if (hit) return hit;
  hit = parseJsonPatch(text);
  parsedPatches.set(text, hit);
  if (parsedPatches.size > PARSED_PATCHES_KEPT) parsedPatches.delete(parsedPatches.keys().next().value as string);
  return hit;
}

export function parseJsonPatch(text: string): JsonPatchParse {
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { version: '1.1', lineCounter, intAsBigInt: true, uniqueKeys: false });
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  const list = Array.isArray(docs) ? docs : [];
  const first = list[0];
  if (!first) return { operations: [] };
  const toRange = (r: [number, number, number] | undefined | null): Range | undefined => {
    if (!r) return undefined;
    const s = lineCounter.linePos(r[0]);
    const e = lineCounter.linePos(r[1]);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  const range = toRange(first.range);
  if (first.errors.length > 0) return { error: first.errors[0].message.split('\n')[0], range };
  const contents = first.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { operations: [], range };
  if (!isSeq(contents)) {
    const value = toJson(contents as YamlNode, 0);
    const decoderInput = text.startsWith('[') ? text : goJson(value);
    const what = isObject(value) ? 'object' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : 'number';
    return { error: `json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`, range, decoderInput };
  }
  const operations: JsonPatchOperation[] = [];
  for (const item of contents.items) {
    const node = item as YamlNode | null;
    if (node === null || (isScalar(node) && node.value === null)) {
      operations.push({ op: 'unknown', range: toRange(node?.range) });
      continue;
    }
    if (!isMap(node)) return { error: 'json: cannot unmarshal non-object into Go value of type jsonpatch.Operation', range };
    const fields = new Map<string, YamlNode | null>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      fields.set(key, (pair.value as YamlNode | null) ?? null);
    }
    const stringField = (name: string): string | undefined => {
      const v = fields.get(name);
      return v && isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
    };
    const op: JsonPatchOperation = { op: stringField('op') ?? 'unknown', range: toRange(node.range) };
    const path = stringField('path');
    if (path !== undefined) op.path = path;
    const from = stringField('from');
    if (from !== undefined) op.from = from;
    if (fields.has('value')) {
      const v = fields.get('value') ?? null;
      // A JSON null decodes to a nil value in the library: the same as no value at all.
      const value = v === null ? null : toJson(v, 0);
      if (value !== null) {
        op.value = value;
        op.valueRange = toRange(v?.range);
      }
    }
    operations.push(op);
  }
  return { operations, range };
}

const maxDepth = 1000;

/** Converts a YAML 1.1 node to JSON the way yaml.v2 + encoding/json would. */
function toJson(node: YamlNode | null, depth: number): Json {
  if (node === null || depth > maxDepth) return null;
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return null;
    // yaml.v2 knows no sexagesimal numbers: `1:20` stays a string.
    if ((typeof v === 'number' || typeof v === 'bigint') && typeof node.source === 'string' && node.source.includes(':'))
      return node.source;
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
    // Timestamps and binary stay as their text, as yaml.v2 leaves them when decoding into interface{}.
    return typeof node.source === 'string' ? node.source : String(v);
  }
  if (isSeq(node)) return node.items.map((item) => toJson(item as YamlNode | null, depth + 1));
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      setField(out, key, toJson(pair.value as YamlNode | null, depth + 1));
    }
    return out;
  }
  return null;
}

/** encoding/json's rendering of a decoded YAML value: compact, map keys sorted. */
function goJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJson(value[k])}`)
      .join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

/** Go's `strings.NewReplacer("~1", "/", "~0", "~")`: one left-to-right pass. */
export function decodePointerSegment(segment: string): string {
  return segment.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

type Container = JsonObject | Json[];

class PatchError extends Error {}

function isContainer(v: Json | undefined): v is Container {
  return Array.isArray(v) || isObject(v);
}

/** Go's strconv.Atoi, with its error text. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchError(`strconv.Atoi: parsing "${key}": invalid syntax`);
  const n = Number(key);
  if (!Number.isSafeInteger(n)) throw new PatchError(`strconv.Atoi: parsing "${key}": value out of range`);
  return n;
}

const invalidIndex = (i: number) => new PatchError(`Unable to access invalid index: ${i}: invalid index referenced`);

/** The container holding the value at `path`, and the key in it; undefined when the path does not lead anywhere. */
function findContainer(doc: Container, path: string): { container: Container; key: string; trail: Array<string | number> } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  const parts = split.slice(1, -1);
  let current: Container = doc;
  const trail: Array<string | number> = [];
  for (const raw of parts) {
    const part = decodePointerSegment(raw);
    let next: Json | undefined;
    if (Array.isArray(current)) {
      let idx: number;
      try {
        idx = getIndex(current, part);
      } catch {
        return undefined;
      }
      next = current[idx];
      trail.push(idx);
    } else {
      next = Object.prototype.hasOwnProperty.call(current, part) ? current[part] : undefined;
      trail.push(part);
    }
    if (!isContainer(next)) return undefined;
    current = next;
  }
  return { container: current, key: decodePointerSegment(split[split.length - 1]), trail };
}

function getIndex(list: Json[], key: string): number {
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -list.length) throw invalidIndex(idx);
    idx += list.length;
  }
  if (idx >= list.length) throw invalidIndex(idx);
  return idx;
}

/** The value at key (null for a missing map key, as the library reads it). */
function getValue(c: Container, key: string): Json {
  if (Array.isArray(c)) return c[getIndex(c, key)];
  return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : null;
}

/** Adds the value; returns the key it ended up at. */
function addValue(c: Container, key: string, value: Json): string | number {
  if (!Array.isArray(c)) {
    setField(c, key, value);
    return key;
  }
  if (key === '-') {
    c.push(value);
    return c.length - 1;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new PatchError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = c.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.splice(idx, 0, value);
  return idx;
}

function setValue(c: Container, key: string, value: Json): string | number {
  if (!Array.isArray(c)) {
    setField(c, key, value);
    return key;
  }
  const idx = getIndex(c, key);
  c[idx] = value;
  return idx;
}

function removeValue(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!Object.prototype.hasOwnProperty.call(c, key)) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete c[key];
    return;
  }
  const idx = getIndex(c, key);
  c.splice(idx, 1);
}

/** JSON equality as the library tests it (objects by content, key order ignored). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  return a === b;
}

export interface JsonPatchFailure {
  message: string;
  /** Index of the operation that failed. */
  index: number;
}

export interface JsonPatchOutcome {
  /** The patched document (a new value; the input is not changed), when every operation applied. */
  result?: Json;
  failure?: JsonPatchFailure;
}

/**
 * Applies the operations in order. `onSet` is told each path (resolved: list indices as numbers,
 * `-` as the index it appended at) where an operation put a value.
 */
export function applyJsonPatch(
  doc: Json,
  operations: readonly JsonPatchOperation[],
  onSet?: (path: Array<string | number>, operationIndex: number) => void,
): JsonPatchOutcome {
  if (!isContainer(doc)) return { failure: { message: 'document is not an object or a list', index: 0 } };
  const root: { doc: Container } = { doc: deepCopy(doc) };
  for (let i = 0; i < operations.length; i++) {
    try {
      const set = applyOne(root, operations[i]);
      if (set && onSet) onSet(set, i);
    } catch (e) {
      if (e instanceof PatchError) return { failure: { message: e.message, index: i } };
      throw e;
    }
  }
  return { result: root.doc };
}

function applyOne(root: { doc: Container }, op: JsonPatchOperation): Array<string | number> | undefined {
  const value = op.value === undefined ? null : deepCopy(op.value);
  switch (op.op) {
    case 'add': {
      if (op.path === undefined) throw new PatchError('add operation failed to decode path: missing value');
      const at = findContainer(root.doc, op.path);
      if (!at) throw new PatchError(`add operation does not apply: doc is missing path: "${op.path}": missing value`);
      try {
        return [...at.trail, addValue(at.container, at.key, value)];
      } catch (e) {
        throw new PatchError(`error in add for path: '${op.path}': ${(e as Error).message}`);
      }
    }
    case 'remove': {
      if (op.path === undefined)
        throw new PatchError('remove operation failed to decode path: operation missing path field: missing value');
      const at = findContainer(root.doc, op.path);
      if (!at) throw new PatchError(`remove operation does not apply: doc is missing path: "${op.path}": missing value`);
      try {
        removeValue(at.container, at.key);
      } catch (e) {
        throw new PatchError(`error in remove for path: '${op.path}': ${(e as Error).message}`);
      }
      return undefined;
    }
    case 'replace': {
      if (op.path === undefined)
        throw new PatchError('replace operation failed to decode path: operation missing path field: missing value');
      if (op.path === '') {
        if (!isContainer(value)) throw new PatchError('replace operation value must be object or array');
        root.doc = value;
        return [];
      }
      const at = findContainer(root.doc, op.path);
      if (!at) throw new PatchError(`replace operation does not apply: doc is missing path: ${op.path}: missing value`);
      try {
        getValue(at.container, at.key);
      } catch {
        throw new PatchError(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
      }
      try {
        return [...at.trail, setValue(at.container, at.key, value)];
      } catch (e) {
        throw new PatchError(`error in remove for path: '${op.path}': ${(e as Error).message}`);
      }
    }
    case 'move': {
      if (op.from === undefined) throw new PatchError('move operation failed to decode from: operation, missing from field: missing value');
      const source = findContainer(root.doc, op.from);
      if (!source) throw new PatchError(`move operation does not apply: doc is missing from path: ${op.from}: missing value`);
      let moved: Json;
      try {
        moved = getValue(source.container, source.key);
        removeValue(source.container, source.key);
      } catch (e) {
        throw new PatchError(`error in move for path: '${source.key}': ${(e as Error).message}`);
      }
      if (op.path === undefined) throw new PatchError('move operation failed to decode path: operation missing path field: missing value');
      const at = findContainer(root.doc, op.path);
      if (!at) throw new PatchError(`move operation does not apply: doc is missing destination path: ${op.path}: missing value`);
      try {
        return [...at.trail, addValue(at.container, at.key, moved)];
      } catch (e) {
        throw new PatchError(`error in move for path: '${op.path}': ${(e as Error).message}`);
      }
    }
    case 'copy': {
      if (op.from === undefined) throw new PatchError('copy operation failed to decode from: operation, missing from field: missing value');
      const source = findContainer(root.doc, op.from);
      if (!source) throw new PatchError(`copy operation does not apply: doc is missing from path: ${op.from}: missing value`);
      let copied: Json;
      try {
        copied = deepCopy(getValue(source.container, source.key));
      } catch (e) {
        throw new PatchError(`error in copy for from: '${op.from}': ${(e as Error).message}`);
      }
      if (op.path === undefined) throw new PatchError('copy operation failed to decode path: missing value');
      const at = findContainer(root.doc, op.path);
      if (!at) throw new PatchError(`copy operation does not apply: doc is missing destination path: ${op.path}: missing value`);
      try {
        return [...at.trail, addValue(at.container, at.key, copied)];
      } catch (e) {
        throw new PatchError(`error while adding value during copy: ${(e as Error).message}`);
      }
    }
    case 'test': {
      if (op.path === undefined) throw new PatchError('test operation failed to decode path: operation missing path field: missing value');
      const failed = () => new PatchError(`testing value ${op.path} failed: test failed`);
      if (op.path === '') {
        if (op.value === undefined || !jsonEqual(root.doc, op.value)) throw failed();
        return undefined;
      }
      const at = findContainer(root.doc, op.path);
      if (!at) throw new PatchError(`test operation does not apply: is missing path: ${op.path}: missing value`);
      let actual: Json;
      try {
        actual = getValue(at.container, at.key);
      } catch (e) {
        throw new PatchError(`error in test for path: '${op.path}': ${(e as Error).message}`);
      }
      // A null or missing value only equals a null or missing expectation.
      if (actual === null) {
        if (op.value === undefined) return undefined;
        throw failed();
      }
      if (op.value === undefined || !jsonEqual(actual, op.value)) throw failed();
      return undefined;
    }
    default:
      throw new PatchError(`Unexpected kind: ${op.op}`);
  }
}
