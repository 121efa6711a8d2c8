// Document symbols: each Kubernetes object of the file as `Kind/name` (namespace as detail); a
// kustomization file's top-level fields instead (entries of list fields as children).
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { isObject } from '../kustomize/resource';
import type { Json, Range } from '../kustomize/types';
import { fileOfUri } from './cursor';
import { isKustomizationFile } from './definition';

const MAX_SYMBOLS = 5000;

export function documentSymbols(index: FleetIndex, params: DocumentSymbolParams): DocumentSymbol[] {
  try {
    const file = fileOfUri(params.textDocument.uri);
    const parsed = file ? index.parsed(file) : undefined;
    if (!file || !parsed) return [];
    const out: DocumentSymbol[] = [];
    const kustomization = isKustomizationFile(file);
    for (const doc of parsed.documents) {
      if (out.length >= MAX_SYMBOLS) break;
      const value = doc.value;
      if (!isObject(value)) continue;
      if (kustomization) {
        for (const [field, fieldValue] of Object.entries(value).slice(0, MAX_SYMBOLS)) {
          const keyRange = doc.locate([field], { key: true });
          const valueRange = doc.locate([field]);
          if (!keyRange) continue;
          const children: DocumentSymbol[] = [];
          if (Array.isArray(fieldValue)) {
            fieldValue.slice(0, MAX_SYMBOLS).forEach((entry, i) => {
              const r = doc.locate([field, i]);
              if (r) children.push({ name: entryName(entry, i), kind: SymbolKind.Object, range: r, selectionRange: r });
            });
          }
          out.push({
            name: field,
            kind: kindOf(fieldValue),
            range: span(keyRange, valueRange),
            selectionRange: keyRange,
            ...(children.length ? { children } : {}),
          });
        }
        continue;
      }
      const kind = typeof value.kind === 'string' ? value.kind : undefined;
      const meta = isObject(value.metadata) ? value.metadata : {};
      const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : undefined;
      if (!kind && !name) continue;
      const selectionRange = doc.locate(['metadata', 'name']) ?? doc.locate(['kind']) ?? doc.range;
      out.push({
        name: `${kind ?? '?'}/${name ?? '?'}`,
        ...(typeof meta.namespace === 'string' ? { detail: meta.namespace } : {}),
        kind: SymbolKind.Class,
        range: doc.range,
        selectionRange: within(selectionRange, doc.range) ? selectionRange : doc.range,
      });
    }
    return out;
  } catch {
    return [];
  }
}

function entryName(entry: Json, i: number): string {
  if (typeof entry === 'string') return entry.split('\n')[0].slice(0, 80);
  if (isObject(entry)) {
    for (const key of ['path', 'name', 'pairs']) {
      const v = entry[key];
      if (typeof v === 'string') return v;
    }
    if (isObject(entry.target))
      return Object.entries(entry.target)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
  }
  return `[${i}]`;
}

function kindOf(value: Json): SymbolKind {
  if (Array.isArray(value)) return SymbolKind.Array;
  if (isObject(value)) return SymbolKind.Object;
  return SymbolKind.Field;
}

function span(a: Range, b: Range | undefined): Range {
  return b && (b.end.line > a.end.line || (b.end.line === a.end.line && b.end.character > a.end.character))
    ? { start: a.start, end: b.end }
    : a;
}

function within(inner: Range, outer: Range): boolean {
  const le = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}
