// From a plan's chosen changes to new file texts (layout-keeping text edits: comments, key order and
// indentation stay), then the proof that they do what the plan says: the target re-rendered from the
// new texts by a fresh index shows the promoted values and nothing else changed.
import * as path from 'path';
import { FleetIndex } from '../fleet/fleetIndex';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitResult, ok, runGit } from '../git/exec';
import { normalizeRepoPath } from '../git/repo';
import { deepCopy, getPath, isObject } from '../kustomize/resource';
import type { Json, JsonObject, Range } from '../kustomize/types';
import { emitDocuments, emitYaml } from '../kustomize/yaml/emit';
import type { ParsedDocument } from '../kustomize/yaml/parse';
import { isBase60Float, resolvePlain } from '../kustomize/yaml/resolve';
import {
  appendListItem,
  applyTextEdits as applyEditsToText,
  deleteLines,
  entryRange,
  insertMapEntry,
  lineStarts,
  offsetAt,
  replaceValue,
} from '../kustomize/yaml/edit';
import type { TextEdit } from '../kustomize/yaml/edit';
import type { EditIntent, PromotionChange } from './plan';

export interface FileChange {
  /** Absolute path. */
  file: string;
  /** Repository-relative, forward slashes. */
  path: string;
  before: string;
  after: string;
}

export interface PlannedFiles {
  files: FileChange[];
  /** The changes the files carry. */
  applied: PromotionChange[];
  /** Changes left out, and why (no edit possible, or a conflict with another change). */
  skipped: Array<{ change: PromotionChange; reason: string }>;
}

type ImagesIntent = Extract<EditIntent, { kind: 'imagesEntry' }>;
type PatchIntent = Extract<EditIntent, { kind: 'addPatch' }>;

const IMAGE_FIELDS = ['newName', 'newTag', 'digest'] as const;

/** The new texts of the files the chosen changes edit. Files are read through the index (open buffers win). */
export function planFileChanges(index: FleetIndex, changes: readonly PromotionChange[]): PlannedFiles {
  const skipped: PlannedFiles['skipped'] = [];
  const applied: PromotionChange[] = [];
  // Several changes may move the same images entry (one image in several workloads): merged, unless they disagree.
  const entries = new Map<string, { intent: ImagesIntent; changes: PromotionChange[] }>();
  const scalars: Array<{ intent: Extract<EditIntent, { kind: 'replaceScalar' }>; change: PromotionChange }> = [];
  const patches: Array<{ intent: PatchIntent; change: PromotionChange }> = [];
  for (const change of changes) {
    const intent = change.edit;
    if (!intent) {
      skipped.push({ change, reason: change.note ?? 'no edit can make this change' });
      continue;
    }
    if (intent.kind === 'imagesEntry') {
      const key = `${intent.file}#${intent.documentIndex}#${intent.mapPath.join('/')}#${intent.entryIndex ?? `new:${intent.entryName}`}`;
      const seen = entries.get(key);
      if (!seen) {
        entries.set(key, { intent: { ...intent, set: { ...intent.set } }, changes: [change] });
        applied.push(change);
        continue;
      }
      const clash = IMAGE_FIELDS.find(
        (f) => intent.set[f] !== undefined && seen.intent.set[f] !== undefined && intent.set[f] !== seen.intent.set[f],
      );
      if (clash) {
        skipped.push({
          change,
          reason: `it shares the images entry ${intent.entryName} with ${seen.changes[0].workload}, which moves to ${seen.changes[0].after}`,
        });
        continue;
      }
      Object.assign(seen.intent.set, Object.fromEntries(Object.entries(intent.set).filter(([, v]) => v !== undefined)));
      seen.changes.push(change);
      applied.push(change);
    } else if (intent.kind === 'replaceScalar') {
      scalars.push({ intent, change });
      applied.push(change);
    } else {
      patches.push({ intent, change });
      applied.push(change);
    }
  }

  const byFile = new Map<string, { edits: TextEdit[]; changes: PromotionChange[] }>();
  const add = (file: string, edit: TextEdit | undefined, owners: PromotionChange[]): boolean => {
    if (!edit) return false;
    const slot = byFile.get(file) ?? { edits: [], changes: [] };
    slot.edits.push(edit);
    slot.changes.push(...owners);
    byFile.set(file, slot);
    return true;
  };
  const drop = (owners: PromotionChange[], reason: string) => {
    for (const change of owners) {
      applied.splice(applied.indexOf(change), 1);
      skipped.push({ change, reason });
    }
  };

  // New images entries and new patches of one list are written as one block.
  const newEntries = new Map<string, { intent: ImagesIntent; items: string[]; owners: PromotionChange[] }>();
  for (const { intent, changes: owners } of entries.values()) {
    const text = index.text(intent.file);
    const doc = text === undefined ? undefined : index.parsed(intent.file)?.documents[intent.documentIndex];
    if (text === undefined || !doc) {
      drop(owners, `${intent.file} could not be read`);
      continue;
    }
    if (intent.entryIndex === undefined) {
      const key = `${intent.file}#${intent.documentIndex}#${intent.mapPath.join('/')}`;
      const group = newEntries.get(key) ?? { intent, items: [], owners: [] };
      group.items.push(imageEntryText(intent));
      group.owners.push(...owners);
      newEntries.set(key, group);
      continue;
    }
    const entryPath = [...intent.mapPath, 'images', intent.entryIndex];
    const edits = existingEntryEdits(intent.file, text, doc, entryPath, intent.set);
    if (!edits) drop(owners, `the images entry ${intent.entryName} in ${intent.file} has a layout that cannot be edited safely`);
    else if (edits.length === 0) drop(owners, `the images entry ${intent.entryName} already says so`);
    else edits.forEach((edit, i) => add(intent.file, edit, i === 0 ? owners : []));
  }
  for (const group of newEntries.values()) {
    const { intent } = group;
    const edit = appendToList(index, intent.file, intent.documentIndex, intent.mapPath, 'images', group.items);
    if (!add(intent.file, edit, group.owners))
      drop(group.owners, `the images list in ${intent.file} has a layout that cannot be edited safely`);
  }
  for (const { intent, change } of scalars) {
    const text = index.text(intent.file);
    if (text === undefined) {
      drop([change], `${intent.file} could not be read`);
      continue;
    }
    add(intent.file, { file: intent.file, range: intent.range, newText: formatScalar(intent.value, textAt(text, intent.range)) }, [change]);
  }
  const newPatches = new Map<string, { intent: PatchIntent; items: string[]; owners: PromotionChange[] }>();
  for (const { intent, change } of patches) {
    const key = `${intent.file}#${intent.documentIndex}#${intent.mapPath.join('/')}`;
    const group = newPatches.get(key) ?? { intent, items: [], owners: [] };
    group.items.push(patchEntryText(intent));
    group.owners.push(change);
    newPatches.set(key, group);
  }
  for (const group of newPatches.values()) {
    const { intent } = group;
    const edit = appendToList(index, intent.file, intent.documentIndex, intent.mapPath, 'patches', group.items);
    if (!add(intent.file, edit, group.owners))
      drop(group.owners, `the patches list in ${intent.file} has a layout that cannot be edited safely`);
  }

  const files: FileChange[] = [];
  for (const [file, slot] of [...byFile.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const before = index.text(file) ?? '';
    const after = applyTextEdits(before, slot.edits);
    if (after === before) continue;
    files.push({ file, path: normalizeRepoPath(path.posix.relative(index.root, file)), before, after });
  }
  return { files, applied, skipped };
}

// ---- text ------------------------------------------------------------------------------------

function textAt(text: string, range: Range): string {
  const starts = lineStarts(text);
  return text.slice(offsetAt(starts, text, range.start), offsetAt(starts, text, range.end));
}

/** Applies non-overlapping edits; a CRLF file keeps CRLF line breaks in what is inserted. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const crlf = text.includes('\r\n');
  return applyEditsToText(text, crlf ? edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) : edits);
}

/** A scalar as YAML: plain when it reads back as the same string, else double-quoted; an existing quote style is kept. */
export function formatScalar(value: string, existing?: string): string {
  if (existing?.startsWith('"')) return JSON.stringify(value);
  if (existing?.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  const plain =
    /^[A-Za-z0-9_/][A-Za-z0-9_./@:+-]*$/.test(value) &&
    !/:$/.test(value) &&
    resolvePlain(value, true).kind === 'str' &&
    resolvePlain(value, false).kind === 'str' &&
    !isBase60Float(value);
  return plain ? value : JSON.stringify(value);
}

function imageEntryText(intent: ImagesIntent): string {
  const lines = [`name: ${formatScalar(intent.entryName)}`];
  for (const field of IMAGE_FIELDS) {
    const value = intent.set[field];
    if (typeof value === 'string') lines.push(`${field}: ${formatScalar(value)}`);
  }
  return lines.join('\n');
}

function patchEntryText(intent: PatchIntent): string {
  const body = emitYaml(intent.patch)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const target = Object.entries(intent.target)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `  ${k}: ${formatScalar(String(v))}`)
    .join('\n');
  return `patch: |-\n${body}\ntarget:\n${target}`;
}

/** Edits that set (or remove, for null) fields of an existing images entry; undefined when the layout is not editable. */
function existingEntryEdits(
  file: string,
  text: string,
  doc: ParsedDocument,
  entryPath: Array<string | number>,
  set: ImagesIntent['set'],
): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const entry = getPath(doc.value, entryPath);
  if (!isObject(entry)) return undefined;
  for (const field of IMAGE_FIELDS) {
    const value = set[field];
    if (value === undefined) continue;
    const current = entry[field];
    if (value === null) {
      if (current === undefined || current === null || current === '') continue;
      const range = entryRange(doc, [...entryPath, field]);
      const itemRange = doc.locate(entryPath);
      // The field on the item's own dash line cannot go without the dash.
      if (!range || !itemRange || range.start.line === itemRange.start.line) return undefined;
      edits.push(deleteLines(file, text, range));
    } else if (current !== undefined && current !== null) {
      if (current === value) continue;
      const range = doc.locate([...entryPath, field]);
      if (!range) return undefined;
      const edit = replaceValue(file, doc, [...entryPath, field], formatScalar(value, textAt(text, range)));
      if (!edit) return undefined;
      edits.push(edit);
    } else {
      const edit = insertMapEntry(file, text, doc, entryPath, field, formatScalar(value));
      if (!edit) return undefined;
      edits.push(edit);
    }
  }
  return edits;
}

/** Appends items to the block list `key` of the map at `mapPath`, creating the list when absent. */
function appendToList(
  index: FleetIndex,
  file: string,
  documentIndex: number,
  mapPath: Array<string | number>,
  key: string,
  items: string[],
): TextEdit | undefined {
  const text = index.text(file);
  const doc = text === undefined ? undefined : index.parsed(file)?.documents[documentIndex];
  if (text === undefined || !doc) return undefined;
  const existing = getPath(doc.value, [...mapPath, key]);
  if (Array.isArray(existing) && existing.length > 0) {
    // appendListItem takes one item; the others follow it as further `- ` items at the same indentation.
    const first = appendListItem(file, text, doc, [...mapPath, key], items[0]);
    if (!first || items.length === 1) return first;
    const dash = /^(\s*)- /.exec(first.newText.replace(/^\n/, ''));
    const pad = dash ? dash[1] : '';
    const rest = items
      .slice(1)
      .map((item) =>
        item
          .split('\n')
          .map((l, i) => (i === 0 ? `${pad}- ${l}` : l === '' ? '' : `${pad}  ${l}`))
          .join('\n'),
      )
      .join('\n');
    return first.newText.startsWith('\n')
      ? { ...first, newText: `${first.newText}\n${rest}` }
      : { ...first, newText: `${first.newText}${rest}\n` };
  }
  if (existing !== undefined && existing !== null && !(Array.isArray(existing) && existing.length === 0)) return undefined;
  if (Array.isArray(existing)) return undefined; // `key: []` in flow style: leave it to the user
  const listText = items
    .map((item) =>
      item
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
        .join('\n'),
    )
    .join('\n');
  const edit = insertMapEntry(file, text, doc, mapPath, key, listText + '\n');
  if (!edit) return undefined;
  // Lists are written the way the file already writes them: `- ` under the key, or indented.
  if (dashAtKeyIndent(text)) {
    const [head, ...rest] = edit.newText.split('\n');
    return { ...edit, newText: [head, ...rest.map((l) => l.replace(/^( *) {2}/, '$1'))].join('\n') };
  }
  return edit;
}

function dashAtKeyIndent(text: string): boolean {
  const match = /^([ \t]*)[A-Za-z_][\w.-]*:[ \t]*(#.*)?\r?\n([ \t]*)- /m.exec(text);
  return match ? match[1] === match[3] : true;
}

// ---- verification -----------------------------------------------------------------------------

export type Verification = { ok: true } | { ok: false; message: string };

function setPath(value: JsonObject, at: ReadonlyArray<string | number>, next: string | undefined): void {
  let node: Json = value;
  for (const segment of at.slice(0, -1)) {
    node = (node as Record<string | number, Json>)[segment];
    if (node === undefined || node === null || typeof node !== 'object') return;
  }
  const last = at[at.length - 1];
  if (next === undefined) delete (node as Record<string | number, Json>)[last];
  else (node as Record<string | number, Json>)[last] = next;
}

/**
 * Renders the target from the new texts with a fresh index and compares it with the current render:
 * every applied change must show its new value, and with those values put back the YAML must be
 * byte-identical.
 */
export function verifyFileChanges(index: FleetIndex, target: string, planned: PlannedFiles): Verification {
  const env = index.environment(target);
  if (!env) return { ok: false, message: `environment ${target} not found` };
  const beforeRender = index.renderEnvironment(env);
  const fresh = new FleetIndex(index.root, index.settings, index.fs);
  fresh.scan();
  for (const file of planned.files) fresh.setBuffer(file.file, file.after);
  const freshEnv = fresh.environment(target);
  if (!freshEnv) return { ok: false, message: `after the edits, environment ${target} no longer exists` };
  const afterRender = fresh.renderEnvironment(freshEnv);
  const errors = afterRender.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return { ok: false, message: `after the edits, ${target} does not render: ${errors[0].message}` };
  const normalised = afterRender.objects.map((o) => deepCopy(o.object));
  for (const change of planned.applied) {
    const candidates = normalised.filter(
      (o) =>
        o.kind === change.object.kind &&
        isObject(o.metadata) &&
        o.metadata.name === change.object.name &&
        (change.object.namespace === undefined || o.metadata.namespace === change.object.namespace),
    );
    const promoted = candidates.find((o) => getPath(o, change.path) === change.afterValue);
    if (!promoted) {
      const found = candidates.length > 0 ? getPath(candidates[0], change.path) : undefined;
      return {
        ok: false,
        message: `after the edits, ${change.workload} has ${String(found ?? 'nothing')} instead of ${change.afterValue}`,
      };
    }
    setPath(promoted, change.path, change.beforeValue === '' ? undefined : change.beforeValue);
  }
  const expected = emitDocuments(beforeRender.objects.map((o) => o.object));
  const actual = emitDocuments(normalised);
  if (expected === actual) return { ok: true };
  const a = expected.split('\n');
  const b = actual.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line++;
  return {
    ok: false,
    message: `the edits would change more than the promoted values in ${target}: line ${line + 1} of its render would read "${(b[line] ?? '').trim()}" instead of "${(a[line] ?? '').trim()}"`,
  };
}

// ---- git ---------------------------------------------------------------------------------------

/**
 * The files the plan was made from must be the base branch's files: otherwise the commit (built on
 * the base branch) would carry other changes too. Returns the paths that differ.
 */
export async function filesDifferingFromCommit(root: string, commit: string, files: readonly FileChange[]): Promise<GitResult<string[]>> {
  if (files.length === 0) return ok([]);
  const listed = await runGit(['ls-tree', '-z', '--full-tree', commit, '--', ...files.map((f) => f.path)], { cwd: root });
  if (!listed.ok) return listed;
  const blobs = new Map<string, string>();
  for (const entry of listed.value.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    blobs.set(entry.slice(tab + 1), entry.slice(0, tab).split(' ')[2]);
  }
  const differing: string[] = [];
  for (const file of files) {
    const hashed = await runGit(['hash-object', '--stdin', `--path=${file.path}`], { cwd: root, input: file.before });
    if (!hashed.ok) return hashed;
    if (blobs.get(file.path) !== hashed.value.stdout.trim()) differing.push(file.path);
  }
  return ok(differing);
}

/** A unified diff of the file changes, paths relative to the repository. Only a temp folder is written. */
export async function unifiedDiff(files: readonly FileChange[]): Promise<GitResult<string>> {
  if (files.length === 0) return ok('');
  const scratch = await mkdtemp(join(tmpdir(), 'fluxenv-diff-'));
  try {
    let out = '';
    for (const [i, file] of files.entries()) {
      await writeFile(join(scratch, `${i}.a`), file.before);
      await writeFile(join(scratch, `${i}.b`), file.after);
      const diff = await runGit(['diff', '--no-index', '--no-color', '--no-ext-diff', '--', `${i}.a`, `${i}.b`], {
        cwd: scratch,
        acceptExitCodes: [1],
      });
      if (!diff.ok) return diff;
      const hunks = diff.value.stdout.slice(Math.max(0, diff.value.stdout.search(/^@@/m)));
      out += `--- a/${file.path}\n+++ b/${file.path}\n${hunks}`;
    }
    return ok(out);
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}
