// What the preview, origin and compare features share: which index a request is about, the rendered
// objects of a RenderTarget (from the index's cached renders), secrets masked, and the preview text with
// the line span of every object. The text is remembered per index version, so an origin lookup after a
// preview costs no second emit.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf } from '../flux/dependsOn';
import type { FluxKustomization } from '../flux/objects';
import { deepCopy, isObject } from '../kustomize/resource';
import type { Json, JsonObject, Problem, Range, Resource } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import type { RenderTarget } from '../protocol';
import { fileOfUri } from './cursor';
import { kustomizationInClusters } from './targets';

export const MASK = '***';

/** Bound on values visited when masking one object: hostile input must not stall a preview. */
const MAX_MASK_VISITS = 1_000_000;

export type Indexes = FleetIndex | readonly FleetIndex[];

export function indexList(indexes: Indexes): readonly FleetIndex[] {
  return Array.isArray(indexes) ? indexes : [indexes as FleetIndex];
}

function isWithinRoot(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith('/') ? root : root + '/');
}

/** The index holding a file (the deepest root wins when workspace folders nest). */
export function indexOfFile(indexes: Indexes, file: string): FleetIndex | undefined {
  let best: FleetIndex | undefined;
  for (const index of indexList(indexes))
    if (isWithinRoot(file, index.root) && (!best || index.root.length > best.root.length)) best = index;
  return best;
}

/** The first index with an environment of that name. */
/** The index holding environment `name`: the one of `workspaceFolder` (a URI) when given, else the first that has it. */
export function indexOfEnvironment(indexes: Indexes, name: string, workspaceFolder?: string): FleetIndex | undefined {
  return indexList(indexes).find(
    (index) => (workspaceFolder === undefined || fileOfUri(workspaceFolder) === index.root) && index.environment(name) !== undefined,
  );
}

export function relativeName(index: FleetIndex, file: string): string {
  const rel = path.posix.relative(index.root, file);
  return rel === '' ? path.posix.basename(file) : rel;
}

const SOPS_VALUE = /^ENC\[[\s\S]*\]$/;

/**
 * A copy of the object with secret values replaced by `***`: Secret data/stringData values (unless
 * revealed and not SOPS-encrypted), every SOPS `ENC[...]` value and the `sops:` metadata block. The
 * object itself is returned when there is nothing to hide, so its text stays kubectl's.
 */
export function maskSecrets(
  object: JsonObject,
  revealSecrets = false,
  secretValuePaths: ReadonlyArray<ReadonlyArray<string | number>> = [],
): JsonObject {
  const encrypted = object.sops !== undefined || containsEncryptedValue(object);
  const isSecret = object.kind === 'Secret' && (isObject(object.data) || isObject(object.stringData));
  const fromSecrets = revealSecrets ? [] : secretValuePaths;
  if (!encrypted && !(isSecret && !revealSecrets) && fromSecrets.length === 0) return object;
  const copy = deepCopy(object);
  // Values Flux substituted from a Secret into any object (a ConfigMap, an env value) are Secret data too.
  for (const p of fromSecrets) maskAt(copy, p);
  if (object.sops !== undefined) copy.sops = MASK;
  if (object.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const values = copy[field];
      if (!isObject(values)) continue;
      for (const key of Object.keys(values)) values[key] = MASK;
    }
  }
  if (encrypted) replaceEncryptedValues(copy);
  return copy;
}

function maskAt(root: JsonObject, at: ReadonlyArray<string | number>): void {
  let container: Json = root;
  for (let i = 0; i < at.length - 1; i++) {
    const next: Json | undefined = Array.isArray(container)
      ? container[at[i] as number]
      : isObject(container)
        ? container[at[i] as string]
        : undefined;
    if (next === undefined) return;
    container = next;
  }
  const last = at[at.length - 1];
  if (Array.isArray(container) && typeof last === 'number' && typeof container[last] === 'string') container[last] = MASK;
  else if (isObject(container) && typeof last === 'string' && typeof container[last] === 'string') container[last] = MASK;
}

function containsEncryptedValue(value: Json): boolean {
  const pending: Json[] = [value];
  for (let visits = 0; pending.length > 0 && visits < MAX_MASK_VISITS; visits++) {
    const v = pending.pop() as Json;
    if (typeof v === 'string') {
      if (SOPS_VALUE.test(v)) return true;
    } else if (Array.isArray(v)) pending.push(...v);
    else if (isObject(v)) pending.push(...Object.values(v));
  }
  // Too large to inspect fully: hiding is the safe answer.
  return pending.length > 0;
}

function replaceEncryptedValues(root: JsonObject): void {
  const pending: Array<JsonObject | Json[]> = [root];
  for (let visits = 0; pending.length > 0 && visits < MAX_MASK_VISITS; visits++) {
    const container = pending.pop() as JsonObject | Json[];
    const keys: Array<string | number> = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    for (const key of keys) {
      const v = (container as Record<string | number, Json>)[key];
      if (typeof v === 'string' && SOPS_VALUE.test(v)) (container as Record<string | number, Json>)[key] = MASK;
      else if (Array.isArray(v) || isObject(v)) pending.push(v);
    }
  }
}

/** One object of a preview: the resource as rendered, what was printed for it, and its lines. */
export interface PreviewObject {
  resource: Resource;
  /** The object as printed (secrets masked). */
  printed: JsonObject;
  /** `namespace/name` of the Flux Kustomization applying it. */
  appliedBy?: string;
  appliedByKustomization?: FluxKustomization;
  /** 0-based first and last line of the object in the text. */
  line: number;
  endLine: number;
}

export interface PreviewHeading {
  line: number;
  kustomization?: FluxKustomization;
  overlay?: string;
}

export interface PreviewModel {
  index: FleetIndex;
  yaml: string;
  title: string;
  problems: Problem[];
  objects: PreviewObject[];
  headings: PreviewHeading[];
}

interface Group {
  heading?: string;
  kustomization?: FluxKustomization;
  overlay?: string;
  resources: Resource[];
}

interface Gathered {
  index: FleetIndex;
  title: string;
  groups: Group[];
  problems: Problem[];
}

const cache = new WeakMap<FleetIndex, Map<string, { version: number; model: PreviewModel }>>();

/** The preview of a target (undefined when the target names nothing), cached per index version. */
export function previewModel(indexes: Indexes, target: RenderTarget, revealSecrets = false): PreviewModel | undefined {
  // A release's values are not objects: features/valuesPreview.ts lays them out.
  if (target.kind === 'helmReleaseValues') return undefined;
  const index =
    target.kind === 'environment'
      ? indexOfEnvironment(indexes, target.name, target.workspaceFolder)
      : indexOfFile(indexes, fileOfUri(target.uri) ?? '');
  if (!index) return undefined;
  const key = `${JSON.stringify(target)}\n${revealSecrets}`;
  let perIndex = cache.get(index);
  if (!perIndex) cache.set(index, (perIndex = new Map()));
  const hit = perIndex.get(key);
  if (hit && hit.version === index.version) return hit.model;
  const gathered = gather(index, target);
  if (!gathered) return undefined;
  const model = layout(gathered, revealSecrets);
  perIndex.set(key, { version: index.version, model });
  return model;
}

function gather(index: FleetIndex, target: RenderTarget): Gathered | undefined {
  if (target.kind === 'environment') {
    const env = index.environment(target.name);
    if (!env) return undefined;
    const render = index.renderEnvironment(env);
    const groups: Group[] = [];
    if (env.kind === 'flux') {
      const byKey = new Map<string, Group>();
      for (const { kustomization } of render.kustomizations) {
        const key = keyOf(kustomization);
        if (byKey.has(key)) continue;
        const group: Group = { heading: `# Kustomization: ${key}`, kustomization, resources: [] };
        byKey.set(key, group);
        groups.push(group);
      }
      for (const o of render.objects) {
        const key = o.appliedBy ? keyOf(o.appliedBy) : '';
        let group = byKey.get(key);
        if (!group) {
          group = { ...(o.appliedBy ? { heading: `# Kustomization: ${key}`, kustomization: o.appliedBy } : {}), resources: [] };
          byKey.set(key, group);
          groups.push(group);
        }
        group.resources.push(o.resource);
      }
    } else {
      const byDir = new Map<string, Group>();
      for (const o of render.objects) {
        const dir = o.overlay ?? '';
        let group = byDir.get(dir);
        if (!group) {
          group = { heading: `# Overlay: ${relativeName(index, dir)}`, overlay: dir, resources: [] };
          byDir.set(dir, group);
          groups.push(group);
        }
        group.resources.push(o.resource);
      }
    }
    return { index, title: `${env.name} (rendered environment)`, groups, problems: render.problems };
  }
  const file = fileOfUri(target.uri);
  if (!file) return undefined;
  if (target.kind === 'folder') {
    const dir = index.fs.kind(file) === 'file' ? path.posix.dirname(file) : file;
    if (index.fs.kind(dir) !== 'dir') return undefined;
    const render = index.renderFolder(dir);
    return { index, title: `${relativeName(index, dir)} (rendered)`, groups: [{ resources: render.resources }], problems: render.problems };
  }
  const found = index.fluxObjects().list.find((o) => o.file === file && o.documentIndex === target.documentIndex);
  // The cluster's render knows the ConfigMaps/Secrets substituteFrom reads; a lone render does not. It also
  // holds the Kustomizations no document spells out, placed at what makes them: a FluxInstance's sync, or the
  // HelmRelease of the flux-instance chart whose values hold that sync.
  const inCluster = kustomizationInClusters(index, file, target.documentIndex)[0];
  const written = found?.object.kind === 'Kustomization' ? found.object : undefined;
  const ks = inCluster?.ks ?? written;
  if (!ks) return undefined;
  const result =
    inCluster?.view.kustomizations.get(inCluster.key)?.result ?? (found && written ? index.renderFluxKustomization(found) : undefined);
  if (!result) return undefined;
  return {
    index,
    title: `Kustomization ${keyOf(ks)} (rendered)`,
    groups: [{ kustomization: ks, resources: result.resources }],
    problems: result.problems,
  };
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Documents are joined like kubectl's output (`---` between objects); an environment's groups start
 * with a comment naming the Kustomization. A render that printed nothing shows its errors as comments.
 */
function layout(gathered: Gathered, revealSecrets: boolean): PreviewModel {
  const parts: string[] = [];
  const objects: PreviewObject[] = [];
  const headings: PreviewHeading[] = [];
  let line = 0;
  let first = true;
  const push = (text: string) => {
    parts.push(text);
    line += lineCount(text);
  };
  let pendingHeadings: Array<{ text: string; group: Group }> = [];
  const flushHeadings = () => {
    for (const { text, group } of pendingHeadings) {
      headings.push({
        line,
        ...(group.kustomization ? { kustomization: group.kustomization } : {}),
        ...(group.overlay ? { overlay: group.overlay } : {}),
      });
      push(text + '\n');
    }
    pendingHeadings = [];
  };
  for (const group of gathered.groups) {
    if (group.heading)
      pendingHeadings.push({ text: group.resources.length === 0 ? `${group.heading} (no objects)` : group.heading, group });
    for (const resource of group.resources) {
      if (!first) push('---\n');
      first = false;
      flushHeadings();
      const printed = maskSecrets(resource.object, revealSecrets, resource.secretValuePaths);
      const text = emitYaml(printed);
      const start = line;
      push(text);
      objects.push({
        resource,
        printed,
        ...(group.kustomization ? { appliedBy: keyOf(group.kustomization), appliedByKustomization: group.kustomization } : {}),
        line: start,
        endLine: line - 1,
      });
    }
  }
  flushHeadings();
  if (objects.length === 0) {
    for (const p of gathered.problems)
      if (p.severity === 'error') push(`# error: ${p.message.replace(/\r?\n/g, ' ')} (${relativeName(gathered.index, p.file)})\n`);
  }
  return { index: gathered.index, yaml: parts.join(''), title: gathered.title, problems: gathered.problems, objects, headings };
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
