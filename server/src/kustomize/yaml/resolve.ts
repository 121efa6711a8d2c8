// How a plain (unquoted, untagged) YAML scalar resolves to a type, in the two YAML libraries kustomize
// chains together: go-yaml v3 reads the input (kyaml), go-yaml v2 writes the output (sigs.k8s.io/yaml).
// Both share one algorithm; v2 additionally knows the YAML 1.1 booleans (yes/no/on/off/y/n).

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** What a plain scalar resolves to. Integers carry their exact value; timestamps their RFC 3339 text as Go's JSON prints it. */
export type PlainResolution =
  | { kind: 'str' }
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'timestamp'; value: string }
  | { kind: 'merge' };

const V3_MAP: ReadonlyMap<string, PlainResolution> = new Map<string, PlainResolution>([
  ...['true', 'True', 'TRUE'].map((s): [string, PlainResolution] => [s, { kind: 'bool', value: true }]),
  ...['false', 'False', 'FALSE'].map((s): [string, PlainResolution] => [s, { kind: 'bool', value: false }]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, PlainResolution] => [s, { kind: 'null' }]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, PlainResolution] => [s, { kind: 'float', value: NaN }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, PlainResolution] => [s, { kind: 'float', value: Infinity }]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, PlainResolution] => [s, { kind: 'float', value: -Infinity }]),
  ['<<', { kind: 'merge' }],
]);

const V2_MAP: ReadonlyMap<string, PlainResolution> = new Map<string, PlainResolution>([
  ...V3_MAP,
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((s): [string, PlainResolution] => [s, { kind: 'bool', value: true }]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((s): [string, PlainResolution] => [s, { kind: 'bool', value: false }]),
]);

const HINT_CHARACTERS = '+-0123456789yYnNtTfFoO~.';
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64), falling back to ParseUint(s, 0, 64), on text without underscores. */
function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const sign = m[1];
  let body = m[2];
  let magnitude: bigint;
  if (/^0[oO]/.test(body)) magnitude = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) magnitude = BigInt('0o' + body.slice(1));
  else {
    if (/^0[XB]/.test(body)) body = '0' + body[1].toLowerCase() + body.slice(2);
    magnitude = BigInt(body);
  }
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  // ParseUint takes no sign at all.
  if (sign === '' && value <= UINT64_MAX) return value;
  return undefined;
}

/** Go's strconv.ParseFloat on text already known to be decimal float syntax; undefined on overflow (ErrRange). */
function parseGoFloat(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DATE_ONLY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/** go-yaml's timestamp formats through Go's time.Parse, printed the way Go's JSON prints a time.Time (RFC 3339, nanoseconds trimmed). */
export function parseTimestamp(text: string): string | undefined {
  let m = DATE_ONLY.exec(text);
  let year: number, month: number, day: number;
  let hour = 0,
    minute = 0,
    second = 0,
    fraction = '',
    zone = 'Z';
  if (m) {
    year = +m[1];
    month = +m[2];
    day = +m[3];
  } else {
    m = DATE_TIME.exec(text);
    if (!m) return undefined;
    year = +m[1];
    month = +m[2];
    day = +m[3];
    hour = +m[5];
    minute = +m[6];
    second = +m[7];
    fraction = m[8] ?? '';
    const separator = m[4];
    const tz = m[9];
    // Only the T/t forms carry a zone; the space form has none.
    if (separator === ' ' ? tz !== undefined : tz === undefined) return undefined;
    if (tz !== undefined && tz !== 'Z') {
      const hours = +tz.slice(1, 3),
        minutes = +tz.slice(4, 6);
      if (hours > 24 || minutes > 59) return undefined;
      zone = hours === 0 && minutes === 0 ? 'Z' : tz;
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  fraction = fraction.slice(0, 9).replace(/0+$/, '');
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${fraction ? '.' + fraction : ''}${zone}`;
}

/**
 * Resolves a plain scalar like go-yaml's `resolve("", text)`. `v2` selects go-yaml v2's YAML 1.1 booleans.
 * `allowTimestamp` is false for scalars whose explicit tag is neither empty nor !!timestamp.
 */
export function resolvePlain(text: string, v2: boolean, allowTimestamp = true): PlainResolution {
  const first = text.charAt(0);
  // go-yaml consults its table of special words only when the first character could start one.
  if (text !== '' && !HINT_CHARACTERS.includes(first)) return { kind: 'str' };
  const known = (v2 ? V2_MAP : V3_MAP).get(text);
  if (known) return known;
  if (first === '.') {
    if (DOT_FLOAT.test(text)) {
      const f = parseGoFloat(text);
      if (f !== undefined) return { kind: 'float', value: f };
    }
    return { kind: 'str' };
  }
  if (!(first === '+' || first === '-' || (first >= '0' && first <= '9'))) return { kind: 'str' };
  if (allowTimestamp) {
    const ts = parseTimestamp(text);
    if (ts !== undefined) return { kind: 'timestamp', value: ts };
  }
  const plain = text.replace(/_/g, '');
  const int = parseGoInt(plain);
  if (int !== undefined) return { kind: 'int', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = parseGoFloat(plain);
    if (f !== undefined) return { kind: 'float', value: f };
  }
  return { kind: 'str' };
}

/** go-yaml v2 quotes these too, though they resolve to strings: YAML 1.1 sexagesimal numbers such as 1:20. */
export function isBase60Float(text: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(text);
}

export const INT64_RANGE = { min: INT64_MIN, max: INT64_MAX, umax: UINT64_MAX };
