// Text edits for quick fixes that keep the user's layout: replace a value, insert a key into a block
// map at its siblings' indentation, delete a map entry or list item with its lines. Each helper works
// from the parsed document's ranges and returns undefined when the layout is not one it can edit
// safely (flow style, one-line documents), so a rule offers no fix rather than a wrong one.
import type { Range } from '../types';
import type { ParsedDocument } from './parse';

/** A replacement of one range of one file's text. */
export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

function lineStart(line: number): Range['start'] {
  return { line, character: 0 };
}

export function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Replaces the value at `path` (scalar or block) with `newText`. */
export function replaceValue(
  file: string,
  doc: ParsedDocument,
  path: ReadonlyArray<string | number>,
  newText: string,
): TextEdit | undefined {
  const range = doc.locate(path);
  return range ? { file, range, newText } : undefined;
}

/** Indentation (in spaces) of a line. */
function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/**
 * Inserts `key: value` as the last entry of the block map at `mapPath` (`[]` for the document's root),
 * indented like the map's first key. `valueText` may span lines; its continuation lines are indented
 * relative to the new key.
 */
export function insertMapEntry(
  file: string,
  text: string,
  doc: ParsedDocument,
  mapPath: ReadonlyArray<string | number>,
  key: string,
  valueText: string,
): TextEdit | undefined {
  const all = lines(text);
  const mapRange = mapPath.length === 0 ? doc.range : doc.locate(mapPath);
  if (!mapRange) return undefined;
  const firstLine = all[mapRange.start.line] ?? '';
  if (/^\s*\{/.test(firstLine.slice(mapRange.start.character))) return undefined; // flow map
  const indent = mapRange.start.character;
  if (indentOf(firstLine) !== indent && mapPath.length > 0) {
    // The map starts on the line of a list dash (`- name: x`): entries align with the first key.
    if (!/^\s*- /.test(firstLine)) return undefined;
  }
  // The map ends where the next line at a smaller indentation (or the document's end) begins.
  let end = mapRange.end.line;
  if (mapRange.end.character === 0 && end > mapRange.start.line) end -= 1;
  while (end > mapRange.start.line && (all[end] ?? '').trim() === '') end -= 1;
  const pad = ' '.repeat(indent);
  const body = valueText.includes('\n')
    ? `${key}:\n${valueText
        .split('\n')
        .filter((l, i, arr) => !(i === arr.length - 1 && l === ''))
        .map((l) => (l === '' ? '' : pad + '  ' + l))
        .join('\n')}`
    : `${key}: ${valueText}`;
  return { file, range: { start: lineStart(end + 1), end: lineStart(end + 1) }, newText: `${pad}${body}\n` };
}

/** Deletes the lines of a map entry (`key: ...`, its block value included) or a list item. */
export function deleteLines(file: string, text: string, range: Range): TextEdit {
  const all = lines(text);
  const start = range.start.line;
  let end = range.end.character === 0 && range.end.line > start ? range.end.line - 1 : range.end.line;
  while (end + 1 < all.length && all[end + 1].trim() === '' && end + 2 < all.length && indentOf(all[end + 2]) > indentOf(all[start]))
    end += 1;
  return { file, range: { start: lineStart(start), end: lineStart(end + 1) }, newText: '' };
}

/** The range covering a map entry: from its key to the end of its value. */
export function entryRange(doc: ParsedDocument, path: ReadonlyArray<string | number>): Range | undefined {
  const key = doc.locate(path, { key: true });
  const value = doc.locate(path);
  if (!key || !value) return key ?? value;
  return { start: key.start, end: value.end };
}

/**
 * Appends an item to the block list at `listPath`, at its items' dash indentation. `itemText` is the
 * item without its dash; its continuation lines are indented under the item's first line. Undefined
 * for flow lists (`[a, b]`) and empty lists.
 */
export function appendListItem(
  file: string,
  text: string,
  doc: ParsedDocument,
  listPath: ReadonlyArray<string | number>,
  itemText: string,
): TextEdit | undefined {
  const list = doc.locate(listPath);
  const count = (() => {
    let n = 0;
    while (n < 10000 && doc.locate([...listPath, n])) n++;
    return n;
  })();
  if (!list || count === 0) return undefined;
  const all = lines(text);
  const first = doc.locate([...listPath, 0])!;
  const dashLine = all[first.start.line] ?? '';
  const dash = /^(\s*)- /.exec(dashLine);
  if (!dash || dash[1].length + 2 !== first.start.character) return undefined; // flow list or an unusual layout
  const last = doc.locate([...listPath, count - 1])!;
  let end = last.end.character === 0 && last.end.line > last.start.line ? last.end.line - 1 : last.end.line;
  while (end > last.start.line && (all[end] ?? '').trim() === '') end -= 1;
  const pad = dash[1];
  const body = itemText
    .split('\n')
    .filter((l, i, arr) => !(i === arr.length - 1 && l === ''))
    .map((l, i) => (i === 0 ? `${pad}- ${l}` : l === '' ? '' : `${pad}  ${l}`))
    .join('\n');
  if (end + 1 >= all.length) {
    // The list ends the file without a final newline.
    const at = { line: end, character: (all[end] ?? '').length };
    return { file, range: { start: at, end: at }, newText: `\n${body}` };
  }
  return { file, range: { start: lineStart(end + 1), end: lineStart(end + 1) }, newText: `${body}\n` };
}

/** Offsets where each line of `text` starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The offset of a position (clamped to the text), given the text's line starts. */
export function offsetAt(starts: readonly number[], text: string, position: Range['start']): number {
  if (position.line >= starts.length) return text.length;
  return Math.min(starts[position.line] + position.character, text.length);
}

/**
 * Applies non-overlapping edits of one file to its text, LSP style: every range refers to the original text;
 * insertions at one place keep the order they were given in.
 */
export function applyTextEdits(text: string, edits: ReadonlyArray<Pick<TextEdit, 'range' | 'newText'>>): string {
  const starts = lineStarts(text);
  const located = edits.map((edit, order) => ({
    start: offsetAt(starts, text, edit.range.start),
    end: offsetAt(starts, text, edit.range.end),
    newText: edit.newText,
    order,
  }));
  located.sort((a, b) => b.start - a.start || b.order - a.order);
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
