// Small shared pieces of the Flux spec rules: the document behind an indexed Flux object, the bootstrap
// objects `flux bootstrap` writes, quoting a replacement like the value it replaces, and finding where
// a rendered value was written.
import type { FleetIndex, IndexedFluxObject } from '../../fleet/fleetIndex';
import type { FluxObject } from '../../flux/objects';
import type { Origin, Range, Resource } from '../../kustomize/types';
import type { ParsedDocument } from '../../kustomize/yaml/parse';

export interface ObjectDocument {
  doc: ParsedDocument;
  text: string;
}

export function documentOf(index: FleetIndex, file: string, documentIndex: number): ObjectDocument | undefined {
  const doc = index.parsed(file)?.documents[documentIndex];
  const text = index.text(file);
  return doc && text !== undefined ? { doc, text } : undefined;
}

export function documentOfObject(index: FleetIndex, indexed: IndexedFluxObject): ObjectDocument | undefined {
  return documentOf(index, indexed.file, indexed.documentIndex);
}

/** The objects `flux bootstrap` writes (and rewrites on every bootstrap): the flux-system sync pair. */
export function isBootstrapObject(object: FluxObject): boolean {
  return object.name === 'flux-system' && object.namespace === 'flux-system';
}

/** The text at a range of a file's text. */
export function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const parts = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line && l < lines.length; l++) parts.push(lines[l]);
  parts.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/** `replacement` written with the quotes of the scalar it replaces, so a fix keeps the user's style. */
export function quotedLike(original: string, replacement: string): string {
  if (original.startsWith('"')) return JSON.stringify(replacement);
  if (original.startsWith("'")) return `'${replacement.replace(/'/g, "''")}'`;
  return replacement;
}

/** Who last set the value at `path` of a rendered object: the deepest recorded origin at or above it. */
export function originOf(resource: Resource, path: ReadonlyArray<string | number>): Origin | undefined {
  for (let n = path.length; n >= 0; n--) {
    const hit = resource.setBy.get(path.slice(0, n).join('/'));
    if (hit) return hit;
  }
  return undefined;
}

/** The first occurrence of `needle` in `text` within `range` (the whole text without one), as a range. */
export function findText(text: string, needle: string, range?: Range): Range | undefined {
  const lines = text.split('\n');
  const first = range ? range.start.line : 0;
  const last = range ? Math.min(range.end.line, lines.length - 1) : lines.length - 1;
  for (let l = first; l <= last; l++) {
    const line = lines[l].replace(/\r$/, '');
    const from = range && l === range.start.line ? range.start.character : 0;
    const at = line.indexOf(needle, from);
    if (at < 0) continue;
    if (range && l === range.end.line && at + needle.length > range.end.character) continue;
    return { start: { line: l, character: at }, end: { line: l, character: at + needle.length } };
  }
  return undefined;
}

export function sameRange(a: Range | undefined, b: Range | undefined): boolean {
  return (
    !!a &&
    !!b &&
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
