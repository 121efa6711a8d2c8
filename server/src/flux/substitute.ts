// kustomize-controller's post-build variable substitution (spec.postBuild), as the cluster sees it.
//
// The controller serialises each built object to YAML (sigs.k8s.io/yaml, so go-yaml v2's emitter),
// runs envsubst over that text, and parses the text back with YAML 1.1 rules. We work on values:
// each string is rendered the way that emitter would write it, substituted, and read back in the
// same place. So `replicas: ${count}` with count "3" becomes the number 3, `on` becomes true and
// `'${x}: y'` stays a string, exactly as on the cluster.
//
// Rules taken from the controller: substitution runs only when at least one variable is defined;
// objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are skipped;
// every variable name must match ^[_[:alpha:]][_[:alpha:][:digit:]]*$ or the build fails; values
// lose their "\n"; substituteFrom entries load in order (later wins) and inline `substitute` wins
// over all; an unset variable becomes "" unless strict mode (the StrictPostBuildSubstitutions
// feature gate) turns it into an error.
import { parseDocument, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { deepCopy, isObject, recordOrigin } from '../kustomize/resource';
import type { Json, JsonObject, Origin, Place, Problem, Range, Resource } from '../kustomize/types';
import { evaluate, isDefaultOperator, parseEnvsubst, references } from './envsubst';
import type { FluxKustomization } from './objects';

export const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';
/** A SOPS-encrypted value. */
const SOPS_VALUE = /^ENC\[[\s\S]*\]$/;
/** The controller's variable-name check; Go's [:alpha:] and [:digit:] are ASCII classes. */
export const VARIABLE_NAME_PATTERN = /^[_A-Za-z][_A-Za-z0-9]*$/;

export type Vars = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export interface SubstituteOptions {
  /** The StrictPostBuildSubstitutions feature gate: an unset variable without a default fails the build. */
  strict?: boolean;
  /** spec.postBuild.substituteStrategy: Always: substitute (defaults, unset to "") even when no variable is defined. */
  always?: boolean;
  /** Where problems about the whole substitution land (the Flux Kustomization). */
  file?: string;
  range?: Range;
  /** Where a value of a rendered object is, for problems and unresolved variables. */
  placeOf?: (objectIndex: number, path: ReadonlyArray<string | number>) => Place | undefined;
  /** Variables whose value comes from a Secret (substituteFrom): problem messages never quote them. */
  secretVariables?: ReadonlySet<string>;
}

export interface UnresolvedVariable {
  objectIndex: number;
  /** Path of the value (or, with `inKey`, of the map entry whose key) holding the reference. */
  path: Array<string | number>;
  variable: string;
  inKey: boolean;
  /** What the cluster does: `empty` (replaced by ""), `kept` (no substitution ran; `${VAR}` applied literally), `error` (strict mode fails the build). */
  outcome: 'empty' | 'kept' | 'error';
}

export interface SubstitutedValue {
  objectIndex: number;
  path: Array<string | number>;
  /** Variables read to produce the value (including ones that fell back to a default). */
  variables: string[];
}

export interface SubstituteResult {
  /** The objects as the controller would apply them. Unchanged objects are the same references. */
  objects: JsonObject[];
  unresolved: UnresolvedVariable[];
  substituted: SubstitutedValue[];
  problems: Problem[];
}

function toMap(vars: Vars | undefined): Map<string, string> {
  if (!vars) return new Map();
  if (vars instanceof Map) return new Map(vars);
  return new Map(Object.entries(vars as Record<string, string>));
}

export function isSubstitutionDisabled(object: JsonObject): boolean {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  return labels[SUBSTITUTE_KEY] === 'disabled' || annotations[SUBSTITUTE_KEY] === 'disabled';
}

/**
 * Substitutes `${VAR}` in every object. An object whose substitution fails (a syntax error, an
 * unset variable in strict mode, text that is no longer valid YAML) is returned unchanged with an
 * error: on the cluster that failure stops the whole Kustomization.
 */
export function substitute(objects: ReadonlyArray<JsonObject>, vars: Vars | undefined, opts: SubstituteOptions = {}): SubstituteResult {
  const map = toMap(vars);
  const result: SubstituteResult = { objects: [...objects], unresolved: [], substituted: [], problems: [] };
  const wholePlace: Place = { file: opts.file ?? '', ...(opts.range ? { range: opts.range } : {}) };
  const invalid = [...map.keys()].filter((k) => !VARIABLE_NAME_PATTERN.test(k));
  if (invalid.length > 0) {
    result.problems.push({
      code: 'flux-substitute-invalid-name',
      severity: 'error',
      message: `variable name${invalid.length > 1 ? 's' : ''} ${invalid.map((n) => `'${n}'`).join(', ')} ${invalid.length > 1 ? 'are' : 'is'} invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$': the controller substitutes nothing and the Kustomization fails. Rename to letters, digits and underscores.`,
      ...wholePlace,
    });
    return result;
  }
  const run = map.size > 0 || !!opts.always;
  objects.forEach((object, objectIndex) => {
    if (isSubstitutionDisabled(object)) return;
    const ctx: WalkContext = {
      vars: map,
      secretVariables: opts.secretVariables ?? new Set(),
      isSecret: object.kind === 'Secret',
      strict: !!opts.strict,
      run,
      objectIndex,
      unresolved: [],
      substituted: [],
      failure: undefined,
    };
    const out = walkValue(object, [], ctx, 0) as JsonObject;
    if (ctx.failure) {
      const place = opts.placeOf?.(objectIndex, ctx.failure.path) ?? wholePlace;
      result.problems.push({ code: ctx.failure.code, severity: 'error', message: ctx.failure.message, ...place });
      if (ctx.failure.code === 'flux-substitute-unset') result.unresolved.push(...ctx.unresolved);
      return;
    }
    result.objects[objectIndex] = out;
    result.unresolved.push(...ctx.unresolved);
    result.substituted.push(...ctx.substituted);
  });
  return result;
}

/** Substitutes in place over build resources, recording the substitution as the origin of each value it set. */
export function substituteResources(
  resources: Resource[],
  vars: Vars | undefined,
  origin: Origin,
  opts: SubstituteOptions = {},
): Omit<SubstituteResult, 'objects'> {
  const out = substitute(
    resources.map((r) => r.object),
    vars,
    { ...opts, file: opts.file ?? origin.file, ...((opts.range ?? origin.range) ? { range: opts.range ?? origin.range } : {}) },
  );
  out.objects.forEach((object, i) => {
    resources[i].object = object;
  });
  const fromSecrets = opts.secretVariables ?? new Set<string>();
  for (const s of out.substituted) {
    const resource = resources[s.objectIndex];
    recordOrigin(resource, s.path, { ...origin, kind: 'substitution' });
    if (s.variables.some((v) => fromSecrets.has(v))) (resource.secretValuePaths ??= []).push(s.path.slice());
  }
  return { unresolved: out.unresolved, substituted: out.substituted, problems: out.problems };
}

interface WalkContext {
  vars: Map<string, string>;
  secretVariables: ReadonlySet<string>;
  /** The object is a Secret: its data and stringData values are never quoted in a message. */
  isSecret: boolean;
  strict: boolean;
  run: boolean;
  objectIndex: number;
  unresolved: UnresolvedVariable[];
  substituted: SubstitutedValue[];
  failure: { code: string; message: string; path: Array<string | number> } | undefined;
}

const MAX_DEPTH = 512;

/**
 * `path` is one array pushed and popped on the way down (copied only where a value holds a `$` or a walk
 * fails), and a map is copied only once one of its entries changed: most values of a fleet hold no variable,
 * and a copy of every path and every map of every object was most of what substitution allocated.
 */
function walkValue(value: Json, path: Array<string | number>, ctx: WalkContext, depth: number): Json {
  if (ctx.failure) return value;
  if (depth > MAX_DEPTH) {
    ctx.failure = {
      code: 'flux-substitute-too-deep',
      message: 'the object nests deeper than 512 levels; substitution stopped.',
      path: path.slice(),
    };
    return value;
  }
  if (typeof value === 'string') return value.includes('$') ? substituteScalar(value, path.slice(), ctx, false) : value;
  if (Array.isArray(value)) {
    let copy: Json[] | undefined;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const next = walkValue(value[i], path, ctx, depth + 1);
      path.pop();
      if (next !== value[i]) (copy ??= value.slice())[i] = next;
    }
    return copy ?? value;
  }
  if (isObject(value)) {
    let out: JsonObject | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      let newKey = key;
      if (key.includes('$')) {
        const k = substituteScalar(key, [...path, key], ctx, true);
        newKey = typeof k === 'string' ? k : String(k);
      }
      path.push(newKey);
      const next = walkValue(value[key], path, ctx, depth + 1);
      path.pop();
      if (!out && (newKey !== key || next !== value[key])) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = value[keys[j]];
      }
      if (out) out[newKey] = next;
    }
    return out ?? value;
  }
  return value;
}

/** Substitutes one scalar (a string value, or a key with `inKey`) as it would appear in the emitted YAML. */
function substituteScalar(raw: string, path: Array<string | number>, ctx: WalkContext, inKey: boolean): Json {
  const style = emittedStyle(raw, inKey);
  const emitted =
    style === 'plain' || style === 'literal' ? raw : style === 'single' ? `'${raw.replace(/'/g, "''")}'` : JSON.stringify(raw);
  const parsed = parseEnvsubst(emitted);
  if (!ctx.run) {
    // No variables: the controller leaves the text alone; every reference reaches the cluster literally.
    for (const variable of parsed.ok ? references(parsed.root).map((r) => r.variable) : looseReferences(emitted)) {
      ctx.unresolved.push({ objectIndex: ctx.objectIndex, path, variable, inKey, outcome: 'kept' });
    }
    return raw;
  }
  // Problems reach the editor, the log and CI output: a Secret's value, or text holding one, is never quoted.
  const secretText = (ctx.isSecret && (path[0] === 'data' || path[0] === 'stringData')) || SOPS_VALUE.test(raw);
  if (!parsed.ok) {
    ctx.failure = {
      code: 'flux-substitute-syntax',
      message: `variable substitution failed: ${parsed.error} in ${secretText ? 'this Secret value' : JSON.stringify(raw)}. Escape a literal \${ as $\${.`,
      path,
    };
    return raw;
  }
  const refs = references(parsed.root);
  for (const r of refs) {
    if (ctx.vars.has(r.variable) || isDefaultOperator(r.op)) continue;
    ctx.unresolved.push({ objectIndex: ctx.objectIndex, path, variable: r.variable, inKey, outcome: ctx.strict ? 'error' : 'empty' });
  }
  const evaluated = evaluate(parsed.root, (n) => ctx.vars.get(n), ctx.strict);
  if (!evaluated.ok) {
    ctx.failure = {
      code: 'flux-substitute-unset',
      message: `variable substitution failed: ${evaluated.error}. Define ${evaluated.variable} in postBuild.substitute or substituteFrom, or give it a default: \${${evaluated.variable}:=value}.`,
      path,
    };
    return raw;
  }
  if (evaluated.text === emitted) return raw;
  if (refs.length > 0) ctx.substituted.push({ objectIndex: ctx.objectIndex, path, variables: [...new Set(refs.map((r) => r.variable))] });
  if (style === 'literal') return evaluated.text;
  const back = readScalarBack(evaluated.text, inKey);
  if (!back.ok) {
    const fromSecret = refs.map((r) => r.variable).filter((v) => ctx.secretVariables.has(v));
    const message =
      secretText || fromSecret.length > 0
        ? `YAMLToJSON: after substitution ${secretText ? 'this Secret value' : `${JSON.stringify(raw)} (with ${[...new Set(fromSecret)].join(', ')} from a Secret, not shown)`} is not valid YAML there. Quote the value in the variable or the manifest.`
        : `YAMLToJSON: after substitution ${JSON.stringify(raw)} reads as ${JSON.stringify(evaluated.text)}, which is not valid YAML there (${back.error}). Quote the value in the variable or the manifest.`;
    ctx.failure = { code: 'flux-substitute-yaml', message, path };
    return raw;
  }
  return back.value;
}

function looseReferences(text: string): string[] {
  const out: string[] = [];
  const re = /\$\$|\$\{([^}:=/#%,^]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[1] !== undefined && m[1] !== '') out.push(m[1]);
  return out;
}

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * The scalar style go-yaml v2's emitter picks for a string (in block context; keys are simple keys):
 * literal for multi-line text, double quotes for text that would read as another type or holds
 * unprintable characters, single quotes where plain would change meaning, else plain.
 */
export function emittedStyle(s: string, inKey = false): ScalarStyle {
  const chars = [...s];
  let special = false;
  let lineBreaks = false;
  let spaceBreak = false;
  let breakSpace = false;
  let blockIndicators = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const cp = c.codePointAt(0)!;
    const next = chars[i + 1];
    const followedByBlank = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    const precededByBlank = i > 0 && (chars[i - 1] === ' ' || chars[i - 1] === '\t' || chars[i - 1] === '\n');
    if (!isPrintable(cp) && c !== '\t') special = true;
    if (c === '\t') special = true;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':' || c === '-') && followedByBlank) blockIndicators = true;
    } else {
      if (c === ':' && followedByBlank) blockIndicators = true;
      if (c === '#' && precededByBlank) blockIndicators = true;
    }
    if (c === '\n') {
      lineBreaks = true;
      if (i > 0 && chars[i - 1] === ' ') spaceBreak = true;
      if (next === ' ') breakSpace = true;
    }
  }
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;
  const leadingSpace = s.startsWith(' ');
  const trailingSpace = s.endsWith(' ');
  const leadingBreak = s.startsWith('\n');
  const trailingBreak = s.endsWith('\n');
  if (special || spaceBreak) return 'double';
  if (lineBreaks) {
    if (inKey || trailingSpace) return 'double';
    return 'literal';
  }
  if (s === '' || typeof resolvePlain(s) !== 'string' || isBase60Float(s)) return 'double';
  const plainAllowed = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || blockIndicators || breakSpace);
  if (plainAllowed) return 'plain';
  return breakSpace ? 'double' : 'single';
}

function isBase60Float(s: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const YAML11_NULL = new Set(['', '~', 'null', 'Null', 'NULL']);

/** How go-yaml v2 reads a plain scalar (then as JSON): YAML 1.1 booleans, Go integer syntax, floats; everything else a string. */
export function resolvePlain(text: string): Json {
  if (YAML11_NULL.has(text)) return null;
  if (YAML11_TRUE.has(text)) return true;
  if (YAML11_FALSE.has(text)) return false;
  if (!/^[-+0-9.]/.test(text)) return text;
  const plain = text.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) return int;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return Number.parseFloat(plain);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text; // infinities do not survive JSON; leave the text
  return text;
}

/** Go's strconv.ParseInt(s, 0, 64), falling back to ParseUint: decimal, 0x, 0o, 0b and leading-0 octal. */
function goParseInt(s: string): number | bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2];
  let magnitude: bigint;
  if (/^0[oO]/.test(digits)) magnitude = BigInt('0o' + digits.slice(2));
  else if (/^0[0-7]+$/.test(digits)) magnitude = BigInt('0o' + digits.slice(1));
  else magnitude = BigInt(digits);
  const value = m[1] === '-' ? -magnitude : magnitude;
  if (value < -(1n << 63n) || value > (1n << 64n) - 1n || (m[1] === '-' && value > 0n)) return undefined;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

type ReadBack = { ok: true; value: Json } | { ok: false; error: string };

/**
 * What each substituted text read back as, by text: the same variables give the same texts in every object
 * of a fleet (a cluster name, a domain), and parsing each again as YAML costs more than the rest of the
 * substitution. A map or list read back is copied for each use: objects are changed by later steps.
 */
const readBackMemo = new Map<string, ReadBack>();

function readScalarBack(text: string, inKey: boolean): ReadBack {
  const memoKey = `${inKey ? 'k' : 'v'}${text}`;
  let read = readBackMemo.get(memoKey);
  if (!read) {
    read = readScalarBackUncached(text, inKey);
    if (readBackMemo.size >= 10_000) readBackMemo.clear();
    readBackMemo.set(memoKey, read);
  }
  return read.ok && read.value !== null && typeof read.value === 'object' ? { ok: true, value: deepCopy(read.value) } : read;
}

/** Reads substituted scalar text back in the place it was emitted (a mapping value or a key). */
function readScalarBackUncached(text: string, inKey: boolean): ReadBack {
  const doc = parseDocument(inKey ? `${text}: x` : `k: ${text}`, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0) return { ok: false, error: doc.errors[0].message.split('\n')[0] };
  const root = doc.contents;
  if (!isMap(root) || root.items.length !== 1) return { ok: false, error: 'it no longer reads as one value' };
  const pair = root.items[0];
  const node = (inKey ? pair.key : pair.value) as YamlNode | null;
  const value = node === null ? null : toJson(node, 0);
  if (value === undefined) return { ok: false, error: 'unsupported YAML in the result' };
  if (inKey) return { ok: true, value: typeof value === 'string' ? value : value === null ? 'null' : String(value) };
  return { ok: true, value };
}

function toJson(node: YamlNode, depth: number): Json | undefined {
  if (depth > 64) return undefined;
  if (isScalar(node)) {
    const text = String(node.value);
    return node.type === 'PLAIN' ? resolvePlain(text) : text;
  }
  if (isSeq(node)) {
    const out: Json[] = [];
    for (const item of node.items) {
      const v = item === null ? null : toJson(item as YamlNode, depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      const k = pair.key === null ? null : toJson(pair.key as YamlNode, depth + 1);
      const v = pair.value === null ? null : toJson(pair.value as YamlNode, depth + 1);
      if (k === undefined || v === undefined || (k !== null && typeof k === 'object')) return undefined;
      out[k === null ? 'null' : String(k)] = v;
    }
    return out;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Variables: spec.postBuild.substituteFrom (in order) then spec.postBuild.substitute.

export interface FoundObject {
  object: JsonObject;
  file?: string;
  range?: Range;
}

/** Finds a ConfigMap or Secret the cluster would hold (rendered by some Kustomization, or found in the repo). */
export type FindObject = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => FoundObject | undefined;

export interface VarOrigin {
  /** `substitute` for inline values, `stand-in` for the repository's local stand-ins, else the kind of object the value came from. */
  from: 'substitute' | 'ConfigMap' | 'Secret' | 'stand-in';
  /** A stand-in for a missing Secret: its value is masked like a Secret's. */
  secret?: boolean;
  /** For ConfigMap/Secret: the object's name and namespace, and the data key. */
  name?: string;
  namespace?: string;
  key?: string;
  /** Where the value is written: the object's file, or the Flux Kustomization for inline values. */
  file: string;
  range?: Range;
}

export interface CollectedVars {
  vars: Map<string, string>;
  problems: Problem[];
  origins: Map<string, VarOrigin>;
  /** Whether local stand-ins were read (a substituteFrom object is not in the repository). */
  usedStandIns: boolean;
}

/**
 * Local stand-ins for the variables of substituteFrom objects that exist only on the cluster (`.fluxenv.yaml`
 * `substitutions:`, read by fleet/repoConfig.ts): used only when such an object is missing, and only for
 * variables the repository's own objects and inline `substitute` do not define.
 */
export interface StandInVars {
  vars: ReadonlyMap<string, string>;
  origins: ReadonlyMap<string, { file: string; range?: Range }>;
  /** Variables standing in for a Secret's keys: masked like a Secret's. */
  secret?: ReadonlySet<string>;
}

/** Whether a variable's value comes from a Secret (or stands in for one): never shown. */
export function isSecretVariable(origin: VarOrigin | undefined): boolean {
  return origin?.from === 'Secret' || origin?.secret === true;
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * The variables a Flux Kustomization substitutes with, and where each came from. A missing
 * ConfigMap/Secret that is not `optional` is an error (the controller fails the reconciliation).
 */
export function collectVars(kustomization: FluxKustomization, findObject: FindObject, standIns?: StandInVars): CollectedVars {
  const vars = new Map<string, string>();
  const origins = new Map<string, VarOrigin>();
  const problems: Problem[] = [];
  let usedStandIns = false;
  const post = kustomization.postBuild;
  const placeAt = (path: ReadonlyArray<string | number>): Place => {
    const range = kustomization.place.rangeOf?.(path) ?? kustomization.place.range;
    return { file: kustomization.place.file, ...(range ? { range } : {}) };
  };
  if (!post) return { vars, problems, origins, usedStandIns };
  for (const ref of post.substituteFrom) {
    const found = findObject(ref.kind, kustomization.namespace, ref.name);
    if (!found) {
      if (standIns) {
        // Made outside git: the local stand-ins take its place (and the missing object is no error here).
        usedStandIns = true;
        continue;
      }
      if (!ref.optional) {
        problems.push({
          code: 'flux-substitute-from-missing',
          severity: 'error',
          message: `substitute from '${ref.kind}/${ref.name}' error: no ${ref.kind} "${ref.name}" in namespace "${kustomization.namespace}" is defined in this cluster, so the Kustomization fails. Add it, fix the name, or mark the entry optional: true.`,
          ...placeAt([...ref.path, 'name']),
        });
      }
      continue;
    }
    const sourceFile = found.file ?? kustomization.place.file;
    const put = (key: string, value: string) => {
      vars.set(key, value.replace(/\n/g, ''));
      origins.set(key, {
        from: ref.kind,
        name: ref.name,
        namespace: kustomization.namespace,
        key,
        file: sourceFile,
        ...(found.range ? { range: found.range } : {}),
      });
    };
    if (ref.kind === 'Secret' && found.object.sops !== undefined) {
      problems.push({
        code: 'flux-substitute-from-encrypted',
        severity: 'warning',
        message: `Secret "${ref.name}" is SOPS-encrypted; its variables are known only on the cluster, so substituted values here are placeholders.`,
        ...placeAt([...ref.path, 'name']),
      });
    }
    const data = isObject(found.object.data) ? found.object.data : {};
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') continue;
      if (ref.kind === 'ConfigMap') put(key, value);
      else {
        const decoded = decodeBase64(value);
        if (decoded === undefined) {
          problems.push({
            code: 'flux-secret-data-not-base64',
            severity: 'error',
            message: `Secret "${ref.name}" data.${key} is not valid base64, so the API server rejects the Secret. Encode it, or move it to stringData.`,
            file: sourceFile,
            ...(found.range ? { range: found.range } : {}),
          });
          continue;
        }
        put(key, decoded);
      }
    }
    // The API server folds stringData into data on write, stringData winning.
    if (ref.kind === 'Secret' && isObject(found.object.stringData)) {
      for (const [key, value] of Object.entries(found.object.stringData)) if (typeof value === 'string') put(key, value);
    }
  }
  if (usedStandIns && standIns) {
    // The repository's own values win: stand-ins fill only what no object of the repository defines.
    for (const [key, value] of standIns.vars) {
      if (vars.has(key)) continue;
      vars.set(key, value.replace(/\n/g, ''));
      const where = standIns.origins.get(key);
      origins.set(key, {
        from: 'stand-in',
        ...(standIns.secret?.has(key) ? { secret: true } : {}),
        key,
        file: where?.file ?? kustomization.place.file,
        ...(where?.range ? { range: where.range } : {}),
      });
    }
  }
  for (const [key, value] of Object.entries(post.substitute)) {
    vars.set(key, value.replace(/\n/g, ''));
    const range = kustomization.place.rangeOf?.(['spec', 'postBuild', 'substitute', key]) ?? kustomization.place.range;
    origins.set(key, { from: 'substitute', file: kustomization.place.file, ...(range ? { range } : {}) });
  }
  for (const key of vars.keys()) {
    if (VARIABLE_NAME_PATTERN.test(key)) continue;
    const origin = origins.get(key)!;
    problems.push({
      code: 'flux-substitute-invalid-name',
      severity: 'error',
      message: `'${key}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'; the controller substitutes nothing and the Kustomization fails. Use only letters, digits and underscores${origin.from === 'substitute' ? '' : ` (it is a data key of ${origin.from} "${origin.name}")`}.`,
      file: origin.file,
      ...(origin.range ? { range: origin.range } : {}),
    });
  }
  return { vars, problems, origins, usedStandIns };
}
