// Helpers over Resource: identity, copying and recording who set a value.
import type { Json, JsonObject, ObjectSource, Origin, ResId, Resource } from './types';

export function makeResource(object: JsonObject, source: ObjectSource): Resource {
  return { object, source, setBy: new Map(), previousIds: [] };
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepCopy<T extends Json>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepCopy(v)) as T;
  if (isObject(value)) {
    const out: JsonObject = {};
    // setField's test written out: this loop runs for every key of every copy, often before the JIT inlines.
    // for-in walks V8's cached key list where Object.keys would allocate one; values from YAML are plain
    // objects with nothing enumerable inherited (a "__proto__" key is an own field, see setField).
    for (const k in value) {
      if (k === '__proto__') setField(out, k, deepCopy(value[k]));
      else out[k] = deepCopy(value[k]);
    }
    return out as T;
  }
  return value;
}

/**
 * `o[key] = value` for a key read from the user's files. A `__proto__` key is a field like any other in
 * YAML, but assigning it would set the object's prototype (and silently drop the field); it is defined
 * as an own field instead. Once it exists, plain assignment updates it.
 */
export function setField<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

export function cloneResource(r: Resource): Resource {
  return {
    object: deepCopy(r.object),
    source: r.source,
    setBy: new Map(r.setBy),
    previousIds: r.previousIds.slice(),
    nameAffixes: r.nameAffixes ? { prefixes: r.nameAffixes.prefixes.slice(), suffixes: r.nameAffixes.suffixes.slice() } : undefined,
    generated: r.generated ? { ...r.generated } : undefined,
    ...(r.refVarNames ? { refVarNames: r.refVarNames.slice() } : {}),
    ...(r.transformations ? { transformations: r.transformations.slice() } : {}),
    ...(r.secretValuePaths ? { secretValuePaths: r.secretValuePaths.map((p) => p.slice()) } : {}),
  };
}

/** Splits `apiVersion` into group and version: `apps/v1` -> (apps, v1); `v1` -> ('', v1). */
export function splitApiVersion(apiVersion: string): Readonly<{ group: string; version: string }> {
  // Asked for every object by every step that builds an id; a fleet has a handful of apiVersions.
  let split = splitApiVersions.get(apiVersion);
  if (split) return split;
  const slash = apiVersion.lastIndexOf('/');
  split = Object.freeze(
    slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) },
  );
  if (splitApiVersions.size >= 10_000) splitApiVersions.clear();
  splitApiVersions.set(apiVersion, split);
  return split;
}

const splitApiVersions = new Map<string, Readonly<{ group: string; version: string }>>();

function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function resIdOf(object: JsonObject): ResId {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const { group, version } = splitApiVersion(str(object.apiVersion));
  return { group, version, kind: str(object.kind), name: str(meta.name), namespace: str(meta.namespace) };
}

export function resId(r: Resource): ResId {
  return resIdOf(r.object);
}

/** kustomize's textual id, as in its error messages: `Deployment.v1.apps/my-app.staging`. */
export function idString(id: ResId): string {
  // kustomize v5 spells every missing part out: `Service.v1.[noGrp]/app.[noNs]`.
  const gvk = `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}`;
  const ns = id.namespace === '' ? '[noNs]' : id.namespace;
  return `${gvk}/${id.name || '[noName]'}.${ns}`;
}

export function sameId(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

/** Records that `origin` set the value at `path` (and thereby everything beneath it). */
export function recordOrigin(r: Resource, path: ReadonlyArray<string | number>, origin: Origin): void {
  const key = path.join('/');
  // A value set again replaces the record of what was beneath it.
  if (r.setBy.size > 0) {
    // Called for every value every transformer sets: the test for `${key}/...` allocates nothing.
    const n = key.length;
    for (const k of r.setBy.keys()) if (k.length > n && k.charCodeAt(n) === 0x2f && k.startsWith(key)) r.setBy.delete(k);
  }
  r.setBy.set(key, origin);
}

/** The origin of the value at `path`: the nearest recorded ancestor, else the object's source. */
export function originAt(r: Resource, path: ReadonlyArray<string | number>): Origin | undefined {
  for (let n = path.length; n >= 0; n--) {
    const o = r.setBy.get(path.slice(0, n).join('/'));
    if (o) return o;
  }
  return undefined;
}

export function getPath(value: Json | undefined, path: ReadonlyArray<string | number>): Json | undefined {
  let cur: Json | undefined = value;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObject(cur) && typeof seg === 'string') cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    else return undefined;
  }
  return cur;
}
