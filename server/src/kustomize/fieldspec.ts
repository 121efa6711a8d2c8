// kustomize's FieldSpec: "in objects of this group/version/kind, the value at this path". Transformers
// such as namespace, labels, prefix/suffix, images and replicas are configured by lists of them.
import { isObject } from './resource';
import type { Json, JsonObject, Resource } from './types';
import { splitApiVersion } from './resource';

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  /** Slash-separated; `name[]` marks a list, a list met without `[]` is walked too; `\/` escapes a slash. */
  path: string;
  /** Create the missing maps on the way and the value itself when absent. */
  create?: boolean;
}

/** Where a visitor stands: the map holding the field, and the field's key. */
export interface FieldSlot {
  parent: JsonObject;
  key: string;
  /**
   * Path of the value from the object's root, for origins. Valid during the visit only: the walk reuses
   * the array (and the slot), so a visitor that keeps it copies it.
   */
  path: Array<string | number>;
}

export function fieldSpecMatches(spec: FieldSpec, object: JsonObject): boolean {
  if (!spec.group && !spec.version && !spec.kind) return true;
  const { group, version } = splitApiVersion(typeof object.apiVersion === 'string' ? object.apiVersion : '');
  const kind = typeof object.kind === 'string' ? object.kind : '';
  return (
    (spec.group === undefined || spec.group === '' || spec.group === group) &&
    (spec.version === undefined || spec.version === '' || spec.version === version) &&
    (spec.kind === undefined || spec.kind === '' || spec.kind === kind)
  );
}

export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (c === '/') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

/**
 * Calls `visit` for every slot the spec reaches in `resource` (only when its GVK matches). With
 * `create`, missing maps on the way are made and the last slot is visited even when absent;
 * without it, only existing values are visited.
 */
export function visitFieldSpec(resource: Resource, spec: FieldSpec, visit: (slot: FieldSlot) => void): void {
  if (!fieldSpecMatches(spec, resource.object)) return;
  const steps = pathSteps(spec.path);
  const create = !!spec.create;
  // Most specs of a table name fields an object does not have: those end here, before any allocation.
  if (steps.length === 0 || (!create && !Object.prototype.hasOwnProperty.call(resource.object, steps[0].key))) return;
  // Visitors may start another walk (nested visits take the next slot), so slots come from a small stack.
  const slot = (slots[depth] ??= { parent: resource.object, key: '', path: [] });
  depth++;
  try {
    // Balanced pushes leave it empty; only a visitor that threw leaves something (and emptying an
    // array gives up its storage, so it is not done every time).
    if (slot.path.length > 0) slot.path.length = 0;
    walk(resource.object, steps, 0, slot, create, visit);
  } finally {
    depth--;
  }
}

const slots: FieldSlot[] = [];
let depth = 0;

export function visitFieldSpecs(resource: Resource, specs: readonly FieldSpec[], visit: (slot: FieldSlot) => void): void {
  for (const spec of specs) visitFieldSpec(resource, spec, visit);
}

interface PathStep {
  key: string;
  isList: boolean;
}

// Field specs are few and walked for every object of every render: split each path once.
const stepsByPath = new Map<string, PathStep[]>();

function pathSteps(path: string): PathStep[] {
  let steps = stepsByPath.get(path);
  if (!steps) {
    steps = splitFieldPath(path).map((raw) => (raw.endsWith('[]') ? { key: raw.slice(0, -2), isList: true } : { key: raw, isList: false }));
    if (stepsByPath.size >= 4096) stepsByPath.clear();
    stepsByPath.set(path, steps);
  }
  return steps;
}

/**
 * `slot.path` is one stack shared down the walk (pushed and popped), and `slot` one object filled in
 * for each visit: a field-spec walk runs for every object of every render, so it allocates nothing.
 */
function walk(node: Json, steps: PathStep[], i: number, slot: FieldSlot, create: boolean, visit: (slot: FieldSlot) => void): void {
  const path = slot.path;
  if (Array.isArray(node)) {
    for (let idx = 0; idx < node.length; idx++) {
      path.push(idx);
      walk(node[idx], steps, i, slot, create, visit);
      path.pop();
    }
    return;
  }
  if (!isObject(node)) return;
  const { key, isList } = steps[i];
  const last = i === steps.length - 1;
  if (last) {
    if (isList) {
      const list = node[key];
      if (!Array.isArray(list)) return;
      path.push(key);
      for (let idx = 0; idx < list.length; idx++) {
        path.push(idx);
        slot.parent = node;
        slot.key = key;
        visit(slot);
        path.pop();
      }
      path.pop();
      return;
    }
    if (Object.prototype.hasOwnProperty.call(node, key) || create) {
      path.push(key);
      slot.parent = node;
      slot.key = key;
      visit(slot);
      path.pop();
    }
    return;
  }
  let child = node[key];
  if (child === undefined || child === null) {
    // Lists are never invented: there would be no item to reach.
    if (!create || isList) return;
    child = {};
    node[key] = child;
  }
  path.push(key);
  walk(child, steps, i + 1, slot, create, visit);
  path.pop();
}
