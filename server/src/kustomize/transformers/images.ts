// The `images` field: rewrites container image references (name, tag, digest). Like kustomize v5.5 it
// looks at every `containers`/`initContainers` list anywhere in any object (so CronJobs and custom
// resources work), then at the image field specs.
import type { FieldSlot, FieldSpec } from '../fieldspec';
import { visitFieldSpecs } from '../fieldspec';
import { isObject, recordOrigin } from '../resource';
import type { Transformer, StepConfig } from '../transformer';
import type { Json, JsonObject, Origin, Resource } from '../types';

/** kustomize v5.5's image field specs (pod specs and pod templates; image volumes are not included). */
export const IMAGE_FIELD_SPECS: readonly FieldSpec[] = [
  { path: 'spec/containers[]/image' },
  { path: 'spec/initContainers[]/image' },
  { path: 'spec/template/spec/containers[]/image' },
  { path: 'spec/template/spec/initContainers[]/image' },
];

export interface ImagesConfig extends StepConfig {
  images: JsonObject[];
  /** Extra image paths from `configurations:` files. */
  fieldSpecs?: FieldSpec[];
}

interface ImageRule {
  name: string;
  newName: string;
  newTag: string;
  digest: string;
  matcher: RegExp;
  /** What the rule records as the origin of every image it rewrites. */
  origin: Origin;
}

const MAX_DEPTH = 100;

function text(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/**
 * Splits an image reference into name, tag and digest like kustomize: a `:` before the first `/` is
 * a registry port, not a tag.
 */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  let at = search.indexOf('@');
  let colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    at += offset;
    return { name: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    at += offset;
    colon += offset;
    return { name: image.slice(0, colon), tag: image.slice(colon + 1, at), digest: image.slice(at + 1) };
  }
  colon += offset;
  return { name: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
}

/**
 * kustomize matches `name` as a regular expression (unescaped) followed by an optional tag and digest;
 * so `nginx` matches `nginx:1.25` but not `docker.io/nginx`. An invalid expression matches nothing
 * (kustomize crashes on it).
 */
function compileMatcher(name: string): RegExp | undefined {
  try {
    return new RegExp('^' + name + '(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$');
  } catch {
    return undefined;
  }
}

export function isImageMatched(image: string, name: string): boolean {
  return compileMatcher(name)?.test(image) ?? false;
}

/** The new reference, or undefined when the rule does not apply. */
function rewrite(image: string, rule: ImageRule): string | undefined {
  if (!rule.matcher.test(image)) return undefined;
  let { name, tag, digest } = splitImage(image);
  if (rule.newName !== '') name = rule.newName;
  // Setting either a tag or a digest replaces both; setting both keeps both (`name:tag@digest`).
  if (rule.newTag !== '' && rule.digest !== '') {
    tag = rule.newTag;
    digest = rule.digest;
  } else if (rule.newTag !== '') {
    tag = rule.newTag;
    digest = '';
  } else if (rule.digest !== '') {
    tag = '';
    digest = rule.digest;
  }
  return name + (tag !== '' ? ':' + tag : '') + (digest !== '' ? '@' + digest : '');
}

function applyToContainerList(list: Json, path: Array<string | number>, resource: Resource, rule: ImageRule): void {
  if (!Array.isArray(list)) return;
  list.forEach((container, index) => {
    if (!isObject(container) || typeof container.image !== 'string') return;
    const next = rewrite(container.image, rule);
    if (next === undefined) return;
    container.image = next;
    path.push(index, 'image');
    recordOrigin(resource, path, rule.origin);
    path.length -= 2;
  });
}

/**
 * kustomize's legacy walk: every `containers`/`initContainers` list at any depth. `path` is one stack
 * pushed and popped on the way (it walks every value of every object, so no array per step); what
 * records an origin copies it.
 */
function walkContainers(node: Json, path: Array<string | number>, resource: Resource, rule: ImageRule, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      if (item === null || typeof item !== 'object') return;
      path.push(i);
      walkContainers(item, path, resource, rule, depth + 1);
      path.pop();
    });
    return;
  }
  if (!isObject(node)) return;
  for (const key of Object.keys(node)) {
    const value = node[key];
    path.push(key);
    if (key === 'containers' || key === 'initContainers') applyToContainerList(value, path, resource, rule);
    else if (value !== null && typeof value === 'object') walkContainers(value, path, resource, rule, depth + 1);
    path.pop();
  }
}

export const imagesTransformer: Transformer<ImagesConfig> = (resources, config, ctx) => {
  const specs = [...IMAGE_FIELD_SPECS, ...(config.fieldSpecs ?? [])].map((s) => ({ ...s, create: false }));
  for (const entry of config.images) {
    const name = text(entry.name);
    const matcher = compileMatcher(name);
    if (!matcher) {
      ctx.problems.push({
        code: 'invalid-image-name',
        severity: 'error',
        message: `images: name '${name}' is not a valid pattern (kustomize matches it as a regular expression)`,
        file: config.origin.file,
        range: config.origin.range,
      });
      continue;
    }
    const rule: ImageRule = {
      name,
      newName: text(entry.newName),
      newTag: text(entry.newTag),
      digest: text(entry.digest),
      matcher,
      origin: { ...config.origin, step: `images[${name}]` },
    };
    let resource: Resource;
    const visit = (slot: FieldSlot): void => {
      const value = slot.parent[slot.key];
      if (typeof value !== 'string') return;
      const next = rewrite(value, rule);
      if (next === undefined) return;
      slot.parent[slot.key] = next;
      recordOrigin(resource, slot.path, rule.origin);
    };
    for (resource of resources) {
      walkContainers(resource.object, [], resource, rule, 0);
      visitFieldSpecs(resource, specs, visit);
    }
  }
  return resources;
};
