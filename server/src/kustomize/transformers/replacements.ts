// The `replacements` field: copies a value from one object (the source) into fields of others (the
// targets), with kustomize v5.5's path syntax (`a.b`, `list.[name=x]`, `list.[=scalar]`, `list.0`,
// `list.*`, `[key.with.dots]`), selectors (id, labelSelector, annotationSelector, reject), the
// delimiter/index options, and `create`. The build resolves `- path: file.yaml` entries beforehand.
import { isObject, recordOrigin, resIdOf, setField } from '../resource';
import type { Transformer, StepConfig } from '../transformer';
import type { Json, JsonObject, Problem, ResId, Resource } from '../types';

export interface ReplacementsConfig extends StepConfig {
  replacements: JsonObject[];
}

const DEFAULT_FIELD_PATH = 'metadata.name';
const MAX_PATH_SEGMENTS = 100;
const MAX_SELECTOR_TERMS = 100;

class ReplacementError extends Error {}

interface Selector {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
  labelSelector: string;
  annotationSelector: string;
}

function str(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function selectorOf(value: Json | undefined): Selector {
  const o = isObject(value) ? value : {};
  return {
    group: str(o.group),
    version: str(o.version),
    kind: str(o.kind),
    name: str(o.name),
    namespace: str(o.namespace),
    labelSelector: str(o.labelSelector),
    annotationSelector: str(o.annotationSelector),
  };
}

/** kustomize's ResId text for a selector: `Kind.[noVer].[noGrp]/name.[noNs]`. */
function selectorString(s: Selector): string {
  return `${s.kind || '[noKind]'}.${s.version || '[noVer]'}.${s.group || '[noGrp]'}/${s.name || '[noName]'}.${s.namespace || '[noNs]'}`;
}

function idIsEmpty(s: Selector): boolean {
  return !s.group && !s.version && !s.kind && !s.name && !s.namespace;
}

const effectiveNamespace = (ns: string) => (ns === '' ? 'default' : ns);

function idSelectedBy(id: ResId, s: Selector): boolean {
  return (
    (s.name === '' || s.name === id.name) &&
    (s.namespace === '' || effectiveNamespace(s.namespace) === effectiveNamespace(id.namespace)) &&
    (s.group === '' || s.group === id.group) &&
    (s.version === '' || s.version === id.version) &&
    (s.kind === '' || s.kind === id.kind)
  );
}

function idsOf(r: Resource): ResId[] {
  return [resIdOf(r.object), ...r.previousIds];
}

// --- Kubernetes label selectors (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) ---

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | 'notexists'; values: string[] };

export function parseLabelSelector(text: string): Requirement[] | { error: string } {
  const out: Requirement[] = [];
  // Commas inside `( )` belong to a set, not to the list of requirements.
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  if (terms.length > MAX_SELECTOR_TERMS) return { error: `selector has too many terms: ${text}` };
  for (const raw of terms) {
    const term = raw.trim();
    if (term === '') {
      if (text.trim() === '') continue;
      return { error: `invalid selector: ${text}` };
    }
    let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      out.push({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) });
      continue;
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(term);
    if (m) {
      out.push({ key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] });
      continue;
    }
    m = /^(!?)\s*([^=!\s()]+)$/.exec(term);
    if (m) {
      out.push({ key: m[2], op: m[1] ? 'notexists' : 'exists', values: [] });
      continue;
    }
    return { error: `unable to parse requirement: ${term}` };
  }
  return out;
}

function matchesRequirements(map: Json | undefined, reqs: Requirement[]): boolean {
  const m = isObject(map) ? map : {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(m, r.key);
    const value = has ? str(m[r.key]) : undefined;
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
    }
  });
}

function matchesLabelAndAnnotationSelectors(r: Resource, s: Selector): boolean {
  const meta = isObject(r.object.metadata) ? r.object.metadata : {};
  for (const [text, map] of [
    [s.labelSelector, meta.labels],
    [s.annotationSelector, meta.annotations],
  ] as Array<[string, Json | undefined]>) {
    if (text === '') continue;
    const reqs = parseLabelSelector(text);
    if ('error' in reqs) throw new ReplacementError(reqs.error);
    if (!matchesRequirements(map, reqs)) return false;
  }
  return true;
}

// --- field paths ---

/** Splits at dots outside `[...]`; a bracketed segment without `=` is a plain key (may hold dots). */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '.' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((seg) => (seg.startsWith('[') && seg.endsWith(']') && !seg.includes('=') ? seg.slice(1, -1) : seg));
}

type Segment =
  { kind: 'field'; name: string } | { kind: 'match'; key: string; value: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

function parseSegment(seg: string): Segment {
  if (seg.startsWith('[') && seg.endsWith(']') && seg.includes('=')) {
    const eq = seg.indexOf('=');
    return { kind: 'match', key: seg.slice(1, eq), value: seg.slice(eq + 1, -1) };
  }
  if (seg === '*') return { kind: 'wildcard' };
  if (/^[0-9]+$/.test(seg)) return { kind: 'index', index: Number(seg) };
  return { kind: 'field', name: seg };
}

/** A place holding a value: the container and the key or index of the value in it. */
interface Slot {
  holder: JsonObject | Json[];
  key: string | number;
  path: Array<string | number>;
}

function fieldPathError(fieldPath: string, create: boolean, detail?: string): ReplacementError {
  const head = create
    ? `unable to find or create field "${fieldPath}" in replacement target`
    : `unable to find field "${fieldPath}" in replacement target`;
  return new ReplacementError(detail ? `${head}: ${detail}` : head);
}

/**
 * Every slot the path reaches in `root`. With `create`, missing fields (and `[k=v]` items, and an
 * index one past the end) are made on the way; `createLeaf` makes the last value.
 */
function findSlots(root: JsonObject, segments: Segment[], create: boolean, createLeaf: () => Json, fieldPath: string): Slot[] {
  const slots: Slot[] = [];
  const fresh = (next: Segment | undefined): Json => (next === undefined ? createLeaf() : next.kind === 'field' ? {} : []);
  const visit = (
    node: Json,
    i: number,
    path: Array<string | number>,
    holder: JsonObject | Json[] | undefined,
    key: string | number | undefined,
  ) => {
    if (i === segments.length) {
      if (holder !== undefined && key !== undefined) slots.push({ holder, key, path });
      return;
    }
    const seg = segments[i];
    const next = segments[i + 1];
    if (seg.kind === 'field') {
      if (!isObject(node)) return;
      if (!Object.prototype.hasOwnProperty.call(node, seg.name) || node[seg.name] === null) {
        if (!create) return;
        setField(node, seg.name, fresh(next));
      }
      visit(node[seg.name], i + 1, [...path, seg.name], node, seg.name);
    } else if (seg.kind === 'wildcard') {
      if (!Array.isArray(node)) return;
      node.forEach((item, idx) => visit(item, i + 1, [...path, idx], node, idx));
    } else if (seg.kind === 'index') {
      if (!Array.isArray(node)) return;
      if (seg.index >= node.length) {
        if (!create || seg.index > node.length) {
          if (create) throw fieldPathError(fieldPath, true, `index ${seg.index} specified but only ${node.length} elements found`);
          return;
        }
        node.push(fresh(next));
      }
      visit(node[seg.index], i + 1, [...path, seg.index], node, seg.index);
    } else {
      if (!Array.isArray(node)) return;
      let found = false;
      node.forEach((item, idx) => {
        const hit =
          seg.key === ''
            ? !isObject(item) && !Array.isArray(item) && str(item) === seg.value
            : isObject(item) && str(item[seg.key]) === seg.value;
        if (hit) {
          found = true;
          visit(item, i + 1, [...path, idx], node, idx);
        }
      });
      if (!found && create) {
        const item: Json = seg.key === '' ? seg.value : { [seg.key]: seg.value };
        node.push(item);
        visit(item, i + 1, [...path, node.length - 1], node, node.length - 1);
      }
    }
  };
  visit(root, 0, [], undefined, undefined);
  return slots;
}

// --- values ---

/** The source value, remembering the text kustomize's YAML node would carry for scalars. */
interface SourceValue {
  value: Json;
  text: string;
  scalar: boolean;
}

function scalarText(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return '';
}

/** How a plain (untagged) YAML scalar with this text reads back. */
export function resolvePlain(text: string): Json {
  // An empty untagged scalar is written `""` by kustomize's YAML encoder, so it reads back as a string.
  if (/^(null|Null|NULL|~)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

function copy(value: Json): Json {
  if (Array.isArray(value)) return value.map(copy);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value)) setField(out, k, copy(value[k]));
    return out;
  }
  return value;
}

const isScalar = (v: Json | undefined) => !Array.isArray(v) && !isObject(v);

function options(value: Json | undefined): { delimiter: string; index: number; create: boolean } {
  const o = isObject(value) ? value : {};
  return {
    delimiter: str(o.delimiter),
    index: typeof o.index === 'number' ? o.index : Number(o.index ?? 0) || 0,
    create: o.create === true,
  };
}

function readSource(resources: Resource[], entry: JsonObject): SourceValue {
  const source = isObject(entry.source) ? entry.source : {};
  const selector = selectorOf(source);
  const matches = resources.filter((r) => idsOf(r).some((id) => idSelectedBy(id, selector)));
  if (matches.length > 1) throw new ReplacementError(`multiple matches for selector ${selectorString(selector)}`);
  if (matches.length === 0) throw new ReplacementError(`nothing selected by ${selectorString(selector)}`);
  const fieldPath = str(source.fieldPath) || DEFAULT_FIELD_PATH;
  const segments = splitFieldPath(fieldPath).slice(0, MAX_PATH_SEGMENTS).map(parseSegment);
  const found = findSlots(matches[0].object, segments, false, () => null, fieldPath);
  const slot = found[0];
  const value = slot ? (slot.holder as Record<string | number, Json>)[slot.key] : undefined;
  const empty =
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0);
  if (empty) throw new ReplacementError(`fieldPath \`${fieldPath}\` is missing for replacement source ${selectorString(selector)}`);
  const opts = options(source.options);
  if (opts.delimiter === '') return { value: copy(value), text: scalarText(value), scalar: isScalar(value) };
  if (!isScalar(value)) throw new ReplacementError('delimiter option can only be used with scalar nodes');
  const parts = scalarText(value).split(opts.delimiter);
  if (opts.index >= parts.length || opts.index < 0) {
    throw new ReplacementError(`options.index ${opts.index} is out of bounds for value ${scalarText(value)}`);
  }
  const part = parts[opts.index];
  // The part keeps the source's type: a piece of a string stays a string.
  return { value: typeof value === 'string' ? part : resolvePlain(part), text: part, scalar: true };
}

function isAnnotationPath(path: Array<string | number>): boolean {
  return path.length === 3 && path[0] === 'metadata' && path[1] === 'annotations';
}

function writeTarget(
  resource: Resource,
  slot: Slot,
  source: SourceValue,
  opts: ReturnType<typeof options>,
  created: boolean,
  origin: ReplacementsConfig['origin'],
): void {
  const holder = slot.holder as Record<string | number, Json>;
  const current = holder[slot.key];
  let text = source.text;
  if (opts.delimiter !== '') {
    if (!isScalar(current)) throw new ReplacementError('delimiter option can only be used with scalar nodes');
    const pieces = scalarText(current).split(opts.delimiter);
    if (opts.index < 0) pieces.unshift(text);
    else if (opts.index >= pieces.length) pieces.push(text);
    else pieces[opts.index] = text;
    text = pieces.join(opts.delimiter);
  }
  let next: Json;
  if (created) {
    // A field made by `create` has no type of its own: the text reads back as a plain scalar. kustomize
    // writes annotations back as strings.
    next = !source.scalar && opts.delimiter === '' ? copy(source.value) : isAnnotationPath(slot.path) ? text : resolvePlain(text);
  } else if (isScalar(current)) {
    // An existing scalar keeps its type and takes only the text (kustomize's int <-> string conversion).
    next = typeof current === 'string' ? text : resolvePlain(text);
  } else {
    next = opts.delimiter === '' ? copy(source.value) : text;
  }
  holder[slot.key] = next;
  recordOrigin(resource, slot.path, origin);
}

function applyEntry(resources: Resource[], entry: JsonObject, index: number, config: ReplacementsConfig): void {
  if (!isObject(entry.source) || !Array.isArray(entry.targets)) {
    throw new ReplacementError('replacements must specify a source and at least one target');
  }
  const source = readSource(resources, entry);
  const origin = { ...config.origin, kind: 'replacement' as const, step: `replacements[${index}]` };
  for (const rawTarget of entry.targets) {
    const target = isObject(rawTarget) ? rawTarget : {};
    if (!isObject(target.select)) throw new ReplacementError('target must specify resources to select');
    const select = selectorOf(target.select);
    const rejects = (Array.isArray(target.reject) ? target.reject : []).map(selectorOf);
    const fieldPaths = Array.isArray(target.fieldPaths) && target.fieldPaths.length > 0 ? target.fieldPaths.map(str) : [DEFAULT_FIELD_PATH];
    const opts = options(target.options);
    for (const resource of resources) {
      if (!matchesLabelAndAnnotationSelectors(resource, select)) continue;
      const rejectedBySelector = rejects.some(
        (r) => (r.labelSelector !== '' || r.annotationSelector !== '') && matchesLabelAndAnnotationSelectors(resource, r),
      );
      if (rejectedBySelector) continue;
      const selected = idsOf(resource).some((id) => idSelectedBy(id, select) && !rejects.some((r) => !idIsEmpty(r) && idSelectedBy(id, r)));
      if (!selected) continue;
      for (const fieldPath of fieldPaths) {
        const segments = splitFieldPath(fieldPath).slice(0, MAX_PATH_SEGMENTS).map(parseSegment);
        const existing = findSlots(resource.object, segments, false, () => null, fieldPath);
        if (existing.length > 0) {
          for (const slot of existing) writeTarget(resource, slot, source, opts, false, origin);
          continue;
        }
        if (!opts.create) throw fieldPathError(fieldPath, false);
        const made = findSlots(
          resource.object,
          segments,
          true,
          () => (source.scalar ? '' : Array.isArray(source.value) ? [] : {}),
          fieldPath,
        );
        if (made.length === 0) throw fieldPathError(fieldPath, true);
        for (const slot of made) writeTarget(resource, slot, source, opts, true, origin);
      }
    }
  }
}

export const replacementsTransformer: Transformer<ReplacementsConfig> = (resources, config, ctx) => {
  for (let i = 0; i < config.replacements.length; i++) {
    try {
      applyEntry(resources, config.replacements[i], i, config);
    } catch (e) {
      if (!(e instanceof ReplacementError)) throw e;
      const problem: Problem = {
        code: 'replacement',
        severity: 'error',
        message: e.message,
        file: config.origin.file,
        range: config.origin.range,
      };
      ctx.problems.push(problem);
      return resources;
    }
  }
  return resources;
};
