// Go's text/template, as flux-operator runs it for ResourceSets: parse, then execute against a set of
// functions, with Go's value semantics where a user can see them (how values print, what is "empty",
// which comparisons fail, missingkey=error on map fields). The delimiters are a parameter because the
// operator uses `<<` and `>>` (controlplaneio-fluxcd/flux-operator internal/builder/resourceset.go,
// newTemplate).
//
// Never throws to its caller: a parse or execution error is a TemplateError value with the line of the
// template it happened on. Execution is bounded (output bytes, evaluation steps, nesting depth) because
// templates come from files being edited: a `range` over `until 100000000` must end in a message, not
// hang the language server.
//
// Not implemented: `define`, `template` and `block` (the operator executes one unnamed template; a
// ResourceSet using them gets a clear error naming the action), method calls, and `call`.

/** A number as Go's reflection sees it: JSON inputs decode to int64 (whole) or float64, constants in the template to int or float64. */
export class GoNumber {
  constructor(
    readonly kind: 'int' | 'int64' | 'float64',
    readonly value: number,
  ) {}
}

/** A template value: nil, bool, string, number, []interface{} or map[string]interface{}. */
export type GoValue = null | boolean | string | GoNumber | GoValue[] | GoMap;
export type GoMap = Map<string, GoValue>;

/** What a Go function parameter accepts; `any` is interface{}. */
export type ParamKind = 'any' | 'string' | 'int' | 'int64' | 'float64' | 'bool' | 'list' | 'map';

export interface GoFunction {
  params: ParamKind[];
  /** The kind of a trailing `...` parameter. */
  variadic?: ParamKind;
  /** Returns the value, or throws a FunctionError (the template fails with its message). */
  call: (args: GoValue[]) => GoValue;
}

/** Thrown by a GoFunction; becomes the template's error, like a Go function returning a non-nil error. */
export class FunctionError extends Error {}

export interface TemplateError {
  message: string;
  /** 1-based line in the template text. */
  line: number;
  /** The action that failed, as written (e.g. `<< inputs.semver >>`). */
  action?: string;
}

export interface TemplateLimits {
  maxOutputBytes: number;
  /** Evaluation steps (nodes executed, loop iterations, function calls). */
  maxSteps: number;
  /** Nesting of control structures and parenthesised pipelines. */
  maxDepth: number;
}

// Real ResourceSet templates take hundreds of steps; 100k is about 0.2 s of work.
export const defaultTemplateLimits: TemplateLimits = { maxOutputBytes: 1024 * 1024, maxSteps: 100_000, maxDepth: 100 };

// ---------------------------------------------------------------------------------------------
// Values

export function fromJson(value: unknown): GoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return new GoNumber('int64', Number(value));
  // k8s.io/apimachinery's json.Unmarshal turns whole numbers into int64 and the rest into float64.
  if (typeof value === 'number') return new GoNumber(Number.isInteger(value) ? 'int64' : 'float64', value);
  if (Array.isArray(value)) return value.map(fromJson);
  if (value instanceof Map) return value as GoMap;
  const out: GoMap = new Map();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.set(k, fromJson(v));
  return out;
}

/** The value as JSON data; maps come out with sorted keys, as Go's encoders write them. */
export function toJsonValue(value: GoValue): unknown {
  if (value instanceof GoNumber) return value.value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const k of [...value.keys()].sort())
      Object.defineProperty(out, k, { value: toJsonValue(value.get(k) as GoValue), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

export function goTypeName(value: GoValue): string {
  if (value === null) return '<nil>';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (value instanceof GoNumber) return value.kind;
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Go's reflect.Kind name of the value (sprig's kindOf). */
export function goKindName(value: GoValue): string {
  if (value === null) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof Map) return 'map';
  return goTypeName(value);
}

/** text/template's truth: false, 0, nil and empty strings, lists and maps are false. */
export function isTrue(value: GoValue): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof GoNumber) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  return value.size > 0;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: shortest digits, exponent form when the exponent is < -4 or >= 6 (so 1e+06). */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  // JavaScript's shortest digits are Go's; only the switch to exponent form differs (JS: from 1e21).
  return String(f);
}

/** fmt's %v of a value, which is how an action prints its result. */
export function printValue(value: GoValue, top = true): string {
  if (value === null) return top ? '<no value>' : '<nil>';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if (value instanceof GoNumber) return value.kind === 'float64' ? formatGoFloat(value.value) : String(Math.trunc(value.value));
  if (Array.isArray(value)) return `[${value.map((v) => printValue(v, false)).join(' ')}]`;
  return `map[${[...value.keys()]
    .sort()
    .map((k) => `${k}:${printValue(value.get(k) as GoValue, false)}`)
    .join(' ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Lexer

type TokenType =
  | 'text'
  | 'left'
  | 'right'
  | 'comment'
  | 'identifier'
  | 'field'
  | 'variable'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'space'
  | 'keyword'
  | 'eof';

interface Token {
  type: TokenType;
  value: string;
  line: number;
  /** On a left delimiter: the whole action as written, delimiters included (for messages and for finding it in the source). */
  raw?: string;
}

/** Go number literals: hex, binary, octal, decimal and floats with exponents, underscores allowed. */
const NUMBER_TOKEN = /^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9_]+)?)/;

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** The action being parsed, as written, when the failure is inside one. */
    readonly action?: string,
  ) {
    super(message);
  }
}

function failureAction(raw: string | undefined): { action?: string } {
  return raw ? { action: raw } : {};
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string): boolean {
  return /[\p{L}\p{Nd}_]/u.test(c);
}

function lex(text: string, leftDelim: string, rightDelim: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  const advanceLines = (s: string): void => {
    for (const c of s) if (c === '\n') line++;
  };
  while (pos < text.length) {
    const start = text.indexOf(leftDelim, pos);
    const end = start < 0 ? text.length : start;
    // "<<- " trims the white space before the action; the marker needs a space after the dash.
    let trimLeft = false;
    if (start >= 0) {
      const after = text.slice(start + leftDelim.length, start + leftDelim.length + 2);
      trimLeft = after.length === 2 && after[0] === '-' && isSpace(after[1]);
    }
    let chunk = text.slice(pos, end);
    if (trimLeft) chunk = chunk.replace(/[ \t\r\n]+$/, '');
    if (chunk.length > 0) tokens.push({ type: 'text', value: chunk, line });
    advanceLines(text.slice(pos, end));
    if (start < 0) break;
    pos = start + leftDelim.length + (trimLeft ? 2 : 0);
    const leftToken: Token = { type: 'left', value: leftDelim, line };
    tokens.push(leftToken);
    // A comment is `/* ... */` right after the delimiter (and its trim marker).
    if (text.startsWith('/*', pos)) {
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) throw new ParseFailure('unclosed comment', line);
      advanceLines(text.slice(pos, close));
      pos = close + 2;
      const rest = text.slice(pos);
      const trimMatch = /^[ \t\r\n]-/.exec(rest);
      let trimRight = false;
      if (trimMatch && rest.startsWith(rightDelim, 2)) {
        trimRight = true;
        pos += 2;
      }
      if (!text.startsWith(rightDelim, pos)) throw new ParseFailure('comment ends before closing delimiter', line);
      pos += rightDelim.length;
      tokens.pop();
      if (trimRight) pos = skipSpaces(text, pos, (s) => advanceLines(s));
      continue;
    }
    // Inside an action.
    let parenDepth = 0;
    for (;;) {
      if (pos >= text.length) throw new ParseFailure('unclosed action', line);
      // " ->>" trims the white space after the action.
      if (isSpace(text[pos]) && text[pos + 1] === '-' && text.startsWith(rightDelim, pos + 2)) {
        advanceLines(text[pos]);
        pos += 2 + rightDelim.length;
        if (parenDepth > 0) throw new ParseFailure('unclosed left paren', line);
        tokens.push({ type: 'right', value: rightDelim, line });
        leftToken.raw = text.slice(start, pos);
        pos = skipSpaces(text, pos, (s) => advanceLines(s));
        break;
      }
      if (text.startsWith(rightDelim, pos)) {
        if (parenDepth > 0) throw new ParseFailure('unclosed left paren', line);
        pos += rightDelim.length;
        tokens.push({ type: 'right', value: rightDelim, line });
        leftToken.raw = text.slice(start, pos);
        break;
      }
      const c = text[pos];
      if (isSpace(c)) {
        let j = pos;
        while (j < text.length && isSpace(text[j]) && !(text[j + 1] === '-' && text.startsWith(rightDelim, j + 2) && isSpace(text[j]))) j++;
        advanceLines(text.slice(pos, j));
        if (j === pos) j++;
        tokens.push({ type: 'space', value: ' ', line });
        pos = j;
        continue;
      }
      if (c === '|') {
        tokens.push({ type: 'pipe', value: c, line });
        pos++;
        continue;
      }
      if (c === '(') {
        parenDepth++;
        tokens.push({ type: 'leftParen', value: c, line });
        pos++;
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) throw new ParseFailure('unexpected right paren', line);
        tokens.push({ type: 'rightParen', value: c, line });
        pos++;
        continue;
      }
      if (c === ',') {
        tokens.push({ type: 'comma', value: c, line });
        pos++;
        continue;
      }
      if (c === ':') {
        if (text[pos + 1] !== '=') throw new ParseFailure('expected :=', line);
        tokens.push({ type: 'declare', value: ':=', line });
        pos += 2;
        continue;
      }
      if (c === '=') {
        tokens.push({ type: 'assign', value: c, line });
        pos++;
        continue;
      }
      if (c === '"') {
        let j = pos + 1;
        while (j < text.length && text[j] !== '"') {
          if (text[j] === '\\') j++;
          if (text[j] === '\n') throw new ParseFailure('unterminated quoted string', line);
          j++;
        }
        if (j >= text.length) throw new ParseFailure('unterminated quoted string', line);
        tokens.push({ type: 'string', value: text.slice(pos, j + 1), line });
        pos = j + 1;
        continue;
      }
      if (c === '`') {
        const close = text.indexOf('`', pos + 1);
        if (close < 0) throw new ParseFailure('unterminated raw quoted string', line);
        tokens.push({ type: 'rawString', value: text.slice(pos + 1, close), line });
        advanceLines(text.slice(pos, close));
        pos = close + 1;
        continue;
      }
      if (c === "'") {
        const m = /^'(\\.|[^'\\\n])+'/u.exec(text.slice(pos));
        if (!m) throw new ParseFailure('unterminated character constant', line);
        tokens.push({ type: 'char', value: m[0], line });
        pos += m[0].length;
        continue;
      }
      if (c === '$') {
        const m = /^\$[\p{L}\p{Nd}_]*/u.exec(text.slice(pos)) as RegExpExecArray;
        tokens.push({ type: 'variable', value: m[0], line });
        pos += m[0].length;
        continue;
      }
      if (c === '.') {
        const next = text[pos + 1];
        if (next !== undefined && /[0-9]/.test(next)) {
          const m = NUMBER_TOKEN.exec(text.slice(pos)) as RegExpExecArray;
          tokens.push({ type: 'number', value: m[0], line });
          pos += m[0].length;
          continue;
        }
        const m = /^\.[\p{L}\p{Nd}_]*/u.exec(text.slice(pos)) as RegExpExecArray;
        tokens.push({ type: m[0] === '.' ? 'dot' : 'field', value: m[0], line });
        pos += m[0].length;
        continue;
      }
      if (/[0-9+-]/.test(c)) {
        const m = NUMBER_TOKEN.exec(text.slice(pos));
        if (!m) throw new ParseFailure(`unexpected "${c}" in command`, line);
        // Go rejects a number run into letters, like `1abc`.
        if (pos + m[0].length < text.length && isAlphaNumeric(text[pos + m[0].length]))
          throw new ParseFailure(`bad number syntax: "${text.slice(pos, pos + m[0].length + 1)}"`, line);
        tokens.push({ type: 'number', value: m[0], line });
        pos += m[0].length;
        continue;
      }
      if (isAlphaNumeric(c)) {
        const m = /^[\p{L}\p{Nd}_]+/u.exec(text.slice(pos)) as RegExpExecArray;
        const word = m[0];
        const type: TokenType = KEYWORDS.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'identifier';
        tokens.push({ type, value: word, line });
        pos += word.length;
        continue;
      }
      throw new ParseFailure(`unexpected "${c}" in command`, line);
    }
  }
  tokens.push({ type: 'eof', value: '', line });
  return tokens;
}

function skipSpaces(text: string, pos: number, onSkipped: (s: string) => void): number {
  let j = pos;
  while (j < text.length && isSpace(text[j])) j++;
  onSkipped(text.slice(pos, j));
  return j;
}

// ---------------------------------------------------------------------------------------------
// Parse tree

type Arg =
  | { type: 'field'; names: string[]; line: number }
  | { type: 'variable'; name: string; fields: string[]; line: number }
  | { type: 'identifier'; name: string; line: number }
  | { type: 'chain'; node: Arg; fields: string[]; line: number }
  | { type: 'constant'; value: GoValue; number?: { isInt: boolean; isFloat: boolean; value: number }; line: number }
  | { type: 'dot'; line: number }
  | { type: 'pipeline'; pipe: Pipe; line: number };

interface Command {
  args: Arg[];
  line: number;
}

interface Pipe {
  decls: string[];
  isAssign: boolean;
  cmds: Command[];
  line: number;
  text: string;
}

type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipe; line: number; raw: string }
  | ControlNode
  | { type: 'break' | 'continue'; line: number };

interface ControlNode {
  type: 'if' | 'with' | 'range';
  pipe: Pipe;
  raw: string;
  list: Node[];
  elseList?: Node[];
  line: number;
}

export interface ParsedTemplate {
  nodes: Node[];
}

class Parser {
  private pos = 0;
  /** The action being parsed, as written. */
  private raw = '';
  private rangeDepth = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly functions: FunctionNames,
    private readonly maxDepth: number,
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private peekNonSpace(): Token {
    let i = this.pos;
    while (this.tokens[i].type === 'space') i++;
    return this.tokens[i];
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }

  private fail(message: string, token: Token): never {
    throw new ParseFailure(message, token.line, this.raw || undefined);
  }

  parse(): Node[] {
    const { nodes, ender } = this.itemList(true);
    if (ender) this.fail(`unexpected {{${ender.value}}}`.replace('{{', '<<').replace('}}', '>>'), ender);
    return nodes;
  }

  /** Nodes up to `end`/`else` (returned as the ender) or, at top level, the end of the text. */
  private itemList(top: boolean): { nodes: Node[]; ender?: Token } {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') {
        if (!top) this.fail('unexpected EOF', t);
        return { nodes };
      }
      if (t.type === 'text') {
        this.next();
        nodes.push({ type: 'text', text: t.value });
        continue;
      }
      if (t.type !== 'left') this.fail(`unexpected ${t.value}`, t);
      this.next();
      this.raw = t.raw ?? '';
      const k = this.peekNonSpace();
      if (k.type === 'keyword' && (k.value === 'end' || k.value === 'else')) {
        if (top) this.fail(`unexpected <<${k.value}>>`, k);
        this.nextNonSpace();
        return { nodes, ender: k };
      }
      nodes.push(this.action());
    }
  }

  private action(): Node {
    const t = this.peekNonSpace();
    if (t.type === 'keyword') {
      this.nextNonSpace();
      switch (t.value) {
        case 'if':
        case 'with':
          return this.control(t.value, t);
        case 'range':
          return this.control('range', t);
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(`{{${t.value}}} outside {{range}}`.replace(/\{\{/g, '<<').replace(/\}\}/g, '>>'), t);
          this.expectRight(t.value);
          return { type: t.value, line: t.line };
        default:
          this.fail(`<<${t.value}>> is not supported in a ResourceSet template (the operator executes a single template)`, t);
      }
    }
    const raw = this.raw;
    const pipe = this.pipeline('command', 'right');
    return { type: 'action', pipe, line: t.line, raw };
  }

  private expectRight(context: string): void {
    const t = this.nextNonSpace();
    if (t.type !== 'right') this.fail(`unexpected ${describe(t)} in ${context}`, t);
  }

  private control(kind: 'if' | 'with' | 'range', t: Token): Node {
    if (++this.depth > this.maxDepth) this.fail(`control structures nested more than ${this.maxDepth} deep`, t);
    const raw = this.raw;
    const pipe = this.pipeline(kind, 'right');
    if (kind === 'range') this.rangeDepth++;
    const { nodes, ender } = this.itemList(false);
    if (kind === 'range') this.rangeDepth--;
    let elseList: Node[] | undefined;
    if (ender && ender.value === 'else') {
      const after = this.peekNonSpace();
      // `else if` / `else with` chain: treat as an else branch holding one nested control structure
      // that consumes the shared `end`.
      if (
        (kind === 'if' && after.type === 'keyword' && after.value === 'if') ||
        (kind === 'with' && after.type === 'keyword' && after.value === 'with')
      ) {
        this.nextNonSpace();
        const nested = this.control(kind, after);
        elseList = [nested];
        this.depth--;
        return { type: kind, pipe, raw, list: nodes, elseList, line: t.line };
      }
      this.expectRight('else');
      const rest = this.itemList(false);
      if (!rest.ender || rest.ender.value !== 'end') this.fail('expected end; found else', rest.ender ?? t);
      this.expectRight('end');
      elseList = rest.nodes;
    } else {
      this.expectRight('end');
    }
    this.depth--;
    return { type: kind, pipe, raw, list: nodes, ...(elseList ? { elseList } : {}), line: t.line };
  }

  private pipeline(context: string, end: 'right' | 'rightParen'): Pipe {
    const first = this.peekNonSpace();
    const pipe: Pipe = { decls: [], isAssign: false, cmds: [], line: first.line, text: '' };
    const startPos = this.pos;
    // Declarations: `$x :=`, `$x =`, and in range `$i, $e :=`.
    if (first.type === 'variable') {
      const save = this.pos;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'declare' || after.type === 'assign') {
        this.nextNonSpace();
        pipe.decls.push(first.value);
        pipe.isAssign = after.type === 'assign';
      } else if (after.type === 'comma' && context === 'range') {
        this.nextNonSpace();
        const second = this.nextNonSpace();
        if (second.type !== 'variable') this.fail(`range can only initialize variables`, second);
        const op = this.nextNonSpace();
        if (op.type !== 'declare' && op.type !== 'assign') this.fail(`expected := or = after range variables`, op);
        pipe.decls.push(first.value, second.value);
        pipe.isAssign = op.type === 'assign';
      } else {
        this.pos = save;
      }
    }
    for (;;) {
      const t = this.peekNonSpace();
      if (t.type === end) {
        this.nextNonSpace();
        if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`, t);
        pipe.text = this.tokens
          .slice(startPos, this.pos - 1)
          .map((x) => x.value)
          .join('')
          .trim();
        return pipe;
      }
      if (t.type === 'eof' || t.type === 'right' || t.type === 'rightParen') this.fail(`unexpected ${describe(t)} in ${context}`, t);
      pipe.cmds.push(this.command(end));
      const sep = this.peekNonSpace();
      if (sep.type === 'pipe') {
        this.nextNonSpace();
        const after = this.peekNonSpace();
        if (after.type === end || after.type === 'pipe') this.fail('missing command after |', after);
      }
    }
  }

  private command(end: 'right' | 'rightParen'): Command {
    const first = this.peekNonSpace();
    const cmd: Command = { args: [], line: first.line };
    for (;;) {
      this.skipSpace();
      const t = this.peek();
      if (t.type === end || t.type === 'pipe' || t.type === 'right' || t.type === 'rightParen' || t.type === 'eof') break;
      cmd.args.push(this.operand());
      const after = this.peek();
      if (after.type !== 'space' && after.type !== end && after.type !== 'pipe' && after.type !== 'right' && after.type !== 'rightParen') {
        this.fail(`unexpected ${describe(after)} in operand`, after);
      }
    }
    if (cmd.args.length === 0) this.fail('empty command', first);
    return cmd;
  }

  private skipSpace(): void {
    while (this.peek().type === 'space') this.next();
  }

  private operand(): Arg {
    const t = this.next();
    let node: Arg;
    switch (t.type) {
      case 'identifier':
        if (!this.functions.has(t.value) && !BUILTIN_NAMES.includes(t.value)) this.fail(`function "${t.value}" not defined`, t);
        node = { type: 'identifier', name: t.value, line: t.line };
        break;
      case 'dot':
        node = { type: 'dot', line: t.line };
        break;
      case 'nil':
        node = { type: 'constant', value: null, line: t.line };
        break;
      case 'variable':
        node = { type: 'variable', name: t.value, fields: [], line: t.line };
        break;
      case 'field':
        node = { type: 'field', names: [t.value.slice(1)], line: t.line };
        break;
      case 'bool':
        node = { type: 'constant', value: t.value === 'true', line: t.line };
        break;
      case 'string':
        node = { type: 'constant', value: unquoteGo(t.value, t), line: t.line };
        break;
      case 'rawString':
        node = { type: 'constant', value: t.value.replace(/\r/g, ''), line: t.line };
        break;
      case 'char': {
        const s = unquoteGo(`"${t.value.slice(1, -1).replace(/"/g, '\\"')}"`, t);
        const cp = s.codePointAt(0) ?? 0;
        node = { type: 'constant', value: new GoNumber('int', cp), number: { isInt: true, isFloat: true, value: cp }, line: t.line };
        break;
      }
      case 'number': {
        const n = parseGoNumber(t.value);
        if (!n) this.fail(`bad number syntax: "${t.value}"`, t);
        const written = t.value.replace(/^[+-]/, '');
        const isFloatLiteral = !/^0[xX]/.test(written) && /[.eE]/.test(written);
        node = { type: 'constant', value: new GoNumber(isFloatLiteral ? 'float64' : 'int', n.value), number: n, line: t.line };
        break;
      }
      case 'leftParen': {
        if (++this.depth > this.maxDepth) this.fail(`parentheses nested more than ${this.maxDepth} deep`, t);
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        this.depth--;
        node = { type: 'pipeline', pipe, line: t.line };
        break;
      }
      default:
        this.fail(`unexpected ${describe(t)} in operand`, t);
    }
    if (this.peek().type === 'field') {
      const fields: string[] = [];
      while (this.peek().type === 'field') fields.push(this.next().value.slice(1));
      if (node.type === 'field') node = { ...node, names: [...node.names, ...fields] };
      else if (node.type === 'variable') node = { ...node, fields: [...node.fields, ...fields] };
      else if (node.type === 'constant' || node.type === 'dot') this.fail(`unexpected . after term "${t.value}"`, t);
      else node = { type: 'chain', node, fields, line: t.line };
    }
    return node;
  }
}

function describe(t: Token): string {
  return t.type === 'eof' ? 'EOF' : `"${t.value}"`;
}

function unquoteGo(quoted: string, t: Token): string {
  try {
    // Go's escapes are a superset of JSON's apart from \a \b \f \v \x \U and octal; map the common ones.
    const body = quoted
      .slice(1, -1)
      .replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => `\\u00${h}`)
      .replace(/\\U([0-9a-fA-F]{8})/g, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/\\a/g, '\\u0007')
      .replace(/\\v/g, '\\u000b')
      .replace(/\\'/g, "'");
    return JSON.parse(`"${body}"`) as string;
  } catch {
    throw new ParseFailure(`invalid syntax in quoted string ${quoted}`, t.line);
  }
}

function parseGoNumber(text: string): { isInt: boolean; isFloat: boolean; value: number } | undefined {
  const clean = text.replace(/_/g, '');
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(clean)) {
    const negative = clean.startsWith('-');
    const body = clean.replace(/^[+-]/, '');
    const value = /^0[0-7]+$/.test(body) ? parseInt(body.slice(1), 8) : /^0[oO]/.test(body) ? parseInt(body.slice(2), 8) : Number(body);
    return { isInt: true, isFloat: true, value: negative ? -value : value };
  }
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(clean)) {
    const value = Number(clean);
    if (!Number.isFinite(value)) return undefined;
    // A float constant with an integral value can also be passed as an int, as in Go; used as a value it is a float64.
    return { isInt: Number.isInteger(value), isFloat: true, value };
  }
  return undefined;
}

/** Parses a template; `functions` are the names that may be called (an unknown name is a parse error, as in Go). */
/** The names a template may call besides the builtins: a Set of names or the function map itself. */
export interface FunctionNames {
  has(name: string): boolean;
}

export function parseTemplate(
  text: string,
  functions: FunctionNames,
  options: { leftDelim?: string; rightDelim?: string; limits?: Partial<TemplateLimits> } = {},
): { template: ParsedTemplate } | { error: TemplateError } {
  const limits = { ...defaultTemplateLimits, ...(options.limits ?? {}) };
  try {
    const tokens = lex(text, options.leftDelim ?? '{{', options.rightDelim ?? '}}');
    const nodes = new Parser(tokens, functions, limits.maxDepth).parse();
    return { template: { nodes } };
  } catch (error) {
    if (error instanceof ParseFailure) return { error: { message: error.message, line: error.line, ...failureAction(error.action) } };
    if (error instanceof RangeError) return { error: { message: 'template is nested too deeply', line: 1 } };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Execution

class ExecFailure extends Error {
  /** The innermost action executing when it failed. */
  action?: string;
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

class BreakSignal {}
class ContinueSignal {}

const BUILTIN_NAMES = [
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'html',
  'js',
  'urlquery',
  'call',
];

interface Variable {
  name: string;
  value: GoValue;
}

class Executor {
  private readonly out: string[] = [];
  private outBytes = 0;
  private steps = 0;
  private readonly vars: Variable[];

  constructor(
    private readonly functions: ReadonlyMap<string, GoFunction>,
    private readonly limits: TemplateLimits,
    dot: GoValue,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  output(): string {
    return this.out.join('');
  }

  stepsTaken(): number {
    return this.steps;
  }

  private step(line: number): void {
    this.charge(1, line);
  }

  private charge(steps: number, line: number): void {
    this.steps += steps;
    if (this.steps > this.limits.maxSteps)
      throw new ExecFailure(
        `template stopped after ${this.limits.maxSteps} evaluation steps (a loop too large for an offline preview)`,
        line,
      );
  }

  private write(text: string, line: number): void {
    this.outBytes += text.length;
    if (this.outBytes > this.limits.maxOutputBytes)
      throw new ExecFailure(`template output exceeds ${this.limits.maxOutputBytes} bytes`, line);
    this.out.push(text);
  }

  walkList(nodes: Node[], dot: GoValue): void {
    for (const node of nodes) this.walk(node, dot);
  }

  private walk(node: Node, dot: GoValue): void {
    try {
      this.walkNode(node, dot);
    } catch (error) {
      if (error instanceof ExecFailure && error.action === undefined && 'raw' in node) error.action = node.raw;
      throw error;
    }
  }

  private walkNode(node: Node, dot: GoValue): void {
    switch (node.type) {
      case 'text':
        this.write(node.text, 0);
        return;
      case 'action': {
        this.step(node.line);
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decls.length === 0) this.write(printValue(value), node.line);
        return;
      }
      case 'if':
      case 'with': {
        this.step(node.line);
        const mark = this.vars.length;
        const value = this.evalPipeline(dot, node.pipe);
        if (isTrue(value)) this.walkList(node.list, node.type === 'with' ? value : dot);
        else if (node.elseList) this.walkList(node.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(node, dot);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private walkRange(node: ControlNode, dot: GoValue): void {
    this.step(node.line);
    const mark = this.vars.length;
    // The range's own declarations are set per iteration, not by evalPipeline.
    const pipe: Pipe = { ...node.pipe, decls: [] };
    const value = this.evalPipeline(dot, pipe);
    const entries: Array<[GoValue, GoValue]> = [];
    if (Array.isArray(value)) value.forEach((v, i) => entries.push([new GoNumber('int', i), v]));
    else if (value instanceof Map) for (const k of [...value.keys()].sort()) entries.push([k, value.get(k) as GoValue]);
    else if (value instanceof GoNumber && value.kind !== 'float64') {
      if (value.value > this.limits.maxSteps)
        throw new ExecFailure(`range over ${value.value} is larger than an offline preview allows`, node.line);
      for (let i = 0; i < value.value; i++) entries.push([new GoNumber(value.kind, i), new GoNumber(value.kind, i)]);
    } else if (value !== null) throw new ExecFailure(`range can't iterate over ${printValue(value)}`, node.line);
    const oneVar = node.pipe.decls.length === 1;
    for (const [key, element] of entries) {
      this.step(node.line);
      if (node.pipe.decls.length > 0) {
        const setVar = (name: string, v: GoValue): void => {
          if (node.pipe.isAssign) this.assign(name, v, node.line);
          else this.vars.push({ name, value: v });
        };
        // With one variable it is the element; with two, the index/key then the element.
        if (oneVar) setVar(node.pipe.decls[0], element);
        else {
          setVar(node.pipe.decls[0], key);
          setVar(node.pipe.decls[1], element);
        }
      }
      try {
        this.walkList(node.list, element);
      } catch (signal) {
        if (signal instanceof BreakSignal) break;
        if (!(signal instanceof ContinueSignal)) throw signal;
      } finally {
        this.vars.length = mark;
      }
    }
    if (entries.length === 0 && node.elseList) this.walkList(node.elseList, dot);
    this.vars.length = mark;
  }

  private assign(name: string, value: GoValue, line: number): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    throw new ExecFailure(`undefined variable: ${name}`, line);
  }

  private variable(name: string, line: number): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    throw new ExecFailure(`undefined variable: ${name}`, line);
  }

  evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    let value: GoValue | undefined;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value ?? null;
    for (const name of pipe.decls) {
      if (pipe.isAssign) this.assign(name, result, pipe.line);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private evalCommand(dot: GoValue, cmd: Command, final: GoValue | undefined): GoValue {
    this.step(cmd.line);
    const first = cmd.args[0];
    if (first.type === 'identifier') return this.callFunction(first.name, cmd.args.slice(1), dot, final, cmd.line);
    if (first.type === 'constant' && first.value === null) throw new ExecFailure('nil is not a command', cmd.line);
    if (cmd.args.length > 1 || final !== undefined) {
      if (first.type === 'field' || first.type === 'chain' || (first.type === 'variable' && first.fields.length > 0)) {
        const last = first.type === 'field' ? first.names[first.names.length - 1] : first.fields[first.fields.length - 1];
        throw new ExecFailure(`${last} is not a method but has arguments`, cmd.line);
      }
      throw new ExecFailure(`can't give argument to non-function ${argText(first)}`, cmd.line);
    }
    return this.evalArg(dot, first);
  }

  private evalArg(dot: GoValue, arg: Arg): GoValue {
    switch (arg.type) {
      case 'constant':
        return arg.value;
      case 'dot':
        return dot;
      case 'variable': {
        const v = this.variable(arg.name, arg.line);
        return this.fieldChain(v, arg.fields, arg.line);
      }
      case 'field':
        // The operator executes with no data: `.x` has nothing to read.
        if (dot === null) throw new ExecFailure(`nil data; no entry for key "${arg.names[0]}"`, arg.line);
        return this.fieldChain(dot, arg.names, arg.line);
      case 'identifier':
        return this.callFunction(arg.name, [], dot, undefined, arg.line);
      case 'chain':
        return this.fieldChain(this.evalArg(dot, arg.node), arg.fields, arg.line);
      case 'pipeline': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, arg.pipe);
        this.vars.length = mark;
        return v;
      }
    }
  }

  private fieldChain(receiver: GoValue, names: string[], line: number): GoValue {
    let value = receiver;
    for (const name of names) {
      if (value instanceof Map) {
        // The operator sets missingkey=error: a field the input set lacks fails the build.
        if (!value.has(name)) throw new ExecFailure(`map has no entry for key "${name}"`, line);
        value = value.get(name) as GoValue;
      } else if (value === null) {
        throw new ExecFailure(`nil pointer evaluating interface {}.${name}`, line);
      } else {
        throw new ExecFailure(`can't evaluate field ${name} in type ${goTypeName(value)}`, line);
      }
    }
    return value;
  }

  private callFunction(name: string, args: Arg[], dot: GoValue, final: GoValue | undefined, line: number): GoValue {
    // and/or evaluate their arguments lazily, like Go 1.18+.
    if (name === 'and' || name === 'or') {
      const thunks: Array<() => GoValue> = args.map((a) => () => this.evalArg(dot, a));
      if (final !== undefined) thunks.push(() => final);
      if (thunks.length === 0) throw new ExecFailure(`wrong number of args for ${name}: want at least 1 got 0`, line);
      let v: GoValue = null;
      for (const thunk of thunks) {
        v = thunk();
        if (name === 'and' ? !isTrue(v) : isTrue(v)) return v;
      }
      return v;
    }
    const fn = this.functions.get(name) ?? BUILTINS.get(name);
    if (!fn) throw new ExecFailure(`function "${name}" not defined`, line);
    const values: Array<{ value: GoValue; constant?: Arg & { type: 'constant' } }> = args.map((a) => ({
      value: this.evalArg(dot, a),
      ...(a.type === 'constant' ? { constant: a } : {}),
    }));
    if (final !== undefined) values.push({ value: final });
    const want = fn.params.length;
    if (fn.variadic ? values.length < want : values.length !== want) {
      throw new ExecFailure(`wrong number of args for ${name}: want ${fn.variadic ? 'at least ' : ''}${want} got ${values.length}`, line);
    }
    const converted = values.map((v, i) => convertArg(v.value, v.constant, i < want ? fn.params[i] : (fn.variadic as ParamKind), line));
    this.step(line);
    try {
      const result = fn.call(converted);
      // Building a list is work too: charge its elements, so `until 100000000` stops here rather than in a loop.
      if (Array.isArray(result)) this.charge(result.length, line);
      return result;
    } catch (error) {
      if (error instanceof FunctionError) throw new ExecFailure(`error calling ${name}: ${error.message}`, line);
      if (error instanceof RangeError) throw new ExecFailure(`error calling ${name}: ${error.message}`, line);
      throw error;
    }
  }
}

function argText(arg: Arg): string {
  switch (arg.type) {
    case 'constant':
      return typeof arg.value === 'string' ? JSON.stringify(arg.value) : printValue(arg.value);
    case 'dot':
      return '.';
    case 'variable':
      return [arg.name, ...arg.fields].join('.');
    case 'field':
      return `.${arg.names.join('.')}`;
    case 'identifier':
      return arg.name;
    case 'chain':
      return `${argText(arg.node)}.${arg.fields.join('.')}`;
    case 'pipeline':
      return `(${arg.pipe.text})`;
  }
}

/** Go's validateType for a function argument, with its conversion of untyped number constants. */
function convertArg(value: GoValue, constant: (Arg & { type: 'constant' }) | undefined, kind: ParamKind, line: number): GoValue {
  const wrong = (): never => {
    if (value === null && kind !== 'any') throw new ExecFailure(`invalid value; expected ${goParamName(kind)}`, line);
    throw new ExecFailure(`wrong type for value; expected ${goParamName(kind)}; got ${goTypeName(value)}`, line);
  };
  switch (kind) {
    case 'any':
      return value;
    case 'string':
      return typeof value === 'string' ? value : wrong();
    case 'bool':
      return typeof value === 'boolean' ? value : wrong();
    case 'list':
      return Array.isArray(value) ? value : wrong();
    case 'map':
      return value instanceof Map ? value : wrong();
    case 'int':
    case 'int64':
    case 'float64': {
      if (!(value instanceof GoNumber)) return wrong();
      if (constant?.number) {
        if (kind === 'float64') return new GoNumber('float64', constant.number.value);
        if (!constant.number.isInt) throw new ExecFailure(`expected integer; found ${printValue(value)}`, line);
        return new GoNumber(kind, constant.number.value);
      }
      return value.kind === kind ? value : wrong();
    }
  }
}

function goParamName(kind: ParamKind): string {
  return kind === 'any' ? 'interface {}' : kind === 'list' ? '[]interface {}' : kind === 'map' ? 'map[string]interface {}' : kind;
}

/** Executes a parsed template with `dot` as `.`. */
export function executeTemplate(
  template: ParsedTemplate,
  functions: ReadonlyMap<string, GoFunction>,
  options: { dot?: GoValue; limits?: Partial<TemplateLimits> } = {},
): { output: string; steps: number } | { error: TemplateError } {
  const limits = { ...defaultTemplateLimits, ...(options.limits ?? {}) };
  const exec = new Executor(functions, limits, options.dot ?? null);
  try {
    exec.walkList(template.nodes, options.dot ?? null);
    return { output: exec.output(), steps: exec.stepsTaken() };
  } catch (error) {
    if (error instanceof ExecFailure) return { error: { message: error.message, line: error.line, ...failureAction(error.action) } };
    if (error instanceof RangeError) return { error: { message: `template too complex: ${error.message}`, line: 1 } };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// text/template's builtin functions (and/or are special-cased in the executor).

function basicKind(v: GoValue): 'bool' | 'string' | 'int' | 'float' | 'nil' | 'complex' {
  if (v === null) return 'nil';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoNumber) return v.kind === 'float64' ? 'float' : 'int';
  return 'complex';
}

function goEqual(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'complex' || kb === 'complex') {
    throw new FunctionError(`non-comparable type ${printValue(ka === 'complex' ? a : b)}: ${goTypeName(ka === 'complex' ? a : b)}`);
  }
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) throw new FunctionError('incompatible types for comparison');
  if (a instanceof GoNumber && b instanceof GoNumber) return a.value === b.value;
  return a === b;
}

function goLess(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'complex' || ka === 'nil' || ka === 'bool' || kb === 'complex' || kb === 'nil' || kb === 'bool') {
    throw new FunctionError(`invalid type for comparison`);
  }
  if (ka !== kb) throw new FunctionError('incompatible types for comparison');
  if (a instanceof GoNumber && b instanceof GoNumber) return a.value < b.value;
  return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
}

function goLen(v: GoValue): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  throw new FunctionError(`len of type ${goTypeName(v)}`);
}

function goIndex(item: GoValue, indexes: GoValue[]): GoValue {
  let v = item;
  for (const index of indexes) {
    if (Array.isArray(v) || typeof v === 'string') {
      if (!(index instanceof GoNumber) || index.kind === 'float64')
        throw new FunctionError(`cannot index slice/array with type ${goTypeName(index)}`);
      const length = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
      if (index.value < 0 || index.value >= length) throw new FunctionError(`index out of range: ${index.value}`);
      v = typeof v === 'string' ? new GoNumber('int', Buffer.from(v)[index.value]) : v[index.value];
    } else if (v instanceof Map) {
      if (typeof index !== 'string') throw new FunctionError(`value has type ${goTypeName(index)}; should be string`);
      // index returns the zero value for a missing key: missingkey does not apply to it.
      v = v.has(index) ? (v.get(index) as GoValue) : null;
    } else if (v === null) {
      throw new FunctionError('index of untyped nil');
    } else {
      throw new FunctionError(`can't index item of type ${goTypeName(v)}`);
    }
  }
  return v;
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function goSprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printValue(a, false);
  });
  return out;
}

/** fmt.Sprintf for the verbs templates use: %v %s %d %q %t %f %e %g %x %X %o %b %c %%, with flags, width and precision. */
export function goSprintf(format: string, args: GoValue[]): string {
  let argIndex = 0;
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])/.exec(format.slice(i));
    if (!m) {
      out += '%!(NOVERB)';
      break;
    }
    i += m[0].length - 1;
    const flags = m[1];
    const verb = m[4];
    if (verb === '%') {
      out += '%';
      continue;
    }
    let width = m[2] === '*' ? numberArg(args[argIndex++]) : m[2] !== undefined ? Number(m[2]) : undefined;
    const precision = m[3] === '*' ? numberArg(args[argIndex++]) : m[3] !== undefined ? Number(m[3]) : m[0].includes('.') ? 0 : undefined;
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argIndex++];
    let text = formatVerb(verb, arg, flags, precision);
    if (width !== undefined && text.length < width) {
      if (flags.includes('-')) text = text.padEnd(width);
      else if (flags.includes('0') && /[dfeEgGxXob]/.test(verb) && arg instanceof GoNumber) {
        const sign = text.startsWith('-') || text.startsWith('+') ? text[0] : '';
        text = sign + text.slice(sign.length).padStart(width - sign.length, '0');
      } else text = text.padStart(width);
    }
    width = undefined;
    out += text;
  }
  if (argIndex < args.length)
    out += `%!(EXTRA ${args
      .slice(argIndex)
      .map((a) => `${goTypeName(a)}=${printValue(a, false)}`)
      .join(', ')})`;
  return out;
}

function numberArg(v: GoValue | undefined): number | undefined {
  return v instanceof GoNumber ? v.value : undefined;
}

function formatVerb(verb: string, arg: GoValue, flags: string, precision: number | undefined): string {
  const plus = flags.includes('+');
  const bad = (): string => `%!${verb}(${goTypeName(arg)}=${printValue(arg, false)})`;
  switch (verb) {
    case 'v':
      return printValue(arg, false);
    case 's':
      if (typeof arg === 'string') return precision !== undefined ? [...arg].slice(0, precision).join('') : arg;
      return arg instanceof GoNumber ? bad() : printValue(arg, false);
    case 'q':
      if (typeof arg === 'string') return goQuote(arg);
      if (arg instanceof GoNumber && arg.kind !== 'float64') return `'${String.fromCodePoint(arg.value)}'`;
      return bad();
    case 't':
      return typeof arg === 'boolean' ? String(arg) : bad();
    case 'd':
      if (arg instanceof GoNumber && arg.kind !== 'float64') return (plus && arg.value >= 0 ? '+' : '') + String(arg.value);
      return bad();
    case 'c':
      return arg instanceof GoNumber && arg.kind !== 'float64' ? String.fromCodePoint(arg.value) : bad();
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const radix = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      let s: string;
      if (arg instanceof GoNumber && arg.kind !== 'float64') s = arg.value.toString(radix);
      else if (typeof arg === 'string' && radix === 16) s = Buffer.from(arg).toString('hex');
      else return bad();
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (!(arg instanceof GoNumber) || arg.kind !== 'float64') return bad();
      const p = precision ?? 6;
      let s =
        verb === 'f' || verb === 'F'
          ? arg.value.toFixed(p)
          : verb === 'e' || verb === 'E'
            ? goExponent(arg.value.toExponential(p))
            : precision === undefined
              ? formatGoFloat(arg.value)
              : String(Number(arg.value.toPrecision(p)));
      if (verb === 'E' || verb === 'G') s = s.toUpperCase();
      return (plus && arg.value >= 0 ? '+' : '') + s;
    }
    default:
      return `%!${verb}(${goTypeName(arg)}=${printValue(arg, false)})`;
  }
}

function goExponent(js: string): string {
  return js.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** strconv.Quote: Go's double-quoted string with escapes (non-printable runes as \x, \u or \U). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || cp === 0xfeff || (cp >= 0x2028 && cp <= 0x2029))
      out += cp > 0xff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\u00${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function htmlEscape(s: string): string {
  return s.replace(
    /[&'<>"\0]/g,
    (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] as string,
  );
}

const BUILTINS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['not', { params: ['any'], call: ([v]) => !isTrue(v) }],
  ['len', { params: ['any'], call: ([v]) => new GoNumber('int', goLen(v)) }],
  ['index', { params: ['any'], variadic: 'any', call: ([item, ...rest]) => goIndex(item, rest) }],
  [
    'slice',
    {
      params: ['any'],
      variadic: 'any',
      call: ([item, ...idx]) => {
        const ints = idx.map((i) => {
          if (!(i instanceof GoNumber) || i.kind === 'float64') throw new FunctionError('cannot index slice/array with nonint');
          return i.value;
        });
        if (typeof item === 'string') {
          const bytes = Buffer.from(item);
          const [lo = 0, hi = bytes.length] = ints;
          if (ints.length > 2) throw new FunctionError('cannot 3-index slice a string');
          if (lo < 0 || hi > bytes.length || lo > hi) throw new FunctionError(`index out of range: ${hi}`);
          return bytes.subarray(lo, hi).toString();
        }
        if (Array.isArray(item)) {
          const [lo = 0, hi = item.length] = ints;
          if (lo < 0 || hi > item.length || lo > hi) throw new FunctionError(`index out of range: ${hi}`);
          return item.slice(lo, hi);
        }
        throw new FunctionError(`can't slice item of type ${goTypeName(item)}`);
      },
    },
  ],
  ['print', { params: [], variadic: 'any', call: (args) => goSprint(args) }],
  ['println', { params: [], variadic: 'any', call: (args) => `${args.map((a) => printValue(a, false)).join(' ')}\n` }],
  ['printf', { params: ['string'], variadic: 'any', call: ([f, ...args]) => goSprintf(f as string, args) }],
  [
    'eq',
    {
      params: ['any'],
      variadic: 'any',
      call: ([a, ...rest]) => {
        if (rest.length === 0) throw new FunctionError('missing argument for comparison');
        return rest.some((b) => goEqual(a, b));
      },
    },
  ],
  ['ne', { params: ['any', 'any'], call: ([a, b]) => !goEqual(a, b) }],
  ['lt', { params: ['any', 'any'], call: ([a, b]) => goLess(a, b) }],
  ['le', { params: ['any', 'any'], call: ([a, b]) => goLess(a, b) || goEqual(a, b) }],
  ['gt', { params: ['any', 'any'], call: ([a, b]) => !goLess(a, b) && !goEqual(a, b) }],
  ['ge', { params: ['any', 'any'], call: ([a, b]) => !goLess(a, b) }],
  ['html', { params: [], variadic: 'any', call: (args) => htmlEscape(goSprint(args)) }],
  ['urlquery', { params: [], variadic: 'any', call: (args) => encodeURIComponent(goSprint(args)).replace(/%20/g, '+') }],
  [
    'js',
    {
      params: [],
      variadic: 'any',
      call: (args) =>
        goSprint(args).replace(/[\\'"<>&=\n\r\t]/g, (c) =>
          c === '\\' || c === "'" || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
        ),
    },
  ],
  [
    'call',
    {
      params: ['any'],
      variadic: 'any',
      call: () => {
        throw new FunctionError('call is not supported: template values here are data, not functions');
      },
    },
  ],
]);
