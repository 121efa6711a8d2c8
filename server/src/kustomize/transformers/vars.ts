// Legacy `vars` (kustomize's ResolveVars, run once at the top after name references): each var names a
// field of an object (by the object's original id); every `$(NAME)` in the varReference fields is
// replaced by that field's final value. Unknown `$(X)` stay as written; `$$` escapes a dollar.
import { varReferenceFieldSpecs } from '../builtinFieldSpecs';
import { visitFieldSpecs, type FieldSpec } from '../fieldspec';
import { getPath, isObject, recordOrigin, resId, splitApiVersion } from '../resource';
import { isNamespaced } from '../scope';
import type { StepConfig, Transformer } from '../transformer';
import type { Json, JsonObject, Origin, Problem, ResId, Resource } from '../types';

export interface VarDefinition {
  name: string;
  objref: JsonObject;
  fieldPath: string;
  origin: Origin;
}

export interface VarsConfig extends StepConfig {
  vars: VarDefinition[];
  extraFieldSpecs?: readonly FieldSpec[];
}

/** `spec.ports[0].port` -> ['spec', 'ports', 0, 'port']. */
export function parseVarFieldPath(fieldPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of fieldPath.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The objref as kustomize's Target.GVK() reads it: apiVersion, when set, wins over group/version. */
function objrefId(objref: JsonObject): ResId {
  const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
  let group = str(objref.group);
  let version = str(objref.version);
  if (str(objref.apiVersion) !== '') ({ group, version } = splitApiVersion(str(objref.apiVersion)));
  return { group, version, kind: str(objref.kind), name: str(objref.name), namespace: str(objref.namespace) };
}

/** kustomize's namespace equality: an unset namespace is `default` for namespaced kinds; cluster-scoped kinds have none. */
function effectiveNamespace(id: ResId): string {
  if (!isNamespaced(id)) return '';
  return id.namespace === '' ? 'default' : id.namespace;
}

/**
 * Whether the object had the objref's id, now or before a transformer changed it. Group, version and kind
 * must be exactly the objref's (an objref without apiVersion matches no `v1` object); the namespace counts
 * only when the objref names one or the kind is cluster-scoped (kustomize's ResAccumulator.MergeVars).
 */
function matchesObjref(r: Resource, want: ResId): boolean {
  const withNamespace = want.namespace !== '' || !isNamespaced(want);
  return [resId(r), ...r.previousIds].some(
    (id) =>
      id.group === want.group &&
      id.version === want.version &&
      id.kind === want.kind &&
      id.name === want.name &&
      (!withNamespace || effectiveNamespace(id) === effectiveNamespace(want)),
  );
}

/**
 * Binds the vars a kustomization declares to the one object of its own (after its transformers) that
 * each names, as kustomize does when it merges them: a var names an object of the kustomization that
 * declares it, even when a base elsewhere has one of the same name. Problems for ambiguous objrefs.
 */
export function bindVars(vars: readonly VarDefinition[], resources: readonly Resource[]): Problem[] {
  const problems: Problem[] = [];
  for (const v of vars) {
    const want = objrefId(v.objref);
    const matches = resources.filter((r) => matchesObjref(r, want));
    if (matches.length > 1) {
      problems.push({
        code: 'var-ambiguous',
        severity: 'error',
        message: `found ${matches.length} resId matches for var '${v.name}' (unable to disambiguate): name the namespace in its objref`,
        file: v.origin.file,
        range: v.origin.range,
      });
      continue;
    }
    if (matches.length === 1) (matches[0].refVarNames ??= []).push(v.name);
  }
  return problems;
}

/** Kubernetes `$(VAR)` expansion: `$$` is a literal `$`; unknown names are kept as written. */
export function expandVars(text: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, close);
      const value = lookup(name);
      out += value ?? text.slice(i, close + 1);
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/** A place the vars step rewrote: the string as it stood, and the vars it substituted there (none: only `$$` unescaped). */
export interface VarSubstitution {
  resource: Resource;
  path: Array<string | number>;
  before: string;
  used: VarDefinition[];
}

/** What a build's vars step did, for tools that rewrite `vars` as `replacements` and must know every use. */
export interface VarsRecorder {
  resolved(definition: VarDefinition, raw: Json, text: string): void;
  substituted(substitution: VarSubstitution): void;
}

let recorder: VarsRecorder | undefined;

/** Runs `run` (a synchronous build) telling `record` what every vars step in it resolves and substitutes. */
export function recordingVars<T>(record: VarsRecorder, run: () => T): T {
  const previous = recorder;
  recorder = record;
  try {
    return run();
  } finally {
    recorder = previous;
  }
}

function scalarText(v: Json): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return undefined;
}

export const varsTransformer: Transformer<VarsConfig> = (resources, config, ctx) => {
  if (config.vars.length === 0) return resources;
  const values = new Map<string, { text: string; raw: Json; origin: Origin; definition: VarDefinition }>();
  for (const v of config.vars) {
    // The object bindVars gave the var when its kustomization declared it.
    const matches = resources.filter((r) => r.refVarNames?.includes(v.name));
    const fail = (message: string) =>
      ctx.problems.push({ code: 'var-unresolved', severity: 'error', message, file: v.origin.file, range: v.origin.range });
    if (matches.length === 0) {
      fail(`var '${v.name}' cannot be mapped to a field in the set of known resources`);
      continue;
    }
    const raw = getPath(matches[0].object, parseVarFieldPath(v.fieldPath));
    const text = raw === undefined ? undefined : scalarText(raw);
    if (raw === undefined || text === undefined) {
      fail(
        `field specified in var '${v.name}' (${v.fieldPath}) ${raw === undefined ? 'is missing' : 'is not a string, number or bool'} in ${matches[0].source.file}`,
      );
      continue;
    }
    values.set(v.name, { text, raw, origin: v.origin, definition: v });
    recorder?.resolved(v, raw, text);
  }
  if (ctx.problems.some((p) => p.severity === 'error')) return resources;
  const specs = [...varReferenceFieldSpecs, ...(config.extraFieldSpecs ?? [])];
  for (const resource of resources) {
    visitFieldSpecs(resource, specs, (slot) => {
      const replaceIn = (container: JsonObject | Json[], key: string | number, path: Array<string | number>) => {
        const current = (container as Record<string | number, Json>)[key];
        if (typeof current !== 'string' || !current.includes('$')) return;
        const whole = /^\$\(([^)]*)\)$/.exec(current);
        if (whole && values.has(whole[1])) {
          // A value that is only the reference takes the referred value with its type.
          const v = values.get(whole[1])!;
          (container as Record<string | number, Json>)[key] = v.raw;
          recordOrigin(resource, path, v.origin);
          recorder?.substituted({ resource, path, before: current, used: [v.definition] });
          return;
        }
        let used: Origin | undefined;
        const definitions: VarDefinition[] = [];
        const expanded = expandVars(current, (name) => {
          const v = values.get(name);
          if (v) {
            used = v.origin;
            definitions.push(v.definition);
          }
          return v?.text;
        });
        if (expanded !== current) {
          (container as Record<string | number, Json>)[key] = expanded;
          if (used) recordOrigin(resource, path, used);
          recorder?.substituted({ resource, path, before: current, used: definitions });
        }
      };
      const value = slot.parent[slot.key];
      if (Array.isArray(value)) value.forEach((_, i) => replaceIn(value, i, [...slot.path, i]));
      else if (isObject(value)) for (const k of Object.keys(value)) replaceIn(value, k, [...slot.path, k]);
      // The recorder keeps the path, and the walk reuses slot.path.
      else replaceIn(slot.parent, slot.key, slot.path.slice());
    });
  }
  return resources;
};
