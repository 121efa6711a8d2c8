// Legacy kustomization fields still build, but kustomize v5 warns on every build and they are slated for
// removal. Each fix migrates to the successor field so that the render stays byte-identical: entries keep
// their order relative to kustomize's transformer order, and moved lines keep their comments and quoting.
import type { FleetIndex } from '../fleet/fleetIndex';
import { DEPRECATED_FIELDS } from '../kustomize/kustomization';
import { isObject } from '../kustomize/resource';
import type { Json, Position, Range } from '../kustomize/types';
import type { ParsedDocument } from '../kustomize/yaml/parse';
import { applyTextEdits, deleteLines } from '../kustomize/yaml/edit';
import { kustomizationDocument } from './support/kustomizationEntries';
import type { Finding, Fix, Rule, TextEdit } from './rule';
import { entryLines, planVarsMigration, renderChange, varComments } from './support/varsMigration';

/** What each field is and what the user should do, in the finding's words. */
const ADVICE: Record<string, string> = {
  bases: "list these folders under 'resources' (kustomize appends bases after the resources, so they go at the end)",
  patchesStrategicMerge: "move the entries to 'patches' (files as '- path:', inline patches as '- patch: |'), before the existing patches",
  patchesJson6902: "move the entries to 'patches' with the same target and path",
  commonLabels: "use 'labels' with 'includeSelectors: true' (that also labels selectors and pod templates, as commonLabels does)",
  imageTags: "move the entries to 'images'",
  vars: "replace each var with a 'replacements' entry (source: the object and field of objref/fieldref; targets: the fields where the build substitutes $(VAR))",
};

/** Fields of the kustomization whose transformers run between `patches` and `patchesJson6902`. */
const BETWEEN_PATCHES_AND_JSON6902 = ['namespace', 'nameprefix', 'namesuffix', 'labels', 'commonlabels', 'commonannotations'];

interface Source {
  file: string;
  text: string;
  lines: string[];
  doc: ParsedDocument;
  /** Root keys by lower-case name, as written. */
  keys: Map<string, string>;
  root: Record<string, Json>;
  /** The file's line break, kept in inserted lines. */
  eol: '\n' | '\r\n';
}

const at = (line: number, character = 0): Position => ({ line, character });

/** First line after a value: block collections end at the start of the next line. */
function endLine(range: Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
}

function isBlockSequence(src: Source, range: Range): boolean {
  return (src.lines[range.start.line] ?? '').slice(range.start.character).startsWith('-');
}

function isBlockMap(src: Source, key: string, range: Range): boolean {
  const keyLine = src.doc.locate([key], { key: true })?.start.line;
  const first = (src.lines[range.start.line] ?? '').slice(range.start.character);
  return keyLine !== undefined && range.start.line > keyLine && !first.startsWith('{') && !first.startsWith('-');
}

/** Lines from `from` (inclusive) to `to` (exclusive), shifted so that column `fromIndent` lands on `toIndent`. */
function reindent(lines: readonly string[], from: number, to: number, fromIndent: number, toIndent: number): string[] | undefined {
  const out: string[] = [];
  for (let l = from; l < to; l++) {
    const line = (lines[l] ?? '').replace(/\r$/, '');
    if (line.trim() === '') {
      out.push('');
      continue;
    }
    const indent = /^ */.exec(line)![0].length;
    if (indent < fromIndent) {
      if (line.trim().startsWith('#')) {
        out.push(' '.repeat(toIndent) + line.trim());
        continue;
      }
      return undefined;
    }
    out.push(' '.repeat(toIndent) + line.slice(fromIndent));
  }
  return out;
}

/** Renames a root key in place, keeping its quotes and any comment on its line. */
function renameKey(src: Source, key: string, to: string): TextEdit | undefined {
  const range = src.doc.locate([key], { key: true });
  if (!range || range.start.line !== range.end.line) return undefined;
  const raw = src.lines[range.start.line].slice(range.start.character, range.end.character);
  if (!raw.includes(key)) return undefined;
  return { file: src.file, range, newText: raw.replace(key, to) };
}

/** Inserts whole lines at the start of `line` (or after the last line when the file has no final newline). */
function insertLines(src: Source, line: number, newLines: readonly string[]): TextEdit {
  if (line >= src.lines.length || (line === src.lines.length - 1 && src.lines[line] === '' && !src.text.endsWith('\n'))) {
    const last = src.lines.length - 1;
    const position = at(last, src.lines[last].length);
    return {
      file: src.file,
      range: { start: position, end: position },
      newText: (src.lines[last] === '' ? '' : src.eol) + newLines.join(src.eol) + src.eol,
    };
  }
  return { file: src.file, range: { start: at(line), end: at(line) }, newText: newLines.join(src.eol) + src.eol };
}

/** Deletes a root entry (key and value) with its lines. */
function deleteEntry(src: Source, key: string): TextEdit | undefined {
  const keyRange = src.doc.locate([key], { key: true });
  const value = src.doc.locate([key]);
  if (!keyRange || !value) return undefined;
  return deleteLines(src.file, src.text, {
    start: keyRange.start,
    end: value.end.line > keyRange.start.line || value.end.character > 0 ? value.end : keyRange.end,
  });
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** An insertion where a deletion begins becomes one replacement, so editors never see two edits at one place. */
function mergeTouching(edits: TextEdit[]): TextEdit[] {
  const out = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start));
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i];
    const b = out[i + 1];
    const aIsInsert = comparePositions(a.range.start, a.range.end) === 0;
    if (aIsInsert && comparePositions(a.range.start, b.range.start) === 0) {
      out.splice(i, 2, { file: a.file, range: b.range, newText: a.newText + b.newText });
      i--;
    }
  }
  return out;
}

/** Moves the block-sequence items of `from` to the end (or start) of the block sequence `to`, and deletes `from`. */
function moveItems(
  src: Source,
  from: string,
  to: string,
  where: 'end' | 'start',
  itemLines?: (dashIndent: number) => string[] | undefined,
): TextEdit[] | undefined {
  const fromValue = src.doc.locate([from]);
  const toValue = src.doc.locate([to]);
  if (!fromValue || !toValue || !isBlockSequence(src, toValue)) return undefined;
  const dash = toValue.start.character;
  let moved: string[] | undefined;
  if (itemLines) moved = itemLines(dash);
  else if (isBlockSequence(src, fromValue))
    moved = reindent(src.lines, fromValue.start.line, endLine(fromValue), fromValue.start.character, dash);
  else moved = flowItems(src, from, dash);
  if (!moved) return undefined;
  const removal = deleteEntry(src, from);
  if (!removal) return undefined;
  const insertAt = where === 'end' ? endLine(toValue) : toValue.start.line;
  return mergeTouching([insertLines(src, insertAt, moved), removal]);
}

/** The items of a flow sequence (`[a, "b"]`) as block items at `dash`, each written as it was; undefined when one spans lines. */
function flowItems(src: Source, key: string, dash: number): string[] | undefined {
  const items = src.root[key];
  if (!Array.isArray(items)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const range = src.doc.locate([key, i]);
    if (!range || range.start.line !== range.end.line) return undefined;
    out.push(`${' '.repeat(dash)}- ${src.lines[range.start.line].slice(range.start.character, range.end.character)}`);
  }
  return out;
}

/** `bases` -> `resources`, `imageTags` -> `images`, `patchesJson6902` -> `patches`: same entries, new home at the end. */
function migrateList(src: Source, key: string, successor: string): TextEdit[] | undefined {
  const existing = src.keys.get(successor.toLowerCase());
  if (existing === undefined) {
    const rename = renameKey(src, key, successor);
    return rename && [rename];
  }
  const successorValue = src.root[existing];
  if (successorValue === null || (Array.isArray(successorValue) && successorValue.length === 0)) {
    // An empty successor (`resources: []`) gives way: drop it and rename the legacy key.
    const removal = deleteEntry(src, existing);
    const rename = renameKey(src, key, successor);
    return removal && rename && [removal, rename];
  }
  return moveItems(src, key, existing, 'end');
}

/** A block scalar holding `value` at `indent`, or undefined when a plain `|`/`|-` cannot hold it exactly. */
function blockScalar(value: string, indent: number): string[] | undefined {
  const chomp = value.endsWith('\n') ? (value.endsWith('\n\n') ? undefined : '') : '-';
  if (chomp === undefined || /^[ \t]/.test(value) || value === '' || /[^\S\n ]\n|\r/.test(value)) return undefined;
  const body = (chomp === '' ? value.slice(0, -1) : value).split('\n');
  return [`|${chomp}`, ...body.map((l) => (l === '' ? '' : ' '.repeat(indent) + l))];
}

/** The `patches` item equivalent to one `patchesStrategicMerge` entry, as lines starting with `- ` at `dash`. */
function strategicMergeItem(src: Source, key: string, index: number, value: Json, dash: number): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const range = src.doc.locate([key, index]);
  if (!range) return undefined;
  const pad = ' '.repeat(dash);
  const inline = value.includes('\n') || /^\s*\{/.test(value);
  if (range.start.line === range.end.line) {
    const raw = src.lines[range.start.line].slice(range.start.character, range.end.character);
    return [`${pad}- ${inline ? 'patch' : 'path'}: ${raw}`];
  }
  const block = blockScalar(value, dash + 4);
  return block && [`${pad}- patch: ${block[0]}`, ...block.slice(1)];
}

function migrateStrategicMerge(src: Source, key: string): TextEdit[] | undefined {
  const entries = src.root[key];
  const value = src.doc.locate([key]);
  if (!Array.isArray(entries) || !value || !isBlockSequence(src, value)) return undefined;
  const existing = src.keys.get('patches');
  if (existing === undefined) {
    // Rename the key and rewrite each entry where it stands, so comments between entries stay.
    const edits: TextEdit[] = [];
    const rename = renameKey(src, key, 'patches');
    if (!rename) return undefined;
    edits.push(rename);
    for (const [i, entry] of entries.entries()) {
      const range = src.doc.locate([key, i]);
      if (!range) return undefined;
      const dash = range.start.character - 2;
      const item = strategicMergeItem(src, key, i, entry, Math.max(0, dash));
      if (!item) return undefined;
      const text = item.join(src.eol).replace(/^ *- /, '');
      const wholeLines = range.end.character === 0 && range.end.line > range.start.line;
      edits.push({ file: src.file, range, newText: wholeLines ? text + src.eol : text });
    }
    return edits;
  }
  // strategic merge patches run before `patches`: they go first.
  return moveItems(src, key, existing, 'start', (dash) => {
    const out: string[] = [];
    for (const [i, entry] of entries.entries()) {
      const item = strategicMergeItem(src, key, i, entry, dash);
      if (!item) return undefined;
      out.push(...item);
    }
    return out;
  });
}

function migrateCommonLabels(src: Source, key: string): TextEdit[] | undefined {
  const value = src.doc.locate([key]);
  const keyRange = src.doc.locate([key], { key: true });
  if (!value || !keyRange || !isObject(src.root[key])) return undefined;
  const item = (dash: number): string[] | undefined => {
    const pad = ' '.repeat(dash);
    let pairs: string[] | undefined;
    if (isBlockMap(src, key, value)) {
      const moved = reindent(src.lines, value.start.line, endLine(value), value.start.character, dash + 4);
      pairs = moved && [`${pad}- pairs:`, ...moved];
    } else if (value.start.line === value.end.line) {
      pairs = [`${pad}- pairs: ${src.lines[value.start.line].slice(value.start.character, value.end.character)}`];
    }
    return pairs && [...pairs, `${pad}  includeSelectors: true`];
  };
  const existing = src.keys.get('labels');
  if (existing !== undefined) return moveItems(src, key, existing, 'end', item);
  const lines = item(keyRange.start.character);
  if (!lines) return undefined;
  const last = isBlockMap(src, key, value) ? endLine(value) : value.end.line + 1;
  const replaced = { start: at(keyRange.start.line), end: at(last) };
  const trailingComment = isBlockMap(src, key, value)
    ? ((src.lines[keyRange.start.line] ?? '')
        .replace(/\r$/, '')
        .slice(keyRange.end.character)
        .match(/\s#.*$/)?.[0] ?? '')
    : '';
  if (last >= src.lines.length) return undefined;
  return [
    {
      file: src.file,
      range: replaced,
      newText: [`${' '.repeat(keyRange.start.character)}labels:${trailingComment}`, ...lines].join(src.eol) + src.eol,
    },
  ];
}

/**
 * Whether the repository renders to the same bytes once the edits are applied: the folder itself and every
 * folder whose build reads this kustomization (the same check the vars migration makes).
 */
function rendersTheSame(index: FleetIndex, src: Source, edits: readonly TextEdit[]): boolean {
  return renderChange(index, src.file, applyTextEdits(src.text, edits)) === undefined;
}

/**
 * `vars` -> `replacements`: the vars block is removed and one entry per var is added where it stood (or at the
 * end of the existing `replacements`, which run before the vars step did). Offered only when every folder
 * building this kustomization renders the same with the edit; otherwise says why not.
 */
function migrateVars(index: FleetIndex, src: Source, key: string): { edits: TextEdit[] } | { declined: string } {
  const value = src.doc.locate([key]);
  const keyRange = src.doc.locate([key], { key: true });
  const comments = varComments(src.text, key);
  const keyLine = keyRange ? (src.lines[keyRange.start.line] ?? '') : '';
  if (!value || !keyRange || !comments || /^ */.exec(keyLine)![0].length !== keyRange.start.character)
    return { declined: 'the vars block is not laid out as a block map entry' };
  const existing = src.keys.get('replacements');
  const existingValue = existing === undefined ? undefined : src.root[existing];
  const extend = existing !== undefined && !(existingValue === null || (Array.isArray(existingValue) && existingValue.length === 0));
  const toValue = extend ? src.doc.locate([existing]) : undefined;
  const toKey = extend ? src.doc.locate([existing], { key: true }) : undefined;
  if (extend && (!toValue || !toKey || !Array.isArray(existingValue) || !isBlockSequence(src, toValue)))
    return { declined: "'replacements' is not a block list the entries can be appended to" };
  // New lists are indented like the list they join, or like the vars list they replace.
  const blockVars = isBlockSequence(src, value) && value.start.line > keyRange.start.line;
  const seqIndent =
    toValue && toKey ? toValue.start.character - toKey.start.character : blockVars ? value.start.character - keyRange.start.character : 0;
  const dash = toValue ? toValue.start.character : keyRange.start.character + seqIndent;
  let reason = 'with replacements the folder would render differently';
  for (const style of ['names', 'indexes'] as const) {
    const plan = planVarsMigration(index, src.file, src.root[key], style);
    if ('declined' in plan) return plan;
    const withEntries = extend || plan.vars.some((v) => v.entry);
    const pad = ' '.repeat(withEntries ? dash : keyRange.start.character);
    const comment = (lines: readonly string[] | undefined) => (lines ?? []).map((l) => pad + l);
    const lines = comment(comments.head);
    for (const v of plan.vars) {
      lines.push(...comment(comments.before[v.index]));
      if (v.entry) {
        const entry = entryLines(v.entry, dash, seqIndent);
        if (!entry) return { declined: 'a value of the replacement cannot be written on one line' };
        lines.push(...entry);
      }
      lines.push(...comment(comments.after[v.index]));
    }
    lines.push(...comment(comments.tail));
    const removal = deleteEntry(src, key);
    if (!removal) return { declined: 'the vars block could not be located' };
    let edits: TextEdit[];
    if (toValue) {
      edits = mergeTouching([insertLines(src, endLine(toValue), lines), removal]);
    } else {
      const block = withEntries ? [`${' '.repeat(keyRange.start.character)}replacements:`, ...lines] : lines;
      const emptyReplacements = existing !== undefined ? deleteEntry(src, existing) : undefined;
      edits = mergeTouching([
        ...(block.length > 0 ? [insertLines(src, keyRange.start.line, block)] : []),
        removal,
        ...(emptyReplacements ? [emptyReplacements] : []),
      ]);
    }
    const change = renderChange(index, src.file, applyTextEdits(src.text, edits));
    if (change === undefined) return { edits };
    reason = change;
    // `[name=x]` paths can miss where a later step renames the item; positions cannot.
    if (!plan.usesNames) break;
  }
  return { declined: reason };
}

function migrationEdits(index: FleetIndex, src: Source, field: string, key: string): TextEdit[] | undefined {
  switch (field) {
    case 'bases':
      return migrateList(src, key, 'resources');
    case 'imageTags':
      return migrateList(src, key, 'images');
    case 'patchesJson6902': {
      const edits = migrateList(src, key, 'patches');
      // In `patches` they run before namespace, prefix/suffix, labels and annotations; keep the fix only when that changes nothing.
      const reordered = BETWEEN_PATCHES_AND_JSON6902.some((f) => src.keys.has(f));
      return edits && (!reordered || rendersTheSame(index, src, edits)) ? edits : undefined;
    }
    case 'patchesStrategicMerge':
      return migrateStrategicMerge(src, key);
    case 'commonLabels':
      return migrateCommonLabels(src, key);
    default:
      return undefined;
  }
}

export const deprecatedField: Rule = {
  id: 'deprecated-field',
  severity: 'warning',
  category: 'overlay',
  description: 'A kustomization uses a deprecated field (bases, patchesStrategicMerge, patchesJson6902, commonLabels, vars, imageTags).',
  check({ index, isCancelled, checking }) {
    const findings: Finding[] = [];
    for (const file of index.kustomizationFiles()) {
      checking?.(file);
      if (isCancelled()) break;
      // From the document, not the decoded kustomization: a file with other errors still gets these findings.
      const doc = kustomizationDocument(index, file);
      const text = index.text(file);
      if (!doc || text === undefined || !isObject(doc.value)) continue;
      const root = doc.value;
      const keys = new Map(Object.keys(root).map((k) => [k.toLowerCase(), k]));
      const src: Source = { file, text, lines: text.split('\n'), doc, keys, root, eol: text.includes('\r\n') ? '\r\n' : '\n' };
      for (const [field, successor] of Object.entries(DEPRECATED_FIELDS)) {
        const key = keys.get(field.toLowerCase());
        if (key === undefined) continue;
        const range = doc.locate([key], { key: true });
        if (!range) continue;
        let edits: TextEdit[] | undefined;
        let declined = '';
        try {
          if (field === 'vars') {
            const migration = migrateVars(index, src, key);
            if ('edits' in migration) edits = migration.edits;
            else declined = ` No automatic migration here: ${migration.declined}.`;
          } else edits = migrationEdits(index, src, field, key);
        } catch {
          edits = undefined; // a layout the migration does not know: the finding stands without a fix
        }
        const fix: Fix | undefined =
          edits && edits.length > 0 ? { title: `Migrate '${field}' to '${successor}'`, edits, preferred: true } : undefined;
        findings.push({
          file,
          range,
          message: `'${field}' is deprecated (kustomize v5 warns on every build and will drop it): ${ADVICE[field]}.${declined}`,
          fixes: fix ? [fix] : undefined,
        });
      }
    }
    return findings;
  },
};
