// Prints rendered objects exactly as `kubectl kustomize` does. kustomize marshals each resource to JSON and
// converts that to YAML with sigs.k8s.io/yaml (go-yaml v2), so this reproduces go-yaml v2's emitter: its key
// order, its choice of scalar style, its 80-column folding and its block layout (sequences under a mapping
// key are not indented). Output is collected in an array of parts and joined once.
import { setField } from '../resource';
import type { Json, JsonObject } from '../types';
import { INT64_RANGE, isBase60Float, resolvePlain } from './resolve';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
// go-yaml only writes a mapping key inline when it is at most this many bytes long.
const MAX_SIMPLE_KEY_BYTES = 128;

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
// go-yaml's "blankz": blank, a line break, or a NUL byte.
const isBlankZ = (c: number | undefined): boolean => c === undefined || c === 0 || isBlank(c) || isBreak(c);

/** go-yaml's is_printable, which works on UTF-8 bytes and so rejects every 4-byte (astral) character. */
function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) as number;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function utf8Length(cps: number[]): number {
  let n = 0;
  for (const c of cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  return n;
}

function analyzeScalar(cps: number[]): ScalarAnalysis {
  if (cps.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const startsWith3 = (ch: number): boolean => cps.length >= 3 && cps[0] === ch && cps[1] === ch && cps[2] === ch;
  if (startsWith3(0x2d) || startsWith3(0x2e)) {
    blockIndicators = true;
  }
  let precededByWhitespace = true;
  const last = cps.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = cps[i];
    const followedByWhitespace = i === last || isBlank(cps[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        blockIndicators = true;
      } else if (ch === '?' || ch === ':') {
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === '-' && followedByWhitespace) {
        blockIndicators = true;
      }
    } else if (ch === ':') {
      if (followedByWhitespace) blockIndicators = true;
    } else if (ch === '#' && precededByWhitespace) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(c);
  }
  const a: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.blockPlainAllowed = false;
  }
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

/** The style go-yaml v2's encoder asks for: strings that would read back as another type must be quoted. */
function requestedStringStyle(text: string): ScalarStyle {
  if (text.includes('\n')) return 'literal';
  // The same names, images and ports are printed again and again: resolve each short string once.
  const known = text.length <= STYLE_CACHE_MAX_LENGTH ? styleOfText.get(text) : undefined;
  if (known) return known;
  const style: ScalarStyle = resolvePlain(text, true).kind === 'str' && !isBase60Float(text) ? 'plain' : 'double';
  if (text.length <= STYLE_CACHE_MAX_LENGTH) {
    if (styleOfText.size >= STYLE_CACHE_MAX_ENTRIES) styleOfText.clear();
    styleOfText.set(text, style);
  }
  return style;
}

const styleOfText = new Map<string, ScalarStyle>();
const STYLE_CACHE_MAX_LENGTH = 256;
const STYLE_CACHE_MAX_ENTRIES = 50_000;

// Printable ASCII without quotes, indicators or comment/mapping markers; '-' only after the first character.
const SIMPLE_PLAIN = /^[A-Za-z0-9_./()$+=^;<][A-Za-z0-9_./()$+=^;< -]*$/;

const ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function mustEscape(c: number): boolean {
  return !isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c;
}

function hexEscape(c: number): string {
  const [letter, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
  return letter + c.toString(16).toUpperCase().padStart(width, '0');
}

/** Written so that the compiler cannot drop the flattening read in YamlWriter.result() as dead code. */
const flattened = { sink: 0 };

class YamlWriter {
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyContext = false;

  // The line being written grows in `line`; whole lines are appended to `done`. V8 keeps such appends as
  // a rope flattened once when read, which measured twice as fast as joining an array of lines.
  private done = '';
  private line = '';

  result(): string {
    const text = this.done + this.line;
    // Reading the rope as a number makes V8 flatten it: kept as a rope (the output is kept, cached and
    // sent), it holds a node per line, several times the memory of the flat text, and every
    // young-generation collection has to copy all of them.
    flattened.sink = Number(text);
    return text;
  }

  private put(text: string, width = text.length): void {
    this.line += text;
    this.column += width;
  }

  private putCodePoint(c: number): void {
    this.line += String.fromCodePoint(c);
    this.column++;
  }

  private putBreak(): void {
    this.done += this.line + '\n';
    this.line = '';
    this.column = 0;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.line += String.fromCodePoint(c);
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) this.put(spaces(indent - this.column));
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Emits any value; `mappingContext` is true for a mapping's value (its sequence then stays at the key's column). */
  node(value: Json, mappingContext: boolean, depth: number): void {
    this.simpleKeyContext = false;
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyCollection('[', ']');
      else this.blockSequence(value, mappingContext, depth);
    } else if (typeof value === 'object' && value !== null) {
      // A "<<" key is read back by go-yaml v2 as a merge key; kustomize's output never contains one.
      let keys = Object.keys(value);
      if (keys.includes('<<')) keys = keys.filter((k) => k !== '<<');
      if (keys.length === 0) this.emptyCollection('{', '}');
      else this.blockMapping(value, keys, depth);
    } else {
      this.scalar(value);
    }
  }

  private emptyCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: Json[], mappingContext: boolean, depth: number): void {
    this.increaseIndent(false, mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, false, depth + 1);
    }
    this.popIndent();
  }

  private blockMapping(map: JsonObject, keys: string[], depth: number): void {
    this.increaseIndent(false, false);
    for (const { key, cps, plain } of sortedKeys(keys)) {
      this.writeIndent();
      if (plain) {
        this.writePlainWord(key);
        this.writeIndicator(':', false, false, false);
        this.node(map[key], true, depth + 1);
        continue;
      }
      const analysis = analyzeScalar(cps);
      if (!analysis.multiline && utf8Length(cps) <= MAX_SIMPLE_KEY_BYTES) {
        this.simpleKeyContext = true;
        this.stringScalar(key, cps, analysis);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.simpleKeyContext = false;
        this.stringScalar(key, cps, analysis);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(map[key], true, depth + 1);
    }
    this.popIndent();
  }

  private scalar(raw: null | boolean | number | bigint | string): void {
    const value = typeof raw === 'string' && raw.includes('\u0085') ? foldNextLines(raw) : raw;
    if (typeof value === 'string') {
      if (this.writeSimplePlain(value, true)) return;
      const cps = codePoints(value);
      this.stringScalar(value, cps, analyzeScalar(cps));
      return;
    }
    const text = value === null ? 'null' : typeof value === 'boolean' ? String(value) : formatNumber(value);
    if (!this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = false;
    this.indention = false;
  }

  private stringScalar(text: string, cps: number[], analysis: ScalarAnalysis): void {
    let style = requestedStringStyle(text);
    if (this.simpleKeyContext && analysis.multiline) style = 'double';
    if (style === 'plain') {
      // Only block context exists here: flow collections are always empty.
      if (!analysis.blockPlainAllowed) style = 'single';
      if (cps.length === 0 && this.simpleKeyContext) style = 'single';
    }
    if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!analysis.blockAllowed || this.simpleKeyContext)) style = 'double';
    const allowBreaks = !this.simpleKeyContext;
    if (style !== 'literal' && !analysis.multiline && this.writeUnfolded(text, cps, style, allowBreaks)) return;
    this.increaseIndent(true, false);
    if (style === 'plain') this.writePlain(cps, allowBreaks);
    else if (style === 'single') this.writeSingleQuoted(cps, allowBreaks);
    else if (style === 'double') this.writeDoubleQuoted(cps, allowBreaks);
    else this.writeLiteral(cps);
    this.popIndent();
  }

  /** The common case, written without character analysis: a short plain word (see isSimplePlainWord). */
  private writeSimplePlain(text: string, allowBreaks: boolean): boolean {
    if (!isSimplePlainWord(text)) return false;
    const lead = this.whitespace ? 0 : 1;
    if (allowBreaks && this.column + lead + text.length > BEST_WIDTH) return false;
    this.writePlainWord(text);
    return true;
  }

  private writePlainWord(text: string): void {
    if (!this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = false;
    this.indention = false;
  }

  /**
   * Writes a one-line scalar in one piece when go-yaml could not fold it: folding only happens at a
   * space written beyond column 80. Returns false when the character-by-character writer is needed.
   */
  private writeUnfolded(text: string, cps: number[], style: ScalarStyle, allowBreaks: boolean): boolean {
    let rendered: string;
    if (style === 'plain') rendered = text;
    else if (style === 'single') rendered = "'" + text.replace(/'/g, "''") + "'";
    else {
      const escaped: string[] = ['"'];
      const escapeAll = cps[0] === 0xfeff;
      for (const c of cps) {
        if (escapeAll || mustEscape(c)) escaped.push('\\' + (ESCAPES.get(c) ?? hexEscape(c)));
        else escaped.push(String.fromCodePoint(c));
      }
      escaped.push('"');
      rendered = escaped.join('');
    }
    const width =
      rendered.length === text.length + 2 || rendered === text ? cps.length + rendered.length - text.length : codePoints(rendered).length;
    const lead = this.whitespace ? 0 : 1;
    if (allowBreaks && this.column + lead + width > BEST_WIDTH) return false;
    if (lead) this.put(' ');
    this.put(rendered, width);
    this.whitespace = false;
    this.indention = false;
    return true;
  }

  private writePlain(cps: number[], allowBreaks: boolean): void {
    if (cps.length > 0 && !this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) this.writeIndent();
        else this.putCodePoint(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putCodePoint(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const last = cps.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = cps[i];
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < last && cps[i + 1] !== 0x20) this.writeIndent();
        else this.putCodePoint(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.putCodePoint(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const last = cps.length - 1;
    // go-yaml's is_bom looks at the start of the value, not at the current character: a string that
    // begins with U+FEFF has every character escaped ("\uFEFF\x2A").
    const escapeAll = cps[0] === 0xfeff;
    for (let i = 0; i <= last; i++) {
      const c = cps[i];
      if (escapeAll || mustEscape(c)) {
        const escape = ESCAPES.get(c) ?? hexEscape(c);
        this.put('\\' + escape);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < last) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) this.put('\\');
        } else {
          this.putCodePoint(c);
        }
        spaces = true;
      } else {
        this.putCodePoint(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(cps: number[]): void {
    this.writeIndicator('|', true, false, false);
    if (cps.length > 0 && (cps[0] === 0x20 || isBreak(cps[0]))) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = cps.length - 1;
    let chomp = '';
    if (cps.length === 0 || !isBreak(cps[last])) chomp = '-';
    else if (last === 0 || isBreak(cps[last - 1])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putCodePoint(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  endDocument(): void {
    this.indent = -1;
    this.writeIndent();
  }

  /** Starts another document after endDocument(): the writer is back in its first state then. */
  separateDocument(): void {
    this.done += this.line + '---\n';
    this.line = '';
  }
}

// Indentation strings made once: slicing a string of spaces would allocate one per line.
const INDENTS = Array.from({ length: 128 }, (_, n) => ' '.repeat(n));
const spaces = (n: number): string => INDENTS[n] ?? ' '.repeat(n);

// Values repeat across the objects of a render and across renders (names, ports, labels); whether one
// prints as a plain word is decided once.
const simplePlainWords = new Map<string, boolean>();
const SIMPLE_PLAIN_WORDS_MAX = 100_000;

/** A printable-ASCII string that go-yaml prints plain: no indicator at its start, no ': ' or ' #', no surrounding spaces, not another type. */
function isSimplePlainWord(text: string): boolean {
  let known = simplePlainWords.get(text);
  if (known === undefined) {
    known =
      SIMPLE_PLAIN.test(text) &&
      !text.startsWith('...') &&
      !text.endsWith(' ') &&
      !text.includes(' #') &&
      requestedStringStyle(text) === 'plain';
    if (text.length <= STYLE_CACHE_MAX_LENGTH) {
      if (simplePlainWords.size >= SIMPLE_PLAIN_WORDS_MAX) simplePlainWords.clear();
      simplePlainWords.set(text, known);
    }
  }
  return known;
}

/** go-yaml v2's map key order (sorter.go keyList.Less) for string keys: letters before other characters, digit runs by value. */
export function compareKeys(a: string, b: string): number {
  return a === b ? 0 : compareCodePoints(codePoints(a), codePoints(b));
}

interface SortKey {
  key: string;
  cps: number[];
}

interface SortedKey extends SortKey {
  /** Whether the key prints as a plain scalar as it is (as writeSimplePlain decides for a key). */
  plain: boolean;
}

// Rendered objects repeat the same few key lists (metadata, containers, ports...), and sorting them the
// go-yaml way is costly: a trie over each key list as given remembers its sorted order. Keyed by the
// given order, so where the comparison is not transitive the result is exactly what a fresh sort gives.
interface KeyTrieNode {
  next: Map<string, KeyTrieNode>;
  sorted?: SortedKey[];
}
const keyTrie: KeyTrieNode = { next: new Map() };
let keyTrieNodes = 0;
const KEY_TRIE_MAX_NODES = 100_000;

function sortedKeys(keys: string[]): SortedKey[] {
  let node: KeyTrieNode | undefined = keyTrie;
  for (let i = 0; i < keys.length && node; i++) {
    let child: KeyTrieNode | undefined = node.next.get(keys[i]);
    if (!child && keyTrieNodes < KEY_TRIE_MAX_NODES) {
      child = { next: new Map() };
      node.next.set(keys[i], child);
      keyTrieNodes++;
    }
    node = child;
  }
  if (node?.sorted) return node.sorted;
  const sorted: SortedKey[] = keys.map((key) => ({ key, cps: codePoints(key), plain: isSimplePlainWord(key) }));
  // Where go-yaml's comparison is not transitive (v10 < v1beta1 < v2 < v10), kubectl's own order varies
  // from run to run (Go randomizes map iteration); any consistent order is as good as another there.
  sorted.sort(bySortKey);
  if (node) node.sorted = sorted;
  return sorted;
}

const bySortKey = (a: SortKey, b: SortKey): number => compareCodePoints(a.cps, b.cps);

function compareCodePoints(a: number[], b: number[]): number {
  return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const isLetter = (c: number): boolean =>
  c < 0x80 ? (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) : LETTER.test(String.fromCodePoint(c));
const isDigit = (c: number): boolean => (c < 0x80 ? c >= 0x30 && c <= 0x39 : DIGIT.test(String.fromCodePoint(c)));

/** Go accumulates a digit run in an int64 that silently wraps; short runs fit a double exactly. */
function digitRun(cps: number[], from: number, start: number): { value: bigint | number; end: number } {
  let end = from;
  while (end < cps.length && isDigit(cps[end])) end++;
  if (end - from <= 15 && cps.slice(from, end).every((c) => c < 0x80)) {
    let value = start;
    for (let i = from; i < end; i++) value = value * 10 + (cps[i] - 0x30);
    return { value, end };
  }
  let value = BigInt(start);
  for (let i = from; i < end; i++) value = BigInt.asIntN(64, value * 10n + BigInt(cps[i] - 0x30));
  return { value, end };
}

function keyLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let start = 0;
    if (ar[i] === 0x30 || br[i] === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== 0x30) {
          start = 1;
          break;
        }
      }
    }
    const an = digitRun(ar, i, start);
    const bn = digitRun(br, i, start);
    if (an.value != bn.value) return an.value < bn.value;
    if (an.end !== bn.end) return an.end < bn.end;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), as go-yaml v2 prints floats. */
function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = Math.abs(f).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return sign + intPart + (fracPart ? '.' + fracPart : '');
}

/**
 * A number as it comes out of kustomize: Go's encoding/json prints it, go-yaml v2 reads that text back
 * (an int when it fits int64/uint64, else a float) and prints it again.
 */
export function formatNumber(value: number | bigint): string {
  if (typeof value === 'bigint') {
    if (value >= INT64_RANGE.min && value <= INT64_RANGE.umax) return value.toString();
    return formatGoFloat(Number(value));
  }
  if (!Number.isFinite(value)) return formatGoFloat(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e21) {
    // Go's JSON prints integral floats below 1e21 without exponent, using the shortest digits, like JS.
    const text = Object.is(value, -0) ? '0' : String(value);
    const asInt = BigInt(text);
    return asInt >= INT64_RANGE.min && asInt <= INT64_RANGE.umax ? text : formatGoFloat(value);
  }
  return formatGoFloat(value);
}

/**
 * Go's JSON leaves NEL (U+0085) raw, and go-yaml v2 reading that JSON folds it like a line break inside a
 * double-quoted scalar: blanks around it vanish, one break becomes a space, n breaks become n-1 newlines.
 */
function foldNextLines(text: string): string {
  return text.replace(/ *(?:\u0085 *)+/g, (run) => {
    const breaks = run.split('\u0085').length - 1;
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
  });
}

// DEL and C1 controls other than NEL: Go's JSON leaves them raw and go-yaml v2 refuses to read them back.
const UNREADABLE_CONTROL = /[\u007f-\u0084\u0086-\u009f]/;

/**
 * The error kubectl kustomize fails with when printing these objects, if any: strings holding DEL or C1
 * control characters, or keys holding NEL, cannot survive kustomize's JSON-to-YAML step. `emitDocuments`
 * itself always prints; a renderer that wants kubectl's failure asks here first.
 */
export function outputProblem(values: Json[]): string | undefined {
  for (const value of values) {
    const annotations = value !== null && typeof value === 'object' && !Array.isArray(value) ? annotationsOf(value) : undefined;
    // kustomize's end-of-build rewrite re-reads annotation keys as plain YAML: "true" or "1" stop being strings.
    if (annotations) {
      for (const key of Object.keys(annotations)) {
        if (!readsBackAsString(key)) return 'json: unsupported type: map[interface {}]interface {}';
      }
    }
  }
  const pending: Json[] = values.slice();
  // Iterative walk: output values can be large, and recursion depth would follow their nesting.
  for (let steps = 0; pending.length > 0 && steps < 10_000_000; steps++) {
    const value = pending.pop() as Json;
    if (typeof value === 'string') {
      if (UNREADABLE_CONTROL.test(value)) return 'yaml: control characters are not allowed';
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === 'object') {
      // for-in: no key array per object (plain objects, see deepCopy).
      for (const key in value) {
        // One test for both kinds of bad key, as keys almost never hold either.
        if (CONTROL_OR_NEL.test(key)) {
          if (UNREADABLE_CONTROL.test(key)) return 'yaml: control characters are not allowed';
          if (key.includes('\u0085')) return "yaml: did not find expected ',' or '}'";
        }
        pending.push(value[key]);
      }
    }
  }
  return undefined;
}

const CONTROL_OR_NEL = /[\u007f-\u009f]/;

// Annotation keys repeat across objects and renders; resolving each as plain YAML once is enough.
const annotationKeyIsString = new Map<string, boolean>();

function readsBackAsString(key: string): boolean {
  let isString = annotationKeyIsString.get(key);
  if (isString === undefined) {
    isString = resolvePlain(key, false).kind === 'str';
    if (annotationKeyIsString.size >= 10_000) annotationKeyIsString.clear();
    annotationKeyIsString.set(key, isString);
  }
  return isString;
}

function annotationsOf(object: JsonObject): JsonObject | undefined {
  const metadata = object.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return undefined;
  const annotations = metadata.annotations;
  return annotations !== null && typeof annotations === 'object' && !Array.isArray(annotations) ? annotations : undefined;
}

/** Go's encoding/json text of a scalar: what an annotation value becomes once kustomize rewrites it as a string. */
function jsonText(value: null | boolean | number | bigint): string {
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  return value === null ? 'null' : String(value);
}

/**
 * kustomize rewrites every resource's metadata.annotations at the end of a build (it strips its own
 * bookkeeping annotations): values become strings and an empty map disappears. Values read from files are
 * already strings (see parse.ts); this covers values that patches or transformers set to other types.
 */
function withFinalAnnotations(value: Json): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const metadata = value.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || !('annotations' in metadata)) return value;
  const annotations = metadata.annotations;
  const isMap = annotations !== null && typeof annotations === 'object' && !Array.isArray(annotations);
  if (!isMap && annotations !== null) return value;
  if (isMap && Object.keys(annotations).length > 0 && Object.values(annotations).every((v) => typeof v === 'string')) return value;
  const rest: JsonObject = { ...metadata };
  delete rest.annotations;
  if (isMap && Object.keys(annotations).length > 0) {
    const strings: JsonObject = {};
    for (const [k, v] of Object.entries(annotations)) {
      setField(strings, k, typeof v === 'string' ? v : v !== null && typeof v === 'object' ? '' : jsonText(v));
    }
    rest.annotations = strings;
  }
  return { ...value, metadata: rest };
}

/** One object as kubectl kustomize prints it (no leading '---', ends with '\n'). */
export function emitYaml(value: Json): string {
  return emitDocuments([value]);
}

/** Several objects joined exactly like `kubectl kustomize` stdout (documents separated by '---\n'). */
export function emitDocuments(values: Json[]): string {
  const writer = new YamlWriter();
  for (let i = 0; i < values.length; i++) {
    if (i > 0) writer.separateDocument();
    writer.node(withFinalAnnotations(values[i]), false, 0);
    writer.endDocument();
  }
  return writer.result();
}
