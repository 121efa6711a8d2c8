// A full manifest copied into an environment overlay instead of a patch over the base: the copy no longer
// follows the base (a fix there never reaches this environment), and the real difference between the
// environments hides among dozens of identical lines. The fix turns the copy into a patch holding only
// the differences, and offers it only when the overlay then renders exactly the same objects.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { listField, type Kustomization } from '../kustomize/kustomization';
import { isWithin } from '../kustomize/loader';
import { jsonEqual } from '../kustomize/merge/jsonpatch';
import {
  elementSchema,
  fieldSchema,
  isMergeStrategy,
  listStrategyOf,
  mergeKeysOf,
  schemaForKind,
  type SchemaNode,
} from '../kustomize/merge/schema';
import { isObject, resId, resIdOf, splitApiVersion } from '../kustomize/resource';
import { originalId } from '../kustomize/select';
import type { Json, JsonObject, Resource } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import { appendListItem, insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import { applyTextEdits } from '../kustomize/yaml/edit';
import {
  environmentOfFolder,
  fleetKustomizations,
  relativePath,
  removeListItem,
  renderWithKustomizationText,
} from './support/overlayRenderSupport';
import type { Finding, Fix, Rule, TextEdit } from './rule';

/** Folders that some kustomization lists in `resources`, with the kustomization folders that list them. */
function includedFolders(index: FleetIndex, kustomizations: readonly Kustomization[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const k of kustomizations) {
    for (const abs of foldersListed(index, k)) {
      const set = out.get(abs) ?? new Set<string>();
      set.add(k.dir);
      out.set(abs, set);
    }
  }
  return out;
}

/** The folders one kustomization lists in `resources`, remembered per file: after an edit, only its file is read again. */
function foldersListed(index: FleetIndex, k: Kustomization): readonly string[] {
  return index.remember(`copied-manifest:folders:${k.file}`, () => {
    // Read through the index, so that the remembered list follows the file's text.
    const current = index.kustomization(k.file).kustomization ?? k;
    const out: string[] = [];
    for (const { value } of listField(current, 'resources')) {
      if (typeof value !== 'string') continue;
      const abs = path.posix.normalize(path.posix.join(current.dir, value));
      if (isWithin(abs, index.root) && index.fs.kind(abs) === 'dir' && !out.includes(abs)) out.push(abs);
    }
    return out;
  });
}

/**
 * A name that is a template, not a name: Flux's `${VAR}` (postBuild substitution), a ResourceSet's
 * `<< inputs.x >>`, Go/Helm/cookiecutter `{{ .x }}`, or the `_` placeholder that a kustomization's
 * `namespace:` (or a parent's patch) replaces. Two such names being equal says nothing about the objects.
 */
export function isTemplatedName(name: string): boolean {
  return name === '_' || /\$\{|<<|\{\{|\{%/.test(name);
}

/** A folder's path with its environment's segment masked: `apps/staging` and `apps/production` both give `apps/*`. */
function environmentShape(index: FleetIndex, dir: string, environment: string): string {
  const segments = path.posix.relative(index.root, dir).split('/');
  const at = segments.lastIndexOf(environment);
  return segments.map((s, i) => (i === at ? '*' : s)).join('/');
}

class NotExpressible {}

/**
 * The strategic merge patch that turns `base` into `copy`: changed and added fields, `null` for fields the
 * copy drops, merge-keyed list items by key (`$patch: delete` for dropped items), other lists whole.
 */
function patchBetween(copy: JsonObject, base: JsonObject, schema: SchemaNode | undefined, depth: number): JsonObject {
  if (depth > 100) throw new NotExpressible();
  const out: JsonObject = {};
  for (const [key, c] of Object.entries(copy)) {
    const b = base[key];
    if (b === undefined) out[key] = c;
    else if (jsonEqual(c, b)) continue;
    else if (isObject(c) && isObject(b)) out[key] = patchBetween(c, b, fieldSchema(schema, key), depth + 1);
    else if (Array.isArray(c) && Array.isArray(b)) {
      const node = fieldSchema(schema, key);
      const strategy = listStrategyOf(node);
      if (!isMergeStrategy(strategy)) out[key] = c;
      else {
        const keys = mergeKeysOf(strategy!);
        if (keys.length === 0 || ![...c, ...b].every((item) => isObject(item) && item[keys[0]] !== undefined)) throw new NotExpressible();
        const identity = (item: JsonObject): JsonObject => {
          const id: JsonObject = {};
          for (const k of keys) if (item[k] !== undefined) id[k] = item[k];
          return id;
        };
        const find = (list: Json[], item: JsonObject) =>
          list.find((other) => isObject(other) && keys.every((k) => jsonEqual(other[k] ?? null, item[k] ?? null))) as
            JsonObject | undefined;
        const items: Json[] = [];
        for (const item of c as JsonObject[]) {
          const was = find(b, item);
          if (!was) items.push(item);
          else if (!jsonEqual(item, was)) items.push({ ...identity(item), ...patchBetween(item, was, elementSchema(node), depth + 1) });
        }
        for (const item of b as JsonObject[]) if (!find(c, item)) items.push({ ...identity(item), $patch: 'delete' });
        out[key] = items;
      }
    } else out[key] = c;
  }
  for (const key of Object.keys(base)) if (!(key in copy)) out[key] = null;
  return out;
}

function withoutIdentity(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(o)) if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') out[key] = v;
  return out;
}

function strategicPatchFor(copy: JsonObject, base: Resource): JsonObject | undefined {
  const baseObject = base.object;
  const { group, version } = splitApiVersion(typeof baseObject.apiVersion === 'string' ? baseObject.apiVersion : '');
  const copyRest = withoutIdentity(copy);
  const baseRest = withoutIdentity(baseObject);
  const copyMeta = copy.metadata;
  const baseMeta = baseObject.metadata;
  try {
    const schema = schemaForKind({ group, version, kind: String(baseObject.kind) });
    const body = patchBetween(copyRest, baseRest, schema, 0);
    const cm = isObject(copyMeta) ? { ...copyMeta } : {};
    const bm = isObject(baseMeta) ? { ...baseMeta } : {};
    const id = resId(base);
    // The patch finds the base object by its id; the copy may not move it to another namespace.
    if (typeof cm.namespace === 'string' && cm.namespace !== '' && cm.namespace !== id.namespace) return undefined;
    delete cm.name;
    delete cm.namespace;
    delete bm.name;
    delete bm.namespace;
    const meta = patchBetween(cm, bm, fieldSchema(schema, 'metadata'), 0);
    const metadata: JsonObject = { name: id.name, ...(id.namespace !== '' ? { namespace: id.namespace } : {}), ...meta };
    return { apiVersion: baseObject.apiVersion ?? null, kind: baseObject.kind ?? null, metadata, ...body };
  } catch (e) {
    if (e instanceof NotExpressible) return undefined;
    throw e;
  }
}

function sortedDocuments(yaml: string | undefined): string[] | undefined {
  return yaml === undefined ? undefined : yaml.split(/^---\n/m).sort();
}

interface Copy {
  entryIndex: number;
  entry: string;
  file: string;
  copy: JsonObject;
  /** Whether the file holds this one object only (a file with more cannot simply become a patch). */
  alone: boolean;
  base?: { dir: string; object: Resource };
}

/**
 * Rewrites every copy of one base in the overlay as a patch at once (one at a time would leave the base
 * and the remaining copies clashing), if the overlay then renders the same objects as before.
 */
function rewriteAsPatches(index: FleetIndex, k: Kustomization, copies: readonly Copy[], baseDir: string): Fix | undefined {
  const kText = index.text(k.file);
  if (kText === undefined || copies.some((c) => !c.alone || !c.base)) return undefined;
  const relBase = path.posix.relative(k.dir, baseDir);
  const alreadyIncluded = listField(k, 'resources').some(
    (e) => typeof e.value === 'string' && path.posix.normalize(path.posix.join(k.dir, e.value)) === baseDir,
  );
  const edits: Array<TextEdit | undefined> = [];
  const extra = new Map<string, string>();
  copies.forEach((c, i) => {
    const fileText = index.text(c.file);
    const patch = strategicPatchFor(c.copy, c.base!.object);
    if (fileText === undefined || !patch) {
      edits.push(undefined);
      return;
    }
    const patchText = emitYaml(patch);
    extra.set(c.file, patchText);
    const lines = fileText.split('\n');
    edits.push({
      file: c.file,
      range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } },
      newText: patchText,
    });
    edits.push(
      i === 0 && !alreadyIncluded
        ? replaceValue(k.file, k.document, ['resources', c.entryIndex], relBase)
        : removeListItem(k.file, kText, k.document, ['resources'], c.entryIndex),
    );
  });
  const relFiles = copies.map((c) => path.posix.relative(k.dir, c.file));
  if (Array.isArray(k.fields.patches) && k.fields.patches.length > 0) {
    const items = relFiles.map((f) => appendListItem(k.file, kText, k.document, ['patches'], `path: ${f}`));
    edits.push(items.every((e) => e !== undefined) ? { ...items[0]!, newText: items.map((e) => e!.newText).join('') } : undefined);
  } else if (k.fields.patches === undefined) {
    edits.push(insertMapEntry(k.file, kText, k.document, [], 'patches', relFiles.map((f) => `- path: ${f}\n`).join('')));
  } else edits.push(undefined);
  if (edits.some((e) => e === undefined)) return undefined;
  const done = edits as TextEdit[];
  const before = index.renderFolder(k.dir);
  const after = renderWithKustomizationText(
    index,
    k.file,
    applyTextEdits(
      kText,
      done.filter((e) => e.file === k.file),
    ),
    extra,
  );
  if (after.yaml === undefined) return undefined;
  if (before.yaml !== undefined && JSON.stringify(sortedDocuments(before.yaml)) !== JSON.stringify(sortedDocuments(after.yaml)))
    return undefined;
  const shown = relFiles.length === 1 ? relFiles[0] : `${relFiles.length} copies`;
  return { title: `Turn ${shown} into ${relFiles.length === 1 ? 'a patch' : 'patches'} over ${relBase}`, edits: done, preferred: true };
}

export const copiedManifest: Rule = {
  id: 'copied-manifest',
  severity: 'warning',
  category: 'overlay',
  description: 'A full manifest copied into an environment overlay instead of a patch over its base.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    const kustomizations = fleetKustomizations(index);
    const folders = includedFolders(index, kustomizations);
    // Every object the included folders render, by group/kind/name (current and original): one lookup per copy.
    const objectsByKey = new Map<string, Array<{ dir: string; object: Resource }>>();
    for (const dir of folders.keys()) {
      // A folder that belongs to one environment (clusters/production/flux-system) is that environment's, not a base.
      if (environmentOfFolder(index, dir) !== undefined) continue;
      for (const r of index.renderFolder(dir).resources) {
        const id = resId(r);
        for (const name of new Set([id.name, originalId(r).name])) {
          if (isTemplatedName(name)) continue;
          const key = `${id.group}/${id.kind}/${name}`;
          const list = objectsByKey.get(key) ?? [];
          if (!list.some((b) => b.dir === dir)) objectsByKey.set(key, [...list, { dir, object: r }]);
        }
      }
    }
    for (const k of kustomizations) {
      if (isCancelled()) break;
      // Only an environment's overlay (apps/staging, clusters/x/apps/shop/prod) holds copies of a base: two
      // sibling apps, or two clusters' own folders (flux bootstrap's gotk-components.yaml), may hold equal
      // objects without either being the other's base.
      const environment = environmentOfFolder(index, k.dir);
      if (environment === undefined) continue;
      const shape = environmentShape(index, k.dir, environment);
      const copies: Copy[] = [];
      for (const { value, index: entryIndex } of listField(k, 'resources')) {
        if (typeof value !== 'string') continue;
        const file = path.posix.normalize(path.posix.join(k.dir, value));
        if (!isWithin(file, index.root) || index.fs.kind(file) !== 'file') continue;
        const docs = (index.parsed(file)?.documents ?? []).filter((d) => isObject(d.value));
        for (const doc of docs) {
          const copy = doc.value as JsonObject;
          const id = resIdOf(copy);
          if (id.kind === '' || id.name === '' || isTemplatedName(id.name)) continue;
          // A base of other environments: a folder other overlays include, not this overlay's own folder or a parent of it.
          // ... and one that another environment's overlay of the same layout includes (apps/production for
          // apps/staging, clusters/production/apps for clusters/staging/apps).
          const isOtherBase = (dir: string) => {
            const includers = folders.get(dir);
            if (!includers || isWithin(k.dir, dir) || isWithin(dir, k.dir) || isWithin(file, dir)) return false;
            return [...includers].some((d) => {
              if (d === k.dir) return false;
              const other = environmentOfFolder(index, d);
              return other !== undefined && other !== environment && environmentShape(index, d, other) === shape;
            });
          };
          const bases = (objectsByKey.get(`${id.group}/${id.kind}/${id.name}`) ?? []).filter((b) => isOtherBase(b.dir));
          if (bases.length === 0) continue;
          copies.push({ entryIndex, entry: value, file, copy, alone: docs.length === 1 && bases.length === 1, base: bases[0] });
        }
      }
      const byBase = new Map<string, Copy[]>();
      for (const c of copies) byBase.set(c.base!.dir, [...(byBase.get(c.base!.dir) ?? []), c]);
      for (const [baseDir, group] of byBase) {
        const fix = rewriteAsPatches(index, k, group, baseDir);
        const shownBase = relativePath(index, baseDir);
        for (const c of group) {
          const id = resIdOf(c.copy);
          const source = c.base!.object.source;
          findings.push({
            file: k.file,
            range: k.document.locate(['resources', c.entryIndex]) ?? k.document.range,
            message: `${c.entry} is a full copy of ${id.kind} ${id.name}, which base ${shownBase} renders for the other environments: changes to the base never reach this one, and the real differences are hard to see. Include ${shownBase} and keep only the differences as a patch.`,
            related: [
              {
                file: source.file,
                ...(source.range ? { range: source.range } : {}),
                message: `${id.kind} ${id.name} in base ${shownBase}`,
              },
            ],
            fixes: fix ? [fix] : undefined,
          });
        }
      }
    }
    return findings;
  },
};
