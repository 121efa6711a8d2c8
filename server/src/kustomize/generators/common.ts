// What configMapGenerator and secretGenerator share: reading key/value pairs from `envs`, `literals`
// and `files` the way kustomize's kv loader does, merging per-entry `options` with the kustomization's
// `generatorOptions`, and combining a generated object with an existing one (behavior merge/replace).
import { deepCopy, isObject, originAt, recordOrigin, setField } from '../resource';
import type { StepConfig } from '../transformer';
import type { GeneratorBehavior, Json, JsonObject, Problem, Resource } from '../types';

/** What the build hands a generator: one entry, the merged options, and guarded file access. */
export interface GeneratorInput extends StepConfig {
  /** One configMapGenerator/secretGenerator entry as written. */
  args: JsonObject;
  /** The kustomization's generatorOptions. */
  globalOptions?: JsonObject;
  /** Generators know only their own `namespace` field, never the kustomization's. */
  namespace?: string;
  /**
   * Reads a file relative to the kustomization, with load restrictions already applied. `bytes`, when
   * given, is the exact content: only with it can non-UTF-8 files become ConfigMap binaryData.
   */
  readFile(relPath: string): { text: string; file: string; bytes?: Uint8Array } | { problem: Problem };
  /** kustomize v5.5 refuses folders in `files:` ("must resolve to a file"), so this is only used to say so. */
  listDir(relPath: string): string[] | undefined;
}

export interface GeneratorOutput {
  resource?: Resource;
  problems: Problem[];
}

/** One generated key with its content: text for valid UTF-8, bytes otherwise. */
export interface KeyValue {
  key: string;
  value: string;
  /** Present when the content is not valid UTF-8 (file sources only). */
  bytes?: Uint8Array;
}

export interface EffectiveOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash: boolean;
  immutable: boolean;
}

function stringMap(value: Json | undefined): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) setField(out, k, v === null ? '' : typeof v === 'string' ? v : String(v));
  return out;
}

/** kustomize's MergeGlobalOptionsIntoLocal: entry labels/annotations win; global `true` flags win. */
export function mergeGeneratorOptions(local: Json | undefined, global: Json | undefined): EffectiveOptions {
  const l = isObject(local) ? local : {};
  const g = isObject(global) ? global : {};
  const mergeMap = (lm: Record<string, string> | undefined, gm: Record<string, string> | undefined) => {
    if (!lm) return gm ? { ...gm } : undefined;
    return { ...(gm ?? {}), ...lm };
  };
  return {
    labels: mergeMap(stringMap(l.labels), stringMap(g.labels)),
    annotations: mergeMap(stringMap(l.annotations), stringMap(g.annotations)),
    disableNameSuffixHash: l.disableNameSuffixHash === true || g.disableNameSuffixHash === true,
    immutable: l.immutable === true || g.immutable === true,
  };
}

/** Go's unicode.IsSpace, which kustomize uses to trim the start of env-file lines. */
function isGoSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(ch);
}

/**
 * Parses an env file like kustomize: lines split at `\n` (a trailing `\r` dropped), a BOM dropped on
 * the first line only, leading whitespace trimmed, blank and `#` lines skipped, the key is everything
 * before the first `=` (kept verbatim, trailing spaces included), the value everything after it
 * (verbatim: no quote removal, no `export`), and a line without `=` yields an empty value.
 */
export function parseEnvFile(text: string): { pairs: KeyValue[]; error?: string } {
  const pairs: KeyValue[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (i === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    let start = 0;
    while (start < line.length && isGoSpace(line[start])) start++;
    line = line.slice(start);
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    pairs.push({ key, value });
  }
  return { pairs };
}

/** A literal `k=v`: split at the first `=`; one pair of matching surrounding quotes is removed from v. */
export function parseLiteral(source: string): KeyValue | { error: string } {
  const eq = source.indexOf('=');
  if (eq <= 0) return { error: `invalid literal source ${source}, expected key=value` };
  const key = source.slice(0, eq);
  let value = source.slice(eq + 1);
  if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) {
    value = value.slice(1, -1);
  }
  return { key, value };
}

/** A file source: `path` (key = base name) or `key=path`. */
export function parseFileSource(source: string): { key: string; path: string } | { error: string } {
  const count = source.split('=').length - 1;
  if (count === 0) {
    const trimmed = source.replace(/\/+$/, '');
    const slash = trimmed.lastIndexOf('/');
    return { key: slash < 0 ? trimmed : trimmed.slice(slash + 1), path: source };
  }
  if (count > 1) return { error: `source "${source}" key name or file path contains '='` };
  const [key, path] = source.split('=');
  if (key === '') return { error: `missing key name for file path "${path}" in source "${source}"` };
  if (path === '') return { error: `missing file path for key name "${key}" in source "${source}"` };
  return { key, path };
}

function stringList(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'string' ? v : String(v)));
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function problemAt(input: GeneratorInput, message: string, code = 'generator-error'): Problem {
  return { code, severity: 'error', message, file: input.origin.file, range: input.origin.range };
}

/**
 * Loads every pair of an entry in kustomize's order (env files, then literals, then files) and
 * refuses a key given twice. Stops at the first error, as kustomize does.
 */
export function loadKeyValues(input: GeneratorInput): { pairs: KeyValue[]; problems: Problem[] } {
  const args = input.args;
  const pairs: KeyValue[] = [];
  const fail = (message: string, code?: string) => ({ pairs: [], problems: [problemAt(input, message, code)] });

  const envSources = [...stringList(args.env), ...stringList(args.envs)];
  for (const env of envSources) {
    const read = input.readFile(env);
    if ('problem' in read) return { pairs: [], problems: [read.problem] };
    if (read.bytes && !isValidUtf8(read.bytes)) {
      return fail(`env source files: [${envSources.join(' ')}]: ${env} has invalid utf8 bytes`);
    }
    pairs.push(...parseEnvFile(read.text).pairs);
  }
  const literals = stringList(args.literals);
  for (const literal of literals) {
    const parsed = parseLiteral(literal);
    if ('error' in parsed) return fail(`loading KV pairs: literal sources [${literals.join(' ')}]: ${parsed.error}`);
    pairs.push(parsed);
  }
  const files = stringList(args.files);
  for (const source of files) {
    const parsed = parseFileSource(source);
    if ('error' in parsed) return fail(`loading KV pairs: file sources: [${files.join(' ')}]: ${parsed.error}`);
    if (input.listDir(parsed.path) !== undefined) {
      return fail(`loading KV pairs: file sources: [${files.join(' ')}]: '${parsed.path}' must resolve to a file`);
    }
    const read = input.readFile(parsed.path);
    if ('problem' in read) return { pairs: [], problems: [read.problem] };
    if (read.bytes && !isValidUtf8(read.bytes)) pairs.push({ key: parsed.key, value: '', bytes: read.bytes });
    else pairs.push({ key: parsed.key, value: read.text });
  }
  const seen = new Set<string>();
  for (const p of pairs) {
    // kustomize says "configmap" here for Secrets too.
    if (seen.has(p.key)) return fail(`configmap ${entryName(args)} illegally repeats the key \`${p.key}\``, 'duplicate-key');
    seen.add(p.key);
  }
  return { pairs, problems: [] };
}

/**
 * Characters kustomize's YAML round trip rejects ("control characters are not allowed"): DEL, the C1
 * controls other than NEL, and the non-characters U+FFFE/U+FFFF. Other controls are escaped and pass.
 */
export function hasYamlForbiddenCharacter(text: string): boolean {
  return /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.test(text);
}

/**
 * Base64 the way kustomize writes generated Secret data and ConfigMap binaryData: lines of 70
 * characters, each followed by a newline once the text is 70 characters or longer.
 */
export function wrappedBase64(bytes: Uint8Array): string {
  const LINE = 70;
  const plain = Buffer.from(bytes).toString('base64');
  if (plain.length < LINE) return plain;
  let out = '';
  for (let i = 0; i < plain.length; i += LINE) out += plain.slice(i, i + LINE) + '\n';
  return out;
}

export function entryName(args: JsonObject): string {
  return typeof args.name === 'string' ? args.name : '';
}

export function parseBehavior(value: Json | undefined): GeneratorBehavior {
  // Unknown words behave like `create`, as in kustomize.
  return value === 'merge' || value === 'replace' ? value : 'create';
}

/** The metadata, `immutable` flag and generated marker every generated object carries. */
export function finishGenerated(input: GeneratorInput, resource: Resource, options: EffectiveOptions): void {
  const meta = resource.object.metadata as JsonObject;
  if (input.namespace) meta.namespace = input.namespace;
  else if (typeof input.args.namespace === 'string' && input.args.namespace !== '') meta.namespace = input.args.namespace;
  if (options.labels && Object.keys(options.labels).length > 0) meta.labels = { ...options.labels };
  if (options.annotations && Object.keys(options.annotations).length > 0) meta.annotations = { ...options.annotations };
  if (options.immutable) resource.object.immutable = true;
  resource.generated = { behavior: parseBehavior(input.args.behavior), appendHash: !options.disableNameSuffixHash };
  recordOrigin(resource, [], input.origin);
}

function stringRecord(value: Json | undefined): Record<string, Json> {
  return isObject(value) ? value : {};
}

/**
 * How a generated object combines with an existing one of the same id. `replace` keeps the new
 * content; `merge` also keeps the existing data/binaryData keys the new object does not set. Either
 * way the existing name and namespace stay, labels and annotations merge (new wins), and the hash
 * suffix survives only when both objects asked for it.
 */
export function mergeGenerated(existing: Resource, generated: Resource): { resource?: Resource; problem?: string } {
  const behavior = generated.generated?.behavior ?? 'create';
  if (behavior === 'create') return { problem: `id ${describe(existing)} exists; behavior must be merge or replace` };
  const object = deepCopy(generated.object);
  const oldMeta = stringRecord(existing.object.metadata);
  const newMeta = stringRecord(object.metadata);
  const merged: JsonObject = { ...newMeta };
  const labels = { ...stringRecord(oldMeta.labels), ...stringRecord(newMeta.labels) };
  const annotations = { ...stringRecord(oldMeta.annotations), ...stringRecord(newMeta.annotations) };
  if (Object.keys(labels).length > 0) merged.labels = labels;
  else delete merged.labels;
  if (Object.keys(annotations).length > 0) merged.annotations = annotations;
  else delete merged.annotations;
  if (typeof oldMeta.name === 'string') merged.name = oldMeta.name;
  if (typeof oldMeta.namespace === 'string' && oldMeta.namespace !== '') merged.namespace = oldMeta.namespace;
  else delete merged.namespace;
  object.metadata = merged;
  const setBy = new Map(generated.setBy);
  if (behavior === 'merge') {
    for (const field of ['data', 'binaryData']) {
      const fresh = stringRecord(object[field]);
      const combined = { ...stringRecord(existing.object[field]), ...fresh };
      if (Object.keys(combined).length > 0) object[field] = combined;
      // Keys kept from the existing object still come from where the existing object got them.
      for (const key of Object.keys(combined)) {
        if (key in fresh) continue;
        const origin = originAt(existing, [field, key]);
        if (origin) setBy.set(`${field}/${key}`, origin);
      }
    }
  }
  const appendHash = !!existing.generated?.appendHash && !!generated.generated?.appendHash;
  const resource: Resource = {
    object,
    source: existing.source,
    setBy,
    previousIds: existing.previousIds.slice(),
    generated: { behavior, appendHash },
    // kustomize merges into the existing object: the vars bound to it and the transformers it went through stay.
    ...(existing.refVarNames ? { refVarNames: existing.refVarNames.slice() } : {}),
    ...(existing.transformations ? { transformations: existing.transformations.slice() } : {}),
  };
  return { resource };
}

function describe(r: Resource): string {
  const meta = stringRecord(r.object.metadata);
  return `${String(r.object.kind)}/${String(meta.name)}`;
}
