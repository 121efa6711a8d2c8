// The values a HelmRelease installs its chart with, computed as helm-controller computes them
// (fluxcd/pkg chartutil/values.go, ChartValuesFromReferences, used by helm-controller's reconciler; the
// documented behaviour is docs/spec/v2/helmreleases.md "Values references" in fluxcd/helm-controller):
//
// - `spec.valuesFrom` in order, each a ConfigMap or Secret in the release's namespace; `valuesKey` (default
//   `values.yaml`) holds a YAML document merged over what came before (maps merge key by key, anything else
//   is replaced); a missing object or key fails the release unless the entry is `optional`;
// - an entry with `targetPath` sets that one value with helm's `--set` syntax (strvals.ts) instead: quoted text
//   is forced to a string, `literal: true` takes the text verbatim. Before setting it the controller merges
//   `spec.values` into the result; the set then writes through into the maps it shares with `spec.values`,
//   which is why a targetPath value wins over `spec.values` ("target path precedence over all" in
//   chartutil/values_test.go). The same sharing is kept here: maps are copied shallowly, as Go's are;
// - `spec.values` merged last.
//
// Pure: the objects come from a lookup the caller gives (the environment's rendered objects), and every value
// of the result can say which entry (or spec.values) set it.
import { parseAllDocuments } from 'yaml';
import type { Json, JsonObject, Problem, Range } from '../kustomize/types';
import type { HelmRelease, ValuesFromRef } from './objects';
import { parseSetInto, type StrvalsOutcome } from './strvals';
import type { FindObject, FoundObject } from './substitute';

/** What happened to one valuesFrom entry. */
export type ValuesFromStatus =
  | 'merged'
  /** No such object in the environment, and nothing in it makes one: the release fails (unless optional). */
  | 'missing'
  /** The object has no such key: the release fails (unless optional). */
  | 'key-missing'
  /** Another object makes it on the cluster (an ExternalSecret, a SealedSecret...): its data is unknown here. */
  | 'produced-elsewhere'
  /** A SOPS-encrypted Secret: decrypted only on the cluster. */
  | 'encrypted'
  /** The key's text is not a YAML map: the release fails. */
  | 'unreadable'
  /** targetPath could not be set: the release fails. */
  | 'merge-failed';

export interface ValuesFromOutcome {
  index: number;
  ref: ValuesFromRef;
  status: ValuesFromStatus;
  /** For anything but `merged`: what the controller (or we) would say, in its words where it has any. */
  message?: string;
  /** The object read, with where it is. */
  found?: FoundObject;
  /** For produced-elsewhere: what produces it, e.g. `ExternalSecret apps/db-values`. */
  producer?: string;
}

/** Who set a value of the merged values: spec.values, or a valuesFrom entry (by index). */
export type ValuesOrigin = { from: 'values' } | { from: 'valuesFrom'; index: number };

export interface HelmValuesResult {
  values: JsonObject;
  /** False when helm-controller would fail the release on these values; `failure` says why. */
  ok: boolean;
  failure?: string;
  entries: ValuesFromOutcome[];
  /** Who set the value at a path of `values` (list items by index); undefined for paths that hold no value. */
  originOf: (path: ReadonlyArray<string | number>) => ValuesOrigin | undefined;
}

export interface HelmValuesOptions {
  /** Finds a ConfigMap or Secret of the environment (in the release's namespace). */
  findObject: FindObject;
  /** What makes an object that is not written in the repository (an ExternalSecret...), if anything. */
  producerOf?: (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => string | undefined;
}

export function isValuesMap(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** chartutil.MergeMaps: b over a; maps merge, anything else replaces. Shallow copies, as in Go (maps are shared). */
export function mergeMaps(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isValuesMap(value) && isValuesMap(existing) ? mergeMaps(existing, value) : value;
  }
  return out;
}

function deepCopy(value: Json): Json {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isValuesMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

/** A values document as helm reads it (common.ReadValues): YAML to a map; empty text is an empty map. */
export function readValuesText(text: string): { ok: true; values: JsonObject } | { ok: false; error: string } {
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) return { ok: true, values: {} };
  const first = docs[0];
  if (!first) return { ok: true, values: {} };
  if (first.errors.length > 0) return { ok: false, error: `error converting YAML to JSON: ${first.errors[0].message.split('\n')[0]}` };
  const value = first.toJS({ maxAliasCount: 1000 }) as unknown;
  if (value === null || value === undefined) return { ok: true, values: {} };
  if (!isValuesMap(value as Json)) {
    const type = Array.isArray(value) ? 'array' : typeof value;
    return { ok: false, error: `error unmarshaling JSON: cannot unmarshal ${type} into Go value of type map[string]interface {}` };
  }
  return { ok: true, values: normalizeJson(value as Json) as JsonObject };
}

/** YAML's JS values as JSON ones: dates and other tags become their text, map keys strings. */
function normalizeJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalizeJson);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), normalizeJson(v)]));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeJson(v)]));
  return String(value);
}

/** chartutil.ReplacePathValue / ReplacePathLiteralValue: sets `value` at `path` in `values`, in place. */
export function replacePathValue(values: JsonObject, path: string, value: string, literal: boolean): StrvalsOutcome {
  if (literal) {
    const escaped = value.replace(/[\\,[\]{}]/g, (c) => `\\${c}`);
    return parseSetInto(`${path}=${escaped}`, values, true);
  }
  const quoted = (value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"'));
  if (quoted) return parseSetInto(`${path}=${trimQuotes(value)}`, values, true);
  return parseSetInto(`${path}=${value}`, values, false);
}

/** Go's strings.Trim(value, `'"`): every leading and trailing quote of either kind. */
function trimQuotes(value: string): string {
  return value.replace(/^['"]+/, '').replace(/['"]+$/, '');
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** The data of a ConfigMap, or of a Secret as the API server holds it (base64 decoded, stringData folded in). */
export function objectData(kind: 'ConfigMap' | 'Secret', object: JsonObject): Map<string, string> {
  const data = new Map<string, string>();
  const raw = isValuesMap(object.data) ? object.data : {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    if (kind === 'ConfigMap') data.set(key, value);
    else {
      const decoded = decodeBase64(value);
      if (decoded !== undefined) data.set(key, decoded);
    }
  }
  if (kind === 'Secret' && isValuesMap(object.stringData)) {
    for (const [key, value] of Object.entries(object.stringData)) if (typeof value === 'string') data.set(key, value);
  }
  return data;
}

/** The controller's error text for a values reference (chartutil.ErrValuesReference). */
function referenceError(release: HelmRelease, ref: ValuesFromRef, reason: string): string {
  return `could not resolve${ref.optional ? ' optional' : ''} ${ref.kind} chart values reference '${release.namespace}/${ref.name}' with key '${ref.valuesKey}': ${reason}`;
}

interface Contribution {
  origin: ValuesOrigin;
  tree: JsonObject;
}

export function computeHelmReleaseValues(release: HelmRelease, options: HelmValuesOptions): HelmValuesResult {
  const specValues = (release.values ? deepCopy(release.values) : {}) as JsonObject;
  const entries: ValuesFromOutcome[] = [];
  const merged: Contribution[] = [];
  const targeted: Contribution[] = [];
  let result: JsonObject = {};
  let failure: string | undefined;
  const fail = (message: string) => {
    failure ??= message;
  };
  release.valuesFrom.forEach((ref, index) => {
    const found = options.findObject(ref.kind, release.namespace, ref.name);
    if (!found) {
      const producer = options.producerOf?.(ref.kind, release.namespace, ref.name);
      if (producer) {
        entries.push({
          index,
          ref,
          status: 'produced-elsewhere',
          producer,
          message: `${ref.kind} "${ref.name}" is made on the cluster by ${producer}; its values are not known here.`,
        });
        return;
      }
      const message = referenceError(release, ref, 'resource not found');
      entries.push({ index, ref, status: 'missing', message });
      if (!ref.optional) fail(message);
      return;
    }
    if (ref.kind === 'Secret' && found.object.sops !== undefined) {
      entries.push({
        index,
        ref,
        status: 'encrypted',
        found,
        message: `Secret "${ref.name}" is SOPS-encrypted; its values are known only on the cluster.`,
      });
      return;
    }
    const text = objectData(ref.kind, found.object).get(ref.valuesKey);
    if (text === undefined) {
      const message = referenceError(release, ref, 'key not found');
      entries.push({ index, ref, status: 'key-missing', found, message });
      if (!ref.optional) fail(message);
      return;
    }
    if (ref.targetPath) {
      result = mergeMaps(result, specValues);
      const set = replacePathValue(result, ref.targetPath, text, ref.literal);
      const tree: JsonObject = {};
      replacePathValue(tree, ref.targetPath, text, ref.literal);
      targeted.push({ origin: { from: 'valuesFrom', index }, tree });
      if (!set.ok) {
        const message = referenceError(release, ref, `failed to merge value: ${set.error}`);
        entries.push({ index, ref, status: 'merge-failed', found, message });
        fail(message);
        return;
      }
      entries.push({ index, ref, status: 'merged', found });
      return;
    }
    const read = readValuesText(text);
    if (!read.ok) {
      const message = referenceError(release, ref, `failed to read values data: ${read.error}`);
      entries.push({ index, ref, status: 'unreadable', found, message });
      fail(message);
      return;
    }
    merged.push({ origin: { from: 'valuesFrom', index }, tree: read.values });
    result = mergeMaps(result, read.values);
    entries.push({ index, ref, status: 'merged', found });
  });
  const values = mergeMaps(result, specValues);
  // Precedence for "who set this": merged documents in order, then spec.values, then targetPath values.
  const contributions = [...merged, { origin: { from: 'values' } as ValuesOrigin, tree: specValues }, ...targeted];
  const originOf = (path: ReadonlyArray<string | number>): ValuesOrigin | undefined => {
    const actual = valueAt(values, path);
    if (actual === undefined) return undefined;
    let holder: ValuesOrigin | undefined;
    for (let i = contributions.length - 1; i >= 0; i--) {
      const there = valueAt(contributions[i].tree, path);
      if (there === undefined) continue;
      if (sameJson(there, actual)) return contributions[i].origin;
      holder ??= contributions[i].origin;
    }
    return holder;
  };
  return { values, ok: failure === undefined, ...(failure ? { failure } : {}), entries, originOf };
}

export function valueAt(root: Json, path: ReadonlyArray<string | number>): Json | undefined {
  let current: Json | undefined = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isValuesMap(current) && typeof segment === 'string' && Object.prototype.hasOwnProperty.call(current, segment))
      current = current[segment];
    else return undefined;
  }
  return current;
}

function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isValuesMap(a) && isValuesMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

/** Problems of the values for the render's problem list: each failing entry at its place in the release. */
export function valuesProblems(release: HelmRelease, result: HelmValuesResult): Problem[] {
  const out: Problem[] = [];
  for (const entry of result.entries) {
    if (entry.status === 'merged' || !entry.message) continue;
    const failing = !entry.ref.optional && entry.status !== 'produced-elsewhere' && entry.status !== 'encrypted';
    const range: Range | undefined = release.place.rangeOf?.([...entry.ref.path, 'name']) ?? release.place.range;
    out.push({
      code: 'helm-values-from',
      severity: failing ? 'error' : 'warning',
      message: entry.message,
      file: release.place.file,
      ...(range ? { range } : {}),
    });
  }
  return out;
}

/** Whether a value of the merged values came from a Secret (previews and the CLI mask those). */
export function fromSecret(result: HelmValuesResult, path: ReadonlyArray<string | number>): boolean {
  const origin = result.originOf(path);
  return origin?.from === 'valuesFrom' && result.entries.find((e) => e.index === origin.index)?.ref.kind === 'Secret';
}

/** The merged values with every scalar that came from a Secret replaced by `mask` (unless revealed). */
export function maskedValues(result: HelmValuesResult, reveal: boolean, mask = '***'): JsonObject {
  if (reveal || !result.entries.some((e) => e.ref.kind === 'Secret' && e.status === 'merged')) return result.values;
  const walk = (value: Json, path: Array<string | number>): Json => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (isValuesMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    return fromSecret(result, path) ? mask : value;
  };
  return walk(result.values, []) as JsonObject;
}
