// Secret values kept out of what the engine shows outside the files themselves: texts of files shown
// whole (a promotion's before/after and diff) get their Secret values masked, and error texts bound for
// a log, a diagnostic or CI output have any Secret value of the fleet replaced. Secret values are
// Secret `data`/`stringData` values (and what `data` decodes to), secretGenerator literals, SOPS
// `ENC[...]` values and `sops:` metadata blocks, and the local stand-ins for Secret keys (.fluxenv.yaml).
import type { FleetIndex } from './fleetIndex';
import { isObject } from '../kustomize/resource';
import type { Json, Range } from '../kustomize/types';
import { parseYamlFileCached, type ParsedDocument } from '../kustomize/yaml/parse';

export const SECRET_MASK = '***';
export const SOPS_VALUE = /^ENC\[[\s\S]*\]$/;
const SOPS_VALUE_IN_TEXT = /ENC\[[^\]\n]*\]/g;
/** What may hold a secret, checked before parsing: most files have none of these words. */
const MAY_HOLD_SECRETS = /\bSecret\b|ENC\[|^sops\s*:|\bsecretGenerator\b/m;
/** Shorter values are not redacted from error texts: they would mangle the text and say little. */
const MIN_REDACTED_LENGTH = 4;
/** Bound on values visited per document, as in the preview's masking: hostile input must not stall. */
const MAX_VISITS = 1_000_000;

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/**
 * The text with every Secret value replaced by `'***'` (quoted, so the text stays YAML): for showing a
 * file whole. The rest of the text, and its line structure around the values, is unchanged.
 */
export function maskSecretsInText(file: string, text: string): string {
  if (!MAY_HOLD_SECRETS.test(text)) return text;
  const parsed = parseYamlFileCached(file, text);
  const offsets = lineOffsets(text);
  const replacements: Replacement[] = [];
  const replace = (range: Range | undefined, by: string) => {
    if (!range) return;
    const start = offsets(range.start);
    let end = offsets(range.end);
    if (start === undefined || end === undefined) return;
    // A block value's range runs to the start of the next line: keep the line break (and the layout).
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end > start) replacements.push({ start, end, text: by });
  };
  const masked = `'${SECRET_MASK}'`;
  for (const doc of parsed.documents) {
    const value = doc.value;
    if (!isObject(value)) continue;
    if (value.sops !== undefined) replace(doc.locate(['sops']), masked);
    if (value.kind === 'Secret') {
      for (const field of ['data', 'stringData']) {
        const values = value[field];
        if (isObject(values)) for (const key of Object.keys(values)) replace(doc.locate([field, key]), masked);
      }
    }
    for (const [path, literal] of generatorLiterals(value)) {
      const eq = literal.indexOf('=');
      replace(doc.locate(path), eq > 0 ? `${literal.slice(0, eq + 1)}${SECRET_MASK}` : masked);
    }
    for (const path of encryptedPaths(doc)) replace(doc.locate(path), masked);
  }
  let out = applyReplacements(text, replacements);
  // A document that does not parse still must not show its encrypted values.
  if (parsed.problems.some((p) => p.severity === 'error')) out = out.replace(SOPS_VALUE_IN_TEXT, masked);
  return out;
}

/**
 * Files as shown for review (a diff editor, a printed diff) with their Secret values masked on both sides.
 * The promotion edits images, chart versions and source refs, never a Secret value, so the masked diff
 * still shows every change.
 */
export function maskFileTexts<T extends { file: string; before: string; after: string }>(files: readonly T[]): T[] {
  return files.map((f) => ({ ...f, before: maskSecretsInText(f.file, f.before), after: maskSecretsInText(f.file, f.after) }));
}

/** Every Secret value written in the fleet's YAML files (see the header), for redacting error texts. */
export function secretValuesOf(index: FleetIndex): Set<string> {
  const values = new Set<string>();
  const add = (v: string) => {
    if (v.length >= MIN_REDACTED_LENGTH) values.add(v);
  };
  for (const file of index.yamlFiles()) {
    const text = index.text(file);
    if (text === undefined || !MAY_HOLD_SECRETS.test(text)) continue;
    for (const doc of index.parsed(file)?.documents ?? []) {
      const value = doc.value;
      if (!isObject(value)) continue;
      if (value.kind === 'Secret') {
        for (const field of ['data', 'stringData']) {
          const map = value[field];
          if (!isObject(map)) continue;
          for (const v of Object.values(map)) {
            if (typeof v !== 'string') continue;
            add(v);
            if (field === 'data') {
              const decoded = decodeBase64(v);
              if (decoded !== undefined) add(decoded);
            }
          }
        }
      }
      for (const [, literal] of generatorLiterals(value)) {
        const eq = literal.indexOf('=');
        add(eq > 0 ? literal.slice(eq + 1) : literal);
      }
      forEachString(value, (s) => {
        if (SOPS_VALUE.test(s)) add(s);
      });
    }
  }
  // The local stand-ins for a Secret's keys (.fluxenv.yaml secrets / secretFiles) are Secret values too.
  for (const standIns of index.standIns().byEnvironment.values())
    for (const key of standIns.secret) {
      const v = standIns.vars.get(key);
      if (v !== undefined) add(v);
    }
  return values;
}

/** The text with each of `values` replaced by `***`, longest first (a value may contain another). */
export function redactValues(text: string, values: ReadonlySet<string>): string {
  let out = text;
  for (const v of [...values].sort((a, b) => b.length - a.length)) if (out.includes(v)) out = out.split(v).join(SECRET_MASK);
  return out.replace(SOPS_VALUE_IN_TEXT, SECRET_MASK);
}

/**
 * An error text (a message, a stack) made safe for a log or a diagnostic: a rule or feature that failed
 * on a value may have quoted it. Reading the fleet's secrets must not fail the report of a failure.
 */
export function redactSecrets(indexes: readonly FleetIndex[], text: string): string {
  try {
    const values = new Set<string>();
    for (const index of indexes) for (const v of secretValuesOf(index)) values.add(v);
    return redactValues(text, values);
  } catch {
    return text.replace(SOPS_VALUE_IN_TEXT, SECRET_MASK);
  }
}

/** `secretGenerator[i].literals[j]` of a kustomization: `key=value` texts, with their paths. */
function generatorLiterals(value: { [key: string]: Json }): Array<[Array<string | number>, string]> {
  const out: Array<[Array<string | number>, string]> = [];
  const generators = value.secretGenerator;
  if (!Array.isArray(generators)) return out;
  generators.forEach((g, i) => {
    if (!isObject(g) || !Array.isArray(g.literals)) return;
    g.literals.forEach((l, j) => {
      if (typeof l === 'string') out.push([['secretGenerator', i, 'literals', j], l]);
    });
  });
  return out;
}

/** Paths of the document's `ENC[...]` values. */
function encryptedPaths(doc: ParsedDocument): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const pending: Array<{ value: Json; path: Array<string | number> }> = [{ value: doc.value, path: [] }];
  for (let visits = 0; pending.length > 0 && visits < MAX_VISITS; visits++) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (SOPS_VALUE.test(value)) out.push(path);
    } else if (Array.isArray(value)) value.forEach((v, i) => pending.push({ value: v, path: [...path, i] }));
    else if (isObject(value))
      for (const [k, v] of Object.entries(value)) if (!(path.length === 0 && k === 'sops')) pending.push({ value: v, path: [...path, k] });
  }
  return out;
}

function forEachString(value: Json, visit: (s: string) => void): void {
  const pending: Json[] = [value];
  for (let visits = 0; pending.length > 0 && visits < MAX_VISITS; visits++) {
    const v = pending.pop() as Json;
    if (typeof v === 'string') visit(v);
    else if (Array.isArray(v)) pending.push(...v);
    else if (isObject(v)) pending.push(...Object.values(v));
  }
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  // Binary data would never be quoted as text; only printable text is worth looking for.
  return /^[\x20-\x7e\t\n\r\u00a0-\uffff]*$/.test(decoded) && !decoded.includes('\ufffd') ? decoded : undefined;
}

/** Position (parser's lines and UTF-16 characters, after a byte-order mark) to offset in the text. */
function lineOffsets(text: string): (p: { line: number; character: number }) => number | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const starts = [bom];
  for (let i = text.indexOf('\n', bom); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (p) => (p.line < starts.length ? Math.min(starts[p.line] + p.character, text.length) : undefined);
}

/** Applies replacements, skipping any inside another (an ENC value inside a masked Secret value). */
function applyReplacements(text: string, replacements: Replacement[]): string {
  const sorted = [...replacements].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const r of sorted) {
    if (r.start < at) continue;
    out += text.slice(at, r.start) + r.text;
    at = r.end;
  }
  return out + text.slice(at);
}
