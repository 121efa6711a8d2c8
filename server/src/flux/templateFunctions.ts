// The functions a ResourceSet template can call: slim-sprig's hermetic set
// (github.com/go-task/slim-sprig functions.go, genericMap minus nonhermeticFunctions) plus what
// flux-operator adds in controlplaneio-fluxcd/flux-operator internal/builder/resourceset.go
// (newTemplate): `slugify` (gosimple/slug with MaxLength 63 and smart truncation), `toYaml` and
// `mustToYaml` (sigs.k8s.io/yaml.Marshal), and `inputs` (the input set).
//
// Each keeps the Go signature, so passing a number where sprig wants a string fails as it does on the
// cluster (`wrong type for value; expected string; got int64`). The non-hermetic functions (now, date,
// env, expandenv, getHostByName...) are not defined on the cluster either; the time, random and URL
// functions the operator does have are accepted but reported as not evaluated offline
// (NOT_EVALUATED_OFFLINE). Known approximations are commented at the function.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { emitYaml } from '../kustomize/yaml/emit';
import type { Json } from '../kustomize/types';
import {
  FunctionError,
  GoNumber,
  goKindName,
  goQuote,
  goTypeName,
  isTrue,
  printValue,
  toJsonValue,
  fromJson,
  type GoFunction,
  type GoMap,
  type GoValue,
  type ParamKind,
} from './goTemplate';

/** Upper bound for strings and lists a function may build, so `repeat 1000000000 "x"` is an error, not an out-of-memory. */
const MAX_BUILT_LENGTH = 1024 * 1024;
/** Upper bound for the number lists sprig's until/untilStep/seq build: real templates count to a few dozen. */
const MAX_SEQUENCE_LENGTH = 100_000;

const int = (n: number): GoNumber => new GoNumber('int', Math.trunc(n));
const int64 = (n: number): GoNumber => new GoNumber('int64', Math.trunc(n));
const float = (n: number): GoNumber => new GoNumber('float64', n);

function bounded<T extends string | unknown[]>(value: T): T {
  if (value.length > MAX_BUILT_LENGTH) throw new FunctionError(`result longer than ${MAX_BUILT_LENGTH} (too large for an offline preview)`);
  return value;
}

/** sprig's strval: strings as is, everything else as fmt's %v. */
function strval(v: GoValue): string {
  return typeof v === 'string' ? v : printValue(v, false);
}

/** sprig's toInt64 (cast-like): numeric strings parse, bools are 0/1, anything else is 0. */
function toInt64(v: GoValue): number {
  if (typeof v === 'string') return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
  if (v instanceof GoNumber) return Math.trunc(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

function toFloat64(v: GoValue): number {
  if (typeof v === 'string') {
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : 0;
  }
  if (v instanceof GoNumber) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

/** sprig's empty: the zero value of its type (same as template truth, negated). */
function empty(v: GoValue): boolean {
  return !isTrue(v);
}

function asList(v: GoValue, fn: string): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new FunctionError(`Cannot ${fn} on type ${goTypeName(v)}`);
}

/** sprig's strslice: a list's non-nil elements as strings, or the one value. */
function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(strval);
  if (v === null) return [];
  return [strval(v)];
}

function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a instanceof GoNumber && b instanceof GoNumber) return a.kind === b.kind && a.value === b.value;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a instanceof Map && b instanceof Map)
    return a.size === b.size && [...a.keys()].every((k) => b.has(k) && deepEqual(a.get(k) as GoValue, b.get(k) as GoValue));
  return a === b;
}

/** Go's encoding/json: sorted map keys, and `<`, `>`, `&` escaped unless `raw`. */
function goJson(v: GoValue, options: { indent?: string; raw?: boolean } = {}): string {
  const text = JSON.stringify(toJsonValue(v), null, options.indent) ?? 'null';
  if (options.raw) return text;
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** sigs.k8s.io/yaml.Marshal: JSON, then go-yaml v2's emitter — the same path emitYaml reproduces. */
export function goToYaml(v: GoValue): string {
  return emitYaml(toJsonValue(v) as Json);
}

/** gosimple/slug.Make with the operator's settings (MaxLength 63, smart truncation). Non-ASCII letters are reduced
 *  to their base letter by Unicode decomposition; slug uses unidecode, which also transliterates scripts such as
 *  Cyrillic or CJK — those come out as dashes here. */
export function slugify(s: string): string {
  const substitutions: Record<string, string> = {
    '"': '',
    "'": '',
    '\u2019': '',
    '\u2012': '-',
    '\u2013': '-',
    '\u2014': '-',
    '\u2015': '-',
    '&': 'and',
    '@': 'at',
  };
  let slug = [...s.trim()].map((c) => substitutions[c] ?? c).join('');
  slug = slug.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  slug = slug.toLowerCase();
  slug = slug
    .replace(/[^a-zA-Z0-9\-_]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  const maxLength = 63;
  if (slug.length > maxLength) {
    const cut = slug.lastIndexOf('-', maxLength);
    slug = cut >= 0 ? slug.slice(0, cut) : slug.slice(0, maxLength);
  }
  return slug;
}

const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

/** A Go (RE2) regular expression as a JavaScript one. RE2 and JS agree on the syntax templates use; named groups
 *  `(?P<n>…)` and `\z` are translated. */
function goRegexp(pattern: string, flags = '', subject = ''): RegExp {
  // RE2 runs in linear time; JavaScript backtracks. A repeated group that itself repeats, like `(a+)+`, can take
  // time exponential in the subject's length, so on a long subject it is refused rather than risk hanging the
  // language server (2^24 steps is still a fraction of a second).
  if (subject.length > 24 && NESTED_QUANTIFIER.test(pattern))
    throw new FunctionError(
      `regexp ${JSON.stringify(pattern)} repeats a repeated group; on a subject this long it is not evaluated offline`,
    );
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$(?![\\s\\S])'), `u${flags}`);
  } catch (error) {
    throw new FunctionError(`error parsing regexp: ${(error as Error).message}`);
  }
}

/** Go's regexp replacement template (`$1`, `${1}`, `${name}`) in JS's syntax. */
function goReplacement(repl: string): string {
  return repl.replace(/\$\{(\w+)\}|\$(\w+)|\$\$/g, (m, braced: string | undefined, bare: string | undefined) => {
    if (m === '$$') return '$$';
    const name = braced ?? (bare as string);
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** hash/adler32 of the text, in decimal: flux-operator's inputs.ID (internal/inputs/id.go) and sprig's adler32sum. */
export function adler32Id(text: string): string {
  return String(adler32(text));
}

function base32(buf: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

function fromBase32(text: string): Buffer | undefined {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = alphabet.indexOf(c);
    if (i < 0) return undefined;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function fn(params: ParamKind[], call: (args: GoValue[]) => GoValue, variadic?: ParamKind): GoFunction {
  return { params, call, ...(variadic ? { variadic } : {}) };
}

function untilStep(start: number, stop: number, step: number): GoValue[] {
  const out: GoValue[] = [];
  if (step === 0) return out;
  if ((stop - start) / step > MAX_SEQUENCE_LENGTH)
    throw new FunctionError(`more than ${MAX_SEQUENCE_LENGTH} elements (too large for an offline preview)`);
  if (step > 0) for (let i = start; i < stop; i += step) out.push(int(i));
  else for (let i = start; i > stop; i += step) out.push(int(i));
  return out;
}

function dictOf(args: GoValue[]): GoMap {
  const out: GoMap = new Map();
  for (let i = 0; i < args.length; i += 2) out.set(strval(args[i]), i + 1 < args.length ? args[i + 1] : '');
  return out;
}

function firstMatchOrThrow(list: GoValue, fn: string): GoValue[] {
  if (list === null) return [];
  return asList(list, fn);
}

const SPRIG: ReadonlyArray<[string, GoFunction]> = [
  // Strings
  [
    'trunc',
    fn(['int', 'string'], ([c, s]) => {
      const n = (c as GoNumber).value;
      const str = s as string;
      const bytes = Buffer.from(str);
      if (n < 0 && bytes.length + n > 0) return bytes.subarray(bytes.length + n).toString();
      if (n >= 0 && bytes.length > n) return bytes.subarray(0, n).toString();
      return str;
    }),
  ],
  ['trim', fn(['string'], ([s]) => (s as string).trim())],
  ['upper', fn(['string'], ([s]) => (s as string).toUpperCase())],
  ['lower', fn(['string'], ([s]) => (s as string).toLowerCase())],
  // strings.Title: upper-cases the first letter of each word.
  [
    'title',
    fn(['string'], ([s]) => (s as string).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase())),
  ],
  [
    'substr',
    fn(['int', 'int', 'string'], ([a, b, s]) => {
      const bytes = Buffer.from(s as string);
      const start = (a as GoNumber).value;
      const end = (b as GoNumber).value;
      if (start < 0) return bytes.subarray(0, end).toString();
      if (end < 0 || end > bytes.length) return bytes.subarray(start).toString();
      if (start > end) throw new FunctionError(`slice bounds out of range [${start}:${end}]`);
      return bytes.subarray(start, end).toString();
    }),
  ],
  [
    'repeat',
    fn(['int', 'string'], ([c, s]) => {
      const count = (c as GoNumber).value;
      if (count < 0) throw new FunctionError('strings: negative Repeat count');
      if (count * (s as string).length > MAX_BUILT_LENGTH) bounded('x'.repeat(MAX_BUILT_LENGTH + 1));
      return (s as string).repeat(count);
    }),
  ],
  ['trimAll', fn(['string', 'string'], ([cut, s]) => trimCutset(s as string, cut as string))],
  ['trimall', fn(['string', 'string'], ([cut, s]) => trimCutset(s as string, cut as string))],
  [
    'trimSuffix',
    fn(['string', 'string'], ([suffix, s]) =>
      (s as string).endsWith(suffix as string) && (suffix as string) !== ''
        ? (s as string).slice(0, -(suffix as string).length)
        : (s as string),
    ),
  ],
  [
    'trimPrefix',
    fn(['string', 'string'], ([prefix, s]) =>
      (s as string).startsWith(prefix as string) ? (s as string).slice((prefix as string).length) : (s as string),
    ),
  ],
  ['contains', fn(['string', 'string'], ([sub, s]) => (s as string).includes(sub as string))],
  ['hasPrefix', fn(['string', 'string'], ([p, s]) => (s as string).startsWith(p as string))],
  ['hasSuffix', fn(['string', 'string'], ([p, s]) => (s as string).endsWith(p as string))],
  [
    'quote',
    fn(
      [],
      (args) =>
        args
          .filter((a) => a !== null)
          .map((a) => goQuote(strval(a)))
          .join(' '),
      'any',
    ),
  ],
  [
    'squote',
    fn(
      [],
      (args) =>
        args
          .filter((a) => a !== null)
          .map((a) => `'${strval(a)}'`)
          .join(' '),
      'any',
    ),
  ],
  [
    'cat',
    fn(
      [],
      (args) =>
        args
          .filter((a) => a !== null)
          .map(strval)
          .join(' '),
      'any',
    ),
  ],
  [
    'indent',
    fn(['int', 'string'], ([n, s]) => {
      const pad = ' '.repeat(Math.max(0, (n as GoNumber).value));
      return bounded(pad + (s as string).split('\n').join(`\n${pad}`));
    }),
  ],
  [
    'nindent',
    fn(['int', 'string'], ([n, s]) => {
      const pad = ' '.repeat(Math.max(0, (n as GoNumber).value));
      return bounded(`\n${pad}${(s as string).split('\n').join(`\n${pad}`)}`);
    }),
  ],
  ['replace', fn(['string', 'string', 'string'], ([o, n, s]) => (s as string).split(o as string).join(n as string))],
  ['plural', fn(['string', 'string', 'int'], ([one, many, count]) => ((count as GoNumber).value === 1 ? one : many))],
  [
    'sha1sum',
    fn(['string'], ([s]) =>
      createHash('sha1')
        .update(s as string, 'utf8')
        .digest('hex'),
    ),
  ],
  [
    'sha256sum',
    fn(['string'], ([s]) =>
      createHash('sha256')
        .update(s as string, 'utf8')
        .digest('hex'),
    ),
  ],
  ['adler32sum', fn(['string'], ([s]) => adler32Id(s as string))],
  ['toString', fn(['any'], ([v]) => strval(v))],
  ['atoi', fn(['string'], ([s]) => int(/^[+-]?[0-9]+$/.test(s as string) ? Number(s) : 0))],
  ['int64', fn(['any'], ([v]) => int64(toInt64(v)))],
  ['int', fn(['any'], ([v]) => int(toInt64(v)))],
  ['float64', fn(['any'], ([v]) => float(toFloat64(v)))],
  [
    'seq',
    fn(
      [],
      (args) => {
        const n = args.map((a) => toInt64(a));
        const [start, step, end] =
          n.length === 1
            ? [1, 1, n[0]]
            : n.length === 2
              ? [n[0], n[0] <= n[1] ? 1 : -1, n[1]]
              : n.length === 3
                ? [n[0], n[1], n[2]]
                : [0, 0, 0];
        if (step === 0) return '';
        return untilStep(start, step > 0 ? end + 1 : end - 1, step)
          .map(strval)
          .join(' ');
      },
      'any',
    ),
  ],
  [
    'split',
    fn(['string', 'string'], ([sep, s]) => {
      const out: GoMap = new Map();
      goSplit(s as string, sep as string).forEach((part, i) => out.set(`_${i}`, part));
      return out;
    }),
  ],
  ['splitList', fn(['string', 'string'], ([sep, s]) => goSplit(s as string, sep as string))],
  [
    'splitn',
    fn(['string', 'int', 'string'], ([sep, n, s]) => {
      const parts = goSplit(s as string, sep as string);
      const limit = (n as GoNumber).value;
      const kept = limit < 0 || parts.length <= limit ? parts : [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep as string)];
      const out: GoMap = new Map();
      if (limit !== 0) kept.forEach((part, i) => out.set(`_${i}`, part));
      return out;
    }),
  ],
  ['toStrings', fn(['any'], ([v]) => strslice(v))],
  ['until', fn(['int'], ([c]) => untilStep(0, (c as GoNumber).value, (c as GoNumber).value < 0 ? -1 : 1))],
  ['untilStep', fn(['int', 'int', 'int'], ([a, b, c]) => untilStep((a as GoNumber).value, (b as GoNumber).value, (c as GoNumber).value))],
  ['join', fn(['string', 'any'], ([sep, v]) => strslice(v).join(sep as string))],
  ['sortAlpha', fn(['any'], ([v]) => (Array.isArray(v) ? strslice(v).sort(compareBytes) : [strval(v)]))],
  // Arithmetic (sprig converts every operand with toInt64).
  ['add1', fn(['any'], ([v]) => int64(toInt64(v) + 1))],
  ['add', fn([], (args) => int64(args.reduce<number>((sum, a) => sum + toInt64(a), 0)), 'any')],
  ['sub', fn(['any', 'any'], ([a, b]) => int64(toInt64(a) - toInt64(b)))],
  [
    'div',
    fn(['any', 'any'], ([a, b]) => {
      if (toInt64(b) === 0) throw new FunctionError('runtime error: integer divide by zero');
      return int64(Math.trunc(toInt64(a) / toInt64(b)));
    }),
  ],
  [
    'mod',
    fn(['any', 'any'], ([a, b]) => {
      if (toInt64(b) === 0) throw new FunctionError('runtime error: integer divide by zero');
      return int64(toInt64(a) % toInt64(b));
    }),
  ],
  ['mul', fn(['any'], ([a, ...rest]) => int64(rest.reduce<number>((p, v) => p * toInt64(v), toInt64(a))), 'any')],
  ['max', fn(['any'], ([a, ...rest]) => int64(Math.max(toInt64(a), ...rest.map(toInt64))), 'any')],
  ['biggest', fn(['any'], ([a, ...rest]) => int64(Math.max(toInt64(a), ...rest.map(toInt64))), 'any')],
  ['min', fn(['any'], ([a, ...rest]) => int64(Math.min(toInt64(a), ...rest.map(toInt64))), 'any')],
  ['maxf', fn(['any'], ([a, ...rest]) => float(Math.max(toFloat64(a), ...rest.map(toFloat64))), 'any')],
  ['minf', fn(['any'], ([a, ...rest]) => float(Math.min(toFloat64(a), ...rest.map(toFloat64))), 'any')],
  ['ceil', fn(['any'], ([a]) => float(Math.ceil(toFloat64(a))))],
  ['floor', fn(['any'], ([a]) => float(Math.floor(toFloat64(a))))],
  [
    'round',
    fn(
      ['any', 'int'],
      ([a, p, r]) => {
        const roundOn = r === undefined ? 0.5 : toFloat64(r);
        const pow = 10 ** (p as GoNumber).value;
        const digit = toFloat64(a) * pow;
        const whole = Math.trunc(digit);
        const rounded = Math.abs(digit - whole) >= roundOn ? (digit >= 0 ? Math.ceil(digit) : Math.floor(digit)) : whole;
        return float(rounded / pow);
      },
      'float64',
    ),
  ],
  // Defaults and flow
  ['default', fn(['any'], ([d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 'any')],
  ['empty', fn(['any'], ([v]) => empty(v))],
  ['coalesce', fn([], (args) => args.find((a) => !empty(a)) ?? null, 'any')],
  ['all', fn([], (args) => args.every((a) => !empty(a)), 'any')],
  ['any', fn([], (args) => args.some((a) => !empty(a)), 'any')],
  ['compact', fn(['any'], ([l]) => asList(l, 'compact').filter((v) => !empty(v)))],
  ['mustCompact', fn(['any'], ([l]) => asList(l, 'compact').filter((v) => !empty(v)))],
  ['ternary', fn(['any', 'any', 'bool'], ([t, f, c]) => (c ? t : f))],
  [
    'fail',
    fn(['string'], ([msg]) => {
      throw new FunctionError(msg as string);
    }),
  ],
  // Encoding
  ['fromJson', fn(['string'], ([s]) => parseJsonOr(s as string, () => null))],
  [
    'mustFromJson',
    fn(['string'], ([s]) =>
      parseJsonOr(s as string, (e) => {
        throw new FunctionError(e);
      }),
    ),
  ],
  ['toJson', fn(['any'], ([v]) => goJson(v))],
  ['mustToJson', fn(['any'], ([v]) => goJson(v))],
  ['toPrettyJson', fn(['any'], ([v]) => goJson(v, { indent: '  ' }))],
  ['mustToPrettyJson', fn(['any'], ([v]) => goJson(v, { indent: '  ' }))],
  ['toRawJson', fn(['any'], ([v]) => goJson(v, { raw: true }))],
  ['mustToRawJson', fn(['any'], ([v]) => goJson(v, { raw: true }))],
  ['b64enc', fn(['string'], ([s]) => Buffer.from(s as string, 'utf8').toString('base64'))],
  [
    'b64dec',
    fn(['string'], ([s]) => {
      const text = s as string;
      // Go's StdEncoding is strict; on error sprig returns the error text, which is what lands in the output.
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return `illegal base64 data at input byte ${firstBadBase64(text)}`;
      return Buffer.from(text, 'base64').toString('utf8');
    }),
  ],
  ['b32enc', fn(['string'], ([s]) => base32(Buffer.from(s as string, 'utf8')))],
  ['b32dec', fn(['string'], ([s]) => fromBase32(s as string)?.toString('utf8') ?? 'illegal base32 data')],
  // Types
  ['typeOf', fn(['any'], ([v]) => goTypeName(v))],
  ['typeIs', fn(['string', 'any'], ([t, v]) => t === goTypeName(v))],
  ['typeIsLike', fn(['string', 'any'], ([t, v]) => t === goTypeName(v) || t === `*${goTypeName(v)}`)],
  ['kindOf', fn(['any'], ([v]) => goKindName(v))],
  ['kindIs', fn(['string', 'any'], ([k, v]) => k === goKindName(v))],
  ['deepEqual', fn(['any', 'any'], ([a, b]) => deepEqual(a, b))],
  // Paths (Go's path package: always forward slashes).
  ['base', fn(['string'], ([s]) => goPathBase(s as string))],
  ['dir', fn(['string'], ([s]) => goPathDir(s as string))],
  ['clean', fn(['string'], ([s]) => goPathClean(s as string))],
  ['ext', fn(['string'], ([s]) => path.posix.extname(goPathBase(s as string)))],
  ['isAbs', fn(['string'], ([s]) => (s as string).startsWith('/'))],
  // path/filepath on the operator's Linux: the same as the path package.
  ['osBase', fn(['string'], ([s]) => goPathBase(s as string))],
  ['osDir', fn(['string'], ([s]) => goPathDir(s as string))],
  ['osClean', fn(['string'], ([s]) => goPathClean(s as string))],
  ['osExt', fn(['string'], ([s]) => path.posix.extname(goPathBase(s as string)))],
  ['osIsAbs', fn(['string'], ([s]) => (s as string).startsWith('/'))],
  ['hello', fn([], () => 'Hello!')],
  ['toDecimal', fn(['any'], ([v]) => int64(/^[+-]?[0-7]+$/.test(strval(v)) ? parseInt(strval(v), 8) : 0))],
  // Lists and dicts
  ['tuple', fn([], (args) => args, 'any')],
  ['list', fn([], (args) => args, 'any')],
  ['dict', fn([], (args) => dictOf(args), 'any')],
  ['get', fn(['map', 'string'], ([d, k]) => ((d as GoMap).has(k as string) ? ((d as GoMap).get(k as string) as GoValue) : ''))],
  ['set', fn(['map', 'string', 'any'], ([d, k, v]) => (d as GoMap).set(k as string, v))],
  [
    'unset',
    fn(['map', 'string'], ([d, k]) => {
      (d as GoMap).delete(k as string);
      return d;
    }),
  ],
  ['hasKey', fn(['map', 'string'], ([d, k]) => (d as GoMap).has(k as string))],
  [
    'pluck',
    fn(
      ['string'],
      ([k, ...ds]) => ds.filter((d): d is GoMap => d instanceof Map && d.has(k as string)).map((d) => d.get(k as string) as GoValue),
      'map',
    ),
  ],
  // Go map order is random, so sprig's keys/values come out in any order; sorted here so previews are stable.
  ['keys', fn([], (ds) => [...new Set(ds.flatMap((d) => [...(d as GoMap).keys()]))].sort(compareBytes), 'map')],
  ['values', fn(['map'], ([d]) => [...(d as GoMap).keys()].sort(compareBytes).map((k) => (d as GoMap).get(k) as GoValue))],
  ['pick', fn(['map'], ([d, ...ks]) => new Map([...(d as GoMap)].filter(([k]) => ks.includes(k))), 'string')],
  ['omit', fn(['map'], ([d, ...ks]) => new Map([...(d as GoMap)].filter(([k]) => !ks.includes(k))), 'string')],
  [
    'dig',
    fn(
      ['any'],
      (args) => {
        if (args.length < 3) throw new FunctionError('dig needs at least three arguments');
        const dict = args[args.length - 1];
        const fallback = args[args.length - 2];
        if (!(dict instanceof Map)) throw new FunctionError(`dig: last argument must be a map, got ${goTypeName(dict)}`);
        let cur: GoValue = dict;
        for (const k of args.slice(0, -2)) {
          if (!(cur instanceof Map) || !cur.has(strval(k))) return fallback;
          cur = cur.get(strval(k)) as GoValue;
        }
        return cur;
      },
      'any',
    ),
  ],
  ...['append', 'mustAppend'].map((name): [string, GoFunction] => [
    name,
    fn(['any', 'any'], ([l, v]) => bounded([...firstMatchOrThrow(l, 'append'), v])),
  ]),
  ...['prepend', 'mustPrepend'].map((name): [string, GoFunction] => [
    name,
    fn(['any', 'any'], ([l, v]) => bounded([v, ...firstMatchOrThrow(l, 'prepend')])),
  ]),
  ...['first', 'mustFirst'].map((name): [string, GoFunction] => [name, fn(['any'], ([l]) => firstMatchOrThrow(l, 'first')[0] ?? null)]),
  ...['last', 'mustLast'].map((name): [string, GoFunction] => [
    name,
    fn(['any'], ([l]) => {
      const a = firstMatchOrThrow(l, 'last');
      return a.length ? a[a.length - 1] : null;
    }),
  ]),
  ...['rest', 'mustRest'].map((name): [string, GoFunction] => [
    name,
    fn(['any'], ([l]) => {
      const a = firstMatchOrThrow(l, 'rest');
      return a.length ? a.slice(1) : null;
    }),
  ]),
  ...['initial', 'mustInitial'].map((name): [string, GoFunction] => [
    name,
    fn(['any'], ([l]) => {
      const a = firstMatchOrThrow(l, 'initial');
      return a.length ? a.slice(0, -1) : null;
    }),
  ]),
  ...['reverse', 'mustReverse'].map((name): [string, GoFunction] => [
    name,
    fn(['any'], ([l]) => [...firstMatchOrThrow(l, 'reverse')].reverse()),
  ]),
  ...['uniq', 'mustUniq'].map((name): [string, GoFunction] => [
    name,
    fn(['any'], ([l]) => firstMatchOrThrow(l, 'uniq').filter((v, i, a) => a.findIndex((w) => deepEqual(v, w)) === i)),
  ]),
  ...['without', 'mustWithout'].map((name): [string, GoFunction] => [
    name,
    fn(['any'], ([l, ...omit]) => firstMatchOrThrow(l, 'without').filter((v) => !omit.some((o) => deepEqual(v, o))), 'any'),
  ]),
  ...['has', 'mustHas'].map((name): [string, GoFunction] => [
    name,
    fn(['any', 'any'], ([needle, hay]) => hay !== null && firstMatchOrThrow(hay, 'has').some((v) => deepEqual(v, needle))),
  ]),
  ...['slice', 'mustSlice'].map((name): [string, GoFunction] => [
    name,
    fn(
      ['any'],
      ([l, ...idx]) => {
        const a = firstMatchOrThrow(l, 'slice');
        const [lo = 0, hi = a.length] = idx.map(toInt64);
        return a.slice(lo, hi);
      },
      'any',
    ),
  ]),
  ...['chunk', 'mustChunk'].map((name): [string, GoFunction] => [
    name,
    fn(['int', 'any'], ([size, l]) => {
      const a = firstMatchOrThrow(l, 'chunk');
      const n = Math.max(1, (size as GoNumber).value);
      const out: GoValue[] = [];
      for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
      return out;
    }),
  ]),
  ['concat', fn([], (ls) => bounded(ls.flatMap((l) => firstMatchOrThrow(l, 'concat'))), 'any')],
  // Regular expressions
  // Go's regexMatch answers false for an invalid pattern; mustRegexMatch fails.
  [
    'regexMatch',
    fn(['string', 'string'], ([re, s]) =>
      isValidRegexp(re as string) ? goRegexp(re as string, '', s as string).test(s as string) : false,
    ),
  ],
  ['mustRegexMatch', fn(['string', 'string'], ([re, s]) => goRegexp(re as string, '', s as string).test(s as string))],
  ...['regexFindAll', 'mustRegexFindAll'].map((name): [string, GoFunction] => [
    name,
    fn(['string', 'string', 'int'], ([re, s, n]) => {
      const all = [...(s as string).matchAll(goRegexp(re as string, 'g', s as string))].map((m) => m[0]);
      const limit = (n as GoNumber).value;
      return limit < 0 ? all : all.slice(0, limit);
    }),
  ]),
  ...['regexFind', 'mustRegexFind'].map((name): [string, GoFunction] => [
    name,
    fn(['string', 'string'], ([re, s]) => goRegexp(re as string, '', s as string).exec(s as string)?.[0] ?? ''),
  ]),
  ...['regexReplaceAll', 'mustRegexReplaceAll'].map((name): [string, GoFunction] => [
    name,
    fn(['string', 'string', 'string'], ([re, s, r]) =>
      (s as string).replace(goRegexp(re as string, 'g', s as string), goReplacement(r as string)),
    ),
  ]),
  ...['regexReplaceAllLiteral', 'mustRegexReplaceAllLiteral'].map((name): [string, GoFunction] => [
    name,
    fn(['string', 'string', 'string'], ([re, s, r]) => (s as string).replace(goRegexp(re as string, 'g', s as string), () => r as string)),
  ]),
  ...['regexSplit', 'mustRegexSplit'].map((name): [string, GoFunction] => [
    name,
    fn(['string', 'string', 'int'], ([re, s, n]) => {
      const parts = (s as string).split(goRegexp(re as string, 'g', s as string));
      const limit = (n as GoNumber).value;
      return limit < 0 || parts.length <= limit ? parts : parts.slice(0, limit);
    }),
  ]),
  ['regexQuoteMeta', fn(['string'], ([s]) => (s as string).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'))],
  // flux-operator's own
  ['slugify', fn(['string'], ([s]) => slugify(s as string))],
  ['toYaml', fn(['any'], ([v]) => goToYaml(v))],
  ['mustToYaml', fn(['any'], ([v]) => goToYaml(v))],
];

function isValidRegexp(re: string): boolean {
  try {
    goRegexp(re);
    return true;
  } catch {
    return false;
  }
}

function parseJsonOr(text: string, onError: (message: string) => GoValue): GoValue {
  try {
    return fromJson(JSON.parse(text));
  } catch (error) {
    return onError((error as Error).message);
  }
}

function firstBadBase64(text: string): number {
  const i = [...text].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
  return i < 0 ? text.length - (text.length % 4) : i;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** strings.Split: an empty separator splits into UTF-8 characters. */
function goSplit(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** strings.Trim with a cutset. */
function trimCutset(s: string, cutset: string): string {
  const cut = new Set([...cutset]);
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && cut.has(chars[start])) start++;
  while (end > start && cut.has(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

function goPathClean(p: string): string {
  if (p === '') return '.';
  const cleaned = path.posix.normalize(p).replace(/(.)\/$/, '$1');
  return p.startsWith('/') ? cleaned.replace(/^(\/\.\.)+/, '') || '/' : cleaned;
}

function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function goPathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return goPathClean(p.slice(0, i + 1));
}

/** In the operator's function map but not evaluated here: time-dependent, random, or URL parsing no fleet uses.
 *  Calling one is a problem that says so, not "not defined" (which would be wrong about the cluster). */
const NOT_EVALUATED_OFFLINE = [
  'ago',
  'duration',
  'durationRound',
  'mustDateModify',
  'must_date_modify',
  'mustToDate',
  'toDate',
  'unixEpoch',
  'randInt',
  'urlParse',
  'urlJoin',
];

const NOT_EVALUATED: ReadonlyArray<[string, GoFunction]> = NOT_EVALUATED_OFFLINE.map((name) => [
  name,
  fn(
    [],
    () => {
      throw new FunctionError('flux-operator has this function, but it is not evaluated offline');
    },
    'any',
  ),
]);

/** The functions of a ResourceSet template, `inputs` returning the given input set. */
export function resourceSetFunctions(inputSet: GoValue): Map<string, GoFunction> {
  const functions = new Map<string, GoFunction>([...SPRIG, ...NOT_EVALUATED]);
  functions.set('inputs', { params: [], call: () => inputSet });
  return functions;
}

/** Every function name a ResourceSet template may call (for parsing before the input sets are known). */
export const RESOURCE_SET_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  ...SPRIG.map(([name]) => name),
  ...NOT_EVALUATED_OFFLINE,
  'inputs',
]);
