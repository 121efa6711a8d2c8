// The path-valued entries of a kustomization file (resources, bases, components, patch files, generator
// files, configurations, crds, replacement files), read from the parsed document so that the rules about
// paths see every entry even when the file has other errors, and each entry keeps the place it was written.
import * as path from 'path';
import type { FleetIndex } from '../../fleet/fleetIndex';
import { parseFileSource } from '../../kustomize/generators/common';
import { isRemoteReference, isWithin, normalize } from '../../kustomize/loader';
import { isObject } from '../../kustomize/resource';
import type { Json, JsonObject, Range } from '../../kustomize/types';
import { parseYamlFileCached, type ParsedDocument } from '../../kustomize/yaml/parse';
import { customParseLimits } from '../../fleet/limits';
import type { Finding, RuleContext } from '../rule';

/** What an entry must name: a file, a folder (kustomization or component), or either. */
export type EntryExpectation = 'file' | 'dir' | 'file-or-dir';

export interface PathEntry {
  /** The kustomization file the entry is written in. */
  file: string;
  /** Its folder, where relative entries start. */
  dir: string;
  /** The field as kustomize spells it, e.g. `resources`, `patches`, `configMapGenerator`. */
  field: string;
  /** Where the scalar is in the document (keys as written, list indexes). */
  documentPath: Array<string | number>;
  /** The path as written (for `key=path` generator sources, only the path part). */
  ref: string;
  expects: EntryExpectation;
  range: Range;
}

export type EntryStatus =
  | { kind: 'ok'; absolute: string; entryKind: 'file' | 'dir' }
  | { kind: 'remote' }
  | { kind: 'absolute' }
  | { kind: 'outside-repo'; resolved: string }
  | { kind: 'missing'; absolute: string }
  | { kind: 'wrong-kind'; absolute: string; entryKind: 'file' | 'dir' };

/** Keys of the document's root map by kustomize's field name (Go's decoder ignores case). */
function fieldKeys(root: JsonObject): Map<string, string> {
  const known = [
    'resources',
    'bases',
    'components',
    'patches',
    'patchesStrategicMerge',
    'patchesJson6902',
    'configMapGenerator',
    'secretGenerator',
    'configurations',
    'crds',
    'replacements',
  ];
  const out = new Map<string, string>();
  for (const key of Object.keys(root)) {
    const field = known.find((k) => k === key) ?? known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (field && !out.has(field)) out.set(field, key);
  }
  return out;
}

/** The first document of a kustomization file, parsed as kustomize decodes it (cached by content); none when the YAML is broken. */
export function kustomizationDocument(index: FleetIndex, file: string): ParsedDocument | undefined {
  const text = index.text(file);
  if (text === undefined) return undefined;
  const parsed = parseYamlFileCached(file, text, customParseLimits(index.limits.parse), { dialect: 'kustomization' });
  if (parsed.problems.some((p) => p.severity === 'error')) return undefined;
  return parsed.documents.find((d) => d.value !== null);
}

/** Every path-valued entry of the kustomization file, in the order written. Malformed parts are skipped. */
export function pathEntries(index: FleetIndex, file: string): PathEntry[] {
  const doc = kustomizationDocument(index, file);
  if (!doc || !isObject(doc.value)) return [];
  const root = doc.value;
  const dir = path.posix.dirname(file);
  const keys = fieldKeys(root);
  const out: PathEntry[] = [];
  const add = (field: string, documentPath: Array<string | number>, ref: string, expects: EntryExpectation) => {
    if (ref === '') return;
    const range = doc.locate(documentPath);
    if (range) out.push({ file, dir, field, documentPath, ref, expects, range });
  };
  const items = (field: string): Array<{ value: Json; path: Array<string | number> }> => {
    const key = keys.get(field);
    const v = key === undefined ? undefined : root[key];
    return Array.isArray(v) ? v.map((value, i) => ({ value, path: [key as string, i] })) : [];
  };

  for (const field of ['resources', 'bases']) {
    for (const { value, path: p } of items(field)) if (typeof value === 'string') add(field, p, value, 'file-or-dir');
  }
  for (const { value, path: p } of items('components')) if (typeof value === 'string') add('components', p, value, 'dir');
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    for (const { value, path: p } of items(field)) {
      if (isObject(value) && typeof value.path === 'string') add(field, [...p, 'path'], value.path, 'file');
    }
  }
  for (const { value, path: p } of items('patchesStrategicMerge')) {
    // Like kustomize: text with a line break or a flow map is an inline patch, anything else a file.
    if (typeof value === 'string' && !value.includes('\n') && !/^\s*\{/.test(value)) add('patchesStrategicMerge', p, value, 'file');
  }
  for (const field of ['configurations', 'crds']) {
    for (const { value, path: p } of items(field)) if (typeof value === 'string') add(field, p, value, 'file');
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const { value, path: p } of items(field)) {
      if (!isObject(value)) continue;
      for (const [key, v] of Object.entries(value)) {
        const lower = key.toLowerCase();
        if (lower === 'env' && typeof v === 'string') add(field, [...p, key], v, 'file');
        if ((lower === 'envs' || lower === 'files') && Array.isArray(v)) {
          v.forEach((source, i) => {
            if (typeof source !== 'string') return;
            if (lower === 'envs') return add(field, [...p, key, i], source, 'file');
            const parsed = parseFileSource(source);
            if (!('error' in parsed)) add(field, [...p, key, i], parsed.path, 'file');
          });
        }
      }
    }
  }
  return out;
}

/** Where an entry leads, checked the way the renderer checks it, but without the root-only restriction. */
export function entryStatus(index: FleetIndex, entry: PathEntry): EntryStatus {
  if (isRemoteReference(entry.ref)) return { kind: 'remote' };
  if (path.posix.isAbsolute(entry.ref) || /^[a-zA-Z]:[\\/]/.test(entry.ref)) return { kind: 'absolute' };
  const absolute = normalize(path.posix.join(entry.dir, entry.ref));
  if (!isWithin(absolute, index.root)) return { kind: 'outside-repo', resolved: absolute };
  const entryKind = index.fs.kind(absolute);
  if (!entryKind) return { kind: 'missing', absolute };
  const real = normalize(index.fs.realPath(absolute));
  if (!isWithin(real, index.root)) return { kind: 'outside-repo', resolved: real };
  if ((entry.expects === 'file' && entryKind !== 'file') || (entry.expects === 'dir' && entryKind !== 'dir')) {
    return { kind: 'wrong-kind', absolute, entryKind };
  }
  return { kind: 'ok', absolute, entryKind };
}

/** The source text of a range, or undefined when the range is not inside the text. */
export function textAt(text: string, range: Range): string | undefined {
  const lines = text.split('\n');
  if (range.start.line >= lines.length) return undefined;
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  const parts = [lines[range.start.line].slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line && l < lines.length; l++) parts.push(lines[l]);
  if (range.end.line < lines.length) parts.push(lines[range.end.line].slice(0, range.end.character));
  return parts.join('\n');
}

/** Human words for an entry's field, e.g. `resources`, `patches[].path`, `configMapGenerator files`. */
export function fieldLabel(entry: PathEntry): string {
  switch (entry.field) {
    case 'patches':
    case 'patchesJson6902':
    case 'replacements':
      return `${entry.field}[].path`;
    case 'configMapGenerator':
    case 'secretGenerator':
      return `${entry.field} ${String(entry.documentPath[2])}`;
    default:
      return entry.field;
  }
}

/**
 * The loop of the rules that judge each path entry alone (missing-path, path-outside-repo, remote-resource):
 * every entry of every kustomization file with its status, cancellable between files.
 */
export function judgeEachEntry(
  { index, isCancelled, checking }: RuleContext,
  judge: (entry: PathEntry, status: EntryStatus) => Omit<Finding, 'file' | 'range'> | undefined,
): Finding[] {
  const findings: Finding[] = [];
  for (const file of index.kustomizationFiles()) {
    checking?.(file);
    if (isCancelled()) break;
    for (const { entry, status } of judgedEntries(index, file)) {
      const finding = judge(entry, status);
      if (finding) findings.push({ file, range: entry.range, ...finding });
    }
  }
  return findings;
}

/**
 * Every path entry of one kustomization file with its status, remembered per file: the rules that judge
 * entries (and the ones that follow bases) share it, and after an edit only the edited file is read again.
 * A status also depends on which files exist, which the index's `remember` accounts for.
 */
export function judgedEntries(index: FleetIndex, file: string): ReadonlyArray<{ entry: PathEntry; status: EntryStatus }> {
  return index.remember(`path-entries:${file}`, () =>
    pathEntries(index, file).map((entry) => ({ entry, status: entryStatus(index, entry) })),
  );
}

const PATCH_FIELDS = new Set(['patches', 'patchesStrategicMerge', 'patchesJson6902']);

/** Files some kustomization of the repository uses as a patch: what they hold are patches, not objects. */
export function filesUsedAsPatches(index: FleetIndex): ReadonlySet<string> {
  const out = new Set<string>();
  for (const file of index.kustomizationFiles())
    for (const { entry, status } of judgedEntries(index, file))
      if (PATCH_FIELDS.has(entry.field) && status.kind === 'ok' && status.entryKind === 'file') out.add(status.absolute);
  return out;
}
