// The bash-like `${var}` language of Flux's envsubst (fluxcd/pkg/envsubst, a fork of drone/envsubst),
// with its exact quirks: `$$` always collapses to `$`; `${var-x}`, `${var+x}` and `${var?x}` are
// syntax errors (only the `:`-forms and `=` exist); every default-like operator returns the default
// when the value is empty; `${var:+x}` is NOT bash's "alternative" but behaves like `:-`.
// Private to the flux layer: substitute.ts is the public face.
import { globRegExp } from '../util/globPattern';

export type EnvNode =
  { type: 'text'; value: string } | { type: 'func'; param: string; op: string; args: EnvNode[] } | { type: 'list'; nodes: EnvNode[] };

export type EnvParse = { ok: true; root: EnvNode } | { ok: false; error: string };

const ERR_BAD_SUBSTITUTION = 'bad substitution';
const ERR_MISSING_CLOSING_BRACE = 'missing closing brace';
const ERR_VARIABLE_NAME = 'unable to parse variable name';
const ERR_FUNC_SUBSTITUTION = 'unable to parse substitution within function';
const ERR_DEFAULT_FUNCTION = 'unable to parse default function';

type Token = 'illegal' | 'eof' | 'ident' | 'lbrack' | 'rbrack';
type Accept = (ch: string, index: number) => boolean;

const SCAN_IDENT = 1;
const SCAN_LBRACK = 2;
const SCAN_RBRACK = 4;
const SCAN_ESCAPE = 8;
const ESCAPE_DOLLAR = 1;
const ESCAPE_BACKSLASH = 2;
const EOF = '';

const acceptAny: Accept = () => true;
const acceptIdent: Accept = (c) => /^[\p{L}\p{Nd}_]$/u.test(c);
const acceptColon: Accept = (c) => c === ':';
const acceptOneHash: Accept = (c, i) => c === '#' && i === 1;
const acceptNotClosing: Accept = (c) => c !== '}';
const acceptHashOp: Accept = (c, i) => c === '#' && i < 3;
const acceptPercentOp: Accept = (c, i) => c === '%' && i < 3;
const acceptDefaultOp: Accept = (c, i) => (i === 1 && c === ':') || (i === 2 && (c === '=' || c === '-' || c === '?' || c === '+'));
const acceptReplaceOp: Accept = (c, i) => (i === 1 && c === '/') || (i === 2 && (c === '/' || c === '#' || c === '%'));
const acceptOneEqual: Accept = (c, i) => i === 1 && c === '=';
const acceptOneColon: Accept = (c, i) => i === 1 && c === ':';
const rejectColonClose: Accept = (c) => c !== ':' && c !== '}';
const acceptSlash: Accept = (c) => c === '/';
const acceptNotSlash: Accept = (c) => c !== '/';
const acceptCasingOp: Accept = (c, i) => (c === ',' || c === '^') && i < 3;

/** A rune scanner whose token text is cut from a buffer that escapes shrink in place. */
class Scanner {
  private buf: string;
  pos = 0;
  private start = 0;
  private width = 0;
  mode = 0;
  escapes = ESCAPE_DOLLAR;
  accept: Accept = acceptAny;

  constructor(text: string) {
    this.buf = text;
  }

  read(): string {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.buf.codePointAt(this.pos)!;
    this.width = cp > 0xffff ? 2 : 1;
    this.pos += this.width;
    return String.fromCodePoint(cp);
  }

  unread(): void {
    this.pos -= this.width;
  }

  peek(): string {
    const c = this.read();
    this.unread();
    return c;
  }

  /** Drops the character just read from the buffer (the first of an escape pair). */
  private skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }

  text(): string {
    return this.buf.slice(this.start, this.pos);
  }

  scan(): Token {
    this.start = this.pos;
    const c = this.read();
    if (c === EOF) return 'eof';
    if (this.isLbrack(c)) return 'lbrack';
    if (this.isRbrack(c)) return 'rbrack';
    if (this.scanIdent(c)) return 'ident';
    return 'illegal';
  }

  private scanIdent(first: string): boolean {
    if ((this.mode & SCAN_IDENT) === 0) return false;
    if (this.isEscaped(first)) this.skip();
    else if (!this.accept(first, this.pos - this.start)) return false;
    for (;;) {
      const c = this.read();
      if (c === EOF) {
        this.unread();
        break;
      }
      if (this.isLbrack(c)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.isEscaped(c)) {
        this.skip();
        continue;
      }
      if (!this.accept(c, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private isLbrack(c: string): boolean {
    if ((this.mode & SCAN_LBRACK) === 0 || c !== '$') return false;
    if (this.read() === '{') return true;
    this.unread();
    return false;
  }

  private isRbrack(c: string): boolean {
    return (this.mode & SCAN_RBRACK) !== 0 && c === '}';
  }

  private isEscaped(c: string): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) return false;
    if (c === '$' && (this.escapes & ESCAPE_DOLLAR) !== 0 && this.peek() === '$') return true;
    if (c === '\\' && (this.escapes & ESCAPE_BACKSLASH) !== 0) {
      const next = this.peek();
      return next === '/' || next === '\\';
    }
    return false;
  }
}

class ParseError extends Error {}

class Parser {
  private readonly s: Scanner;
  /** Nested `${` depth: hostile input must not overflow the stack. */
  private depth = 0;
  constructor(text: string) {
    this.s = new Scanner(text);
  }

  parse(): EnvNode {
    const nodes: EnvNode[] = [];
    // The reference parser recurses once per piece; a loop gives the same sequence without the depth.
    for (;;) {
      this.s.accept = acceptAny;
      this.s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
      this.s.escapes = ESCAPE_DOLLAR;
      const t = this.s.scan();
      if (t === 'eof') break;
      if (t === 'ident') nodes.push({ type: 'text', value: this.s.text() });
      else if (t === 'lbrack') nodes.push(this.parseFunc());
      else throw new ParseError(ERR_BAD_SUBSTITUTION);
    }
    return nodes.length === 1 ? nodes[0] : { type: 'list', nodes };
  }

  private parseFunc(): EnvNode {
    if (++this.depth > 200) throw new ParseError(ERR_BAD_SUBSTITUTION);
    try {
      return this.parseFuncBody();
    } finally {
      this.depth--;
    }
  }

  private parseFuncBody(): EnvNode {
    const s = this.s;
    s.escapes = ESCAPE_DOLLAR | ESCAPE_BACKSLASH;
    if (s.peek() === '#') return this.parseLength();
    s.accept = acceptIdent;
    s.mode = SCAN_IDENT;
    if (s.scan() !== 'ident') throw new ParseError(ERR_VARIABLE_NAME);
    const name = s.text();
    switch (s.peek()) {
      case ':':
        return this.parseDefaultOrSubstring(name);
      case '=':
        return this.parseDefault(name);
      case ',':
      case '^':
        return this.parseOperatorOnly(name, acceptCasingOp);
      case '/':
        return this.parseReplace(name);
      case '#':
        return this.parseRemove(name, acceptHashOp);
      case '%':
        return this.parseRemove(name, acceptPercentOp);
    }
    s.accept = acceptIdent;
    s.mode = SCAN_RBRACK;
    if (s.scan() === 'rbrack') return { type: 'func', param: name, op: '', args: [] };
    throw new ParseError(ERR_MISSING_CLOSING_BRACE);
  }

  private parseParam(accept: Accept, mode: number): EnvNode {
    this.s.accept = accept;
    this.s.mode = mode | SCAN_LBRACK;
    const t = this.s.scan();
    if (t === 'lbrack') return this.parseFunc();
    if (t === 'ident' || t === 'rbrack') return { type: 'text', value: this.s.text() };
    throw new ParseError(ERR_FUNC_SUBSTITUTION);
  }

  private scanOperator(accept: Accept, error: string): string {
    this.s.accept = accept;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') throw new ParseError(error);
    return this.s.text();
  }

  private parseDefaultOrSubstring(name: string): EnvNode {
    this.s.read();
    const next = this.s.peek();
    this.s.unread();
    return next === '=' || next === '-' || next === '?' || next === '+' ? this.parseDefault(name) : this.parseSubstring(name);
  }

  private parseSubstring(name: string): EnvNode {
    const op = this.scanOperator(acceptOneColon, ERR_BAD_SUBSTITUTION);
    const args = [this.parseParam(rejectColonClose, SCAN_IDENT)];
    this.s.accept = acceptColon;
    this.s.mode = SCAN_IDENT | SCAN_RBRACK;
    const t = this.s.scan();
    if (t === 'rbrack') return { type: 'func', param: name, op, args };
    if (t !== 'ident') throw new ParseError(ERR_BAD_SUBSTITUTION);
    args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return { type: 'func', param: name, op, args };
  }

  private parseRemove(name: string, accept: Accept): EnvNode {
    const op = this.scanOperator(accept, ERR_BAD_SUBSTITUTION);
    const args = [this.parseParam(acceptNotClosing, SCAN_IDENT)];
    this.consumeRbrack();
    return { type: 'func', param: name, op, args };
  }

  private parseReplace(name: string): EnvNode {
    const op = this.scanOperator(acceptReplaceOp, ERR_BAD_SUBSTITUTION);
    const args: EnvNode[] = [];
    if (this.s.peek() === '/') args.push({ type: 'text', value: '' });
    else args.push(this.parseParam(acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE));
    this.s.accept = acceptSlash;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== 'ident') throw new ParseError(ERR_BAD_SUBSTITUTION);
    if (this.s.peek() === '}') {
      this.consumeRbrack();
      return { type: 'func', param: name, op, args };
    }
    args.push(this.parseParam(acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    this.consumeRbrack();
    return { type: 'func', param: name, op, args };
  }

  private parseDefault(name: string): EnvNode {
    const op = this.scanOperator(this.s.peek() === '=' ? acceptOneEqual : acceptDefaultOp, ERR_DEFAULT_FUNCTION);
    const args: EnvNode[] = [];
    // Each round consumes at least one character or throws, so the text length bounds it.
    for (;;) {
      if (this.s.peek() === '}') {
        this.consumeRbrack();
        return { type: 'func', param: name, op, args };
      }
      args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    }
  }

  private parseOperatorOnly(name: string, accept: Accept): EnvNode {
    const op = this.scanOperator(accept, ERR_BAD_SUBSTITUTION);
    this.consumeRbrack();
    return { type: 'func', param: name, op, args: [] };
  }

  private parseLength(): EnvNode {
    const op = this.scanOperator(acceptOneHash, ERR_BAD_SUBSTITUTION);
    const param = this.scanOperator(acceptIdent, ERR_BAD_SUBSTITUTION);
    this.consumeRbrack();
    return { type: 'func', param, op, args: [] };
  }

  private consumeRbrack(): void {
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== 'rbrack') throw new ParseError(ERR_BAD_SUBSTITUTION);
  }
}

export function parseEnvsubst(text: string): EnvParse {
  try {
    return { ok: true, root: new Parser(text).parse() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Operators that supply their own value for an unset variable, so strict mode lets them pass. */
export function isDefaultOperator(op: string): boolean {
  return ['-', '+', '=', '?', ':-', ':+', ':=', ':?'].includes(op);
}

export interface Reference {
  variable: string;
  op: string;
}

/** Every `${...}` reference in evaluation order (arguments before their function, like the evaluator). */
export function references(root: EnvNode): Reference[] {
  const out: Reference[] = [];
  const stack: Array<{ node: EnvNode; expanded: boolean }> = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const n = top.node;
    if (n.type === 'list') {
      for (let i = n.nodes.length - 1; i >= 0; i--) stack.push({ node: n.nodes[i], expanded: false });
    } else if (n.type === 'func') {
      if (top.expanded) out.push({ variable: n.param, op: n.op });
      else {
        stack.push({ node: n, expanded: true });
        for (let i = n.args.length - 1; i >= 0; i--) stack.push({ node: n.args[i], expanded: false });
      }
    }
  }
  return out;
}

export type Lookup = (name: string) => string | undefined;

export type EnvEval = { ok: true; text: string } | { ok: false; error: string; variable: string };

/** Evaluates a parsed template. Unset variables read as empty, or fail in strict mode unless a default operator handles them. */
export function evaluate(root: EnvNode, lookup: Lookup, strict: boolean): EnvEval {
  try {
    return { ok: true, text: evalNode(root, lookup, strict) };
  } catch (e) {
    if (e instanceof UnsetVariable)
      return { ok: false, error: `variable not set (strict mode): ${JSON.stringify(e.variable)}`, variable: e.variable };
    throw e;
  }
}

class UnsetVariable extends Error {
  constructor(readonly variable: string) {
    super(variable);
  }
}

function evalNode(node: EnvNode, lookup: Lookup, strict: boolean): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'list') return node.nodes.map((n) => evalNode(n, lookup, strict)).join('');
  const args = node.args.map((a) => evalNode(a, lookup, strict));
  const value = lookup(node.param);
  if (value === undefined && strict && !isDefaultOperator(node.op)) throw new UnsetVariable(node.param);
  return applyOperator(node.op, value ?? '', args);
}

// Go strings are UTF-8 bytes: lengths and offsets count bytes.
function bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** Go's strconv.Atoi: optional sign, decimal digits only. */
function atoi(s: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(s) ? Number.parseInt(s, 10) : undefined;
}

function substring(s: string, args: string[]): string {
  const b = bytes(s);
  let pos = atoi(args[0]);
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, b.length + pos);
  if (args.length === 1) return pos < b.length ? b.subarray(pos).toString('utf8') : '';
  const length = atoi(args[1]);
  if (length === undefined) return s;
  if (length < 0) {
    const end = b.length + length;
    return end < pos ? '' : b.subarray(pos, end).toString('utf8');
  }
  if (pos + length >= b.length) return pos < b.length ? b.subarray(pos).toString('utf8') : '';
  return b.subarray(pos, pos + length).toString('utf8');
}

function applyOperator(op: string, v: string, args: string[]): string {
  switch (op) {
    case ',':
      return v === '' ? v : [...v][0].toLowerCase() + [...v].slice(1).join('');
    case ',,':
      return v.toLowerCase();
    case '^':
      return v === '' ? v : [...v][0].toUpperCase() + [...v].slice(1).join('');
    case '^^':
      return v.toUpperCase();
    case '#':
      return args.length === 0 ? String(bytes(v).length) : trimPrefix(v, args[0], false);
    case '##':
      return args.length === 0 ? v : trimPrefix(v, args[0], true);
    case '%':
      return args.length === 0 ? v : reverse(trimPrefix(reverse(v), reverse(args[0]), false));
    case '%%':
      return args.length === 0 ? v : reverse(trimPrefix(reverse(v), reverse(args[0]), true));
    case ':':
      return args.length === 0 ? v : substring(v, args);
    case '/#':
      return args.length === 2 && v.startsWith(args[0]) ? args[1] + v.slice(args[0].length) : v;
    case '/%':
      return args.length === 2 && v.endsWith(args[0]) ? v.slice(0, v.length - args[0].length) + args[1] : v;
    case '/':
      return args.length === 0 ? v : replaceFirst(v, args[0], args[1] ?? '');
    case '//':
      return args.length === 0 ? v : v.split(args[0]).join(args[1] ?? '');
    default:
      // Every default-like operator (and an unknown casing combination) is "value, else the arguments joined".
      return v === '' && args.length > 0 ? args.join('') : v;
  }
}

function replaceFirst(v: string, pattern: string, replacement: string): string {
  if (pattern === '') return replacement + v; // Go's strings.Replace with an empty old inserts at the start
  const i = v.indexOf(pattern);
  return i < 0 ? v : v.slice(0, i) + replacement + v.slice(i + pattern.length);
}

function reverse(s: string): string {
  return [...s].reverse().join('');
}

/** Removes the shortest (or longest) non-empty prefix matching the glob; a malformed glob leaves the value. */
function trimPrefix(v: string, pattern: string, longest: boolean): string {
  const re = globToRegExp(pattern);
  if (!re) return v;
  let match = '';
  for (let n = v.length; n >= 1; n--) {
    const prefix = v.slice(0, n);
    if (re.test(prefix)) {
      match = prefix;
      if (longest) break;
    }
  }
  return match === '' ? v : v.slice(match.length);
}

/** drone/envsubst's glob (Go path.Match, a stray `]` literal); undefined for a malformed one. */
function globToRegExp(pattern: string): RegExp | undefined {
  try {
    return globRegExp(pattern, { strayCloseBracket: 'literal' });
  } catch {
    return undefined;
  }
}
