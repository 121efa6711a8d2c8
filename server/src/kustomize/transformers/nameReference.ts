// Name references (kustomize's nameReferenceTransformer + nameref filter): after prefixes, suffixes,
// namespaces and hashes changed names, every field that names another object (the nameReference
// table) is pointed at that object's new name. A referral is an object that once had the referenced
// name (a previous id), of the referenced kind, reachable from the referrer's namespace; ties are
// broken by equal prefixes/suffixes, and a remaining ambiguity is an error, as in kustomize.
import { nameReferenceBackRefs, type NameBackReference } from '../builtinFieldSpecs';
import { visitFieldSpec, type FieldSlot, type FieldSpec } from '../fieldspec';
import { idString, isObject, recordOrigin, resIdOf, splitApiVersion } from '../resource';
import { isNamespaced } from '../scope';
import { effectiveNamespace, NOT_A_NAMESPACE } from '../select';
import type { StepConfig, Transformer, TransformContext } from '../transformer';
import type { Json, JsonObject, Origin, ResId, Resource } from '../types';

/** Previous ids as kustomize reads them back: group/version from the current apiVersion. */
function previousIds(resource: Resource): ResId[] {
  const current = resIdOf(resource.object);
  return resource.previousIds.map((id) => ({ ...id, group: current.group, version: current.version }));
}

function originalId(resource: Resource): ResId {
  return previousIds(resource)[0] ?? resIdOf(resource.object);
}

interface GvkSelector {
  group?: string;
  version?: string;
  kind?: string;
}

function selects(selector: GvkSelector, id: ResId): boolean {
  return (
    (!selector.group || selector.group === id.group) &&
    (!selector.version || selector.version === id.version) &&
    (!selector.kind || selector.kind === id.kind)
  );
}

function sameEndingSubList(a: readonly string[], b: readonly string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const offset = longer.length - shorter.length;
  if (shorter.length === 0) return offset === 0;
  return shorter.every((value, i) => longer[i + offset] === value);
}

function affixesEqual(a: Resource, b: Resource): boolean {
  const none = { prefixes: [], suffixes: [] };
  const x = a.nameAffixes ?? none;
  const y = b.nameAffixes ?? none;
  return sameEndingSubList(x.prefixes, y.prefixes) && sameEndingSubList(x.suffixes, y.suffixes);
}

/**
 * Ids and previous ids computed once per run, and the objects by every name they had: a reference is
 * looked up among the objects that once carried its name, not among all objects (large overlays hold
 * thousands of objects and references).
 */
interface Memo {
  id(r: Resource): ResId;
  previous(r: Resource): ResId[];
  byPreviousName: Map<string, Resource[]>;
}

function makeMemo(resources: readonly Resource[]): Memo {
  const ids = new Map<Resource, ResId>();
  const prevs = new Map<Resource, ResId[]>();
  const id = (r: Resource) => {
    let v = ids.get(r);
    if (!v) ids.set(r, (v = resIdOf(r.object)));
    return v;
  };
  const previous = (r: Resource) => {
    let v = prevs.get(r);
    if (!v) {
      const current = id(r);
      prevs.set(r, (v = r.previousIds.map((p) => ({ ...p, group: current.group, version: current.version }))));
    }
    return v;
  };
  const byPreviousName = new Map<string, Resource[]>();
  for (const r of resources) {
    for (const name of new Set(previous(r).map((p) => p.name))) {
      let list = byPreviousName.get(name);
      if (!list) byPreviousName.set(name, (list = []));
      list.push(r);
    }
  }
  return { id, previous, byPreviousName };
}

/** Whether a referrer may point at an object: same namespace, cluster-scoped, or (RoleBinding) its subjects' namespaces. */
function reachabilityOf(referrer: Resource, memo: Memo): (candidate: Resource) => boolean {
  const referrerId = memo.id(referrer);
  if (!isNamespaced(referrerId)) return () => true;
  const subjectNamespaces = new Set<string>();
  if (referrerId.kind === 'RoleBinding' && Array.isArray(referrer.object.subjects)) {
    for (const subject of referrer.object.subjects) {
      if (isObject(subject) && subject.kind === 'ServiceAccount' && typeof subject.namespace === 'string') {
        subjectNamespaces.add(subject.namespace);
      }
    }
  }
  const referrerNamespace = effectiveNamespace(referrerId);
  return (candidate) => {
    const id = memo.id(candidate);
    return !isNamespaced(id) || effectiveNamespace(id) === referrerNamespace || subjectNamespaces.has(id.namespace);
  };
}

class AmbiguousReferral {
  constructor(readonly candidates: Resource[]) {}
}

interface Lookup {
  referrer: Resource;
  target: NameBackReference;
  path: string;
  memo: Memo;
  all: readonly Resource[];
  isReachable: (candidate: Resource) => boolean;
}

/** Reachable objects that once had `name`, in build order. */
function reachableNamed(lookup: Lookup, name: string): Resource[] {
  return (lookup.memo.byPreviousName.get(name) ?? []).filter(lookup.isReachable);
}

function roleRefSelector(referrer: Resource): GvkSelector | undefined {
  const roleRef = referrer.object.roleRef;
  if (!isObject(roleRef) || roleRef.apiGroup == null || roleRef.kind == null) return undefined;
  return { group: String(roleRef.apiGroup), kind: String(roleRef.kind) };
}

function selectReferral(
  lookup: Lookup,
  oldName: string,
  candidates: Resource[],
  identical: (rs: Resource[]) => boolean,
): Resource | undefined | AmbiguousReferral {
  const referrerId = lookup.memo.id(lookup.referrer);
  const roleRef = lookup.path.endsWith('roleRef/name') ? roleRefSelector(lookup.referrer) : undefined;
  let found = candidates.filter((candidate) => {
    const previous = lookup.memo.previous(candidate);
    if (!previous.some((id) => id.name === oldName)) return false;
    if (!previous.some((id) => selects(lookup.target, id))) return false;
    if (roleRef && !previous.some((id) => selects(roleRef, id))) return false;
    if (!isNamespaced(referrerId)) return true;
    const id = lookup.memo.id(candidate);
    // ServiceAccounts pass: a binding in another namespace may name them.
    return !isNamespaced(id) || id.kind === 'ServiceAccount' || effectiveNamespace(id) === effectiveNamespace(referrerId);
  });
  if (found.length === 1) return found[0];
  found = found.filter((candidate) => affixesEqual(candidate, lookup.referrer));
  if (found.length === 1) return found[0];
  if (found.length === 0) return undefined;
  if (identical(found)) return found[0];
  return new AmbiguousReferral(found);
}

const sameNames = (rs: Resource[]): boolean => rs.every((r) => resIdOf(r.object).name === resIdOf(rs[0].object).name);
const sameNamesAndNamespaces = (rs: Resource[]): boolean =>
  rs.every((r) => {
    const a = resIdOf(r.object);
    const b = resIdOf(rs[0].object);
    return a.name === b.name && a.namespace === b.namespace;
  });

function scalarText(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** Candidates for a `{name, namespace}` reference: those originally (else currently) in that namespace. */
function candidatesInNamespace(reachable: Resource[], namespace: string): Resource[] {
  const original = reachable.filter((r) => {
    const ns = effectiveNamespace(originalId(r));
    return ns !== NOT_A_NAMESPACE && ns === namespace;
  });
  if (original.length > 0) return original;
  return reachable.filter((r) => {
    const ns = effectiveNamespace(resIdOf(r.object));
    return ns !== NOT_A_NAMESPACE && ns === namespace;
  });
}

type Failure = (message: string) => void;

function fixScalar(
  lookup: Lookup,
  holder: JsonObject | Json[],
  key: string | number,
  path: Array<string | number>,
  origin: Origin,
  fail: Failure,
): void {
  const value = (holder as Record<string | number, Json>)[key];
  const oldName = scalarText(value);
  if (oldName === undefined) return;
  const referral = selectReferral(lookup, oldName, reachableNamed(lookup, oldName), sameNames);
  if (referral instanceof AmbiguousReferral) return fail(ambiguity(lookup, referral));
  if (!referral) return;
  const newName = resIdOf(referral.object).name;
  if (newName === oldName) return;
  (holder as Record<string | number, Json>)[key] = newName;
  recordOrigin(lookup.referrer, path, origin);
}

function fixMapping(lookup: Lookup, map: JsonObject, path: Array<string | number>, origin: Origin, fail: Failure): void {
  if (!Object.prototype.hasOwnProperty.call(map, 'name')) {
    return fail(
      `updating name reference in '${lookup.path}' field of '${idString(resIdOf(lookup.referrer.object))}': path config error; no 'name' field in node`,
    );
  }
  const oldName = scalarText(map.name) ?? '';
  // With a namespace, which objects count depends on all reachable ones (original namespaces first).
  const candidates = Object.prototype.hasOwnProperty.call(map, 'namespace')
    ? candidatesInNamespace(lookup.all.filter(lookup.isReachable), scalarText(map.namespace) ?? '')
    : reachableNamed(lookup, oldName);
  const referral = selectReferral(lookup, oldName, candidates, sameNamesAndNamespaces);
  if (referral instanceof AmbiguousReferral) return fail(ambiguity(lookup, referral));
  if (!referral) return;
  const id = resIdOf(referral.object);
  if (id.name === oldName && id.namespace === '') return;
  if (map.name !== id.name) {
    map.name = id.name;
    recordOrigin(lookup.referrer, [...path, 'name'], origin);
  }
  // An empty namespace is a wildcard here, never a reason to drop an explicit `default`.
  if (id.namespace !== '' && map.namespace !== id.namespace) {
    map.namespace = id.namespace;
    recordOrigin(lookup.referrer, [...path, 'namespace'], origin);
  }
}

function ambiguity(lookup: Lookup, referral: AmbiguousReferral): string {
  const ids = referral.candidates.map((r) => idString(resIdOf(r.object))).join(', ');
  return `updating name reference in '${lookup.path}' field of '${idString(resIdOf(lookup.referrer.object))}': found multiple possible referrals: ${ids}`;
}

// One spec object per referrer path (the table has a few hundred), not one per object and row.
const pathOnlySpecs = new Map<string, FieldSpec>();

function pathOnlySpec(path: string): FieldSpec {
  let spec = pathOnlySpecs.get(path);
  if (!spec) {
    if (pathOnlySpecs.size >= 4096) pathOnlySpecs.clear();
    pathOnlySpecs.set(path, (spec = { path }));
  }
  return spec;
}

/** The visitor that fixes what `lookup` (whose target and path change from row to row) reaches. */
function fieldFixer(lookup: Lookup, origin: Origin, fail: Failure): (slot: FieldSlot) => void {
  return (slot) => {
    const value = slot.parent[slot.key];
    if (value === null || value === undefined) return;
    if (isObject(value)) return fixMapping(lookup, value, slot.path, origin, fail);
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isObject(item)) fixMapping(lookup, item, [...slot.path, index], origin, fail);
        else fixScalar(lookup, value, index, [...slot.path, index], origin, fail);
      });
      return;
    }
    fixScalar(lookup, slot.parent, slot.key, slot.path, origin, fail);
  };
}

export interface NameReferenceConfig extends StepConfig {
  /** Extra rows from `configurations:` files or `crds:` (applied after kustomize's builtin table). */
  extraBackReferences?: readonly NameBackReference[];
}

/** Fixes every reference to an object whose name (or namespace) changed since it was loaded: uses Resource.previousIds. */
export const nameReferenceTransformer: Transformer<NameReferenceConfig> = (resources, config, ctx: TransformContext) => {
  const table = config.extraBackReferences ? nameReferenceBackRefs.concat(config.extraBackReferences) : nameReferenceBackRefs;
  const memo = makeMemo(resources);
  // Which (target, referrer spec) rows apply depends on the referrer's group, version and kind only;
  // a large overlay has many objects of few kinds, and the table has hundreds of rows.
  const rowsByGvk = new Map<string, Array<{ target: NameBackReference; path: string }>>();
  const rowsFor = (id: ResId) => {
    const key = `${id.group}\u0000${id.version}\u0000${id.kind}`;
    let rows = rowsByGvk.get(key);
    if (!rows) {
      rows = [];
      for (const target of table) for (const spec of target.referrers) if (selects(spec, id)) rows.push({ target, path: spec.path });
      rowsByGvk.set(key, rows);
    }
    return rows;
  };
  for (const referrer of resources) {
    const orgId = originalId(referrer);
    const matchId: ResId = {
      ...orgId,
      ...splitApiVersion(typeof referrer.object.apiVersion === 'string' ? referrer.object.apiVersion : ''),
    };
    let failed = false;
    const fail: Failure = (message) => {
      if (failed) return;
      failed = true;
      ctx.problems.push({
        code: 'ambiguous-name-reference',
        severity: 'error',
        message,
        file: referrer.source.file,
        range: referrer.source.range,
      });
    };
    const rows = rowsFor(matchId);
    if (rows.length === 0) continue;
    // One lookup and one visitor per referrer, pointed at each row in turn.
    const lookup: Lookup = {
      referrer,
      target: rows[0].target,
      path: rows[0].path,
      memo,
      all: resources,
      isReachable: reachabilityOf(referrer, memo),
    };
    const fix = fieldFixer(lookup, config.origin, fail);
    for (const { target, path } of rows) {
      lookup.target = target;
      lookup.path = path;
      // The spec already matched on the original id; walk it on the current object whatever its kind now.
      visitFieldSpec(referrer, pathOnlySpec(path), fix);
    }
  }
  return resources;
};
