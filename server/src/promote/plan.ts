// The PromotionPlan of the overlay strategy: the version differences between two rendered
// environments (container images, HelmRelease chart versions, GitRepository/OCIRepository refs),
// never their settings, each with the file edit that moves the target to the source's version. Where
// the target's value came from (setBy origins) decides which file to edit: the target's `images:`
// entry (created when absent), else the field in the target's own patch or manifest.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import type { EnvironmentRender, RenderedObject } from '../fleet/environmentRender';
import type { Environment } from '../fleet/environments';
import { resolveSpecPath } from '../flux/generate';
import { findKustomizationFile } from '../kustomize/kustomization';
import { isWithin } from '../kustomize/loader';
import { getPath, isObject, originAt, splitApiVersion } from '../kustomize/resource';
import { splitImage } from '../kustomize/transformers/images';
import type { Json, JsonObject, Problem, Range } from '../kustomize/types';
import type { StrategyKind } from './strategy';

export type ChangeKind = 'image' | 'chart' | 'source';

/** Where and how one change is written. Resolved to text by `planFileChanges` (applyPlan.ts). */
export type EditIntent =
  | {
      kind: 'imagesEntry';
      file: string;
      documentIndex: number;
      /** The map that holds `images` (`[]` for a kustomization file, `['spec']` for a Flux Kustomization). */
      mapPath: Array<string | number>;
      /** Index of the existing entry to change; absent: a new entry. */
      entryIndex?: number;
      /** The entry's `name` (the image name it matches). */
      entryName: string;
      /** Fields to set; null removes the field. */
      set: { newName?: string; newTag?: string | null; digest?: string | null };
    }
  | { kind: 'replaceScalar'; file: string; range: Range; value: string }
  | {
      kind: 'addPatch';
      file: string;
      documentIndex: number;
      mapPath: Array<string | number>;
      /** The strategic merge patch (a minimal object) and the selector it is applied with. */
      patch: JsonObject;
      target: { group?: string; version?: string; kind: string; name: string };
    };

export interface PromotionChange {
  /** Stable within a plan, for picking changes in a UI or on the command line. */
  id: string;
  kind: ChangeKind;
  /** What moved, in the user's words: the workload (with `/container` when it has several), release or source. */
  workload: string;
  object: { kind: string; name: string; namespace?: string };
  container?: string;
  /** Path of the value in the rendered object. */
  path: Array<string | number>;
  /** Short forms for messages and trailers (a tag, a version). */
  before: string;
  after: string;
  /** The full rendered values (e.g. the whole image reference). */
  beforeValue: string;
  afterValue: string;
  /** The edit that makes the change; absent when no file of the target can express it (see `note`). */
  edit?: EditIntent;
  /** Which file the edit goes to, in words; or why there is no edit. */
  note?: string;
}

export interface PromotionPlan {
  strategy: StrategyKind;
  source: string;
  target: string;
  changes: PromotionChange[];
  /** Render errors of either environment; a plan with errors is not applied. */
  problems: Problem[];
}

interface PlanContext {
  index: FleetIndex;
  sourceEnv: Environment;
  sourceRender: EnvironmentRender;
  targetRender: EnvironmentRender;
}

const MAX_WALK_DEPTH = 100;

/** Plans an overlay-strategy promotion from `source` to `target` over the index's current files. */
export function planOverlayPromotion(
  index: FleetIndex,
  source: Environment,
  target: Environment,
  excludeSources: ReadonlyArray<{ namespace: string; name: string }> = [],
): PromotionPlan {
  const sourceRender = index.renderEnvironment(source);
  const targetRender = index.renderEnvironment(target);
  const ctx: PlanContext = { index, sourceEnv: source, sourceRender, targetRender };
  const problems = [...sourceRender.problems, ...targetRender.problems].filter((p) => p.severity === 'error');
  const changes = [...imageChanges(ctx), ...chartChanges(ctx), ...sourceChanges(ctx, excludeSources)];
  return { strategy: 'overlay', source: source.name, target: target.name, changes, problems };
}

// ---- matching objects across environments ---------------------------------------------------

function objectKey(o: JsonObject): string {
  const meta = isObject(o.metadata) ? o.metadata : {};
  const { group } = splitApiVersion(typeof o.apiVersion === 'string' ? o.apiVersion : '');
  return `${group}/${String(o.kind)}/${String(meta.name)}`;
}

function namespaceOf(o: JsonObject): string | undefined {
  const meta = isObject(o.metadata) ? o.metadata : {};
  return typeof meta.namespace === 'string' ? meta.namespace : undefined;
}

/**
 * Pairs the objects of the two renders by group/kind/name (namespaces are environment settings);
 * when a name occurs several times, by namespace, then in order.
 */
function pairObjects(
  source: RenderedObject[],
  target: RenderedObject[],
  wanted: (o: JsonObject) => boolean,
): Array<[RenderedObject, RenderedObject]> {
  const byKey = new Map<string, RenderedObject[]>();
  for (const s of source) {
    if (!wanted(s.object)) continue;
    const list = byKey.get(objectKey(s.object)) ?? [];
    list.push(s);
    byKey.set(objectKey(s.object), list);
  }
  const pairs: Array<[RenderedObject, RenderedObject]> = [];
  for (const t of target) {
    if (!wanted(t.object)) continue;
    const list = byKey.get(objectKey(t.object));
    if (!list || list.length === 0) continue;
    const at = Math.max(
      0,
      list.findIndex((s) => namespaceOf(s.object) === namespaceOf(t.object)),
    );
    pairs.push([list[at], t]);
    list.splice(at, 1);
  }
  return pairs;
}

// ---- images ------------------------------------------------------------------------------------

interface ContainerImage {
  /** Path of the image field. */
  path: Array<string | number>;
  /** `spec/template/spec/containers[app]`: the container by name, stable across environments. */
  key: string;
  container: string;
  image: string;
}

/** Every container image of an object: any `containers`/`initContainers` list at any depth, like kustomize's images. */
function containerImages(object: JsonObject): ContainerImage[] {
  const out: ContainerImage[] = [];
  const walk = (node: Json, at: Array<string | number>, depth: number) => {
    if (depth > MAX_WALK_DEPTH) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...at, i], depth + 1));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        value.forEach((c, i) => {
          if (!isObject(c) || typeof c.image !== 'string') return;
          const name = typeof c.name === 'string' ? c.name : String(i);
          out.push({ path: [...at, key, i, 'image'], key: `${[...at, key].join('/')}[${name}]`, container: name, image: c.image });
        });
      } else walk(value, [...at, key], depth + 1);
    }
  };
  walk(object, [], 0);
  return out;
}

function imageVersion(ref: { tag: string; digest: string }): string {
  return ref.tag !== '' && ref.digest !== ''
    ? `${ref.tag}@${ref.digest}`
    : ref.digest !== ''
      ? `@${ref.digest}`
      : ref.tag !== ''
        ? ref.tag
        : '(untagged)';
}

function imageChanges(ctx: PlanContext): PromotionChange[] {
  const changes: PromotionChange[] = [];
  const pairs = pairObjects(ctx.sourceRender.objects, ctx.targetRender.objects, (o) => containerImages(o).length > 0);
  for (const [source, target] of pairs) {
    const sourceImages = new Map(containerImages(source.object).map((c) => [c.key, c]));
    const targetImages = containerImages(target.object);
    for (const t of targetImages) {
      const s = sourceImages.get(t.key);
      if (!s || s.image === t.image) continue;
      const before = splitImage(t.image);
      const after = splitImage(s.image);
      const meta = isObject(target.object.metadata) ? target.object.metadata : {};
      const name = String(meta.name);
      const sameName = before.name === after.name;
      const change: PromotionChange = {
        id: `image:${objectKey(target.object)}:${t.key}`,
        kind: 'image',
        workload: targetImages.length > 1 ? `${name}/${t.container}` : name,
        object: {
          kind: String(target.object.kind),
          name,
          ...(namespaceOf(target.object) ? { namespace: namespaceOf(target.object) } : {}),
        },
        container: t.container,
        path: t.path,
        before: sameName ? imageVersion(before) : t.image,
        after: sameName ? imageVersion(after) : s.image,
        beforeValue: t.image,
        afterValue: s.image,
      };
      Object.assign(change, planImageEdit(ctx, target, t, s));
      changes.push(change);
    }
  }
  return changes;
}

/** A file the source environment does not read: editing it cannot change the source. */
function targetOnly(ctx: PlanContext, file: string): boolean {
  if (!isWithin(file, ctx.index.root)) return false;
  if (ctx.sourceRender.filesRead.has(file)) return false;
  return !ctx.sourceEnv.dirs.some((dir) => isWithin(file, dir)) && !ctx.sourceEnv.kustomizations.some((k) => k.place.file === file);
}

interface ImagesLocation {
  file: string;
  documentIndex: number;
  mapPath: Array<string | number>;
}

/** Where the target's own `images:` list for this object lives: its overlay kustomization, else its Flux Kustomization. */
function imagesLocation(ctx: PlanContext, target: RenderedObject): ImagesLocation | undefined {
  const dir = target.overlay ?? (target.appliedBy ? resolveSpecPath(ctx.index.root, target.appliedBy.path) : undefined);
  if (dir) {
    const found = findKustomizationFile(ctx.index.fs, dir);
    if (found.found === 'one' && targetOnly(ctx, found.file)) return { file: found.file, documentIndex: 0, mapPath: [] };
  }
  const ks = target.appliedBy;
  if (ks && targetOnly(ctx, ks.place.file)) return { file: ks.place.file, documentIndex: ks.place.documentIndex, mapPath: ['spec'] };
  return undefined;
}

function listAt(value: Json | undefined, at: ReadonlyArray<string | number>): Json[] | undefined {
  const list = getPath(value, at);
  return Array.isArray(list) ? list : undefined;
}

/** The images entry in `file` named `entryName` (the transformer's step says `images[<name>]`). */
function findImagesEntry(
  ctx: PlanContext,
  file: string,
  entryName: string,
  near?: Range,
): { documentIndex: number; mapPath: Array<string | number>; entryIndex: number } | undefined {
  const parsed = ctx.index.parsed(file);
  if (!parsed) return undefined;
  const candidates: Array<{ documentIndex: number; mapPath: Array<string | number>; entryIndex: number; range: Range }> = [];
  for (const doc of parsed.documents) {
    for (const mapPath of [[], ['spec']] as Array<Array<string | number>>) {
      const list = listAt(doc.value, [...mapPath, 'images']);
      list?.forEach((entry, i) => {
        if (isObject(entry) && entry.name === entryName)
          candidates.push({ documentIndex: doc.index, mapPath, entryIndex: i, range: doc.range });
      });
    }
  }
  const inside = near ? candidates.find((c) => c.range.start.line <= near.start.line && near.start.line <= c.range.end.line) : undefined;
  const chosen = inside ?? candidates[0];
  return chosen && { documentIndex: chosen.documentIndex, mapPath: chosen.mapPath, entryIndex: chosen.entryIndex };
}

function entrySettings(
  target: { name: string; tag: string; digest: string },
  source: { name: string; tag: string; digest: string },
): EditIntentSet | undefined {
  const set: EditIntentSet = {};
  if (source.name !== target.name) set.newName = source.name;
  if (source.tag !== '' && source.digest !== '') {
    set.newTag = source.tag;
    set.digest = source.digest;
  } else if (source.tag !== '') {
    set.newTag = source.tag;
    set.digest = null;
  } else if (source.digest !== '') {
    set.digest = source.digest;
    set.newTag = null;
  } else if (target.tag !== '' || target.digest !== '') return undefined;
  return set;
}

type EditIntentSet = Extract<EditIntent, { kind: 'imagesEntry' }>['set'];

function planImageEdit(
  ctx: PlanContext,
  target: RenderedObject,
  t: ContainerImage,
  s: ContainerImage,
): Pick<PromotionChange, 'edit' | 'note'> {
  const before = splitImage(t.image);
  const set = entrySettings(before, splitImage(s.image));
  const origin = originAt(target.resource, t.path);
  const rel = (file: string) => path.posix.relative(ctx.index.root, file);
  if (origin?.kind === 'substitution') {
    return { note: `the image is set by postBuild substitution in ${rel(origin.file)}; change the variable by hand` };
  }
  if (set) {
    const stepName = /^images\[(.*)\]$/.exec(origin?.step ?? '')?.[1];
    if (origin?.kind === 'transformer' && stepName !== undefined && targetOnly(ctx, origin.file)) {
      const entry = findImagesEntry(ctx, origin.file, stepName, origin.range);
      if (entry) {
        return {
          edit: { kind: 'imagesEntry', file: origin.file, ...entry, entryName: stepName, set },
          note: `images entry ${stepName} in ${rel(origin.file)}`,
        };
      }
    }
    const location = imagesLocation(ctx, target);
    if (location) {
      const existing = findImagesEntry(ctx, location.file, before.name);
      const sameDoc = existing && existing.documentIndex === location.documentIndex ? existing : undefined;
      return {
        edit: {
          kind: 'imagesEntry',
          file: location.file,
          documentIndex: location.documentIndex,
          mapPath: location.mapPath,
          ...(sameDoc ? { entryIndex: sameDoc.entryIndex } : {}),
          entryName: before.name,
          set,
        },
        note: `${sameDoc ? '' : 'new '}images entry ${before.name} in ${rel(location.file)}`,
      };
    }
  }
  const field = fieldEdit(ctx, target, t.path, t.image, s.image);
  if (field) return field;
  return {
    note: `no file that only ${ctx.targetRender.environment.name} reads sets this image; add an images entry to its overlay by hand`,
  };
}

// ---- fields set by a target patch or manifest --------------------------------------------------

/** The scalar's text in the file, unquoted, when `range` covers exactly one scalar. */
function scalarTextAt(text: string, range: Range): string | undefined {
  const lines = text.split('\n');
  if (range.start.line !== range.end.line) return undefined;
  const raw = (lines[range.start.line] ?? '').slice(range.start.character, range.end.character).replace(/\r$/, '');
  if (/^".*"$/.test(raw)) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return undefined;
    }
  }
  if (/^'.*'$/.test(raw)) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

/**
 * An in-place edit of the value where the target's own files write it: the target patch that set it,
 * or the object's own manifest when only the target reads it.
 */
function fieldEdit(
  ctx: PlanContext,
  target: RenderedObject,
  at: Array<string | number>,
  current: string,
  next: string,
): Pick<PromotionChange, 'edit' | 'note'> | undefined {
  const rel = (file: string) => path.posix.relative(ctx.index.root, file);
  const origin = target.resource.setBy.get(at.join('/')) ?? originAt(target.resource, at);
  if (origin) {
    if (origin.kind !== 'patch' || !origin.range || !targetOnly(ctx, origin.file)) return undefined;
    const text = ctx.index.text(origin.file);
    if (text === undefined || scalarTextAt(text, origin.range) !== current) return undefined;
    return {
      edit: { kind: 'replaceScalar', file: origin.file, range: origin.range, value: next },
      note: `the patch in ${rel(origin.file)}`,
    };
  }
  const source = target.resource.source;
  if (source.documentIndex < 0 || !targetOnly(ctx, source.file)) return undefined;
  const doc = ctx.index.parsed(source.file)?.documents[source.documentIndex];
  const range = doc?.locate(at);
  const text = ctx.index.text(source.file);
  if (!range || text === undefined || scalarTextAt(text, range) !== current) return undefined;
  return { edit: { kind: 'replaceScalar', file: source.file, range, value: next }, note: `${rel(source.file)}` };
}

/** A strategic merge patch in the target's overlay setting one field of one object. */
function patchEdit(
  ctx: PlanContext,
  target: RenderedObject,
  at: Array<string | number>,
  value: string,
): Pick<PromotionChange, 'edit' | 'note'> | undefined {
  const location = imagesLocation(ctx, target);
  if (!location || at.some((segment) => typeof segment === 'number')) return undefined;
  const object = target.object;
  const meta = isObject(object.metadata) ? object.metadata : {};
  let body: Json = value;
  for (let i = at.length - 1; i >= 0; i--) body = { [at[i] as string]: body };
  const patch: JsonObject = {
    apiVersion: String(object.apiVersion),
    kind: String(object.kind),
    metadata: { name: String(meta.name) },
    ...(body as JsonObject),
  };
  const { group, version } = splitApiVersion(String(object.apiVersion));
  return {
    edit: {
      kind: 'addPatch',
      ...location,
      patch,
      target: { ...(group ? { group } : {}), version, kind: String(object.kind), name: String(meta.name) },
    },
    note: `new patch in ${path.posix.relative(ctx.index.root, location.file)}`,
  };
}

function valueEdit(
  ctx: PlanContext,
  target: RenderedObject,
  at: Array<string | number>,
  current: string,
  next: string,
  what: string,
): Pick<PromotionChange, 'edit' | 'note'> {
  const origin = originAt(target.resource, at);
  if (origin?.kind === 'substitution')
    return {
      note: `${what} is set by postBuild substitution in ${path.posix.relative(ctx.index.root, origin.file)}; change the variable by hand`,
    };
  return (
    fieldEdit(ctx, target, at, current, next) ??
    patchEdit(ctx, target, at, next) ?? {
      note: `no file that only ${ctx.targetRender.environment.name} reads can set ${what}; edit it by hand`,
    }
  );
}

// ---- HelmRelease chart versions ----------------------------------------------------------------

const CHART_VERSION_PATH = ['spec', 'chart', 'spec', 'version'];

function chartChanges(ctx: PlanContext): PromotionChange[] {
  const isRelease = (o: JsonObject) =>
    o.kind === 'HelmRelease' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
  const changes: PromotionChange[] = [];
  for (const [source, target] of pairObjects(ctx.sourceRender.objects, ctx.targetRender.objects, isRelease)) {
    const before = getPath(target.object, CHART_VERSION_PATH);
    const after = getPath(source.object, CHART_VERSION_PATH);
    if (typeof after !== 'string' || after === '' || before === after) continue;
    const beforeText = typeof before === 'string' ? before : '';
    const name = String((target.object.metadata as JsonObject).name);
    const change: PromotionChange = {
      id: `chart:${objectKey(target.object)}`,
      kind: 'chart',
      workload: name,
      object: { kind: 'HelmRelease', name, ...(namespaceOf(target.object) ? { namespace: namespaceOf(target.object) } : {}) },
      path: CHART_VERSION_PATH,
      before: beforeText,
      after,
      beforeValue: beforeText,
      afterValue: after,
    };
    Object.assign(change, valueEdit(ctx, target, CHART_VERSION_PATH, beforeText, after, 'the chart version'));
    changes.push(change);
  }
  return changes;
}

// ---- GitRepository / OCIRepository refs --------------------------------------------------------

const REF_FIELDS: Record<string, readonly string[]> = {
  GitRepository: ['tag', 'semver', 'commit'],
  OCIRepository: ['tag', 'semver', 'digest'],
};

function sourceChanges(ctx: PlanContext, exclude: ReadonlyArray<{ namespace: string; name: string }>): PromotionChange[] {
  const isSource = (o: JsonObject) =>
    typeof o.kind === 'string' &&
    REF_FIELDS[o.kind] !== undefined &&
    typeof o.apiVersion === 'string' &&
    o.apiVersion.startsWith('source.toolkit.fluxcd.io/') &&
    !exclude.some((e) => {
      const meta = isObject(o.metadata) ? o.metadata : {};
      return meta.name === e.name && (meta.namespace ?? 'default') === e.namespace;
    });
  const changes: PromotionChange[] = [];
  for (const [source, target] of pairObjects(ctx.sourceRender.objects, ctx.targetRender.objects, isSource)) {
    const kind = String(target.object.kind);
    const fields = REF_FIELDS[kind];
    const name = String((target.object.metadata as JsonObject).name);
    for (const field of fields) {
      const at = ['spec', 'ref', field];
      const before = getPath(target.object, at);
      const after = getPath(source.object, at);
      if (typeof after !== 'string' || after === '' || before === after) continue;
      const beforeText = typeof before === 'string' ? before : '';
      const change: PromotionChange = {
        id: `source:${objectKey(target.object)}:${field}`,
        kind: 'source',
        workload: `${kind}/${name}`,
        object: { kind, name, ...(namespaceOf(target.object) ? { namespace: namespaceOf(target.object) } : {}) },
        path: at,
        before: beforeText,
        after,
        beforeValue: beforeText,
        afterValue: after,
      };
      const otherFields = fields.filter(
        (f) => f !== field && getPath(target.object, ['spec', 'ref', f]) !== getPath(source.object, ['spec', 'ref', f]),
      );
      if (otherFields.length > 0)
        change.note = `${kind} ${name} follows a different kind of ref in each environment (${otherFields.join(', ')}); edit its spec.ref by hand`;
      else Object.assign(change, valueEdit(ctx, target, at, beforeText, after, `spec.ref.${field}`));
      changes.push(change);
    }
  }
  return changes;
}
