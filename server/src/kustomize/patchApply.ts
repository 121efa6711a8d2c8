// What the three patch transformers (`patches`, `patchesStrategicMerge`, `patchesJson6902`) share:
// reading patch text as a strategic merge patch or a JSON 6902 patch, applying either to the
// resources kustomize would pick, recording who set each value, and reporting failures at the
// place in the patch that caused them.
import * as path from 'path';
import { applyJsonPatch, parseJsonPatchCached, type JsonPatchOperation } from './merge/jsonpatch';
import { strategicMerge } from './merge/strategic';
import { deepCopy, idString, isObject, recordOrigin, resId, resIdOf, sameId } from './resource';
import { effectiveNamespace } from './select';
import type { StepConfig, TransformContext } from './transformer';
import type { Json, JsonObject, Origin, Problem, Range, ResId, Resource } from './types';
import { parseYamlFileCached, type ParsedDocument, type ParseLimits } from './yaml/parse';
import type { Selector } from './select';

export interface PatchConfig extends StepConfig {
  /** The patch text: inline `patch:` content, or the content of the `path:` file. */
  text: string;
  /**
   * The file the text is in (the patch file, or the kustomization file for inline patches) and, for
   * inline text, the 0-based line where it starts in that file (so ranges point at the right lines).
   */
  file: string;
  lineOffset?: number;
  /** For inline text in a block scalar: the indentation its lines have in the file. */
  columnOffset?: number;
  target?: Selector;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
  /** The build's bounds on parsing the patch text; defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
}

export type ProblemCode = 'patch-no-match' | 'patch-failed' | 'invalid-patch';

/** One document of a strategic merge patch, with the means to say where its values are. */
export interface StrategicPatchDocument {
  value: JsonObject;
  document: ParsedDocument;
}

export type ReadPatch =
  | { kind: 'strategic'; documents: StrategicPatchDocument[] }
  | {
      kind: 'json6902';
      operations: JsonPatchOperation[];
      /** Set when the text is no JSON patch either; kustomize only finds out when it applies it to an object. */
      decodeError?: { message: string; range?: Range };
    }
  | { kind: 'invalid'; problem: Problem };

/** A failure that ends the step, as kustomize aborts the build on the first one. Never leaves this module. */
class PatchFailure {
  constructor(readonly problem: Problem) {}
}

export function shiftRange(range: Range | undefined, config: PatchConfig): Range | undefined {
  if (!range) return undefined;
  const dl = config.lineOffset ?? 0;
  const dc = config.columnOffset ?? 0;
  return {
    start: { line: range.start.line + dl, character: range.start.character + dc },
    end: { line: range.end.line + dl, character: range.end.character + dc },
  };
}

export function problemAt(config: PatchConfig, code: ProblemCode, message: string, range?: Range): Problem {
  return { code, severity: 'error', message, file: config.file, range: shiftRange(range, config) };
}

/** A problem about the kustomization entry itself (its target, its options), placed at the entry. */
export function problemAtEntry(config: PatchConfig, code: ProblemCode, message: string): Problem {
  return { code, severity: 'error', message, file: config.origin.file, range: config.origin.range };
}

/**
 * kustomize quietly applies a patch whose target selects nothing; the editor still wants to say so,
 * as a warning at the entry, since it is almost always a typo or a base that changed.
 */
export function targetMatchesNothing(config: PatchConfig, describedTarget: string): Problem {
  return {
    code: 'patch-no-match',
    severity: 'warning',
    message: `patch target ${describedTarget} selects no resource; the patch changes nothing`,
    file: config.origin.file,
    range: config.origin.range,
  };
}

/** Go's %q, which kustomize uses to quote patch text in its messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** How kustomize names a patch in messages: `[patch: "..."]` inline, `[path: "file"]` from a file. */
export function patchSource(config: PatchConfig, ctx: TransformContext): string {
  // Inline text lives in the kustomization file itself.
  if (config.file === ctx.kustomizationFile) return `[patch: ${goQuote(config.text.trim())}]`;
  const rel = path.posix.relative(path.posix.dirname(ctx.kustomizationFile), config.file);
  return `[path: ${goQuote(rel)}]`;
}

function wholeTextRange(text: string): Range {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

function isEmptyDocument(v: Json): boolean {
  return v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** Why a document cannot be a strategic merge patch (kustomize reads it as a resource), or undefined. */
function strategicDocumentError(v: Json): string | undefined {
  if (!isObject(v)) return 'a strategic merge patch must be a map';
  if (typeof v.kind !== 'string' || v.kind === '') return 'missing kind in strategic merge patch';
  const meta = v.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '') return 'missing metadata.name in strategic merge patch';
  return undefined;
}

interface StrategicRead {
  documents?: StrategicPatchDocument[];
  error?: { message: string; range?: Range };
  yamlProblems: Problem[];
}

export function readStrategicPatch(config: PatchConfig): StrategicRead {
  // Cached: the same patch text is read by every render; its values are never mutated here.
  const parsed = parseYamlFileCached(config.file, config.text, config.parseLimits);
  const yamlProblems = parsed.problems.map((p) => ({ ...p, file: config.file, range: shiftRange(p.range, config) }));
  if (parsed.problems.some((p) => p.severity === 'error')) {
    return { error: { message: parsed.problems[0].message, range: parsed.problems[0].range }, yamlProblems };
  }
  const documents: StrategicPatchDocument[] = [];
  for (const document of parsed.documents) {
    if (isEmptyDocument(document.value)) continue;
    const why = strategicDocumentError(document.value);
    if (why) return { error: { message: why, range: document.range }, yamlProblems };
    documents.push({ value: document.value as JsonObject, document });
  }
  return { documents, yamlProblems };
}

/**
 * Classifies patch text like kustomize's `patches` field: a strategic merge patch is one or more
 * documents that read as resources (kind and name); a JSON 6902 patch is a list of operations in
 * the first document. Text that is both (an empty document, `[]`) or neither is an error.
 */
export function readPatch(config: PatchConfig, ctx: TransformContext): ReadPatch {
  // Both only word failures; computing them for every patch of every render is wasted work.
  const source = () => patchSource(config, ctx);
  const whole = () => wholeTextRange(config.text);
  const inline = config.file === ctx.kustomizationFile;
  if (inline && config.text.trim() === '') {
    return { kind: 'invalid', problem: problemAtEntry(config, 'invalid-patch', 'must specify one of patch and path') };
  }
  // An empty patch file reads as no strategic merge patch at all, so kustomize takes it for an empty
  // JSON patch (which needs a target, and then changes nothing).
  if (config.text === '') return { kind: 'json6902', operations: [] };
  const strategic = readStrategicPatch(config);
  // A first document that reads as an object is never a JSON patch (a list): skip parsing the text again.
  if (strategic.documents !== undefined && strategic.documents.length > 0 && strategic.documents[0].document.index === 0) {
    return { kind: 'strategic', documents: strategic.documents };
  }
  const json = parseJsonPatchCached(config.text);
  const strategicOk = strategic.documents !== undefined;
  const jsonOk = json.operations !== undefined;
  if (strategicOk && strategic.documents!.length === 0 && !jsonOk) {
    // No strategic merge patch in the text (`{}`): kustomize takes it for a JSON patch and fails to
    // decode it only when it applies it to a selected object.
    return { kind: 'json6902', operations: [], decodeError: { message: json.error ?? 'not a JSON 6902 patch', range: json.range } };
  }
  if (strategicOk && jsonOk) {
    return {
      kind: 'invalid',
      problem: problemAt(config, 'invalid-patch', `illegally qualifies as both an SM and JSON patch: ${source()}`, whole()),
    };
  }
  if (!strategicOk && !jsonOk) {
    const range = strategic.error?.range ?? json.range ?? whole();
    const problem = problemAt(config, 'invalid-patch', `unable to parse SM or JSON patch from ${source()}`, range);
    const detail = strategic.yamlProblems[0]?.message;
    if (detail) problem.related = [{ file: config.file, range: strategic.yamlProblems[0].range, message: detail }];
    return { kind: 'invalid', problem };
  }
  if (strategicOk) return { kind: 'strategic', documents: strategic.documents! };
  return { kind: 'json6902', operations: json.operations! };
}

function patchOrigin(config: PatchConfig, range: Range | undefined): Origin {
  return { kind: 'patch', step: config.origin.step, file: config.file, range: shiftRange(range, config) };
}

/** Forgets who set the values at and beneath a path that a patch removed. */
function forgetOrigins(r: Resource, at: ReadonlyArray<string | number>): void {
  const key = at.join('/');
  for (const k of Array.from(r.setBy.keys())) if (k === key || k.startsWith(key + '/')) r.setBy.delete(k);
}

/** kustomize remembers the id an object had before a patch renamed it, so later selectors still find it. */
function rememberPreviousId(r: Resource, before: ResId): void {
  if (!sameId(before, resId(r))) r.previousIds.push(before);
}

function setMetadataField(object: JsonObject, field: 'name' | 'namespace', value: string): void {
  if (!isObject(object.metadata)) {
    if (value === '') return;
    object.metadata = {};
  }
  const meta = object.metadata as JsonObject;
  if (value === '' && field === 'namespace') delete meta[field];
  else meta[field] = value;
}

export interface StrategicApplyOptions {
  allowNameChange: boolean;
  allowKindChange: boolean;
  /** The caller owns the objects (TransformContext.ownsResources): merge into them, not into copies. */
  inPlace?: boolean;
}

/**
 * kustomize's Resource.ApplySmPatch: merge, then put back the kind and name (unless the options
 * allow changing them) and always the namespace. Returns the patched copy, or null when the patch
 * deleted the object.
 */
function applyStrategicToResource(
  resource: Resource,
  patch: StrategicPatchDocument,
  patchValue: JsonObject,
  config: PatchConfig,
  options: StrategicApplyOptions,
): Resource | null {
  const before = resId(resource);
  // strategicMerge copies the object itself and leaves it untouched, so only the bookkeeping is copied here.
  const out = cloneResourceBookkeeping(resource);
  const originalMeta = isObject(resource.object.metadata) ? resource.object.metadata : {};
  const originalName = typeof originalMeta.name === 'string' ? originalMeta.name : '';
  const originalNamespace = typeof originalMeta.namespace === 'string' ? originalMeta.namespace : '';
  const originalKind = typeof resource.object.kind === 'string' ? resource.object.kind : '';
  const sets: Array<{ target: Array<string | number>; patch: Array<string | number> }> = [];
  const gvk = { group: before.group, version: before.version, kind: before.kind };
  const onSet = (target: Array<string | number>, patchPath: Array<string | number>) =>
    sets.push({ target: [...target], patch: [...patchPath] });
  const merged = strategicMerge(resource.object, patchValue, gvk, onSet, options);
  if (merged.problems.length > 0) {
    throw new PatchFailure(problemAt(config, 'patch-failed', merged.problems.join('; '), patch.document.range));
  }
  if (merged.result === null) return null;
  out.object = merged.result;
  for (const s of sets) recordPatchOrigin(out, s.target, patchOrigin(config, locatePatchValue(patch, s.patch)));
  if (!options.allowKindChange) {
    if (out.object.kind !== originalKind) {
      out.object.kind = originalKind;
      forgetOrigins(out, ['kind']);
    }
  }
  if (!options.allowNameChange) {
    const meta = isObject(out.object.metadata) ? out.object.metadata : undefined;
    if (!meta || meta.name !== originalName) {
      setMetadataField(out.object, 'name', originalName);
      forgetOrigins(out, ['metadata', 'name']);
    }
  }
  const metaAfter = isObject(out.object.metadata) ? out.object.metadata : undefined;
  if ((metaAfter?.namespace ?? '') !== originalNamespace) {
    setMetadataField(out.object, 'namespace', originalNamespace);
    forgetOrigins(out, ['metadata', 'namespace']);
  }
  if (options.allowNameChange || options.allowKindChange) rememberPreviousId(out, before);
  return out;
}

/** A resource sharing `r.object` (the caller replaces it) with its own copies of everything else. */
function cloneResourceBookkeeping(r: Resource): Resource {
  return {
    object: r.object,
    source: r.source,
    setBy: new Map(r.setBy),
    previousIds: r.previousIds.slice(),
    nameAffixes: r.nameAffixes ? { prefixes: r.nameAffixes.prefixes.slice(), suffixes: r.nameAffixes.suffixes.slice() } : undefined,
    generated: r.generated ? { ...r.generated } : undefined,
    ...(r.refVarNames ? { refVarNames: r.refVarNames.slice() } : {}),
    ...(r.transformations ? { transformations: r.transformations.slice() } : {}),
  };
}

// Parsed patch documents are cached across renders, so the ranges of their values are too: locating
// a path walks the document's nodes, and every render asks for the same paths.
const locatedRanges = new WeakMap<ParsedDocument, Map<string, Range | undefined>>();

function locatePatchValue(patch: StrategicPatchDocument, at: ReadonlyArray<string | number>): Range | undefined {
  let ranges = locatedRanges.get(patch.document);
  if (!ranges) {
    ranges = new Map();
    locatedRanges.set(patch.document, ranges);
  }
  // Segments are typed (a key "0" differs from item 0), so the cache key keeps the type.
  const key = at.map((seg) => (typeof seg === 'number' ? `#${seg}` : `.${seg}`)).join('');
  if (ranges.has(key)) return ranges.get(key);
  const range = patch.document.locate(at) ?? patch.document.range;
  // Bounded: a document has finitely many paths, but a hostile one could have very many.
  if (ranges.size < 10_000) ranges.set(key, range);
  return range;
}

function recordPatchOrigin(r: Resource, at: ReadonlyArray<string | number>, origin: Origin): void {
  // A patch that replaced the whole object replaced every record beneath it too.
  if (at.length === 0) r.setBy.clear();
  recordOrigin(r, at, origin);
}

/** Resources whose current or any earlier id is `id` (kustomize's GetMatchingResourcesByAnyId). */
export function resourcesWithAnyId(resources: readonly Resource[], id: ResId): Resource[] {
  const same = (a: ResId) =>
    a.group === id.group &&
    a.version === id.version &&
    a.kind === id.kind &&
    a.name === id.name &&
    effectiveNamespace(a) === effectiveNamespace(id);
  // Kind and name first, read straight from the object: most objects differ there, and building full
  // ids for every object and every patch is quadratic work on large overlays.
  return resources.filter((r) => {
    const meta = r.object.metadata;
    const name = meta !== null && typeof meta === 'object' && !Array.isArray(meta) && typeof meta.name === 'string' ? meta.name : '';
    if ((r.object.kind !== id.kind || name !== id.name) && !r.previousIds.some((p) => p.kind === id.kind && p.name === id.name))
      return false;
    return same(resId(r)) || r.previousIds.some(same);
  });
}

function kindNameKey(kind: string, name: string): string {
  return kind + '\u0000' + name;
}

/**
 * Resources by kind and name, current and earlier (the cheap first test of resourcesWithAnyId), so a
 * patch finds its object without scanning every object: a large overlay has a patch per object.
 */
export class PatchTargetIndex {
  private readonly byKindName = new Map<string, Set<Resource>>();

  constructor(resources: readonly Resource[]) {
    for (const r of resources) this.add(r);
  }

  private keysOf(r: Resource): string[] {
    const keys: string[] = [];
    const meta = r.object.metadata;
    const name = isObject(meta) && typeof meta.name === 'string' ? meta.name : '';
    // resourcesWithAnyId compares the kind as it is; a kind that is no string equals no patch's kind.
    if (typeof r.object.kind === 'string') keys.push(kindNameKey(r.object.kind, name));
    for (const p of r.previousIds) keys.push(kindNameKey(p.kind, p.name));
    return keys;
  }

  add(r: Resource): void {
    for (const key of this.keysOf(r)) {
      let set = this.byKindName.get(key);
      if (!set) this.byKindName.set(key, (set = new Set()));
      set.add(r);
    }
  }

  remove(r: Resource): void {
    for (const key of this.keysOf(r)) this.byKindName.get(key)?.delete(r);
  }

  /** The same resources as resourcesWithAnyId, not necessarily in the same order. */
  withAnyId(id: ResId): Resource[] {
    const candidates = this.byKindName.get(kindNameKey(id.kind, id.name));
    if (!candidates) return [];
    const same = (a: ResId) =>
      a.group === id.group &&
      a.version === id.version &&
      a.kind === id.kind &&
      a.name === id.name &&
      effectiveNamespace(a) === effectiveNamespace(id);
    const out: Resource[] = [];
    for (const r of candidates) if (same(resId(r)) || r.previousIds.some(same)) out.push(r);
    return out;
  }
}

/** Where strategicById may work in place: an array the caller owns and an index kept in step with it. */
export interface OwnedTargets {
  index: PatchTargetIndex;
}

function strategicById(
  resources: Resource[],
  documents: readonly StrategicPatchDocument[],
  config: PatchConfig,
  options: StrategicApplyOptions,
  describeNoMatch: (id: string, lookup: string) => string,
  owned?: OwnedTargets,
): Resource[] {
  let current = resources;
  for (const patch of documents) {
    const id = resIdOf(patch.value);
    // Only the count matters when there is not exactly one, so the index's order is as good.
    const matches = owned ? owned.index.withAnyId(id) : resourcesWithAnyId(current, id);
    if (matches.length !== 1) {
      const shown = idString(id);
      const lookup = `${matches.length === 0 ? 'no matches' : 'multiple matches'} for Id ${shown}; failed to find unique target for patch ${shown}`;
      throw new PatchFailure(problemAt(config, 'patch-no-match', describeNoMatch(shown, lookup), patch.document.range));
    }
    const target = matches[0];
    const patched = applyStrategicToResource(target, patch, patch.value, config, options);
    if (owned) {
      const at = current.indexOf(target);
      owned.index.remove(target);
      if (patched === null) current.splice(at, 1);
      else {
        current[at] = patched;
        owned.index.add(patched);
      }
      continue;
    }
    current = patched === null ? current.filter((r) => r !== target) : current.map((r) => (r === target ? patched : r));
  }
  return current;
}

function strategicToSelected(
  resources: Resource[],
  selected: ReadonlySet<Resource>,
  patch: StrategicPatchDocument,
  config: PatchConfig,
  options: StrategicApplyOptions,
): Resource[] {
  const out: Resource[] = [];
  for (const r of resources) {
    if (!selected.has(r)) {
      out.push(r);
      continue;
    }
    const value = deepCopy(patch.value);
    if (typeof r.object.apiVersion === 'string') value.apiVersion = r.object.apiVersion;
    else delete value.apiVersion;
    const patched = applyStrategicToResource(r, patch, value, config, options);
    if (patched) out.push(patched);
  }
  const seen: Resource[] = [];
  for (const r of out) {
    const id = resId(r);
    const dup = seen.find((s) => {
      const o = resId(s);
      return (
        o.group === id.group &&
        o.version === id.version &&
        o.kind === id.kind &&
        o.name === id.name &&
        effectiveNamespace(o) === effectiveNamespace(id)
      );
    });
    if (dup) {
      throw new PatchFailure(
        problemAt(config, 'patch-failed', `may not add resource with an already registered id: ${idString(id)}`, patch.document.range),
      );
    }
    seen.push(r);
  }
  return out;
}

/** Go's fmt %v of a scalar, as kustomize writes annotation values back as strings. */
function annotationText(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// After a JSON patch kustomize rewrites the annotations as a string map: values become strings and
// an empty map disappears.
function jsonToSelected(
  resources: Resource[],
  selected: ReadonlySet<Resource>,
  operations: readonly JsonPatchOperation[],
  config: PatchConfig,
): Resource[] {
  return resources.map((r) => {
    if (!selected.has(r)) return r;
    const before = resId(r);
    const out = cloneResourceBookkeeping(r);
    const sets: Array<{ at: Array<string | number>; index: number }> = [];
    // kustomize records the object's id in internal annotations just before a JSON patch, so the
    // patch always sees an annotations map: adding `/metadata/annotations/x` works without one.
    const input = deepCopy(r.object);
    if (isObject(input.metadata) && !isObject(input.metadata.annotations)) input.metadata.annotations = {};
    const outcome = applyJsonPatch(input, operations, (at, index) => sets.push({ at, index }));
    if (outcome.failure) {
      const op = operations[outcome.failure.index];
      throw new PatchFailure(problemAt(config, 'patch-failed', outcome.failure.message, op?.range));
    }
    if (!isObject(outcome.result)) {
      throw new PatchFailure(
        problemAt(
          config,
          'patch-failed',
          `the patch made ${idString(before)} a list instead of an object`,
          operations[operations.length - 1]?.range,
        ),
      );
    }
    out.object = outcome.result;
    operations.forEach((op, index) => {
      if (op.op === 'remove' && op.path) forgetOrigins(out, pointerKey(op.path));
      for (const s of sets) if (s.index === index) recordPatchOrigin(out, s.at, patchOrigin(config, op.range));
    });
    normalizeAnnotations(out.object);
    rememberPreviousId(out, before);
    return out;
  });
}

function pointerKey(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~')));
}

function normalizeAnnotations(object: JsonObject): void {
  const meta = object.metadata;
  if (!isObject(meta) || !Object.prototype.hasOwnProperty.call(meta, 'annotations')) return;
  const annotations = meta.annotations;
  if (!isObject(annotations) || Object.keys(annotations).length === 0) {
    delete meta.annotations;
    return;
  }
  for (const k of Object.keys(annotations)) if (typeof annotations[k] !== 'string') annotations[k] = annotationText(annotations[k]);
}

/** The resources after a patch, or the problem that stopped it. */
export type PatchOutcome = { resources: Resource[]; problem?: undefined } | { resources?: undefined; problem: Problem };

function outcomeOf(run: () => Resource[]): PatchOutcome {
  try {
    return { resources: run() };
  } catch (e) {
    if (e instanceof PatchFailure) return { problem: e.problem };
    throw e;
  }
}

/**
 * Applies each strategic merge document to the one object with its id (kustomize's GetById).
 * `describeNoMatch` words the lookup failure the way the calling field does. With `owned`, the
 * caller owns `resources` and the index over them: both are changed in place (also on failure, when
 * the caller drops them) and the same array is returned.
 */
export function applyStrategicById(
  resources: Resource[],
  documents: readonly StrategicPatchDocument[],
  config: PatchConfig,
  options: StrategicApplyOptions,
  describeNoMatch: (id: string, lookup: string) => string,
  owned?: OwnedTargets,
): PatchOutcome {
  return outcomeOf(() => strategicById(resources, documents, config, options, describeNoMatch, owned));
}

/**
 * Applies one strategic merge document to every selected object (kustomize's ResMap.ApplySmPatch):
 * the patch takes each object's apiVersion, keeps its own kind, and its own name is ignored.
 */
export function applyStrategicToSelected(
  resources: Resource[],
  selected: ReadonlySet<Resource>,
  patch: StrategicPatchDocument,
  config: PatchConfig,
  options: StrategicApplyOptions,
): PatchOutcome {
  return outcomeOf(() => strategicToSelected(resources, selected, patch, config, options));
}

/** Applies JSON 6902 operations to every selected object. */
export function applyJsonToSelected(
  resources: Resource[],
  selected: ReadonlySet<Resource>,
  operations: readonly JsonPatchOperation[],
  config: PatchConfig,
): PatchOutcome {
  return outcomeOf(() => jsonToSelected(resources, selected, operations, config));
}
