// Reads YAML files the way kustomize does. The `yaml` package parses (failsafe schema: every scalar stays
// text); the values are then typed here like kyaml (go-yaml v3) followed by a JSON round trip would type
// them, because that decides what kustomize prints. The AST is kept so ranges can be found on demand.
import {
  Composer,
  LineCounter,
  Parser,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { setField } from '../resource';
import type { Json, JsonObject, Position, Problem, Range } from '../types';
import { resolvePlain, type PlainResolution } from './resolve';

export interface ParseLimits {
  maxFileBytes: number;
  maxDocuments: number;
  /** Alias dereferences allowed per document (nested ones count each time they are expanded). */
  maxAliasCount: number;
  maxDepth: number;
}

export const defaultParseLimits: ParseLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxDocuments: 10000,
  maxAliasCount: 1000,
  maxDepth: 500,
};

export interface ParsedDocument {
  index: number;
  value: Json;
  range: Range;
  /** Range of the node at a value path (keys and list indexes), e.g. ['spec','template','spec','containers',0,'image'];
      `key: true` gives the range of the map key instead of the value. Lazy: walks the kept yaml AST only when called. */
  locate(path: ReadonlyArray<string | number>, opts?: { key?: boolean }): Range | undefined;
}

/**
 * `resource` (default): typed like kyaml reads resources and patches (go-yaml v3, YAML 1.2 booleans), with
 * kustomize's rewrite of metadata.annotations. `kustomization`: typed like kustomize decodes its own
 * kustomization file (sigs.k8s.io/yaml on go-yaml v2: YAML 1.1, so `y`, `yes`, `on` are booleans,
 * timestamps stay text, and non-string keys become strings).
 */
export type YamlDialect = 'resource' | 'kustomization';

export interface ParseOptions {
  dialect?: YamlDialect;
}

export interface ParsedFile {
  file: string;
  documents: ParsedDocument[];
  problems: Problem[];
}

const STR_TAG = 'tag:yaml.org,2002:str';
const BINARY_TAG = 'tag:yaml.org,2002:binary';
const MERGE_TAG = 'tag:yaml.org,2002:merge';
const RESOLVABLE_TAGS: ReadonlyMap<string, PlainResolution['kind']> = new Map([
  ['tag:yaml.org,2002:bool', 'bool'],
  ['tag:yaml.org,2002:int', 'int'],
  ['tag:yaml.org,2002:float', 'float'],
  ['tag:yaml.org,2002:null', 'null'],
  ['tag:yaml.org,2002:timestamp', 'timestamp'],
]);
const SHORT_TAG: Readonly<Record<string, string>> = {
  str: '!!str',
  null: '!!null',
  bool: '!!bool',
  int: '!!int',
  float: '!!float',
  timestamp: '!!timestamp',
  merge: '!!merge',
};

/** Converts offsets in the parsed text to LSP positions. */
class Positions {
  constructor(private readonly lines: LineCounter) {}

  at(offset: number): Position {
    const starts = this.lines.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (starts[lo] ?? 0) };
  }

  range(start: number, end: number): Range {
    return { start: this.at(start), end: this.at(Math.max(start, end)) };
  }
}

function nodeRange(positions: Positions, node: YamlNode): Range {
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  return positions.range(start, valueEnd);
}

/** Why a document's value could not be built; becomes a Problem at the node's range. */
class ValueError {
  constructor(
    readonly code: 'invalid-yaml' | 'yaml-limit',
    readonly message: string,
    readonly node: YamlNode | undefined,
  ) {}
}

/** Builds one document's value with go-yaml v3 typing, counting alias expansions and depth. */
class ValueBuilder {
  readonly anchors = new Map<string, YamlNode>();
  readonly aliasTargets = new Map<YamlNode, YamlNode>();
  readonly problems: ValueError[] = [];
  private aliasExpansions = 0;
  private aliasNodes = 0;
  private insideAlias = 0;

  constructor(
    private readonly limits: ParseLimits,
    private readonly positions: Positions,
    private readonly yaml11: boolean,
    private readonly text: string,
  ) {}

  value(node: YamlNode | null | undefined, depth: number): Json {
    if (!node) return null;
    if (depth > this.limits.maxDepth)
      throw new ValueError(
        'yaml-limit',
        `YAML nested deeper than ${this.limits.maxDepth} levels (setting fluxEnvironments.limits.parse.maxDepth)`,
        node,
      );
    if (this.insideAlias > 0 && ++this.aliasNodes > this.limits.maxAliasCount * 1000) {
      throw new ValueError('yaml-limit', 'document contains excessive aliasing', node);
    }
    if (this.insideAlias === 0 && node.anchor) {
      checkAnchorName(node.anchor, node);
      this.anchors.set(node.anchor, node);
    }
    if (isAlias(node)) {
      checkAnchorName(node.source, node);
      return this.alias(node, depth);
    }
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node)) return this.mapping(node, depth);
    if (isSeq(node)) return this.sequence(node, depth);
    return null;
  }

  target(alias: YamlNode & { source: string }): YamlNode {
    const known = this.aliasTargets.get(alias);
    if (known) return known;
    const target = this.anchors.get(alias.source);
    if (!target) throw new ValueError('invalid-yaml', `unknown anchor '${alias.source}' referenced`, alias);
    this.aliasTargets.set(alias, target);
    return target;
  }

  private alias(alias: YamlNode & { source: string }, depth: number): Json {
    const target = this.target(alias);
    if (++this.aliasExpansions > this.limits.maxAliasCount) {
      throw new ValueError(
        'yaml-limit',
        `document contains excessive aliasing (more than ${this.limits.maxAliasCount} alias expansions; setting fluxEnvironments.limits.parse.maxAliasCount)`,
        alias,
      );
    }
    this.insideAlias++;
    try {
      return this.value(target, depth + 1);
    } finally {
      this.insideAlias--;
    }
  }

  private sequence(seq: YAMLSeq, depth: number): Json[] {
    const out: Json[] = [];
    for (const item of seq.items as Array<YamlNode | null>) {
      if (!seq.flow && item?.range) this.checkSequenceIndicator(item);
      out.push(this.value(item, depth + 1));
    }
    return out;
  }

  /** go-yaml refuses a tab between a block sequence's `-` and its item ("- \tx"); the yaml package allows it. */
  private checkSequenceIndicator(item: YamlNode): void {
    let i = (item.range as [number, number, number])[0] - 1;
    let sawTab = false;
    for (; i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t'); i--) sawTab ||= this.text[i] === '\t';
    if (sawTab && this.text[i] === '-') throw new ValueError('invalid-yaml', 'found character that cannot start any token', item);
  }

  /**
   * Escapes where go-yaml and the yaml package disagree: go-yaml rejects `\/` and surrogate code points and
   * accepts `\'` (the yaml package reports that one as an error, dropped for this scalar in buildDocument).
   */
  private doubleQuoted(node: Scalar): string {
    const decoded = scalarText(node);
    const [start, end] = node.range ?? [0, 0];
    const raw = this.text.slice(start, end);
    if (!raw.includes('\\')) return decoded;
    let quoteEscapes = false;
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] !== '\\') continue;
      const next = raw[i + 1];
      if (next === '/') throw new ValueError('invalid-yaml', 'found unknown escape character', node);
      if (next === "'") quoteEscapes = true;
      if (next === 'u' || next === 'U') {
        const code = parseInt(raw.slice(i + 2, i + (next === 'u' ? 6 : 10)), 16);
        if (code >= 0xd800 && code <= 0xdfff) throw new ValueError('invalid-yaml', 'found invalid Unicode character escape code', node);
      }
      i++;
    }
    if (!quoteEscapes) return decoded;
    const fixed = raw.replace(/\\(.)/gs, (escape: string, next: string) => (next === "'" ? "'" : escape));
    const reread = parseDocument(fixed, { schema: 'failsafe' }).contents;
    return reread && isScalar(reread) ? scalarText(reread) : decoded;
  }

  /** Two ways go-yaml's block scalars differ from the yaml package's (both checked against kubectl). */
  private blockScalar(node: Scalar, asValue: boolean): string {
    let value = scalarText(node);
    const [start, end] = node.range ?? [0, 0];
    const header = /^[|>]([0-9]?[+-]?[0-9]?)/.exec(this.text.slice(start, start + 4))?.[1] ?? '';
    // A folded scalar that keeps its trailing empty lines gets one newline more in the decoded value
    // (not in the node's text, which is what annotations get).
    if (asValue && node.type === 'BLOCK_FOLDED' && header.includes('+') && /[^\n]\n\n+$/.test(value)) value += '\n';
    if (asValue && !this.yaml11 && node.type === 'BLOCK_FOLDED') value = moreIndentedLineBreaks(value);
    // At the very end of a file without a final line break, go-yaml adds none.
    if (end >= this.text.length && !/[\r\n]$/.test(this.text) && value.endsWith('\n')) value = value.slice(0, -1);
    return value;
  }

  /** The scalar's text as go-yaml reads it: its node text, or (`asValue`) the string it decodes to. */
  scalarString(node: Scalar, asValue = false): string {
    if (node.type === 'QUOTE_DOUBLE') return this.doubleQuoted(node);
    if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') return this.blockScalar(node, asValue);
    return scalarText(node);
  }

  private scalar(node: Scalar): Json {
    const text = this.scalarString(node, true);
    const tag = node.tag;
    const quotedOrBlock = node.type !== undefined && node.type !== 'PLAIN';
    if (tag === STR_TAG) return text;
    if (tag === BINARY_TAG) return decodeBinary(text, node);
    if (tag === undefined || tag === '!') {
      if (quotedOrBlock || tag === '!') return text;
      return this.typed(resolvePlain(text, this.yaml11), node);
    }
    const wanted = RESOLVABLE_TAGS.get(tag);
    // Tags go-yaml cannot resolve (custom `!foo`, `!!set`...) leave the scalar as text.
    if (!wanted) return text;
    const resolved = resolvePlain(text, this.yaml11, wanted === 'timestamp');
    if (resolved.kind === wanted || (wanted === 'float' && resolved.kind === 'int')) {
      return this.typed(wanted === 'float' && resolved.kind === 'int' ? { kind: 'float', value: Number(resolved.value) } : resolved, node);
    }
    const shortTag = SHORT_TAG[resolved.kind] ?? resolved.kind;
    throw new ValueError('invalid-yaml', `cannot decode ${shortTag} \`${text}\` as a ${SHORT_TAG[wanted]}`, node);
  }

  private typed(resolved: PlainResolution, node: Scalar): Json {
    switch (resolved.kind) {
      case 'str':
      case 'merge':
        return scalarText(node);
      case 'null':
        return null;
      case 'bool':
        return resolved.value;
      case 'timestamp':
        // go-yaml v2 hands timestamps to interface{} as the text written, for backward compatibility.
        return this.yaml11 ? scalarText(node) : resolved.value;
      case 'int':
        return resolved.value >= BigInt(Number.MIN_SAFE_INTEGER) && resolved.value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(resolved.value)
          : resolved.value;
      case 'float':
        if (!Number.isFinite(resolved.value)) {
          // kustomize marshals every resource to JSON, which has no Inf or NaN.
          const shown = Number.isNaN(resolved.value) ? 'NaN' : resolved.value > 0 ? '+Inf' : '-Inf';
          this.problems.push(new ValueError('invalid-yaml', `json: unsupported value: ${shown}`, node));
        }
        return resolved.value;
    }
  }

  /** The key as a JSON object key; go-yaml v3 makes non-string keys, which JSON cannot carry. */
  private key(node: YamlNode | null, depth: number): string {
    // go-yaml reads an explicit key written without text ("? " then ": v") as "", and refuses a bare ": v".
    if (isImplicitEmpty(node)) {
      let i = (node?.range?.[0] ?? 0) - 1;
      while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
      if (node && this.text[i] === '?') return '';
      throw new ValueError('invalid-yaml', 'did not find expected key', node ?? undefined);
    }
    const resolved = node && isAlias(node) ? this.target(node) : node;
    const value = resolved && isScalar(resolved) ? this.value(resolved, depth) : undefined;
    if (typeof value === 'string') return value;
    // sigs.k8s.io/yaml turns scalar keys of other types into their text.
    if (this.yaml11 && value !== undefined && (value === null || typeof value !== 'object')) return value === null ? 'null' : String(value);
    throw new ValueError(
      'invalid-yaml',
      `map key ${describeKey(value, resolved)} is not a string: json: unsupported type: map[interface {}]interface {}`,
      node ?? undefined,
    );
  }

  private mapping(map: YAMLMap, depth: number): JsonObject {
    const out: JsonObject = {};
    const keyLines = new Map<string, YamlNode | null>();
    const merges: YamlNode[] = [];
    for (const pair of map.items as Array<Pair<YamlNode | null, YamlNode | null>>) {
      if (isMergeKey(pair.key)) {
        if (pair.value) merges.push(pair.value);
        continue;
      }
      const key = this.key(pair.key, depth + 1);
      // sigs.k8s.io/yaml (kustomization files) lets a repeated key win; go-yaml v3 refuses it.
      if (keyLines.has(key) && !this.yaml11) {
        const first = keyLines.get(key);
        const line = first?.range ? ` at line ${this.positions.at(first.range[0]).line + 1}` : '';
        throw new ValueError('invalid-yaml', `mapping key ${JSON.stringify(key)} already defined${line}`, pair.key ?? undefined);
      }
      keyLines.set(key, pair.key);
      // go-yaml gives an entry of a flow mapping written without a value ("{a, b: }") an empty string.
      const value = map.flow && isImplicitEmpty(pair.value) ? '' : this.value(pair.value, depth + 1);
      // A quoted "<<" key never reaches kustomize's output.
      // setField's test written out (every key of every file goes through here).
      if (key === '__proto__') setField(out, key, value);
      else if (key !== '<<') out[key] = value;
    }
    // Keys written in the map win over merged ones; among merged maps, the first one wins.
    for (const merge of merges) {
      const sources = isSeq(merge) ? (merge.items as YamlNode[]) : [merge];
      for (const source of sources) {
        const resolved = isAlias(source) ? this.target(source) : source;
        if (!isMap(resolved)) throw new ValueError('invalid-yaml', 'map merge requires map or sequence of maps as the value', source);
        const merged = this.value(source, depth + 1);
        if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) continue;
        for (const k of Object.keys(merged)) if (!Object.prototype.hasOwnProperty.call(out, k)) setField(out, k, merged[k]);
      }
    }
    return out;
  }
}

/** The scalar's content as written (escapes and folding applied), before any tag turned it into another type. */
function scalarText(node: Scalar): string {
  return node.source ?? String(node.value ?? '');
}

/** go-yaml only takes letters, digits, '_' and '-' in anchor and alias names; the yaml package takes more. */
function checkAnchorName(name: string, node: YamlNode): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new ValueError('invalid-yaml', 'did not find expected alphabetic or numeric character', node);
}

function isImplicitEmpty(node: YamlNode | null): boolean {
  if (node === null) return true;
  return (
    isScalar(node) && node.tag === undefined && node.type === 'PLAIN' && scalarText(node) === '' && node.range?.[0] === node.range?.[1]
  );
}

function isMergeKey(key: YamlNode | null): boolean {
  return (
    key !== null &&
    isScalar(key) &&
    scalarText(key) === '<<' &&
    (key.type === 'PLAIN' || key.type === undefined) &&
    (key.tag === undefined || key.tag === MERGE_TAG)
  );
}

function describeKey(value: Json | undefined, node: YamlNode | null): string {
  if (node && !isScalar(node)) return isMap(node) ? '(a mapping)' : '(a sequence)';
  if (value === null || value === undefined) return 'null';
  return String(value);
}

function decodeBinary(text: string, node: YamlNode): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    throw new ValueError('invalid-yaml', '!!binary value contains invalid base64 data', node);
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * kustomize rewrites metadata.annotations while loading (it adds and later strips its internal annotations):
 * every value becomes the scalar's text as written (`012` stays "012"), keys are re-read as plain scalars,
 * and an annotations map left empty disappears.
 */
function stringifyAnnotations(value: Json, contents: YamlNode | null, builder: ValueBuilder): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const metadata = value.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return;
  if (!Object.prototype.hasOwnProperty.call(metadata, 'annotations')) return;
  if (metadata.annotations === null) {
    delete metadata.annotations;
    return;
  }
  const node = findMapValue(findMapValue(contents, 'metadata', builder), 'annotations', builder);
  if (!node || !isMap(node)) return;
  const out: JsonObject = {};
  for (const pair of node.items as Array<Pair<YamlNode | null, YamlNode | null>>) {
    const keyNode = pair.key && isAlias(pair.key) ? builder.target(pair.key) : pair.key;
    const keyText = keyNode && isScalar(keyNode) ? scalarText(keyNode) : '';
    const resolved = resolvePlain(keyText, false);
    if (resolved.kind !== 'str') {
      throw new ValueError(
        'invalid-yaml',
        `annotation key ${keyText || 'null'} is not a string: json: unsupported type: map[interface {}]interface {}`,
        pair.key ?? undefined,
      );
    }
    const valueNode = pair.value && isAlias(pair.value) ? builder.target(pair.value) : pair.value;
    setField(out, keyText, valueNode && isScalar(valueNode) ? builder.scalarString(valueNode) : '');
  }
  if (Object.keys(out).length === 0) delete metadata.annotations;
  else metadata.annotations = out;
}

/** The items of a `kind: *List` become resources of their own, and get the same annotation rewrite. */
function stringifyListItemAnnotations(value: Json, contents: YamlNode | null, builder: ValueBuilder): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  if (typeof value.kind !== 'string' || !value.kind.endsWith('List') || !Array.isArray(value.items)) return;
  const itemsNode = findMapValue(contents, 'items', builder);
  const seq = itemsNode && isAlias(itemsNode) ? builder.target(itemsNode) : itemsNode;
  if (!seq || !isSeq(seq)) return;
  value.items.forEach((item, i) => stringifyAnnotations(item, (seq.items[i] as YamlNode | undefined) ?? null, builder));
}

function findMapValue(node: YamlNode | null | undefined, key: string, builder: ValueBuilder): YamlNode | undefined {
  const map = node && isAlias(node) ? builder.target(node) : node;
  if (!map || !isMap(map)) return undefined;
  for (const pair of map.items as Array<Pair<YamlNode | null, YamlNode | null>>) {
    if (pair.key && isScalar(pair.key) && scalarText(pair.key) === key) return pair.value ?? undefined;
  }
  return undefined;
}

function locateIn(
  contents: YamlNode | null,
  path: ReadonlyArray<string | number>,
  wantKey: boolean,
  builder: ValueBuilder,
  positions: Positions,
): Range | undefined {
  let node: YamlNode | null | undefined = contents;
  let keyNode: YamlNode | null | undefined;
  let steps = 0;
  for (const segment of path) {
    keyNode = undefined;
    const found = step(node, segment, builder, 0);
    if (!found) return undefined;
    [node, keyNode] = found;
    if (++steps > 10000) return undefined;
  }
  const target = wantKey ? keyNode : (node ?? keyNode);
  return target ? nodeRange(positions, target) : undefined;
}

/** One path step; looks through aliases and into merged maps (bounded, since merges can nest). */
function step(
  node: YamlNode | null | undefined,
  segment: string | number,
  builder: ValueBuilder,
  hops: number,
): [YamlNode | null | undefined, YamlNode | null | undefined] | undefined {
  if (!node || hops > 32) return undefined;
  if (isAlias(node)) {
    const target = builder.aliasTargets.get(node);
    return target ? step(target, segment, builder, hops + 1) : undefined;
  }
  if (typeof segment === 'number') {
    if (!isSeq(node) || segment < 0 || segment >= node.items.length) return undefined;
    return [node.items[segment] as YamlNode, undefined];
  }
  if (!isMap(node)) return undefined;
  const pairs = node.items as Array<Pair<YamlNode | null, YamlNode | null>>;
  for (const pair of pairs) {
    if (pair.key && isScalar(pair.key) && scalarText(pair.key) === segment && !isMergeKey(pair.key)) return [pair.value, pair.key];
  }
  for (const pair of pairs) {
    if (!isMergeKey(pair.key) || !pair.value) continue;
    const sources = isSeq(pair.value) ? (pair.value.items as YamlNode[]) : [pair.value];
    for (const source of sources) {
      const found = step(source, segment, builder, hops + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function limitsWith(overrides: Partial<ParseLimits> | undefined): ParseLimits {
  return { ...defaultParseLimits, ...(overrides ?? {}) };
}

/**
 * Parses every document of a YAML file into kustomize-typed values. Never throws: syntax errors, values
 * kustomize would refuse (non-string keys, Inf/NaN, duplicate keys...) and exceeded limits are Problems
 * with a range. A document that cannot be read gets value null while the other documents keep theirs;
 * an Inf/NaN number is reported but kept in the value.
 */
/**
 * The document of a file a position is in: the first whose content ends at or after it, so that a position
 * on a separator or a comment between two documents belongs to the document after it; the last document
 * when the position is past every document.
 */
export function documentAt(parsed: ParsedFile, position: { line: number; character: number }): ParsedDocument | undefined {
  const after = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line > b.line || (a.line === b.line && a.character >= b.character);
  return parsed.documents.find((doc) => after(doc.range.end, position)) ?? parsed.documents[parsed.documents.length - 1];
}

export function parseYamlFile(file: string, text: string, limits?: Partial<ParseLimits>, options?: ParseOptions): ParsedFile {
  return parseComposed(file, text, limits, options, undefined);
}

function parseComposed(
  file: string,
  text: string,
  limits: Partial<ParseLimits> | undefined,
  options: ParseOptions | undefined,
  shared: Composition | undefined,
): ParsedFile {
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  const resolved = limitsWith(limits);
  let composition: Composition | undefined;
  try {
    composition = shared ?? compose(file, text, resolved);
    parseInto(file, composition, resolved, options?.dialect === 'kustomization', documents, problems);
  } catch (error) {
    // Nothing below should throw; a stack overflow in the parser on hostile nesting is the known case.
    if (isStackOverflow(error)) {
      problems.push(tooDeepProblem(file, text, resolved));
    } else {
      problems.push({
        code: 'invalid-yaml',
        severity: 'error',
        message: `YAML could not be parsed: ${String(error)}`,
        file,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    }
  }
  // The yaml package catches a stack overflow itself and reports the engine's message as a syntax error.
  const overflows = problems.filter((p) => p.message.includes(STACK_OVERFLOW));
  if (overflows.length > 0) {
    const kept = problems.filter((p) => !p.message.includes(STACK_OVERFLOW));
    return { file, documents, problems: [...kept, tooDeepProblem(file, text, resolved)] };
  }
  const parsed: ParsedFile = { file, documents, problems };
  if (composition) compositions.set(parsed, composition);
  return parsed;
}

const STACK_OVERFLOW = 'Maximum call stack size exceeded';

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes(STACK_OVERFLOW);
}

/**
 * Nesting so deep that the parser ran out of stack: the problem is placed where the nesting first
 * passes the limit, and says so in those words rather than with the engine's stack message.
 */
function tooDeepProblem(file: string, rawText: string, limits: ParseLimits): Problem {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const found = firstTooDeep(text, limits.maxDepth);
  const lines = new LineCounter();
  lines.addNewLine(0);
  const offset = found?.offset ?? 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const at = new Positions(lines).range(offset, offset + 1);
  return {
    code: 'yaml-limit',
    severity: 'error',
    message: found
      ? `YAML nested deeper than ${limits.maxDepth} levels`
      : `YAML nested too deeply to parse (the limit is ${limits.maxDepth} levels)`,
    file,
    range: at,
  };
}

/**
 * Where the nesting of block collections (by indentation and `- ` items) plus flow collections (`[`, `{`)
 * first goes past `maxDepth`, found in one pass over the text without parsing it. An estimate made for
 * placing the problem: quoted text and comments are skipped, block scalars are not recognised.
 */
function firstTooDeep(text: string, maxDepth: number): { offset: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: '' | '"' | "'" = '';
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    if (flow === 0 && quote === '') {
      while (i < lineEnd && text[i] === ' ') i++;
      const blank = i >= lineEnd || text[i] === '#' || text[i] === '\r';
      if (!blank && !text.startsWith('---', i) && !text.startsWith('...', i)) {
        for (;;) {
          const column = i - lineStart;
          while (indents.length > 0 && indents[indents.length - 1] >= column) indents.pop();
          indents.push(column);
          if (indents.length > maxDepth) return { offset: i };
          if (text[i] !== '-' || (text[i + 1] !== ' ' && i + 1 < lineEnd)) break;
          i++;
          while (i < lineEnd && text[i] === ' ') i++;
          if (i >= lineEnd) break;
        }
      }
    }
    for (; i < lineEnd; i++) {
      const c = text[i];
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = '';
      } else if (quote === "'") {
        if (c === "'") {
          if (text[i + 1] === "'") i++;
          else quote = '';
        }
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        break;
      } else if (c === '[' || c === '{') {
        if (indents.length + ++flow > maxDepth) return { offset: i };
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/**
 * The composed YAML of one text: what both dialects share (they differ only in how scalars become
 * values), so a kustomization file read as a resource and as a kustomization is composed once.
 */
interface Composition {
  text: string;
  positions: Positions;
  docs: Document.Parsed[];
  /** Problems found while composing (size, binary content, too many documents), before any value is built. */
  problems: Problem[];
}

const compositions = new WeakMap<ParsedFile, Composition>();

function compose(file: string, rawText: string, limits: ParseLimits): Composition {
  // Editors never show the byte-order mark; ranges are relative to the text after it.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const lines = new LineCounter();
  const positions = new Positions(lines);
  const out: Composition = { text, positions, docs: [], problems: [] };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    out.problems.push({
      code: 'yaml-limit',
      severity: 'error',
      file,
      range: zero,
      message: `file is ${bytes} bytes, larger than the ${limits.maxFileBytes} bytes allowed (setting fluxEnvironments.limits.parse.maxFileBytes)`,
    });
    return out;
  }
  const nulAt = text.indexOf('\u0000');
  const replacementAt = text.indexOf('\ufffd');
  const binaryAt = nulAt < 0 ? replacementAt : replacementAt < 0 ? nulAt : Math.min(nulAt, replacementAt);
  if (binaryAt >= 0) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < binaryAt; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    out.problems.push({
      code: 'invalid-yaml',
      severity: 'error',
      file,
      range: positions.range(binaryAt, binaryAt + 1),
      message:
        text.charCodeAt(binaryAt) === 0
          ? 'file contains a NUL character: binary content is not YAML'
          : 'file is not valid UTF-8 (it contains U+FFFD replacement characters)',
    });
    return out;
  }
  const parser = new Parser(lines.addNewLine);
  // resolveKnownTags off: !!omap, !!set, !!binary... stay plain nodes, typed below the way go-yaml types them.
  const composer = new Composer({
    schema: 'failsafe',
    resolveKnownTags: false,
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
    version: '1.2',
  });
  for (const doc of composer.compose(parser.parse(text))) {
    if (out.docs.length >= limits.maxDocuments) {
      const start = doc.range[0];
      out.problems.push({
        code: 'yaml-limit',
        severity: 'error',
        file,
        range: positions.range(start, start),
        message: `file has more than ${limits.maxDocuments} YAML documents (setting fluxEnvironments.limits.parse.maxDocuments)`,
      });
      break;
    }
    out.docs.push(doc);
  }
  return out;
}

function parseInto(
  file: string,
  composition: Composition,
  limits: ParseLimits,
  yaml11: boolean,
  documents: ParsedDocument[],
  problems: Problem[],
): void {
  composition.docs.forEach((doc, index) =>
    documents.push(buildDocument(file, composition.text, doc, index, limits, yaml11, composition.positions, problems)),
  );
  problems.push(...composition.problems);
}

function buildDocument(
  file: string,
  text: string,
  doc: Document.Parsed,
  index: number,
  limits: ParseLimits,
  yaml11: boolean,
  positions: Positions,
  problems: Problem[],
): ParsedDocument {
  const contents = (doc.contents ?? null) as YamlNode | null;
  const range = contents ? nodeRange(positions, contents) : positions.range(doc.range[0], doc.range[1]);
  // go-yaml accepts the escape \' in double-quoted scalars (see ValueBuilder.doubleQuoted).
  // go-yaml also takes a comment right after a closing quote or bracket ("[1]# note").
  const errors = doc.errors.filter(
    (e) =>
      !(e.code === 'BAD_DQ_ESCAPE' && text.slice(e.pos[0], e.pos[0] + 2) === "\\'") &&
      !(e.code === 'MISSING_CHAR' && e.message.startsWith('Comments must be separated')),
  );
  for (const error of errors) {
    problems.push({
      code: 'invalid-yaml',
      severity: 'error',
      file,
      range: positions.range(error.pos[0], error.pos[1]),
      message: error.message,
    });
  }
  const builder = new ValueBuilder(limits, positions, yaml11, text);
  let value: Json = null;
  if (errors.length === 0) {
    try {
      value = builder.value(contents, 0);
      if (!yaml11) {
        stringifyAnnotations(value, contents, builder);
        stringifyListItemAnnotations(value, contents, builder);
      }
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      value = null;
      builder.problems.push(error);
    }
  }
  for (const p of builder.problems) {
    problems.push({ code: p.code, severity: 'error', file, range: p.node ? nodeRange(positions, p.node) : range, message: p.message });
  }
  return {
    index,
    value,
    range,
    locate: (path, opts) => locateIn(contents, path, opts?.key === true, builder, positions),
  };
}

/** Texts parsed per file key, most recent last; inline patches share their kustomization's file name. */
const cache = new Map<string, Map<string, CacheEntry>>();
let cachedBytes = 0;

interface CacheEntry {
  parsed: ParsedFile;
  bytes: number;
  /** The key of its composition in `compositionsByText`, released when the entry is evicted. */
  composed?: { limitsKey: string; text: string };
}

/**
 * Compositions by text (and limits), whatever file they were read from: the same text under another name
 * (a parent's inline patch applied to every child, identical files in many folders) is composed once. Only
 * the composition is shared: each file gets its own values, so that objects and whatever is remembered
 * per object keep their own file. Each composition lives while a cache entry uses it.
 */
const compositionsByText = new Map<string, Map<string, { composition: Composition; users: number }>>();

function sharedComposition(limitsKey: string, text: string, file: string): Composition | undefined {
  const shared = compositionsByText.get(limitsKey)?.get(text)?.composition;
  if (!shared || shared.problems.every((p) => p.file === file)) return shared;
  // Problems found while composing name the file they were found in.
  return { ...shared, problems: shared.problems.map((p) => ({ ...p, file })) };
}

function useComposition(limitsKey: string, text: string, composition: Composition): CacheEntry['composed'] {
  let texts = compositionsByText.get(limitsKey);
  if (!texts) compositionsByText.set(limitsKey, (texts = new Map()));
  const known = texts.get(text);
  if (known) known.users++;
  else texts.set(text, { composition, users: 1 });
  return { limitsKey, text };
}

function released(entry: CacheEntry): void {
  cachedBytes -= entry.bytes;
  if (!entry.composed) return;
  const texts = compositionsByText.get(entry.composed.limitsKey);
  const known = texts?.get(entry.composed.text);
  if (!texts || !known || --known.users > 0) return;
  texts.delete(entry.composed.text);
  if (texts.size === 0) compositionsByText.delete(entry.composed.limitsKey);
}

export interface ParseCacheLimits {
  files: number;
  textsPerFile: number;
  /** Source text held in total (UTF-8 bytes); a repository of huge files must not keep them all alive. */
  bytes: number;
}

// The byte cap bounds memory; the file cap only guards against pathological numbers of tiny files. It must be
// well above the files one render reads, or every render of a large fleet evicts what the next one needs.
const defaultParseCacheLimits: ParseCacheLimits = { files: 200_000, textsPerFile: 8, bytes: 256 * 1024 * 1024 };
let cacheLimits: ParseCacheLimits = { ...defaultParseCacheLimits };

/** Changes the cache bounds (tests, embedders with little memory); returns the previous ones. Evicts at once. */
export function setParseCacheLimits(limits: Partial<ParseCacheLimits>): ParseCacheLimits {
  const previous = cacheLimits;
  cacheLimits = { ...cacheLimits, ...limits };
  evictOverLimits();
  return previous;
}

export function parseCacheStats(): { files: number; texts: number; bytes: number; compositions: number } {
  let texts = 0;
  for (const t of cache.values()) texts += t.size;
  let compositions = 0;
  for (const t of compositionsByText.values()) compositions += t.size;
  return { files: cache.size, texts, bytes: cachedBytes, compositions };
}

/** Drops least recently used entries (oldest file first, its oldest text first) until every bound holds. */
function evictOverLimits(): void {
  while (cache.size > 0 && (cache.size > cacheLimits.files || cachedBytes > cacheLimits.bytes)) {
    const [oldestKey, texts] = cache.entries().next().value as [string, Map<string, CacheEntry>];
    if (cache.size > cacheLimits.files || texts.size <= 1) {
      for (const entry of texts.values()) released(entry);
      cache.delete(oldestKey);
    } else {
      const [oldestText, entry] = texts.entries().next().value as [string, CacheEntry];
      released(entry);
      texts.delete(oldestText);
    }
  }
}

/** Parse with a small content-keyed cache (same file + same text => same ParsedFile object, no reparse). */
export function parseYamlFileCached(file: string, text: string, limits?: Partial<ParseLimits>, options?: ParseOptions): ParsedFile {
  const dialect = options?.dialect ?? 'resource';
  const limitsKey = limits ? JSON.stringify(limitsWith(limits)) : '';
  const key = `${file}\u0000${dialect}${limitsKey}`;
  let texts = cache.get(key);
  // Map iteration follows insertion order: re-inserting keeps recently used entries, the oldest is evicted.
  if (texts) cache.delete(key);
  else texts = new Map();
  cache.set(key, texts);
  const hit = texts.get(text);
  if (hit) {
    texts.delete(text);
    texts.set(text, hit);
    return hit.parsed;
  }
  // The same text was composed already: read in the other dialect (a kustomization is also indexed as a
  // resource file), or under another name.
  const parsed = parseComposed(file, text, limits, options, sharedComposition(limitsKey, text, file));
  const bytes = Buffer.byteLength(text, 'utf8');
  // A text larger than the whole cache would only evict everything else and then itself.
  if (bytes > cacheLimits.bytes) {
    if (texts.size === 0) cache.delete(key);
    return parsed;
  }
  const composition = compositions.get(parsed);
  texts.set(text, { parsed, bytes, composed: composition && useComposition(limitsKey, text, composition) });
  cachedBytes += bytes;
  while (texts.size > cacheLimits.textsPerFile) {
    const [oldestText, entry] = texts.entries().next().value as [string, CacheEntry];
    released(entry);
    texts.delete(oldestText);
  }
  evictOverLimits();
  return parsed;
}

/**
 * kubectl reads a folded scalar's value as go-yaml's emitter writes it back and reads it again: that
 * emitter puts an extra line break before every more-indented line that follows a line of text (it
 * tests the value's first character where it means the next line's), and a more-indented line keeps
 * its line breaks, so each such place gains a newline: `>-` over `a` / `  b` is "a\n\n  b", not "a\n  b".
 * Values the emitter cannot write as a block (a space or tab before a line break, control characters,
 * a trailing space, a leading blank) are written quoted and keep their value.
 */
export function moreIndentedLineBreaks(value: string): string {
  if (value === '' || /^[ \t\n]/.test(value) || !/\n[ \t]/.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  if (/[ \t]\n|[\u0000-\u0008\u000b-\u001f\u007f]| $/.test(value)) return value;
  return value.replace(/(^|\n)([^ \t\n][^\n]*)(\n+)(?=[ \t])/g, '$1$2$3\n');
}
