// The kustomization.yaml kustomize-controller writes at spec.path before it runs kustomize build
// (fluxcd/pkg kustomize.Generator). When the folder has no kustomization file the controller makes
// one listing every Kubernetes YAML file below it (a sub-folder with its own kustomization file is
// one entry and is not walked into); it then decodes the kustomization (unknown fields dropped, as
// sigs.k8s.io/yaml does), writes the Flux spec into it (targetNamespace, namePrefix/nameSuffix
// replace; patches, components appended; images replace an entry of the same name or append;
// buildMetadata replaces, and is set for a file without resources) and writes it back. We do the
// same as text for an overlay buffer, and keep a map from each part of that text to where it was
// really written, so problems and origins can point there.
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import type { FileSystem } from '../kustomize/fs';
import { KUSTOMIZATION_FIELDS, KUSTOMIZATION_FILE_NAMES, findKustomizationFile, joinPath } from '../kustomize/kustomization';
import { isWithin, normalize } from '../kustomize/loader';
import { deepCopy, isObject } from '../kustomize/resource';
import type { Json, JsonObject, Place, Problem, Range } from '../kustomize/types';
import { parseYamlFile, parseYamlFileCached, type ParsedDocument, type ParseLimits } from '../kustomize/yaml/parse';
import { emitYaml } from '../kustomize/yaml/emit';
import type { FluxKustomization } from './objects';

export interface GenerateOptions {
  fs: FileSystem;
  /** Root of the source artifact (the repository); nothing outside it is read. */
  repoRoot: string;
  /** Bounds on the folder walk of a generated kustomization. */
  maxEntries?: number;
  maxDepth?: number;
  /** Bounds on each YAML file read while generating; defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
}

/** One part of the synthesized text and where it was really written. */
export interface SourceMapEntry {
  /** Path inside the synthesized kustomization, e.g. ['patches', 2] or ['namespace']. */
  path: Array<string | number>;
  place: Place;
}

export interface SynthesizedKustomization {
  /** The kustomization file the controller writes (an existing file keeps its name). */
  file: string;
  dir: string;
  text: string;
  /** True when spec.path held no kustomization file and the controller generated the resource list. */
  generated: boolean;
  sourceMap: SourceMapEntry[];
  /** Where anything in the synthesized file not covered by `sourceMap` is reported. */
  fallback: Place;
  problems: Problem[];
  filesRead: string[];
  /**
   * True when the controller's rewrite changes nothing kustomize reads (no field added, renamed or
   * dropped): `text` is then the file's own text, so positions need no mapping and the build is the
   * same one a preview of the folder makes.
   */
  verbatim?: boolean;
  /** The parse limits it was made with: `text` is parsed again with them to place what the build reports. */
  parseLimits?: Partial<ParseLimits>;
}

const DEFAULT_MAX_ENTRIES = 20_000;
const DEFAULT_MAX_DEPTH = 64;

function fluxPlace(ks: FluxKustomization, p: ReadonlyArray<string | number>): Place {
  const range = ks.place.rangeOf?.(p) ?? ks.place.range;
  return { file: ks.place.file, ...(range ? { range } : {}) };
}

/** The source-controller drops files matched by `.sourceignore` (at any depth) from the artifact. */
function sourceIgnoreAt(fs: FileSystem, dir: string, filesRead: string[]): Ignore | undefined {
  const file = joinPath(dir, '.sourceignore');
  const text = fs.readFile(file);
  if (text === undefined) return undefined;
  filesRead.push(file);
  return ignore().add(text);
}

interface ResourceListResult {
  /** Entries as the controller writes them: `./file.yaml`, `./sub/dir`. */
  entries: Array<{ entry: string; file: string }>;
  problems: Problem[];
  filesRead: string[];
}

/**
 * The resource list of a generated kustomization: a lexical walk of `dir` (like Go's filepath.Walk),
 * `.yaml`/`.yml` files that decode as Kubernetes objects, and sub-folders holding a kustomization
 * file as single entries. A YAML file that is not Kubernetes YAML fails the whole build, as on the cluster.
 */
export function generatedResourceList(
  dir: string,
  options: GenerateOptions,
  ignores: Array<{ base: string; rules: Ignore }> = [],
): ResourceListResult {
  const { fs } = options;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const out: ResourceListResult = { entries: [], problems: [], filesRead: [] };
  const repoRoot = normalize(options.repoRoot);
  const seen = new Set<string>();
  let visited = 0;
  const isIgnored = (scopes: Array<{ base: string; rules: Ignore }>, abs: string, isDir: boolean) =>
    scopes.some((s) => {
      const rel = path.posix.relative(s.base, abs);
      return rel !== '' && !rel.startsWith('..') && s.rules.ignores(isDir ? rel + '/' : rel);
    });
  // Recursion depth is bounded by maxDepth; the visit count bounds the total work.
  const walk = (current: string, depth: number, scopes: Array<{ base: string; rules: Ignore }>): void => {
    const real = normalize(fs.realPath(current));
    if (seen.has(real) || !isWithin(real, repoRoot)) return;
    seen.add(real);
    // The folder itself counts as read: a file added to it changes the generated kustomization.
    out.filesRead.push(current);
    const own = sourceIgnoreAt(fs, current, out.filesRead);
    const here = own ? [...scopes, { base: current, rules: own }] : scopes;
    for (const name of fs.readDir(current)) {
      if (++visited > maxEntries) {
        out.problems.push({
          code: 'flux-generate-too-many-files',
          severity: 'error',
          message: `more than ${maxEntries} entries under ${dir}; the generated kustomization is cut short`,
          file: dir,
        });
        return;
      }
      const abs = joinPath(current, name);
      if (name === '.git') continue;
      const kind = fs.kind(abs);
      if (kind === 'dir') {
        if (isIgnored(here, abs, true)) continue;
        if (findKustomizationFile(fs, abs).found !== 'none') {
          out.entries.push({ entry: './' + path.posix.relative(dir, abs), file: abs });
          continue;
        }
        if (depth + 1 > maxDepth) {
          out.problems.push({
            code: 'flux-generate-too-deep',
            severity: 'error',
            message: `folders nest deeper than ${maxDepth} levels under ${dir}`,
            file: abs,
          });
          continue;
        }
        walk(abs, depth + 1, here);
        continue;
      }
      if (kind !== 'file' || isIgnored(here, abs, false)) continue;
      const ext = path.posix.extname(name);
      if (ext !== '.yaml' && ext !== '.yml') continue;
      const text = fs.readFile(abs);
      if (text === undefined) continue;
      out.filesRead.push(abs);
      const problem = kubernetesYamlProblem(abs, text, options.parseLimits);
      if (problem) {
        out.problems.push(problem);
        continue;
      }
      out.entries.push({ entry: './' + path.posix.relative(dir, abs), file: abs });
    }
  };
  walk(dir, 0, ignores);
  return out;
}

/** Why the controller's resource factory would refuse this file, if it would. */
function kubernetesYamlProblem(file: string, text: string, parseLimits: Partial<ParseLimits> | undefined): Problem | undefined {
  const parsed = parseYamlFile(file, text, parseLimits);
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (error)
    return { ...error, code: 'flux-generate-invalid-yaml', message: `failed to decode Kubernetes YAML from ${file}: ${error.message}` };
  for (const doc of parsed.documents) {
    if (doc.value === null) continue;
    const v = doc.value;
    const ok = isObject(v) && typeof v.kind === 'string' && v.kind !== '' && typeof v.apiVersion === 'string' && v.apiVersion !== '';
    if (!ok) {
      return {
        code: 'flux-generate-not-kubernetes',
        severity: 'error',
        message: `failed to decode Kubernetes YAML from ${file}: missing Resource metadata. kustomize-controller generates a kustomization listing every .yaml file under spec.path, so this file fails the build: move it out, list resources in a kustomization.yaml, or add it to .sourceignore.`,
        file,
        range: doc.range,
      };
    }
  }
  return undefined;
}

/** Go's encoding/json matches field names case-insensitively; anything else is dropped by the controller's decode. */
const fieldByLowerCase = new Map(Object.keys(KUSTOMIZATION_FIELDS).map((f) => [f.toLowerCase(), f]));

/** `spec.path` joined to the source root the way securejoin does it: `..` never climbs above the root. */
export function resolveSpecPath(repoRoot: string, specPath: string | undefined): string {
  const segments: string[] = [];
  for (const seg of (specPath ?? '').replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const root = normalize(repoRoot);
  return segments.length === 0 ? root : joinPath(root, segments.join('/'));
}

function isLocalRelativePath(p: string): boolean {
  return !path.posix.isAbsolute(p) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith('git@') && !p.startsWith('github.com/');
}

/**
 * The kustomization the controller builds for `ks` at `dir`: the existing file rewritten with the
 * Flux spec fields, or a generated one.
 */
export function synthesizeKustomization(ks: FluxKustomization, dir: string, options: GenerateOptions): SynthesizedKustomization {
  const { fs } = options;
  const problems: Problem[] = [];
  const filesRead: string[] = [];
  const sourceMap: SourceMapEntry[] = [];
  const fallback = fluxPlace(ks, ['spec', 'path']);
  const lookup = findKustomizationFile(fs, dir);
  let fields: JsonObject = {};
  let file = joinPath(dir, KUSTOMIZATION_FILE_NAMES[0]);
  let generated = false;
  let original: string | undefined;

  if (lookup.found === 'many') {
    problems.push({
      code: 'multiple-kustomizations',
      severity: 'error',
      message: `Found multiple kustomization files under: ${dir}`,
      file: lookup.files[1],
    });
    return { file: lookup.files[0], dir, text: '', generated, sourceMap, fallback, problems, filesRead };
  }
  if (lookup.found === 'one') {
    file = lookup.file;
    const text = fs.readFile(file) ?? '';
    filesRead.push(file);
    // Cached: the same kustomization is synthesized for every render; its values are copied before use.
    const parsed = parseYamlFileCached(file, text, options.parseLimits);
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) return { file, dir, text: '', generated, sourceMap, fallback, problems: errors, filesRead };
    const doc: ParsedDocument | undefined = parsed.documents.find((d) => d.value !== null);
    if (doc && !isObject(doc.value)) {
      problems.push({
        code: 'invalid-kustomization',
        severity: 'error',
        message: 'invalid Kustomization: the file must hold a map of fields',
        file,
        range: doc.range,
      });
      return { file, dir, text: '', generated, sourceMap, fallback, problems, filesRead };
    }
    const value = doc && isObject(doc.value) ? doc.value : {};
    const faithful =
      parsed.documents.filter((d) => d.value !== null).length === 1 &&
      typeof value.apiVersion === 'string' &&
      typeof value.kind === 'string' &&
      Object.entries(value).every(([key, v]) => v !== null && fieldByLowerCase.get(key.toLowerCase()) === key);
    if (faithful) original = text;
    for (const [key, v] of Object.entries(value)) {
      const known = fieldByLowerCase.get(key.toLowerCase());
      const keyRange = doc?.locate([key], { key: true });
      if (!known) {
        // kustomize alone would refuse the file; the controller's lenient decode silently drops the field.
        problems.push({
          code: 'flux-kustomization-field-dropped',
          severity: 'warning',
          message: `unknown field "${key}" is dropped by kustomize-controller when it rewrites this kustomization (kubectl kustomize would fail on it). Remove it or fix its spelling.`,
          file,
          ...(keyRange ? { range: keyRange } : {}),
        });
        continue;
      }
      if (v === null) continue;
      fields[known] = deepCopy(v);
      const place = (p: Array<string | number>): Place => {
        const range = doc?.locate(p) ?? keyRange;
        return { file, ...(range ? { range } : {}) };
      };
      sourceMap.push({ path: [known], place: place([key]) });
      if (Array.isArray(v)) v.forEach((_, i) => sourceMap.push({ path: [known, i], place: place([key, i]) }));
    }
  } else {
    generated = true;
    const list = generatedResourceList(dir, options, ancestorIgnores(fs, options.repoRoot, dir, filesRead));
    problems.push(...list.problems);
    filesRead.push(...list.filesRead);
    fields = { resources: list.entries.map((e) => e.entry) };
    list.entries.forEach((e, i) => sourceMap.push({ path: ['resources', i], place: { file: e.file } }));
  }
  fields.apiVersion ??= 'kustomize.config.k8s.io/v1beta1';
  fields.kind ??= 'Kustomization';
  const fileBuildMetadata = fields.buildMetadata;
  if (!generated && (!Array.isArray(fields.resources) || fields.resources.length === 0)) {
    // The generator replaces the file's buildMetadata of an existing kustomization without resources, "to avoid
    // 'kustomization.yaml is empty'": every object it builds is applied with its origin annotation (fluxcd/pkg
    // kustomize/kustomize_generator.go GenerateManifest: v1.35.4 as kustomize-controller v1.9.4 pins it; the
    // fallback is also in v1.27.2, Flux 2.8's).
    fields.buildMetadata = ['originAnnotations'];
    replaceBuildMetadataEntries(sourceMap, [{ path: ['buildMetadata'], place: { file } }]);
  }

  // The Flux spec, written into the kustomization in the controller's order.
  if (ks.targetNamespace !== undefined) {
    setScalar(fields, 'namespace', ks.targetNamespace);
    sourceMap.push({ path: ['namespace'], place: fluxPlace(ks, ['spec', 'targetNamespace']) });
  }
  if (ks.namePrefix !== undefined) {
    setScalar(fields, 'namePrefix', ks.namePrefix);
    sourceMap.push({ path: ['namePrefix'], place: fluxPlace(ks, ['spec', 'namePrefix']) });
  }
  if (ks.nameSuffix !== undefined) {
    setScalar(fields, 'nameSuffix', ks.nameSuffix);
    sourceMap.push({ path: ['nameSuffix'], place: fluxPlace(ks, ['spec', 'nameSuffix']) });
  }
  ks.patches.forEach((p, i) => {
    const at = ['spec', 'patches', i];
    if (!isObject(p) || typeof p.patch !== 'string') {
      problems.push({
        code: 'flux-patch-invalid',
        severity: 'error',
        message: `spec.patches[${i}] needs a patch: an inline strategic merge or JSON 6902 patch as text.`,
        ...fluxPlace(ks, at),
      });
      return;
    }
    const entry: JsonObject = { patch: p.patch };
    if (isObject(p.target)) entry.target = deepCopy(p.target);
    appendEntry(fields, 'patches', entry, sourceMap, fluxPlace(ks, at));
  });
  ks.components.forEach((c, i) => {
    const at = ['spec', 'components', i];
    if (!isLocalRelativePath(c)) {
      problems.push({
        code: 'flux-component-not-local',
        severity: 'error',
        message: `component path '${c}' must be local`,
        ...fluxPlace(ks, at),
      });
      return;
    }
    if (ks.ignoreMissingComponents && !fs.kind(normalize(path.posix.join(dir, c)))) return;
    appendEntry(fields, 'components', c, sourceMap, fluxPlace(ks, at));
  });
  ks.legacyPatches.strategicMerge.forEach((p, i) => {
    // The controller writes each object patch as inline text, which kustomize accepts in this list.
    appendEntry(
      fields,
      'patchesStrategicMerge',
      JSON.stringify(toPlain(p)),
      sourceMap,
      fluxPlace(ks, ['spec', 'patchesStrategicMerge', i]),
    );
  });
  ks.legacyPatches.json6902.forEach((p, i) => {
    const at = ['spec', 'patchesJson6902', i];
    if (!isObject(p)) return;
    const entry: JsonObject = { patch: JSON.stringify(toPlain(p.patch ?? [])) };
    if (isObject(p.target)) entry.target = deepCopy(p.target);
    appendEntry(fields, 'patchesJson6902', entry, sourceMap, fluxPlace(ks, at));
  });
  ks.images.forEach((img, i) => {
    const at = ['spec', 'images', i];
    if (!isObject(img) || typeof img.name !== 'string') {
      problems.push({
        code: 'flux-image-invalid',
        severity: 'error',
        message: `spec.images[${i}] needs a name: the image to replace.`,
        ...fluxPlace(ks, at),
      });
      return;
    }
    const entry: JsonObject = { name: img.name };
    for (const k of ['newName', 'newTag', 'digest'] as const) if (typeof img[k] === 'string' && img[k] !== '') entry[k] = img[k];
    const list = Array.isArray(fields.images) ? fields.images : (fields.images = []);
    const existing = list.findIndex((e) => isObject(e) && e.name === img.name);
    if (existing >= 0) {
      list[existing] = entry;
      replaceMapEntries(sourceMap, ['images', existing], fluxPlace(ks, at));
    } else appendEntry(fields, 'images', entry, sourceMap, fluxPlace(ks, at));
  });

  // Flux 2.9's spec.buildMetadata, written last (same GenerateManifest): when it lists anything it replaces the
  // file's list or the fallback above (no merge, so a file's managedByLabel is dropped); an empty list changes nothing.
  if (ks.buildMetadata.length > 0) {
    fields.buildMetadata = [...ks.buildMetadata];
    replaceBuildMetadataEntries(sourceMap, [
      { path: ['buildMetadata'], place: fluxPlace(ks, ['spec', 'buildMetadata']) },
      ...ks.buildMetadata.map((_, i) => ({ path: ['buildMetadata', i], place: fluxPlace(ks, ['spec', 'buildMetadata', i]) })),
    ]);
  }

  const addsNothing =
    JSON.stringify(fields.buildMetadata) === JSON.stringify(fileBuildMetadata) &&
    ks.targetNamespace === undefined &&
    ks.namePrefix === undefined &&
    ks.nameSuffix === undefined &&
    ks.patches.length === 0 &&
    ks.components.length === 0 &&
    ks.legacyPatches.strategicMerge.length === 0 &&
    ks.legacyPatches.json6902.length === 0 &&
    ks.images.length === 0;
  const limits = options.parseLimits ? { parseLimits: options.parseLimits } : {};
  if (original !== undefined && addsNothing)
    return { file, dir, text: original, generated, sourceMap: [], fallback, problems, filesRead, verbatim: true, ...limits };
  return { file, dir, text: emitYaml(fields), generated, sourceMap, fallback, problems, filesRead, ...limits };
}

/**
 * What source-controller leaves out of every artifact before any `.sourceignore` (fluxcd/pkg
 * sourceignore: VCS files, images and archives, CI configs, `.sops.yaml`, `.goreleaser.yml`, `.flux.yaml`).
 */
export const SOURCE_CONTROLLER_DEFAULT_IGNORES = [
  '.git/',
  '.gitignore',
  '.gitmodules',
  '.gitattributes',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];

/** `.sourceignore` files from the repository root down to (not including) `dir` also apply below it. */
function ancestorIgnores(fs: FileSystem, repoRoot: string, dir: string, filesRead: string[]): Array<{ base: string; rules: Ignore }> {
  const root = normalize(repoRoot);
  const out: Array<{ base: string; rules: Ignore }> = [{ base: root, rules: ignore().add(SOURCE_CONTROLLER_DEFAULT_IGNORES) }];
  if (!isWithin(dir, root) || dir === root) return out;
  const rel = path.posix.relative(root, dir).split('/');
  let cur = root;
  for (let i = 0; i < rel.length; i++) {
    const rules = sourceIgnoreAt(fs, cur, filesRead);
    if (rules) out.push({ base: cur, rules });
    cur = joinPath(cur, rel[i]);
  }
  return out;
}

/** Values that came from YAML may hold bigints; JSON text needs them as plain numbers. */
function toPlain(v: Json | undefined): unknown {
  return JSON.parse(JSON.stringify(v ?? null, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)));
}

function setScalar(fields: JsonObject, key: string, value: string): void {
  if (value === '') delete fields[key];
  else fields[key] = value;
}

function appendEntry(fields: JsonObject, key: string, entry: Json, sourceMap: SourceMapEntry[], place: Place): void {
  const list = Array.isArray(fields[key]) ? (fields[key] as Json[]) : (fields[key] = []);
  list.push(entry);
  sourceMap.push({ path: [key, list.length - 1], place });
}

function replaceMapEntries(sourceMap: SourceMapEntry[], p: Array<string | number>, place: Place): void {
  const key = p.join('/');
  for (let i = sourceMap.length - 1; i >= 0; i--) if (sourceMap[i].path.join('/') === key) sourceMap.splice(i, 1);
  sourceMap.push({ path: p, place });
}

function replaceBuildMetadataEntries(sourceMap: SourceMapEntry[], entries: SourceMapEntry[]): void {
  for (let i = sourceMap.length - 1; i >= 0; i--) if (sourceMap[i].path[0] === 'buildMetadata') sourceMap.splice(i, 1);
  sourceMap.push(...entries);
}

/**
 * Maps a range in the synthesized text to where that part was written: the deepest source-map entry
 * whose synthesized range holds it; else the fallback (the Flux Kustomization's spec.path).
 */
interface LocatedEntry {
  depth: number;
  place: Place;
  value?: Range;
  key?: Range;
}

// Per synthesized kustomization: where each source-map entry sits (located once), and the answers already
// given. Every origin of every rendered object asks; without these, a large overlay's build spends most of its
// time locating the same entries again (quadratic in the number of resources entries).
const locatedEntries = new WeakMap<SynthesizedKustomization, LocatedEntry[]>();
const placesAnswered = new WeakMap<SynthesizedKustomization, Map<string, Place>>();

function locateEntries(synth: SynthesizedKustomization): LocatedEntry[] {
  let entries = locatedEntries.get(synth);
  if (entries) return entries;
  const doc = parseYamlFileCached(synth.file, synth.text, synth.parseLimits).documents.find((d) => d.value !== null);
  entries = !doc
    ? []
    : synth.sourceMap.map((entry) => {
        const key = entry.path.length === 1 ? doc.locate(entry.path, { key: true }) : undefined;
        const value = doc.locate(entry.path) ?? key;
        return { depth: entry.path.length, place: entry.place, ...(value ? { value } : {}), ...(key ? { key } : {}) };
      });
  locatedEntries.set(synth, entries);
  return entries;
}

export function placeInSource(synth: SynthesizedKustomization, range: Range | undefined): Place {
  if (!range) return synth.fallback;
  let answered = placesAnswered.get(synth);
  if (!answered) placesAnswered.set(synth, (answered = new Map()));
  const at = `${range.start.line}:${range.start.character}`;
  const known = answered.get(at);
  if (known) return known;
  const contains = (outer: Range | undefined) =>
    outer !== undefined && compare(outer.start, range.start) <= 0 && compare(range.start, outer.end) <= 0;
  let best: { depth: number; place: Place } | undefined;
  for (const entry of locateEntries(synth)) {
    if ((contains(entry.value) || contains(entry.key)) && (!best || entry.depth > best.depth))
      best = { depth: entry.depth, place: entry.place };
  }
  const place = best?.place ?? synth.fallback;
  answered.set(at, place);
  return place;
}

function compare(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}
