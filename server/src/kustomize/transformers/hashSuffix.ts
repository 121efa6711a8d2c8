// Appends kustomize's content hash to the names of generated ConfigMaps/Secrets. It runs once, at the
// end of the top-level build, so the hash covers the final name and data (after prefixes and patches).
import { createHash } from 'crypto';
import { isObject, recordOrigin, resIdOf } from '../resource';
import type { Transformer, StepConfig } from '../transformer';
import type { Json, JsonObject } from '../types';

/** Go's encoding/json string escaping (HTML-safe, as json.Marshal does), byte for byte. */
function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate cannot come from valid UTF-8; Go writes the replacement character.
      out += '\\ufffd';
    } else out += s[i];
  }
  return out + '"';
}

// UTF-16 unit order is UTF-8 byte order unless a string has units from U+D800 up; most keys have none,
// and encoding both keys of every comparison was most of the hashing work.
const MAY_ORDER_DIFFERENTLY = /[\uD800-\uFFFF]/;

function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  if (!MAY_ORDER_DIFFERENTLY.test(a) && !MAY_ORDER_DIFFERENTLY.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Go's json.Marshal of a value decoded into interface{} (maps with sorted keys, float64 numbers). */
function goJson(value: Json | undefined, depth = 0): string {
  if (depth > 200) return 'null';
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return goFloat(Number(value));
  if (typeof value === 'number') return goFloat(value);
  if (Array.isArray(value)) return '[' + value.map((v) => goJson(v, depth + 1)).join(',') + ']';
  const keys = Object.keys(value).sort(compareUtf8);
  return '{' + keys.map((k) => goJsonString(k) + ':' + goJson(value[k], depth + 1)).join(',') + '}';
}

/** Go formats float64 like JS below 1e21; above, with a two-digit minimum exponent. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** The value kustomize's hasher sees at a top-level field: "" when absent, the text of a scalar, else the map. */
function hashedField(value: Json | undefined): Json {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  // kustomize decodes the field into map[string]interface{}: a list decodes to nil.
  return isObject(value) ? value : null;
}

/** The exact text kustomize hashes for an object. */
export function hashInput(object: JsonObject): string {
  // kustomize looks the name up as one field literally called "metadata/name", finds nothing and
  // hashes "": the name never takes part in the hash.
  const name = '';
  if (object.kind === 'ConfigMap') {
    const m: JsonObject = { kind: 'ConfigMap', name, data: hashedField(object.data) };
    if (isObject(object.binaryData)) m.binaryData = object.binaryData;
    return goJson(m);
  }
  if (object.kind === 'Secret') {
    const m: JsonObject = { kind: 'Secret', type: hashedField(object.type), name, data: hashedField(object.data) };
    if (isObject(object.stringData)) m.stringData = object.stringData;
    return goJson(m);
  }
  return goJson(object);
}

/** kustomize's 10-character content hash: the first 10 hex digits of sha256, with 0 1 3 a e spelled g h k m t. */
export function contentHash(object: JsonObject): string {
  const hex = createHash('sha256').update(hashInput(object), 'utf8').digest('hex').slice(0, 10);
  const spelled: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.replace(/[013ae]/g, (c) => spelled[c]);
}

export const hashSuffixTransformer: Transformer<StepConfig> = (resources, config) => {
  for (const resource of resources) {
    if (!resource.generated?.appendHash) continue;
    const meta = resource.object.metadata;
    if (!isObject(meta)) continue;
    const hash = contentHash(resource.object);
    resource.previousIds.push(resIdOf(resource.object));
    meta.name = `${typeof meta.name === 'string' ? meta.name : ''}-${hash}`;
    recordOrigin(resource, ['metadata', 'name'], config.origin);
  }
  return resources;
};
