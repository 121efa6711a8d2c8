// Durations in Flux objects (`interval`, `timeout`, `retryInterval`). Two gates apply, in this order:
// the CRD's OpenAPI pattern (enforced by the API server, so a value failing it is never stored) and
// Go's time.ParseDuration (what metav1.Duration decodes with). A value must pass both.
import type { Problem, Range } from '../kustomize/types';

/** The `+kubebuilder:validation:Pattern` on every Flux duration field (kustomize-controller api/v1, source-controller, helm-controller). */
export const FLUX_DURATION_PATTERN = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

export type DurationParse = { ok: true; nanoseconds: bigint } | { ok: false; message: string };

const NANOS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n, // micro sign
  '\u03bcs': 1_000n, // Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
// Go accumulates magnitudes up to 2^63 so that the most negative duration still parses.
const MAGNITUDE_LIMIT = 1n << 63n;

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/**
 * Go's `time.ParseDuration`, exactly: an optional sign, then one or more decimal numbers each with
 * an optional fraction and a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`); `0` alone is allowed.
 * Messages are Go's (`time: invalid duration "x"`), so they match what a controller would log.
 */
export function parseGoDuration(text: string): DurationParse {
  const quoted = JSON.stringify(text);
  const invalid = (): DurationParse => ({ ok: false, message: `time: invalid duration ${quoted}` });
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanoseconds: 0n };
  if (s === '') return invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid();
    let i = 0;
    while (i < s.length && isDigit(s[i])) i++;
    const wholeDigits = s.slice(0, i);
    let fractionDigits = '';
    if (i < s.length && s[i] === '.') {
      const start = ++i;
      while (i < s.length && isDigit(s[i])) i++;
      fractionDigits = s.slice(start, i);
    }
    if (wholeDigits === '' && fractionDigits === '') return invalid();
    let u = i;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    const unitText = s.slice(i, u);
    if (unitText === '') return { ok: false, message: `time: missing unit in duration ${quoted}` };
    const unit = NANOS_PER_UNIT[unitText];
    if (unit === undefined) return { ok: false, message: `time: unknown unit ${JSON.stringify(unitText)} in duration ${quoted}` };
    const whole = wholeDigits === '' ? 0n : BigInt(wholeDigits);
    let value = whole * unit;
    if (value > MAGNITUDE_LIMIT) return invalid();
    if (fractionDigits !== '') {
      // Go truncates the fraction toward zero at nanosecond precision.
      const scale = 10n ** BigInt(fractionDigits.length);
      value += (BigInt(fractionDigits) * unit) / scale;
    }
    total += value;
    if (value > MAGNITUDE_LIMIT || total > MAGNITUDE_LIMIT) return invalid();
    s = s.slice(u);
  }
  if (!negative && total > MAX_INT64) return invalid();
  return { ok: true, nanoseconds: negative ? -total : total };
}

/** Go's `time.Duration.String()`: `1h30m0s`, `300ms`, `0s` — the form Flux prints durations in. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  let n = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (n < 1_000_000_000n) {
    const [unit, size] = n < 1_000n ? ['ns', 1n] : n < 1_000_000n ? ['\u00b5s', 1_000n] : ['ms', 1_000_000n];
    return sign + withFraction(n, size as bigint) + unit;
  }
  const hours = n / 3_600_000_000_000n;
  n -= hours * 3_600_000_000_000n;
  const minutes = n / 60_000_000_000n;
  n -= minutes * 60_000_000_000n;
  const seconds = withFraction(n, 1_000_000_000n) + 's';
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return sign + seconds;
}

function withFraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return whole.toString();
  const width = unit.toString().length - 1;
  return `${whole}.${rest.toString().padStart(width, '0').replace(/0+$/, '')}`;
}

export interface DurationCheckOptions {
  /** The field's name for messages, e.g. `spec.interval`. */
  field: string;
  file: string;
  range?: Range;
  /** Warn below this many nanoseconds (Flux docs: an interval should be at least 60s). */
  minimumNanoseconds?: bigint;
}

export interface CheckedDuration {
  nanoseconds?: bigint;
  problems: Problem[];
}

/**
 * Checks a duration field the way the cluster would: the CRD pattern first (the API server refuses
 * the object), then Go parsing. Non-string values are refused like the API server's type check.
 */
export function checkFluxDuration(value: unknown, opts: DurationCheckOptions): CheckedDuration {
  const place = { file: opts.file, ...(opts.range ? { range: opts.range } : {}) };
  const fail = (code: string, message: string): CheckedDuration => ({
    problems: [{ code, severity: 'error', message, ...place }],
  });
  if (typeof value !== 'string') {
    return fail(
      'flux-duration-type',
      `${opts.field} must be a string duration such as "10m" or "1h30m"; got ${describe(value)}. Quote it and add a unit.`,
    );
  }
  if (!FLUX_DURATION_PATTERN.test(value)) {
    return fail(
      'flux-duration-invalid',
      `${opts.field} "${value}" is not a valid duration: ${patternHint(value)} The API server rejects the object (pattern ${FLUX_DURATION_PATTERN.source}).`,
    );
  }
  const parsed = parseGoDuration(value);
  if (!parsed.ok) return fail('flux-duration-invalid', `${opts.field} "${value}" is not a valid duration (${parsed.message}).`);
  const problems: Problem[] = [];
  if (opts.minimumNanoseconds !== undefined && parsed.nanoseconds < opts.minimumNanoseconds) {
    problems.push({
      code: 'flux-duration-too-short',
      severity: 'warning',
      message: `${opts.field} ${formatGoDuration(parsed.nanoseconds)} is shorter than ${formatGoDuration(opts.minimumNanoseconds)}; reconciling this often loads the API server and the source. Use at least ${formatGoDuration(opts.minimumNanoseconds)}.`,
      ...place,
    });
  }
  return { nanoseconds: parsed.nanoseconds, problems };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

/** Says what is wrong with a value that fails the CRD pattern, in terms of what the user typed. */
function patternHint(value: string): string {
  if (value === '') return 'it is empty. Write a number with a unit, e.g. "5m".';
  if (/^[+-]/.test(value)) return 'Flux durations cannot carry a sign. Remove it.';
  if (/^[0-9]+(\.[0-9]+)?$/.test(value)) return `it has no unit. Write e.g. "${value}s" or "${value}m".`;
  if (/(ns|us|\u00b5s|\u03bcs)/.test(value)) return 'Flux accepts only the units ms, s, m and h.';
  if (/[dwy]\b|[0-9](d|w|y)/.test(value)) return 'days, weeks and years are not units; use hours, e.g. "24h".';
  if (/\s/.test(value)) return 'it contains spaces. Write the parts together, e.g. "1h30m".';
  if (/(^|[^0-9])\./.test(value) || /\.($|[^0-9])/.test(value)) return 'a fraction needs digits on both sides of the point, e.g. "1.5h".';
  return 'write one or more numbers each followed by ms, s, m or h, e.g. "10m" or "1h30m".';
}
