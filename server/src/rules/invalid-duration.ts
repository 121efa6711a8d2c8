// Durations (interval, timeout, retryInterval) that the API server refuses or Go cannot parse: the
// object never reaches the cluster, or its controller never reconciles it.
import type { FluxKind, FluxObject } from '../flux/objects';
import { checkFluxDuration } from '../flux/duration';
import { getPath } from '../kustomize/resource';
import type { Json } from '../kustomize/types';
import { documentOfObject, quotedLike, textAt } from './support/fluxSpecHelpers';
import type { Finding, Rule } from './rule';

const SPEC_DURATIONS: ReadonlyArray<ReadonlyArray<string>> = [
  ['spec', 'interval'],
  ['spec', 'timeout'],
  ['spec', 'retryInterval'],
];
const HELM_RELEASE_DURATIONS: ReadonlyArray<ReadonlyArray<string>> = [
  ['spec', 'chart', 'spec', 'interval'],
  ...['install', 'upgrade', 'rollback', 'uninstall', 'test'].map((action) => ['spec', action, 'timeout']),
];

/** The duration fields of each Flux kind, as paths into the object. */
export function durationPaths(kind: FluxKind): ReadonlyArray<ReadonlyArray<string>> {
  return kind === 'HelmRelease' ? [...SPEC_DURATIONS, ...HELM_RELEASE_DURATIONS] : SPEC_DURATIONS;
}

const UNIT_WORDS: ReadonlyArray<{ pattern: RegExp; hours?: number; unit?: string }> = [
  { pattern: /^(ms|msec|msecs|millis|milliseconds?)$/i, unit: 'ms' },
  { pattern: /^(s|sec|secs|seconds?)$/i, unit: 's' },
  { pattern: /^(m|min|mins|minutes?)$/, unit: 'm' },
  { pattern: /^(min|mins|minutes?)$/i, unit: 'm' },
  { pattern: /^(h|hr|hrs|hours?)$/i, unit: 'h' },
  { pattern: /^(d|days?)$/i, hours: 24 },
  { pattern: /^(w|wk|wks|weeks?)$/i, hours: 168 },
];

/**
 * The duration a user most likely meant, when one reading is obvious: `10min` -> `10m`, `1d` -> `24h`,
 * `60` -> `60s`, `1h 30m` -> `1h30m`. Undefined when there is no single obvious reading (`10M`, `-1m`).
 */
export function suggestDuration(value: Json | undefined): string | undefined {
  let text: string;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return `${value}s`;
  if (typeof value === 'bigint' && value >= 0n) return `${value}s`;
  if (typeof value === 'string') text = value.trim();
  else return undefined;
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return `${text}s`;
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*/gy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  let out = '';
  for (const [, number, word] of parts) {
    const unit = UNIT_WORDS.find((u) => u.pattern.test(word));
    if (!unit) return undefined;
    if (unit.unit) out += number + unit.unit;
    else {
      const hours = Number(number) * unit.hours!;
      if (!Number.isFinite(hours) || hours > 1e6) return undefined;
      out += `${Number.isInteger(hours) ? hours : Number(hours.toFixed(6))}h`;
    }
  }
  return checkFluxDuration(out, { field: 'x', file: '' }).problems.length === 0 && out !== text ? out : undefined;
}

export const invalidDuration: Rule = {
  id: 'invalid-duration',
  severity: 'error',
  category: 'flux',
  description: 'interval, timeout or retryInterval that is not a valid Flux duration.',
  check({ index, checking }) {
    const findings: Finding[] = [];
    for (const indexed of index.fluxObjects().list) {
      checking?.(indexed.file);
      const object: FluxObject = indexed.object;
      let located: ReturnType<typeof documentOfObject> | null = null;
      for (const path of durationPaths(object.kind)) {
        const value = getPath(object.object, path);
        if (value === undefined || value === null) continue;
        located ??= documentOfObject(index, indexed);
        if (!located) break;
        const { doc, text } = located;
        const range = doc.locate(path);
        if (!range) continue;
        const field = path.join('.');
        const checked = checkFluxDuration(value, { field, file: indexed.file, range });
        const problem = checked.problems.find((p) => p.severity === 'error');
        if (!problem) continue;
        const suggestion = suggestDuration(value);
        const written = textAt(text, range);
        findings.push({
          file: indexed.file,
          range,
          message: `${object.kind} ${object.name}: ${problem.message}${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
          fixes: suggestion
            ? [
                {
                  title: `Change ${field} to ${suggestion}`,
                  edits: [{ file: indexed.file, range, newText: quotedLike(written, suggestion) }],
                  preferred: true,
                },
              ]
            : undefined,
        });
      }
    }
    return findings;
  },
};
