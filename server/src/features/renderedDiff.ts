// "What does this change do to each environment?": every environment rendered at two revisions of the
// fleet (two indexes, each over its own file system: a git revision's tree, the disk, the editor's
// buffers) and compared per Flux Kustomization, per object. The two indexes share their folder builds
// (kept by the texts they read), so the second side re-renders only the folders whose inputs differ.
//
// Objects are matched by group, kind, namespace and name. One that another Kustomization applies at the
// other revision is a move, not a removal and an addition. Secret values are masked as in previews; when
// a masked value differs the object still counts as changed and its diff names the keys.
import { keyOf } from '../flux/dependsOn';
import type { EnvironmentRender, RenderedObject } from '../fleet/environmentRender';
import type { FleetIndex } from '../fleet/fleetIndex';
import { redactSecrets } from '../fleet/secrets';
import { isObject, resIdOf } from '../kustomize/resource';
import type { Json, JsonObject } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import { unifiedDiff } from '../util/unifiedDiff';
import { maskSecrets, relativeName } from './renderedText';

export type ObjectChangeKind = 'added' | 'removed' | 'changed' | 'moved';

export interface ObjectChange {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  change: ObjectChangeKind;
  /** Unified diff of the rendered YAML (Secret values masked); empty for a move that changed nothing else. */
  diff: string;
  /** For a move: the Kustomization (`namespace/name`, or the overlay folder) that applied it before. */
  movedFrom?: string;
  /** The rendered YAML at each side (masked), for an editor's diff view. */
  before?: string;
  after?: string;
}

export interface KustomizationChanges {
  /** The Flux Kustomization's name, or for an overlay environment the overlay folder (relative). */
  name: string;
  namespace: string;
  objects: ObjectChange[];
  /** Render errors at either side: the objects it did render are still compared. */
  errors?: { base?: string[]; head?: string[] };
}

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
  moved: number;
}

export interface EnvironmentChanges {
  name: string;
  /** Set when the environment exists at one side only. */
  onlyIn?: 'base' | 'head';
  counts: ChangeCounts;
  kustomizations: KustomizationChanges[];
}

export interface RenderedDiffSide {
  index: FleetIndex;
  /** What the user calls this side: a revision name, "work tree". */
  label: string;
  /** The commit, when the side is a commit. */
  commit?: string;
}

export interface RenderedDiffOptions {
  /** Only these environments (all when empty or unset). */
  environments?: readonly string[];
  revealSecrets?: boolean;
  /** Keep each object's YAML at both sides (an editor opens them in a diff view). */
  keepTexts?: boolean;
}

export interface RenderedDiff {
  base: string;
  head: string;
  baseCommit?: string;
  headCommit?: string;
  environments: EnvironmentChanges[];
}

interface Placed {
  owner: string;
  ownerNamespace: string;
  ownerName: string;
  object: RenderedObject;
}

/**
 * The comparison of two environment renders, kept while both renders are the ones the indexes hold: an
 * edit re-renders the environments it reaches, so the others are not compared again.
 */
const comparedRenders = new WeakMap<EnvironmentRender, WeakMap<EnvironmentRender, { key: string; value: EnvironmentChanges }>>();

/** The environments' names at either side, in the head's promotion order, then those only the base has. */
export function environmentNames(base: FleetIndex, head: FleetIndex): string[] {
  const names = head.environments().environments.map((e) => e.name);
  for (const e of base.environments().environments) if (!names.includes(e.name)) names.push(e.name);
  return names;
}

export function diffRenderedFleets(base: RenderedDiffSide, head: RenderedDiffSide, options: RenderedDiffOptions = {}): RenderedDiff {
  const wanted = options.environments && options.environments.length > 0 ? new Set(options.environments) : undefined;
  const environments: EnvironmentChanges[] = [];
  for (const name of environmentNames(base.index, head.index)) {
    if (wanted && !wanted.has(name)) continue;
    environments.push(diffEnvironment(name, base.index, head.index, options));
  }
  return {
    base: base.label,
    head: head.label,
    ...(base.commit ? { baseCommit: base.commit } : {}),
    ...(head.commit ? { headCommit: head.commit } : {}),
    environments,
  };
}

/** One environment at both sides. */
export function diffEnvironment(name: string, base: FleetIndex, head: FleetIndex, options: RenderedDiffOptions = {}): EnvironmentChanges {
  const baseEnv = base.environment(name);
  const headEnv = head.environment(name);
  const baseRender = baseEnv ? base.renderEnvironment(baseEnv) : undefined;
  const headRender = headEnv ? head.renderEnvironment(headEnv) : undefined;
  const optionsKey = `${options.revealSecrets ?? false}\n${options.keepTexts ?? false}`;
  if (baseRender && headRender) {
    const known = comparedRenders.get(baseRender)?.get(headRender);
    if (known?.key === optionsKey) return known.value;
  }
  const value = compareRenders(name, base, head, baseRender, headRender, options);
  if (baseRender && headRender) {
    let byHead = comparedRenders.get(baseRender);
    if (!byHead) comparedRenders.set(baseRender, (byHead = new WeakMap()));
    byHead.set(headRender, { key: optionsKey, value });
  }
  return value;
}

function compareRenders(
  name: string,
  base: FleetIndex,
  head: FleetIndex,
  baseRender: EnvironmentRender | undefined,
  headRender: EnvironmentRender | undefined,
  options: RenderedDiffOptions,
): EnvironmentChanges {
  const baseEnv = baseRender?.environment;
  const headEnv = headRender?.environment;
  const reveal = options.revealSecrets ?? false;
  const before = placeObjects(base, baseRender);
  const after = placeObjects(head, headRender);
  const groups = new Map<string, KustomizationChanges>();
  const groupOf = (p: { owner: string; ownerNamespace: string; ownerName: string }) => {
    let group = groups.get(p.owner);
    if (!group) groups.set(p.owner, (group = { name: p.ownerName, namespace: p.ownerNamespace, objects: [] }));
    return group;
  };
  // Kustomizations in the head's dependsOn order, then the ones only the base applies.
  for (const render of [headRender, baseRender]) {
    for (const k of render?.kustomizations ?? []) groupOf(ownerOfKustomization(k.kustomization));
  }
  const counts: ChangeCounts = { added: 0, changed: 0, removed: 0, moved: 0 };
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      const text = shown(old.object, reveal);
      groupOf(old).objects.push(change(old.object, 'removed', unifiedDiff(text, ''), options, text, undefined));
      counts.removed++;
      continue;
    }
    const moved = now.owner !== old.owner;
    if (!moved && sameJson(now.object.object, old.object.object)) continue;
    const beforeText = shown(old.object, reveal);
    const afterText = shown(now.object, reveal);
    let diff = unifiedDiff(beforeText, afterText);
    const hidden = maskedChanges(old.object.object, now.object.object, reveal);
    if (hidden.length > 0) diff += `# masked values changed: ${hidden.join(', ')}\n`;
    const entry = change(now.object, moved ? 'moved' : 'changed', diff, options, beforeText, afterText);
    if (moved) entry.movedFrom = old.owner;
    groupOf(now).objects.push(entry);
    counts[moved ? 'moved' : 'changed']++;
  }
  for (const [key, now] of after) {
    if (before.has(key)) continue;
    const text = shown(now.object, reveal);
    groupOf(now).objects.push(change(now.object, 'added', unifiedDiff('', text), options, undefined, text));
    counts.added++;
  }
  addErrors(groups, base, baseRender, 'base');
  addErrors(groups, head, headRender, 'head');
  const kustomizations = [...groups.values()].filter((g) => g.objects.length > 0 || g.errors);
  for (const k of kustomizations) k.objects.sort(byId);
  return {
    name,
    ...(baseEnv && !headEnv ? { onlyIn: 'base' as const } : !baseEnv && headEnv ? { onlyIn: 'head' as const } : {}),
    counts,
    kustomizations,
  };
}

function ownerOfKustomization(k: { namespace: string; name: string }): { owner: string; ownerNamespace: string; ownerName: string } {
  return { owner: keyOf(k), ownerNamespace: k.namespace, ownerName: k.name };
}

function placeObjects(index: FleetIndex, render: EnvironmentRender | undefined): Map<string, Placed> {
  const placed = new Map<string, Placed>();
  for (const object of render?.objects ?? []) {
    const owner = object.appliedBy
      ? ownerOfKustomization(object.appliedBy)
      : { owner: object.overlay ? relativeName(index, object.overlay) : '', ownerNamespace: '', ownerName: '' };
    if (!object.appliedBy) owner.ownerName = owner.owner;
    const id = resIdOf(object.object);
    const base = `${id.group}/${id.kind}/${id.namespace}/${id.name}`;
    let key = base;
    // The same object applied twice (a finding of its own) is still compared copy by copy.
    for (let n = 2; placed.has(key) && n < 10_000; n++) key = `${base}#${n}`;
    placed.set(key, { ...owner, object });
  }
  return placed;
}

/** Deep equality of two JSON values; an object's key order does not count (the YAML is emitted sorted). */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObject(a)) {
    if (!isObject(b) || Array.isArray(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

function shown(object: RenderedObject, reveal: boolean): string {
  return emitYaml(maskSecrets(object.object, reveal, object.resource.secretValuePaths));
}

/** Secret keys whose values differ while both sides show `***`. */
function maskedChanges(before: JsonObject, after: JsonObject, reveal: boolean): string[] {
  if (reveal || before.kind !== 'Secret' || after.kind !== 'Secret') return [];
  const out: string[] = [];
  for (const field of ['data', 'stringData']) {
    const a = isObject(before[field]) ? before[field] : {};
    const b = isObject(after[field]) ? after[field] : {};
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (key in a && key in b && a[key] !== b[key]) out.push(`${field}.${key}`);
    }
  }
  return out;
}

function change(
  object: RenderedObject,
  kind: ObjectChangeKind,
  diff: string,
  options: RenderedDiffOptions,
  before: string | undefined,
  after: string | undefined,
): ObjectChange {
  const id = resIdOf(object.object);
  return {
    apiVersion: typeof object.object.apiVersion === 'string' ? object.object.apiVersion : '',
    kind: id.kind,
    namespace: id.namespace,
    name: id.name,
    change: kind,
    diff,
    ...(options.keepTexts && before !== undefined ? { before } : {}),
    ...(options.keepTexts && after !== undefined ? { after } : {}),
  };
}

function addErrors(
  groups: Map<string, KustomizationChanges>,
  index: FleetIndex,
  render: EnvironmentRender | undefined,
  side: 'base' | 'head',
) {
  if (!render) return;
  const add = (owner: string, namespace: string, name: string, messages: string[]) => {
    if (messages.length === 0) return;
    let group = groups.get(owner);
    if (!group) groups.set(owner, (group = { name, namespace, objects: [] }));
    group.errors = { ...group.errors, [side]: messages.map((m) => redactSecrets([index], m)) };
  };
  if (render.kustomizations.length > 0) {
    for (const k of render.kustomizations) {
      const messages = k.result.problems.filter((p) => p.severity === 'error').map((p) => `${relativeName(index, p.file)}: ${p.message}`);
      add(keyOf(k.kustomization), k.kustomization.namespace, k.kustomization.name, messages);
    }
    return;
  }
  const messages = render.problems.filter((p) => p.severity === 'error').map((p) => `${relativeName(index, p.file)}: ${p.message}`);
  for (const dir of render.environment.dirs) {
    const owner = relativeName(index, dir);
    add(owner, '', owner, messages);
    break;
  }
}

function byId(a: ObjectChange, b: ObjectChange): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name);
}
