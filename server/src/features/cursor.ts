// What is under an editor position: the YAML document, the path of the node (keys and list indexes), and
// whether the position is on a key or a value. Two readers: `cursorAt` walks the parsed document's ranges
// (exact, needs valid YAML); `looseCursorAt` reads indentation only, for completion while the user types
// and the document is briefly invalid. Shared here by every feature, never exported beyond features/.
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { FleetIndex } from '../fleet/fleetIndex';
import { isObject } from '../kustomize/resource';
import type { Json, Position, Range } from '../kustomize/types';
import type { ParsedDocument } from '../kustomize/yaml/parse';

/** Bound on nodes visited per lookup: a hostile document must not stall a keystroke. */
const MAX_VISITS = 20000;

export interface Cursor {
  file: string;
  text: string;
  document: ParsedDocument;
  /** Path of the node under the position; for `on: 'key'` the path of the key's value. */
  path: Array<string | number>;
  on: 'key' | 'value';
  /** Range of the key or value scalar the position is on. */
  range: Range;
  /** The value at `path` (undefined on a key whose value is absent). */
  value: Json | undefined;
}

/** The absolute file path of a `file:` URI with forward slashes; undefined for other schemes or bad URIs. */
export function fileOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.posix.normalize(fileURLToPath(uri).split(path.sep).join('/'));
  } catch {
    return undefined;
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function contains(range: Range, p: Position): boolean {
  return comparePositions(range.start, p) <= 0 && comparePositions(p, range.end) <= 0;
}

/** The document whose range holds the position (documents without a value are skipped). */
export function documentAt(index: FleetIndex, file: string, position: Position): ParsedDocument | undefined {
  const parsed = index.parsed(file);
  if (!parsed) return undefined;
  return parsed.documents.find((d) => d.value !== null && contains(d.range, position));
}

/** The node under the position in a document of the file: walks the value, asking the parser for ranges. */
export function cursorAt(index: FleetIndex, file: string, position: Position): Cursor | undefined {
  const text = index.text(file);
  const document = documentAt(index, file, position);
  if (text === undefined || !document) return undefined;
  let visits = 0;
  const at: Array<string | number> = [];
  let value: Json = document.value;
  for (let depth = 0; depth < 200; depth++) {
    const children: Array<[string | number, Json]> = Array.isArray(value)
      ? value.map((v, i): [number, Json] => [i, v])
      : isObject(value)
        ? Object.entries(value)
        : [];
    let next: [string | number, Json, Range] | undefined;
    for (const [segment, child] of children) {
      if (++visits > MAX_VISITS) return undefined;
      const childPath = [...at, segment];
      if (typeof segment === 'string') {
        const keyRange = document.locate(childPath, { key: true });
        if (keyRange && contains(keyRange, position)) {
          return { file, text, document, path: childPath, on: 'key', range: keyRange, value: child };
        }
      }
      const range = document.locate(childPath);
      if (range && contains(range, position) && comparePositions(range.start, range.end) !== 0) {
        next = [segment, child, range];
        break;
      }
    }
    if (!next) return undefined;
    at.push(next[0]);
    value = next[1];
    if (!Array.isArray(value) && !isObject(value)) return { file, text, document, path: at, on: 'value', range: next[2], value };
  }
  return undefined;
}

/**
 * A scalar's range without its quotes, so links and edits cover the text itself. Callers asking for many
 * ranges of one file pass its lines: splitting a large file once per range made links quadratic.
 */
export function unquotedRange(text: string | readonly string[], range: Range): Range {
  const line = (typeof text === 'string' ? text.split('\n', range.start.line + 1) : text)[range.start.line] ?? '';
  const first = line[range.start.character];
  if ((first === '"' || first === "'") && range.start.line === range.end.line && range.end.character - range.start.character >= 2) {
    return {
      start: { line: range.start.line, character: range.start.character + 1 },
      end: { line: range.end.line, character: range.end.character - 1 },
    };
  }
  return range;
}

/** Where the position is, read from indentation alone: list items are `'*'` in the path. */
export interface LooseCursor {
  /** Keys from the document root to the map the position is in (key position) or to the key (value position). */
  path: string[];
  on: 'key' | 'value';
  /** The word typed so far and its range (replaced by a completion). */
  prefix: string;
  prefixRange: Range;
  /** The text of the line before the position. */
  before: string;
}

interface LineShape {
  indent: number;
  /** Keys and list markers on the line, outermost first, each with its column (`- - a: 1` has three). */
  parts: Array<{ column: number; key?: string; item?: true }>;
}

function shapeOf(line: string): LineShape | undefined {
  const trimmed = line.trimEnd();
  if (/^\s*(#|$)/.test(trimmed) || /^(---|\.\.\.)(\s|$)/.test(trimmed)) return undefined;
  const parts: LineShape['parts'] = [];
  let column = trimmed.length - trimmed.trimStart().length;
  const indent = column;
  let rest = trimmed.slice(column);
  for (let guard = 0; guard < 100 && rest.length > 0; guard++) {
    const item = /^-(\s+|$)/.exec(rest);
    if (item) {
      parts.push({ column, item: true });
      column += item[0].length;
      rest = rest.slice(item[0].length);
      continue;
    }
    const key = /^("[^"]*"|'[^']*'|[^\s#'"{[][^:#]*?)\s*:(\s+|$)/.exec(rest);
    if (key) parts.push({ column, key: key[1].replace(/^["']|["']$/g, '') });
    break;
  }
  return { indent, parts };
}

/** The path of the position from the indentation of the lines above it (bounded to 2000 lines up). */
export function looseCursorAt(text: string, position: Position): LooseCursor {
  const lines = text.split('\n');
  const line = (lines[position.line] ?? '').replace(/\r$/, '');
  const before = line.slice(0, position.character);
  const word = /[^\s:"'{}[\],]*$/.exec(before)?.[0] ?? '';
  const prefixRange: Range = { start: { line: position.line, character: position.character - word.length }, end: position };
  // Columns at which the enclosing nodes start, with their keys; walking up keeps those left of `column`.
  const path: string[] = [];
  const shape = shapeOf(before + (before.trim() === '' || /:\s/.test(before) ? '' : ':'));
  let column = before.length - before.trimStart().length;
  let on: LooseCursor['on'] = 'key';
  if (shape) {
    const parts = shape.parts;
    const valuePart = /:\s+\S*$|:$/.test(before) && !before.trimEnd().endsWith('-');
    const own: string[] = [];
    for (const part of parts) {
      if (part.item) own.push('*');
      else if (part.key !== undefined) own.push(part.key);
    }
    if (valuePart) on = 'value';
    else if (own.length > 0 && own[own.length - 1] !== '*') own.pop(); // the key being typed
    path.push(...own);
    column = parts.length > 0 ? parts[0].column : column;
  } else if (/-\s*$/.test(before)) {
    path.push('*');
    column = before.indexOf('-');
  }
  // Whether the outermost node found so far is a list item: in the compact style (`dependsOn:` then `- name: a`
  // at the same column, as the flux CLI and kubectl write) the key enclosing the list sits at the item's column.
  let item = path[0] === '*';
  const stop = Math.max(0, position.line - 2000);
  for (let l = position.line - 1; l >= stop && (column > 0 || item); l--) {
    const text = (lines[l] ?? '').replace(/\r$/, '');
    const s = shapeOf(text);
    if (!s) continue;
    if (/^(---|\.\.\.)/.test(lines[l] ?? '')) break;
    const enclosing = s.parts.filter(
      (p) => p.column < column || (item && p.column === column && p.key !== undefined && /:\s*(#.*)?$/.test(text)),
    );
    if (enclosing.length === 0) continue;
    const keys = enclosing.map((p) => (p.item ? '*' : (p.key as string)));
    // A key on the same line as the list marker sits at the marker's column + 2: it encloses only deeper lines.
    path.unshift(...keys);
    column = enclosing[0].column;
    item = enclosing[0].item === true;
  }
  return { path, on, prefix: word, prefixRange, before };
}
