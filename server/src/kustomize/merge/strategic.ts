// Strategic merge patch with the semantics of kustomize v5.5 (kyaml's merge2 walker driven by the
// patchstrategicmerge filter), including its quirks, because the rendered output must match
// `kubectl kustomize` byte for byte:
// - elements the patch lists come first, in patch order, then the target's other elements;
// - lists with several merge keys (ports) move the target's elements after the patch's new ones;
// - `$setElementOrder`, `$retainKeys`, `$deleteFromPrimitiveList` are not understood: kept as fields;
// - lists without a `merge` strategy in the v1.21.2 schema (and every list of a CRD) are replaced;
// - merging any associative list also drops its null/empty elements and collapses duplicates;
// - a top-level `$patch: replace` leaves the target unchanged (kustomize keeps the node it merged into);
// - an explicit `null` in the target that the patch does not mention survives (kustomize drops an
//   empty `key:` but keeps `key: null`; once parsed both are null here, so both survive).
import { deepCopy, isObject, setField, splitApiVersion } from '../resource';
import type { Json, JsonObject } from '../types';
import { elementSchema, fieldSchema, isMergeStrategy, listStrategyOf, mergeKeysOf, schemaForKind, type SchemaNode } from './schema';
import { describeKind, nodeText, scalarText } from './node-text';

export interface MergeOutcome {
  /** null when the patch deletes the whole object. */
  result: JsonObject | null;
  problems: string[];
}

export interface MergeOptions {
  /** kustomize's `options.allowNameChange`: keep the patch's metadata.name. */
  allowNameChange?: boolean;
  /** kustomize's `options.allowKindChange`: keep the patch's kind. */
  allowKindChange?: boolean;
  /** Merge into `target` itself instead of a copy (the caller owns it and drops it if the merge fails). */
  inPlace?: boolean;
}

type PatchPath = Array<string | number>;
type OnSet = (targetPath: Array<string | number>, patchPath: PatchPath) => void;

/** Thrown inside this module only, turned into a problem by `strategicMerge`. */
class MergeError extends Error {}

// Deeper than any real manifest; a bound so that hostile input cannot exhaust the stack.
const MAX_DEPTH = 200;

interface Walk {
  /** Where each object/array of the (copied) patch sits in the patch. */
  patchPaths: WeakMap<object, PatchPath>;
  /** Scalar fields a patch set, per target map: key -> patch path. */
  scalarMarks: WeakMap<JsonObject, Map<string, PatchPath>>;
  /** Scalars a patch added to a merged list of scalars, per list: value text -> patch path. */
  itemMarks: WeakMap<Json[], Map<string, PatchPath>>;
  /** Maps and lists of the result the patch had something for: only these can hold what it set. */
  touched: Set<object>;
}

type Node = Json | undefined;

const isMissingOrNull = (n: Node): n is null | undefined => n === undefined || n === null;
const isEmptyMap = (n: Node): boolean => isObject(n) && Object.keys(n).length === 0;

type NodeKind = 'map' | 'seq' | 'scalar';
function kindOf(n: Json): NodeKind {
  if (Array.isArray(n)) return 'seq';
  if (isObject(n)) return 'map';
  return 'scalar';
}

/**
 * Applies a strategic merge patch to `target` (not mutated) the way kustomize's patchstrategicmerge
 * filter does. `onSet(targetPath, patchPath)` is called for the top-most paths whose value the patch
 * set/replaced/appended, with the path of that value inside the patch (targetPath is one array reused
 * along the walk: copy it to keep it). `gvk` picks the schema.
 */
export function strategicMerge(
  target: JsonObject,
  patch: JsonObject,
  gvk: { group: string; version: string; kind: string },
  onSet?: OnSet,
  options: MergeOptions = {},
): MergeOutcome {
  const targetMeta = isObject(target.metadata) ? target.metadata : {};
  const identity = { kind: target.kind, name: targetMeta.name, namespace: targetMeta.namespace };
  const dest = options.inPlace ? target : deepCopy(target);
  const walk: Walk = { patchPaths: new WeakMap(), scalarMarks: new WeakMap(), itemMarks: new WeakMap(), touched: new Set() };
  const origin = copyPatch(patch, [], walk.patchPaths, 0) as JsonObject;
  // kustomize gives the patch the target's apiVersion (and kind, unless it may change) before merging.
  delete origin.apiVersion;
  if (!options.allowKindChange) delete origin.kind;

  let merged: Node;
  try {
    merged = walkNode(dest, origin, schemaForKind(gvk), walk, 0);
  } catch (e) {
    if (e instanceof MergeError) return { result: options.inPlace ? target : deepCopy(target), problems: [e.message] };
    throw e;
  }
  if (!isObject(merged) || Object.keys(merged).length === 0) return { result: null, problems: [] };
  // kustomize keeps the target node it merged into; a top-level `$patch: replace` builds a new node
  // that is dropped, leaving the target as it was (the walk did not enter it).
  if (merged !== dest) return { result: options.inPlace ? target : deepCopy(target), problems: [] };

  restoreIdentity(merged, identity, options);
  if (onSet) reportOrigins(merged, [], walk, onSet, 0);
  return { result: merged, problems: [] };
}

/**
 * A copy of the patch (the merge consumes its directives and moves its values into the result), noting
 * where each of its maps and lists sits in the patch. Past MAX_DEPTH values are copied without notes:
 * the walk refuses that depth anyway.
 */
function copyPatch(node: Json, path: PatchPath, out: WeakMap<object, PatchPath>, depth: number): Json {
  if (depth > MAX_DEPTH) return deepCopy(node);
  if (Array.isArray(node)) {
    const copy: Json[] = new Array(node.length);
    out.set(copy, path);
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      copy[i] = typeof item === 'object' && item !== null ? copyPatch(item, [...path, i], out, depth + 1) : item;
    }
    return copy;
  }
  if (isObject(node)) {
    const copy: JsonObject = {};
    out.set(copy, path);
    for (const k of Object.keys(node)) {
      const value = node[k];
      const copied = typeof value === 'object' && value !== null ? copyPatch(value, [...path, k], out, depth + 1) : value;
      if (k === '__proto__') setField(copy, k, copied);
      else copy[k] = copied;
    }
    return copy;
  }
  return node;
}

/** kustomize restores the target's kind, name and namespace after the merge (ApplySmPatch). */
function restoreIdentity(
  merged: JsonObject,
  target: { kind: Json | undefined; name: Json | undefined; namespace: Json | undefined },
  options: MergeOptions,
): void {
  if (!options.allowKindChange) {
    if (target.kind === undefined) delete merged.kind;
    else merged.kind = target.kind;
  }
  const restore = (key: 'name' | 'namespace'): void => {
    const value = target[key];
    const hasValue = typeof value === 'string' && value !== '';
    if (!isObject(merged.metadata)) {
      if (!hasValue) return;
      merged.metadata = {};
    }
    const meta = merged.metadata as JsonObject;
    if (hasValue) meta[key] = value;
    else delete meta[key];
  };
  if (!options.allowNameChange) restore('name');
  restore('namespace');
}

// ---------------------------------------------------------------------------------------------
// The walker: sources are (dest, origin) = (target value, patch value), either possibly missing.

function walkNode(dest: Node, origin: Node, schema: SchemaNode | undefined, walk: Walk, depth: number): Node {
  if (depth > MAX_DEPTH) throw new MergeError(`strategic merge patch nested deeper than ${MAX_DEPTH} levels`);
  if (origin === undefined && dest !== undefined && dest !== null) return walkTargetOnly(dest, schema, walk, depth);
  schema = schema ?? schemaFromTypeMeta(dest) ?? schemaFromTypeMeta(origin);
  const first = !isMissingOrNull(dest) ? dest : !isMissingOrNull(origin) ? origin : undefined;
  if (first === undefined) return walkMap(dest, origin, schema, walk, depth);
  const kind = kindOf(first);
  for (const source of [dest, origin]) {
    if (isMissingOrNull(source) || kindOf(source) === kind) continue;
    throw new MergeError(
      `wrong node kind: expected ${describeKind(kind)} but got ${describeKind(kindOf(source))}: node contents:\n${nodeText(source)}`,
    );
  }
  if (kind === 'map') return walkMap(dest, origin, schema, walk, depth);
  if (kind === 'scalar') return origin !== undefined ? origin : dest;
  const strategy = listStrategyOf(schema);
  if (isMergeStrategy(strategy)) return walkAssociativeList(dest, origin, schema, walk, depth);
  // A list without merge strategy: the patch's list replaces the target's, untouched.
  return origin !== undefined ? origin : dest;
}

/**
 * The walk over a part of the target the patch does not mention. kyaml walks it all the same, and that
 * is not a no-op: merge lists in it lose null and empty elements and collapse duplicates. Written apart
 * because most of every merge is here: no key sets or sorting (no key is added or removed where the
 * patch has nothing), and a merge list whose elements each carry distinct, complete keys stays as it is.
 */
function walkTargetOnly(dest: Json, schema: SchemaNode | undefined, walk: Walk, depth: number): Node {
  if (depth > MAX_DEPTH) throw new MergeError(`strategic merge patch nested deeper than ${MAX_DEPTH} levels`);
  if (typeof dest !== 'object' || dest === null) return dest;
  schema = schema ?? schemaFromTypeMeta(dest);
  if (Array.isArray(dest)) {
    const strategy = listStrategyOf(schema);
    if (!isMergeStrategy(strategy)) return dest;
    const keys = mergeKeysOf(strategy!);
    if (!hasDistinctCompleteKeys(dest, keys)) return walkAssociativeList(dest, undefined, schema, walk, depth);
    const itemSchema = elementSchema(schema);
    for (let i = 0; i < dest.length; i++) walkTargetOnly(dest[i], itemSchema, walk, depth + 1);
    return dest;
  }
  for (const key of Object.keys(dest)) {
    const value = dest[key];
    if (typeof value !== 'object' || value === null) continue;
    const walked = walkTargetOnly(value, fieldSchema(schema, key), walk, depth + 1);
    if (walked !== value) dest[key] = walked as Json;
  }
  return dest;
}

/**
 * Whether merging the list with nothing leaves it as it is: every element a map holding every merge key
 * with a non-empty scalar, and no two elements with the same keys.
 */
function hasDistinctCompleteKeys(list: Json[], keys: string[]): boolean {
  if (keys.length === 0) return false;
  const seen = new Set<string>();
  for (const element of list) {
    if (!isObject(element)) return false;
    let row = '';
    for (const key of keys) {
      const v = has(element, key) ? element[key] : undefined;
      if (v === undefined || v === null || typeof v === 'object') return false;
      const text = scalarText(v);
      if (text === '') return false;
      row += keys.length === 1 ? text : JSON.stringify(text) + ',';
    }
    if (seen.has(row)) return false;
    seen.add(row);
  }
  return true;
}

/** kyaml looks up the schema of an embedded object that carries its own apiVersion and kind. */
function schemaFromTypeMeta(n: Node): SchemaNode | undefined {
  if (!isObject(n)) return undefined;
  const { apiVersion, kind } = n;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  return schemaForKind({ ...splitApiVersion(apiVersion), kind });
}

type Directive = 'merge' | 'replace' | 'delete';

/** Reads (and removes) a `$patch` directive of a map; unknown values are an error. */
function mapDirective(origin: Node): Directive | { unknown: string } {
  if (!isObject(origin) || !Object.prototype.hasOwnProperty.call(origin, '$patch')) return 'merge';
  const value = origin.$patch;
  const text = scalarText(value);
  if (text === 'delete' || text === 'replace' || text === 'merge') {
    delete origin.$patch;
    return text;
  }
  return { unknown: text };
}

function walkMap(dest: Node, origin: Node, schema: SchemaNode | undefined, walk: Walk, depth: number): Node {
  let result: Node;
  if (isMissingOrNull(dest)) {
    if (!isMissingOrNull(origin) && !isObject(origin)) return origin; // a scalar null meets nothing
    if (origin === undefined && dest === null) return null; // an explicit null the patch leaves alone
    const directive = mapDirective(origin);
    if (directive === 'delete') return undefined;
    result = origin;
  } else if (origin === null) {
    return undefined;
  } else {
    const directive = mapDirective(origin);
    if (typeof directive === 'object') throw new MergeError(`unknown patch strategy '${directive.unknown}'`);
    if (directive === 'delete') return undefined;
    result = directive === 'replace' ? origin : dest;
  }
  if (!isObject(result)) return result;
  const other = isObject(origin) ? origin : undefined;
  if (other) walk.touched.add(result);
  const keys = Object.keys(result);
  if (other && other !== result) for (const k of Object.keys(other)) if (!has(result, k)) keys.push(k);
  sortKeys(keys);
  for (const key of keys) {
    const destValue = has(result, key) ? result[key] : undefined;
    const originValue = other && has(other, key) ? other[key] : undefined;
    const value = walkNode(destValue, originValue, fieldSchema(schema, key), walk, depth + 1);
    if (value === undefined || (value === null && !(originValue === undefined && destValue === null))) {
      delete result[key];
      continue;
    }
    if (key === '__proto__') setField(result, key, value);
    else result[key] = value;
    if (other && originValue !== undefined && result !== other && !isObject(value) && !Array.isArray(value)) {
      const patchPath = walk.patchPaths.get(other);
      if (patchPath) markScalar(walk, result, key, [...patchPath, key]);
    }
  }
  return result;
}

/** In place, in code-unit order like Array.prototype.sort; maps are small, and this allocates nothing. */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
}

function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function markScalar(walk: Walk, map: JsonObject, key: string, patchPath: PatchPath): void {
  let marks = walk.scalarMarks.get(map);
  if (!marks) walk.scalarMarks.set(map, (marks = new Map()));
  marks.set(key, patchPath);
}

// ---------------------------------------------------------------------------------------------
// Associative lists (merge strategy): kyaml's walkAssociativeSequence with ListIncreaseDirection
// "prepend", as the patchstrategicmerge filter configures it.

/** Reads (and removes) a list's `- $patch: <x>` element; only an element with that one field counts. */
function listDirective(origin: Node): Directive {
  if (!Array.isArray(origin)) return 'merge';
  const element = origin.find((item) => isObject(item) && has(item, '$patch'));
  if (!isObject(element) || Object.keys(element).length > 1) return 'merge';
  const text = scalarText(element.$patch);
  if (text !== 'delete' && text !== 'replace' && text !== 'merge') throw new MergeError(`unknown patch strategy '${text}'`);
  const kept = setElement(origin, { keys: ['$patch'], values: [text] });
  origin.splice(0, origin.length, ...kept);
  return text;
}

function walkAssociativeList(dest: Node, origin: Node, schema: SchemaNode | undefined, walk: Walk, depth: number): Node {
  let list: Json[];
  if (isMissingOrNull(dest)) {
    list = origin as Json[];
  } else {
    if (origin === null) return undefined;
    const directive = listDirective(origin);
    if (directive === 'delete') return undefined;
    list = directive === 'replace' ? (origin as Json[]) : (dest as Json[]);
  }
  const sources: [Json[] | undefined, Json[] | undefined] = [list, Array.isArray(origin) ? origin : undefined];
  const strategy = listStrategyOf(schema);
  const keys = strategy ? mergeKeysOf(strategy) : [];
  const values = elementValues(sources, keys);
  const itemSchema = elementSchema(schema);
  const merged =
    values.length !== 0 || keys.length > 0
      ? setAssociativeElements(values, keys, list, sources, itemSchema, walk, depth)
      : setAssociativeElements(primitiveValues(sources), [''], list, sources, itemSchema, walk, depth);
  // A list the patch added or replaced is the patch's value as a whole.
  const patchPath = list === origin ? walk.patchPaths.get(list) : undefined;
  if (patchPath) walk.patchPaths.set(merged, patchPath);
  if (origin !== undefined) walk.touched.add(merged);
  return merged;
}

function elementValues(sources: [Json[] | undefined, Json[] | undefined], keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  // Prepend: the patch's elements are listed first.
  for (const source of [sources[1], sources[0]]) {
    if (!source) continue;
    for (const element of source) {
      const row = keys.map((key) => {
        const v = isObject(element) && has(element, key) ? element[key] : undefined;
        return v === undefined || v === null || isEmptyMap(v) || (Array.isArray(v) && v.length === 0) ? '' : scalarText(v);
      });
      if (row.length === 0) continue;
      const id = JSON.stringify(row);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(row);
    }
  }
  return out;
}

function primitiveValues(sources: [Json[] | undefined, Json[] | undefined]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const source of [sources[1], sources[0]]) {
    if (!source) continue;
    for (const item of source) {
      const text = scalarText(item);
      if (seen.has(text)) continue;
      seen.add(text);
      out.push([text]);
    }
  }
  return out;
}

/** Rows that agree except where one side is empty are the same element (ports without protocol). */
function mergeValues(rows: string[][]): void {
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < rows.length; j++) {
      const matched = matchRows(rows[i], rows[j]);
      if (matched) {
        rows[i] = matched;
        rows[j] = matched;
      }
    }
  }
}

function matchRows(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      out.push(a[i]);
    } else if (a[i] !== '' && b[i] !== '') return undefined;
    else out.push(a[i] !== '' ? a[i] : b[i]);
  }
  return common ? out : undefined;
}

function validateKeys(rows: string[][], row: string[], keys: string[]): [string[], string[]] {
  return keepValidKeys(validKeysOf(rows, keys), row, keys);
}

/** The keys some row has a value for. */
function validKeysOf(rows: string[][], keys: string[]): Set<string> {
  const valid = new Set<string>();
  for (const r of rows) for (let i = 0; i < r.length; i++) if (r[i] !== '') valid.add(keys[i]);
  return valid;
}

function keepValidKeys(valid: Set<string>, row: string[], keys: string[]): [string[], string[]] {
  if (valid.size === 0 || valid.size === keys.length) return [keys, row];
  return [keys.filter((k) => valid.has(k)), row.filter((v, i) => v !== '' || valid.has(keys[i]))];
}

function setAssociativeElements(
  rows: string[][],
  keys: string[],
  dest: Json[],
  sources: [Json[] | undefined, Json[] | undefined],
  itemSchema: SchemaNode | undefined,
  walk: Walk,
  depth: number,
): Json[] {
  let items: Json[] = [];
  if (keys.length > 1) mergeValues(rows);
  let validKeys: string[] = keys;
  const destValues = new Set(dest.map((item) => scalarText(item)));
  const addedScalars = new Map<string, PatchPath>();
  const validInRows = validKeysOf(rows, keys);
  for (const row of rows) {
    if (row.length === 0) continue;
    let validValues: string[];
    [validKeys, validValues] = keepValidKeys(validInRows, row, keys);
    const [matchKeys, matchValues] = validateKeys([validValues], validValues, validKeys);
    const destElement = sources[0] ? findElement(sources[0], matchKeys, matchValues) : undefined;
    const originElement = sources[1] ? findElement(sources[1], matchKeys, matchValues) : undefined;
    const value = walkNode(destElement, originElement, itemSchema, walk, depth + 1);
    if (isMissingOrNull(value) || isEmptyMap(value)) {
      // In place: later look-ups in the target (and the patch, when it is the same list) see the deletion.
      dest.splice(0, dest.length, ...setElement(dest, { keys: validKeys, values: validValues }));
      continue;
    }
    if (isObject(value)) {
      validKeys.forEach((key, i) => {
        if (!has(value, key) && validValues[i] !== '') value[key] = parseScalar(validValues[i]);
      });
    } else if (validKeys[0] === '' && originElement !== undefined && !destValues.has(scalarText(value)) && sources[1]) {
      const listPath = walk.patchPaths.get(sources[1]);
      if (listPath) addedScalars.set(scalarText(value), [...listPath, sources[1].indexOf(originElement)]);
    }
    items = setElement(items, { element: value, keys: validKeys, values: validValues });
  }
  if (rows.length > 0) items = appendList(items, dest, validKeys);
  if (addedScalars.size > 0) walk.itemMarks.set(items, addedScalars);
  return items;
}

/** kyaml's ElementMatcher: the first element whose fields equal the values (text comparison). */
function findElement(list: Json[], keys: string[], values: string[]): Json | undefined {
  if (keys.length === 0 || keys[0] === '') {
    return list.find((item) => !isMissingOrNull(item) && scalarText(item) === (values[0] ?? ''));
  }
  return list.find((item) => isObject(item) && keys.every((key, i) => has(item, key) && scalarText(item[key]) === (values[i] ?? '')));
}

/** kyaml's ElementSetter: replace (element given) or delete (no element) the matching elements. */
function setElement(list: Json[], op: { element?: Json; keys: string[]; values: string[] }): Json[] {
  const keys = op.keys.length === 0 ? [''] : op.keys;
  const mappingSetter = keys[0] !== '' && op.values.length > 0 && op.values[0] !== '';
  const out: Json[] = [];
  let matched = false;
  for (const item of list) {
    if (isMissingOrNull(item) || isEmptyMap(item)) continue;
    if (!isObject(item) && mappingSetter) {
      out.push(item);
      continue;
    }
    let found = true;
    let lastMatch: Json | undefined;
    for (let j = 0; j < keys.length; j++) {
      if (j < op.values.length) lastMatch = fieldMatch(item, keys[j], op.values[j]);
      if (lastMatch === undefined) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (op.values.length > 0) out.push(item);
      continue;
    }
    matched = true;
    if (op.element !== undefined) out.push(op.element);
  }
  if (op.element === undefined || op.element === null) return out;
  if (!matched) out.push(op.element);
  return out;
}

/** kyaml's FieldMatcher: the field's value when it exists (and equals `value` unless that is ""). */
function fieldMatch(item: Json, name: string, value: string): Json | undefined {
  if (item === null) return undefined;
  if (name === '') {
    if (isObject(item) || Array.isArray(item)) {
      throw new MergeError(`wrong node kind: expected ScalarNode but got ${describeKind(kindOf(item))}: node contents:\n${nodeText(item)}`);
    }
    return scalarText(item) === value ? item : undefined;
  }
  if (!isObject(item)) {
    throw new MergeError(`wrong node kind: expected MappingNode but got ${describeKind(kindOf(item))}: node contents:\n${nodeText(item)}`);
  }
  if (!has(item, name)) return undefined;
  const field = item[name];
  return value === '' || scalarText(field) === value ? field : undefined;
}

/** kyaml's appendListNode(dst=items, src=dest): the target's elements go after the patch's. */
function appendList(items: Json[], dest: Json[], keys: string[]): Json[] {
  let out = items;
  for (const element of dest) {
    if (keys[0] === '') {
      out = setElement(out, { element, keys: [''], values: [scalarText(element)] });
      continue;
    }
    if (!isObject(element)) {
      throw new MergeError(
        `wrong node kind: expected MappingNode but got ${describeKind(kindOf(element))}: node contents:\n${nodeText(element)}`,
      );
    }
    const values: string[] = [];
    for (const key of keys) {
      if (!has(element, key)) {
        out = [...out, element];
        continue;
      }
      values.push(scalarText(element[key]));
    }
    if (keys.length > 1) out = setElement(out, { keys, values });
    out = setElement(out, { element, keys, values });
  }
  return out;
}

/** How kyaml would read back a scalar it wrote as plain text (for a merge key it had to restore). */
function parseScalar(text: string): Json {
  if (/^[-+]?[0-9]+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Origins: after the merge, report the top-most values that came from the patch.

function reportOrigins(node: Json, path: Array<string | number>, walk: Walk, onSet: OnSet, depth: number): void {
  // `path` is one array pushed and popped along the walk; onSet copies what it keeps.
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    const items = walk.itemMarks.get(node);
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      path.push(i);
      const fromPatch = typeof item === 'object' && item !== null ? walk.patchPaths.get(item) : undefined;
      if (fromPatch) onSet(path, fromPatch);
      else if (items && !isObject(item) && !Array.isArray(item) && items.has(scalarText(item))) onSet(path, items.get(scalarText(item))!);
      else if (typeof item === 'object' && item !== null && walk.touched.has(item)) reportOrigins(item, path, walk, onSet, depth + 1);
      path.pop();
    }
    return;
  }
  if (!isObject(node)) return;
  const scalars = walk.scalarMarks.get(node);
  for (const key of Object.keys(node)) {
    const value = node[key];
    path.push(key);
    const fromPatch = typeof value === 'object' && value !== null ? walk.patchPaths.get(value) : undefined;
    if (fromPatch) onSet(path, fromPatch);
    else if (scalars?.has(key)) onSet(path, scalars.get(key)!);
    else if (typeof value === 'object' && value !== null && walk.touched.has(value)) reportOrigins(value, path, walk, onSet, depth + 1);
    path.pop();
  }
}
