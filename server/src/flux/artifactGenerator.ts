// An ArtifactGenerator (source.extensions.fluxcd.io/v1beta1, run by Flux's source-watcher) builds
// ExternalArtifacts by copying files out of other sources; a Kustomization with `sourceRef.kind:
// ExternalArtifact` then builds `spec.path` inside that artifact. To render such a Kustomization offline,
// each artifact becomes a virtual folder tree whose files are this repository's files, reached through
// the generator's copy rules, and every virtual path leads back to the real file for diagnostics and links.
//
// Ground truth (fluxcd/source-watcher): the API in api/v1beta1/artifactgenerator_types.go, the spec in
// docs/spec/v1beta1/artifactgenerators.md, the checks in internal/controller/artifactgenerator_validation.go,
// the copy rules in internal/builder/builder.go, the Merge strategy in internal/builder/merge.go and the
// directory discovery in internal/controller/artifactgenerator_pathpattern.go. Where the spec and the
// builder disagree, the builder is followed (it is what runs): a glob such as `configs/*.yaml` keeps the
// matched path under the destination (`apps/configs/a.yaml`), although the spec's example says `apps/a.yaml`.
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import type { EntryKind, FileSystem } from '../kustomize/fs';
import { isWithin, normalize } from '../kustomize/loader';
import { getPath, isObject, splitApiVersion } from '../kustomize/resource';
import type { Json, JsonObject, Problem, Range } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import { parseYamlFile } from '../kustomize/yaml/parse';
import { checkDoublestar, containsGlobChars, doublestarMatch, goGlob, GlobSyntaxError } from './artifactGlob';
import { SOURCE_CONTROLLER_DEFAULT_IGNORES } from './generate';
import type { FluxObjectPlace } from './objects';

export const ARTIFACT_GENERATOR_GROUP = 'source.extensions.fluxcd.io';
export const ARTIFACT_GENERATOR_VERSIONS = ['v1beta1'] as const;

/** The folder (below the repository root) that holds every artifact's virtual tree; no real repository has one. */
export const ARTIFACTS_FOLDER = '.flux-artifacts';

/** The source kinds an ArtifactGenerator may read (the `kind` enum of SourceReference). */
const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'HelmChart', 'ExternalArtifact'];
const STRATEGIES = ['Overwrite', 'Merge', 'Extract'];
const ALIAS = /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/;
/** Kubernetes' DNS subdomain name (apivalidation.NameIsDNSSubdomain), which every ExternalArtifact name must be. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface ArtifactTree {
  /** The ExternalArtifact this tree is: named after the artifact, in the generator's namespace. */
  name: string;
  namespace: string;
  /** With spec.pathPattern: the captured folder names (lower-cased), which the controller sets as the ExternalArtifact's labels. */
  labels?: Record<string, string>;
  /** The virtual folder holding the artifact: `${repoRoot}/.flux-artifacts/<namespace>/<name>`. */
  root: string;
  /**
   * Reads virtual paths through to the repository's files. Only paths under `root` exist: a build
   * rooted here cannot reach the rest of the repository, as on the cluster where the artifact is all
   * kustomize-controller has. Files inside copied folders are read through on every call, so edits show;
   * which paths globs matched and what a Merge wrote are fixed when the tree is built: build it again
   * when a file appears, disappears, or a merged file changes.
   */
  fs: FileSystem;
  /** The repository file (or folder) a virtual path shows; for a merged file, the last file merged into it. */
  toReal(virtualPath: string): string | undefined;
  /** What the controller would fail on, and what cannot be shown offline, for this artifact. */
  problems: Problem[];
  /** What the tree leaves out and why (e.g. a source that is not this repository). */
  notes: string[];
}

export interface ArtifactGeneratorOptions {
  fs: FileSystem;
  repoRoot: string;
  /**
   * The folder of this repository a source's artifact holds (the repository root for the repository's
   * own GitRepository, a subfolder for an OCIRepository pushed from it), or undefined when the source
   * is not this repository.
   */
  sourceRoot(kind: string, namespace: string, name: string): string | undefined;
  /** The namespace the generator lands in when it names none (the applying Kustomization's targetNamespace, else `default`). */
  defaultNamespace?: string;
}

/** Whether an object is an ArtifactGenerator, whatever its version. */
export function isArtifactGenerator(object: JsonObject): boolean {
  return (
    object.kind === 'ArtifactGenerator' &&
    typeof object.apiVersion === 'string' &&
    splitApiVersion(object.apiVersion).group === ARTIFACT_GENERATOR_GROUP
  );
}

/** `/`-separated path inside a source or an artifact; '' is its root. */
type RelPath = string;

/** A file in the artifact: a repository file, or the text a Merge wrote. */
type PlacedFile = { real: string; text?: undefined } | { real: string; text: string };

/** A repository folder copied whole into the artifact (a directory copy is read lazily, never listed up front). */
interface Mount {
  /** Where it lands in the artifact. */
  at: RelPath;
  /** The real folder. */
  real: string;
  /** The folder's path inside its source: what exclude patterns are matched against. */
  sourcePath: RelPath;
  /** The operation's selected root (builder.go sourceSelectionRoot), the second anchor of excludes. */
  excludeBase: RelPath;
  exclude: string[];
  /** What the source's own artifact leaves out, by path inside the source. */
  hidden: (rel: RelPath, isDir: boolean) => boolean;
  excludedCache: Map<RelPath, boolean>;
}

/** What one copy operation put into the artifact. Later layers win, as later copies overwrite earlier ones. */
interface Layer {
  files: Map<RelPath, PlacedFile>;
  mounts: Mount[];
  /** Folders implied by this layer's files and mounts, with their child names. */
  children: Map<RelPath, Set<string>>;
}

function joinRel(...parts: string[]): RelPath {
  const joined = path.posix.join(...parts.filter((p) => p !== ''));
  return joined === '.' || joined === '' ? '' : joined.replace(/\/+$/, '');
}

function isUnder(rel: RelPath, dir: RelPath): boolean {
  return dir === '' || rel === dir || rel.startsWith(dir + '/');
}

function innerOf(rel: RelPath, dir: RelPath): RelPath {
  return dir === '' ? rel : rel === dir ? '' : rel.slice(dir.length + 1);
}

/** The artifact being assembled, and afterwards the view the renderer reads. */
class VirtualTree {
  readonly layers: Layer[] = [];

  constructor(readonly base: FileSystem) {}

  newLayer(): Layer {
    const layer: Layer = { files: new Map(), mounts: [], children: new Map() };
    this.layers.push(layer);
    return layer;
  }

  static imply(layer: Layer, rel: RelPath): void {
    let child = rel;
    while (child !== '') {
      const parent = path.posix.dirname(child);
      const dir = parent === '.' ? '' : parent;
      let names = layer.children.get(dir);
      if (!names) layer.children.set(dir, (names = new Set()));
      if (names.has(path.posix.basename(child))) return;
      names.add(path.posix.basename(child));
      child = dir;
    }
  }

  /**
   * The repository entry a mount shows at `rel`, unless an exclude pattern or the source's own ignores
   * leave it out. builder.go copyDirWithRoots skips an excluded folder whole, so every folder on the way is checked.
   */
  private mounted(mount: Mount, rel: RelPath): { real: string; kind: EntryKind } | undefined {
    const inner = innerOf(rel, mount.at);
    const real = inner === '' ? mount.real : path.posix.join(mount.real, inner);
    if (inner !== '' && mount.exclude.length > 0 && this.excluded(mount, inner)) return undefined;
    const kind = this.base.kind(real);
    if (!kind || (inner !== '' && mount.hidden(joinRel(mount.sourcePath, inner), kind === 'dir'))) return undefined;
    return { real, kind };
  }

  /** Whether an exclude pattern leaves out `inner` or a folder above it; cached, as the same folders are asked about for every file in them. */
  private excluded(mount: Mount, inner: RelPath): boolean {
    let answer = mount.excludedCache.get(inner);
    if (answer === undefined) {
      const parent = path.posix.dirname(inner);
      answer =
        (parent !== '.' && this.excluded(mount, parent)) ||
        shouldExcludePath(joinRel(mount.sourcePath, inner), mount.excludeBase, mount.exclude);
      mount.excludedCache.set(inner, answer);
    }
    return answer;
  }

  /** The file at `rel` as the first `upTo` copy operations left it. */
  file(rel: RelPath, upTo = this.layers.length): PlacedFile | undefined {
    for (let i = upTo - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const placed = layer.files.get(rel);
      if (placed) return placed;
      for (let m = layer.mounts.length - 1; m >= 0; m--) {
        const mount = layer.mounts[m];
        if (!isUnder(rel, mount.at) || rel === mount.at) continue;
        const found = this.mounted(mount, rel);
        if (found?.kind === 'file') return { real: found.real };
      }
    }
    return undefined;
  }

  /** The innermost copied repository folder shown at `rel`, if any. */
  folder(rel: RelPath, upTo = this.layers.length): string | undefined {
    for (let i = upTo - 1; i >= 0; i--) {
      for (const mount of this.layers[i].mounts) {
        if (!isUnder(rel, mount.at)) continue;
        const found = this.mounted(mount, rel);
        if (found?.kind === 'dir') return found.real;
      }
    }
    return undefined;
  }

  kind(rel: RelPath, upTo = this.layers.length): EntryKind | undefined {
    if (this.file(rel, upTo)) return 'file';
    for (let i = 0; i < upTo; i++) {
      if (this.layers[i].children.has(rel) || this.layers[i].mounts.some((m) => m.at === rel)) return 'dir';
    }
    return rel === '' || this.folder(rel, upTo) !== undefined ? 'dir' : undefined;
  }

  readDir(rel: RelPath): string[] {
    const names = new Set<string>();
    for (const layer of this.layers) {
      for (const name of layer.children.get(rel) ?? []) names.add(name);
      for (const mount of layer.mounts) {
        if (!isUnder(rel, mount.at)) continue;
        const found = this.mounted(mount, rel);
        if (found?.kind !== 'dir') continue;
        for (const name of this.base.readDir(found.real)) {
          if (this.mounted(mount, joinRel(rel, name)) !== undefined) names.add(name);
        }
      }
    }
    return [...names].sort();
  }

  text(placed: PlacedFile): string | undefined {
    return placed.text !== undefined ? placed.text : this.base.readFile(placed.real);
  }
}

/** builder.go shouldExcludePath: a pattern matches the source-relative path, or the path below the selected root. */
function shouldExcludePath(filePath: RelPath, basePath: RelPath, patterns: string[]): boolean {
  if (patterns.length === 0) return false;
  if (shouldExclude(filePath, patterns)) return true;
  const base = basePath === '.' ? '' : basePath;
  if (base === '') return false;
  if (!isUnder(filePath, base) || filePath === base) return false;
  return shouldExclude(innerOf(filePath, base), patterns);
}

/** builder.go shouldExclude: patterns without a `/` also match the bare file name, at any depth. */
function shouldExclude(filePath: RelPath, patterns: string[]): boolean {
  const name = path.posix.basename(filePath);
  return patterns.some((p) => doublestarMatch(p, filePath) || (!p.includes('/') && doublestarMatch(p, name)));
}

/** builder.go sourceSelectionRoot: the literal folders before the first glob segment. */
function sourceSelectionRoot(pattern: string): RelPath {
  const parts: string[] = [];
  for (const part of joinRel(pattern).split('/')) {
    if (containsGlobChars(part)) break;
    parts.push(part);
  }
  return joinRel(...parts);
}

/** builder.go calculateGlobDestination: `dir/**` drops `dir/`; any other glob keeps the whole matched path. */
function globDestination(pattern: string, match: RelPath, dest: RelPath): RelPath {
  if (pattern.endsWith('/**')) {
    const prefix = pattern.slice(0, -3) + '/';
    if (match.startsWith(prefix)) return joinRel(dest, match.slice(prefix.length));
  }
  return joinRel(dest, match);
}

interface SourceRef {
  alias: string;
  kind: string;
  name: string;
  namespace: string;
  /** The repository folder holding the source's files, or undefined when they are not in this repository. */
  root?: string;
  /** Whether a path of the source (relative to its root) is left out of the source's own artifact. */
  hidden?: (rel: RelPath, isDir: boolean) => boolean;
}

/**
 * What a GitRepository's artifact leaves out of the repository: the .git folder, source-controller's default
 * ignores, and the `.sourceignore` files (each applies below its folder; a later, deeper pattern overrides
 * an earlier one, as in git). Answers are cached: the same folders are asked about again and again.
 */
function gitSourceFilter(fs: FileSystem, root: string): (rel: RelPath, isDir: boolean) => boolean {
  const domains = new Map<RelPath, Ignore | undefined>();
  const domainAt = (dir: RelPath): Ignore | undefined => {
    if (!domains.has(dir)) {
      const text = fs.readFile(path.posix.join(root, dir, '.sourceignore'));
      domains.set(dir, text === undefined ? undefined : ignore().add(text));
    }
    return domains.get(dir);
  };
  const defaults = ignore().add(SOURCE_CONTROLLER_DEFAULT_IGNORES);
  const answers = new Map<string, boolean>();
  const hiddenItself = (rel: RelPath, isDir: boolean): boolean => {
    const names = rel.split('/');
    if (names.includes('.git')) return true;
    let hidden = defaults.ignores(isDir ? rel + '/' : rel);
    for (let i = 0; i < names.length; i++) {
      const dir = names.slice(0, i).join('/');
      const rules = domainAt(dir);
      if (!rules) continue;
      const below = names.slice(i).join('/');
      const verdict = rules.test(isDir ? below + '/' : below);
      if (verdict.ignored) hidden = true;
      else if (verdict.unignored) hidden = false;
    }
    return hidden;
  };
  // A walk never enters an ignored folder, so a path is hidden when it or any folder above it is.
  const hidden = (rel: RelPath, isDir: boolean): boolean => {
    if (rel === '') return false;
    const key = (isDir ? 'd:' : 'f:') + rel;
    let answer = answers.get(key);
    if (answer === undefined) {
      const parent = path.posix.dirname(rel);
      answer = hidden(parent === '.' ? '' : parent, true) || hiddenItself(rel, isDir);
      if (answers.size > 50_000) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
  return hidden;
}

/** Reports problems at fields of the generator. */
class Reporter {
  constructor(
    private readonly place: FluxObjectPlace,
    private readonly label: string,
  ) {}
  problem(at: ReadonlyArray<string | number>, code: string, message: string, severity: 'error' | 'warning' = 'error'): Problem {
    const range: Range | undefined = this.place.rangeOf?.(at) ?? this.place.range;
    return { code, severity, message: `${this.label}: ${message}`, file: this.place.file, ...(range ? { range } : {}) };
  }
}

/**
 * The ExternalArtifacts an ArtifactGenerator produces, each as a virtual tree over this repository's
 * files. `problems` are about the generator as a whole (sources, duplicate names); each tree carries
 * its own copy problems. Never throws.
 */
export function readArtifactGenerator(
  object: JsonObject,
  place: FluxObjectPlace,
  options: ArtifactGeneratorOptions,
): { artifacts: ArtifactTree[]; problems: Problem[] } {
  const name = getPath(object, ['metadata', 'name']);
  const label = `ArtifactGenerator ${typeof name === 'string' ? `"${name}"` : '(unnamed)'}`;
  const report = new Reporter(place, label);
  const problems: Problem[] = [];
  if (typeof name !== 'string' || name === '') {
    problems.push(report.problem(['metadata'], 'flux-missing-name', 'metadata.name is missing. Every object needs a name.'));
    return { artifacts: [], problems };
  }
  const version = typeof object.apiVersion === 'string' ? splitApiVersion(object.apiVersion).version : '';
  if (!(ARTIFACT_GENERATOR_VERSIONS as readonly string[]).includes(version)) {
    problems.push(
      report.problem(
        ['apiVersion'],
        'flux-unknown-api-version',
        `apiVersion ${String(object.apiVersion)} is not served for ArtifactGenerator; use ${ARTIFACT_GENERATOR_GROUP}/${ARTIFACT_GENERATOR_VERSIONS[0]}.`,
      ),
    );
  }
  const writtenNamespace = getPath(object, ['metadata', 'namespace']);
  const namespace =
    typeof writtenNamespace === 'string' && writtenNamespace !== '' ? writtenNamespace : (options.defaultNamespace ?? 'default');

  const sources = readSources(object, report, problems, namespace, options);
  const pathPattern = getPath(object, ['spec', 'pathPattern']);
  const discovering = typeof pathPattern === 'string' && pathPattern !== '';

  const specArtifacts = getPath(object, ['spec', 'artifacts']);
  if (!Array.isArray(specArtifacts) || specArtifacts.length === 0) {
    problems.push(
      report.problem(['spec'], 'artifact-generator-no-artifacts', 'spec.artifacts must list at least one artifact to generate.'),
    );
    return { artifacts: [], problems };
  }
  const templates: ArtifactRequest[] = [];
  const seenNames = new Set<string>();
  specArtifacts.forEach((entry, index) => {
    const at = ['spec', 'artifacts', index];
    if (!isObject(entry)) {
      problems.push(report.problem(at, 'flux-field-type', `spec.artifacts[${index}] must be a mapping with a name and copy operations.`));
      return;
    }
    const artifactName = entry.name;
    if (typeof artifactName !== 'string' || artifactName === '') {
      problems.push(
        report.problem(at, 'flux-missing-name', `spec.artifacts[${index}] has no name. Name the ExternalArtifact it produces.`),
      );
      return;
    }
    if (seenNames.has(artifactName)) {
      problems.push(
        report.problem(
          [...at, 'name'],
          'artifact-name-duplicate',
          `artifact name '${artifactName}' is used twice; the controller refuses the generator. Give each artifact its own name.`,
        ),
      );
      return;
    }
    seenNames.add(artifactName);
    // With pathPattern the name is a template (`{app}-{env}`); the rendered names are checked instead.
    if (!discovering && !isObjectName(artifactName)) {
      problems.push(
        report.problem(
          [...at, 'name'],
          'artifact-name-invalid',
          `artifact name '${artifactName}' is not a valid Kubernetes object name (lower-case letters, digits, '-' and '.').`,
        ),
      );
    }
    for (const field of ['revision', 'originRevision'] as const) {
      const value = entry[field];
      if (value === undefined || value === null) continue;
      // The controller checks only `revision` (artifactgenerator_validation.go); an unknown originRevision is silently ignored, which is still a mistake.
      if (typeof value !== 'string' || !value.startsWith('@') || !sources.has(value.slice(1))) {
        problems.push(
          report.problem(
            [...at, field],
            'artifact-alias-unknown',
            `${field} '${String(value)}' names no source alias; write '@<alias>' with one of: ${[...sources.keys()].map((a) => '@' + a).join(', ') || '(no sources)'}.`,
            field === 'revision' ? 'error' : 'warning',
          ),
        );
      }
    }
    templates.push({ name: artifactName, spec: entry, at });
  });
  const requests = discovering ? discoverArtifacts(pathPattern, templates, sources, report, problems, options) : templates;
  const artifacts = requests.map((request) => buildArtifact(request, namespace, sources, report, options));
  return { artifacts, problems };
}

/** One artifact to build: its name, its spec (copy operations with any captures filled in), where it is written. */
interface ArtifactRequest {
  name: string;
  spec: JsonObject;
  at: Array<string | number>;
  /** The captured folder names, which the controller also sets as the ExternalArtifact's labels. */
  labels?: Record<string, string>;
}

function isObjectName(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** Kubernetes label values (content.IsLabelValue), which every captured folder name must be after lower-casing. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * spec.pathPattern (artifactgenerator_pathpattern.go buildArtifactRequests): one set of artifacts per folder
 * of the source matching `@alias/apps/{app}/envs/{env}`, each capture one folder name. Artifact names and
 * labels take the lower-cased captures; `from` and `to` take them as written, so source paths keep their case.
 */
function discoverArtifacts(
  pathPattern: string,
  templates: ArtifactRequest[],
  sources: Map<string, SourceRef>,
  report: Reporter,
  problems: Problem[],
  options: ArtifactGeneratorOptions,
): ArtifactRequest[] {
  const at = ['spec', 'pathPattern'];
  const fail = (message: string) => {
    problems.push(report.problem(at, 'artifact-path-pattern', `pathPattern '${pathPattern}': ${message}`));
    return [];
  };
  const written = /^@([^/]*)\/(.*)$/s.exec(pathPattern);
  if (!written) return fail("must read '@<alias>/<folders with {captures}>'.");
  const [, alias, pattern] = written;
  const source = sources.get(alias);
  if (!source) return fail(`source alias '${alias}' not found.`);
  if (source.root === undefined) {
    problems.push(
      report.problem(
        at,
        'artifact-path-pattern-elsewhere',
        `pathPattern '${pathPattern}' discovers folders of ${source.kind} ${source.namespace}/${source.name}, which is not this repository: its artifacts cannot be listed here.`,
        'warning',
      ),
    );
    return [];
  }
  const captureNames: string[] = [];
  let regex = '';
  for (const part of pattern.split(/(\{[^{}]*\})/)) {
    if (part.startsWith('{') && part.endsWith('}')) {
      const capture = part.slice(1, -1);
      if (!CAPTURE_NAME.test(capture)) return fail(`capture variable '${capture}' must match [A-Za-z_][A-Za-z0-9_]*.`);
      if (captureNames.includes(capture)) return fail(`duplicate capture variable '${capture}'.`);
      captureNames.push(capture);
      regex += '([^/]+)';
    } else if (/[{}]/.test(part)) return fail('a brace is not closed or not opened.');
    else regex += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const matcher = new RegExp(`^${regex}$`, 's');
  // A capture never spans a `/`, so every match is exactly as deep as the pattern: the walk stops there.
  const depth = pattern.split('/').length;
  const requests: ArtifactRequest[] = [];
  const seen = new Map<string, string>();
  const walk = (rel: RelPath, level: number) => {
    for (const name of options.fs.readDir(rel === '' ? source.root! : path.posix.join(source.root!, rel))) {
      const child = joinRel(rel, name);
      if (options.fs.kind(path.posix.join(source.root!, child)) !== 'dir' || source.hidden?.(child, true)) continue;
      const match = matcher.exec(child);
      if (match) expand(child, match.slice(1));
      if (level + 1 < depth) walk(child, level + 1);
    }
  };
  const expand = (folder: RelPath, values: string[]) => {
    const raw: Record<string, string> = {};
    const lowered: Record<string, string> = {};
    captureNames.forEach((capture, i) => {
      raw[capture] = values[i];
      lowered[capture] = values[i].toLowerCase();
    });
    const bad = captureNames.find((c) => lowered[c].length > 63 || !LABEL_VALUE.test(lowered[c]));
    if (bad) {
      fail(
        `captured value '${lowered[bad]}' for variable '${bad}' (folder ${folder}) is not a valid Kubernetes label value; the controller stops the whole generator.`,
      );
      return;
    }
    for (const template of templates) {
      const rendered = renderArtifactTemplate(template, raw, lowered);
      if (typeof rendered === 'string') {
        problems.push(
          report.problem(template.at, 'artifact-path-pattern', `artifact '${template.name}' for folder ${folder}: ${rendered}`),
        );
        continue;
      }
      if (!isObjectName(rendered.name)) {
        problems.push(
          report.problem(
            [...template.at, 'name'],
            'artifact-name-invalid',
            `artifact name '${rendered.name}' (for folder ${folder}) is not a valid Kubernetes object name.`,
          ),
        );
        continue;
      }
      const previous = seen.get(rendered.name);
      if (previous !== undefined) {
        problems.push(
          report.problem(
            at,
            'artifact-name-duplicate',
            `folders ${previous} and ${folder} both make artifact '${rendered.name}' (names are lower-cased); the controller stops the whole generator.`,
          ),
        );
        continue;
      }
      seen.set(rendered.name, folder);
      requests.push(rendered);
    }
  };
  walk('', 0);
  return requests;
}

/** renderArtifactRequest: the name from lower-cased captures, `from`/`to` from captures as written. A string is the error. */
function renderArtifactTemplate(
  template: ArtifactRequest,
  raw: Record<string, string>,
  lowered: Record<string, string>,
): ArtifactRequest | string {
  const fill = (text: string, values: Record<string, string>): string => {
    let missing: string | undefined;
    const out = text.replace(/\{([^{}]*)\}/g, (_, capture: string) => {
      if (values[capture] === undefined) missing ??= capture;
      return values[capture] ?? '';
    });
    if (missing !== undefined) throw new TemplateError(`capture variable '${missing}' is not defined by pathPattern`);
    return out;
  };
  try {
    const copy = Array.isArray(template.spec.copy)
      ? template.spec.copy.map((op) =>
          isObject(op)
            ? {
                ...op,
                ...(typeof op.from === 'string' ? { from: fill(op.from, raw) } : {}),
                ...(typeof op.to === 'string' ? { to: fill(op.to, raw) } : {}),
              }
            : op,
        )
      : template.spec.copy;
    return { name: fill(template.name, lowered), spec: { ...template.spec, copy }, at: template.at, labels: lowered };
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
}

class TemplateError extends Error {}

function readSources(
  object: JsonObject,
  report: Reporter,
  problems: Problem[],
  namespace: string,
  options: ArtifactGeneratorOptions,
): Map<string, SourceRef> {
  const sources = new Map<string, SourceRef>();
  const list = getPath(object, ['spec', 'sources']);
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(report.problem(['spec'], 'artifact-generator-no-sources', 'spec.sources must list at least one source to copy from.'));
    return sources;
  }
  list.forEach((entry, index) => {
    const at = ['spec', 'sources', index];
    if (!isObject(entry)) {
      problems.push(report.problem(at, 'flux-field-type', `spec.sources[${index}] must be a mapping with alias, kind and name.`));
      return;
    }
    const { alias, kind, name } = entry;
    if (typeof alias !== 'string' || !ALIAS.test(alias)) {
      problems.push(
        report.problem(
          [...at, 'alias'],
          'artifact-alias-invalid',
          `spec.sources[${index}].alias must be lower-case letters, digits, '-' and '_', starting and ending with a letter or digit${typeof alias === 'string' ? `; '${alias}' is not` : ''}.`,
        ),
      );
      return;
    }
    if (sources.has(alias)) {
      problems.push(
        report.problem(
          [...at, 'alias'],
          'artifact-alias-duplicate',
          `source alias '${alias}' is used twice; the controller refuses the generator. Give each source its own alias.`,
        ),
      );
      return;
    }
    if (typeof kind !== 'string' || !SOURCE_KINDS.includes(kind)) {
      problems.push(
        report.problem(
          [...at, 'kind'],
          'artifact-source-kind',
          `spec.sources[${index}].kind must be one of ${SOURCE_KINDS.join(', ')}${typeof kind === 'string' ? `, not '${kind}'` : ''}.`,
        ),
      );
      return;
    }
    if (typeof name !== 'string' || name === '') {
      problems.push(report.problem(at, 'flux-ref-missing-name', `spec.sources[${index}] has no name. Name the ${kind} to copy from.`));
      return;
    }
    const sourceNamespace = typeof entry.namespace === 'string' && entry.namespace !== '' ? entry.namespace : namespace;
    const written = options.sourceRoot(kind, sourceNamespace, name);
    const root = written === undefined ? undefined : normalize(written);
    // Other kinds' artifacts are built elsewhere (an OCI push, a bucket upload) with their own rules: taken as the folder holds them.
    const hidden =
      root === undefined
        ? undefined
        : kind === 'GitRepository'
          ? gitSourceFilter(options.fs, root)
          : (rel: RelPath) => rel.split('/').includes('.git');
    sources.set(alias, { alias, kind, name, namespace: sourceNamespace, ...(root !== undefined ? { root, hidden } : {}) });
  });
  return sources;
}

/** One artifact's copy operations applied, in order, to an empty virtual tree (builder.go applyCopyOperations). */
function buildArtifact(
  request: ArtifactRequest,
  namespace: string,
  sources: Map<string, SourceRef>,
  report: Reporter,
  options: ArtifactGeneratorOptions,
): ArtifactTree {
  const { name, spec, at } = request;
  // The last segment is one no kustomization names, so a `../..` that leaves the artifact cannot walk back
  // into it by its name, as it cannot on the cluster (the artifact is extracted to a temporary folder).
  const root = normalize(path.posix.join(options.repoRoot, ARTIFACTS_FOLDER, namespace, name, '@artifact'));
  const tree = new VirtualTree(options.fs);
  const problems: Problem[] = [];
  const notes: string[] = [];
  const noted = new Set<string>();
  const copy = spec.copy;
  if (!Array.isArray(copy) || copy.length === 0) {
    problems.push(report.problem(at, 'artifact-no-copy', `artifact '${name}' has no copy operations; it would be empty.`));
  } else {
    copy.forEach((op, index) => {
      const opAt = [...at, 'copy', index];
      if (!isObject(op)) {
        problems.push(report.problem(opAt, 'flux-field-type', `copy[${index}] of artifact '${name}' must be a mapping with from and to.`));
        return;
      }
      const source = applyCopy(tree, op, opAt, name, sources, report, problems, options.fs);
      if (source && source.root === undefined && !noted.has(source.alias)) {
        noted.add(source.alias);
        notes.push(
          `source ${source.kind} ${source.namespace}/${source.name} (@${source.alias}) is not this repository: what artifact '${name}' copies from it is not here and is left out.`,
        );
      }
    });
  }
  return {
    name,
    namespace,
    ...(request.labels ? { labels: request.labels } : {}),
    root,
    fs: artifactFileSystem(tree, root),
    toReal: (virtualPath) => toReal(tree, root, virtualPath),
    problems,
    notes,
  };
}

/** The source a copy reads from, to note when it is not this repository; undefined when the copy is refused or failed. */
function applyCopy(
  tree: VirtualTree,
  op: JsonObject,
  at: Array<string | number>,
  artifact: string,
  sources: Map<string, SourceRef>,
  report: Reporter,
  problems: Problem[],
  fs: FileSystem,
): SourceRef | undefined {
  const { from, to } = op;
  const strategy = op.strategy ?? 'Overwrite';
  const fail = (field: string | undefined, code: string, message: string, severity: 'error' | 'warning' = 'error') => {
    problems.push(report.problem(field ? [...at, field] : at, code, `artifact '${artifact}': ${message}`, severity));
    return undefined;
  };
  const fromMatch = typeof from === 'string' ? /^@([^/]*)\/(.*)$/s.exec(from) : null;
  if (!fromMatch) return fail('from', 'artifact-copy-from', `copy from '${String(from)}' must read '@<alias>/<path or glob>'.`);
  const [, alias, pattern] = fromMatch;
  if (typeof to !== 'string' || !to.startsWith('@artifact/'))
    return fail('to', 'artifact-copy-to', `copy to '${String(to)}' must read '@artifact/<path>'.`);
  if (typeof strategy !== 'string' || !STRATEGIES.includes(strategy))
    return fail('strategy', 'artifact-copy-strategy', `strategy must be one of ${STRATEGIES.join(', ')}, not '${String(strategy)}'.`);
  const exclude: string[] = [];
  if (op.exclude !== undefined && op.exclude !== null) {
    if (!Array.isArray(op.exclude)) return fail('exclude', 'flux-field-type', 'exclude must be a list of glob patterns.');
    for (const [i, p] of op.exclude.entries()) {
      if (typeof p !== 'string') return fail('exclude', 'flux-field-type', `exclude[${i}] must be a string.`);
      try {
        checkDoublestar(p);
      } catch (e) {
        if (e instanceof GlobSyntaxError)
          return fail('exclude', 'artifact-copy-bad-pattern', `invalid exclude pattern '${p}': ${e.message}.`);
        throw e;
      }
      exclude.push(p);
    }
  }
  const source = sources.get(alias);
  if (!source)
    return fail(
      'from',
      'artifact-alias-unknown',
      `source alias '${alias}' not found; the sources are ${[...sources.keys()].map((a) => '@' + a).join(', ') || '(none)'}.`,
    );
  const destWritten = to.slice('@artifact/'.length);
  const dest = joinRel(destWritten);
  if (dest === '..' || dest.startsWith('../')) return fail('to', 'artifact-copy-outside', `copy to '${to}' leaves the artifact.`);
  if (pattern !== '' && (joinRel(pattern) === '..' || joinRel(pattern).startsWith('../')))
    return fail('from', 'artifact-copy-outside', `copy from '${from}' leaves the source.`);
  if (source.root === undefined) return source;
  const srcRoot = source.root;
  const real = (rel: RelPath) => (rel === '' ? srcRoot : path.posix.join(srcRoot, rel));
  const hidden = source.hidden ?? (() => false);
  /** The kind of a path of the source, as the source's artifact holds it. */
  const kindInSource = (rel: RelPath): EntryKind | undefined => {
    const kind = fs.kind(real(rel));
    return kind && !hidden(rel, kind === 'dir') ? kind : undefined;
  };
  const upTo = tree.layers.length;
  const layer = tree.newLayer();
  const merge = strategy === 'Merge';

  const placeFile = (srcRel: RelPath, destRel: RelPath) => {
    const below = merge ? tree.file(destRel, upTo) : undefined;
    if (below) {
      const merged = mergeYamlFiles(tree.text(below), below.real, fs.readFile(real(srcRel)), real(srcRel));
      if ('error' in merged) {
        fail('from', 'artifact-merge-failed', `cannot merge ${srcRel} into ${destRel}: ${merged.error}`);
        return;
      }
      layer.files.set(destRel, { real: real(srcRel), text: merged.text });
    } else layer.files.set(destRel, { real: real(srcRel) });
    VirtualTree.imply(layer, destRel);
  };
  const placeFolder = (srcRel: RelPath, destRel: RelPath, excludeBase: RelPath) => {
    layer.mounts.push({ at: destRel, real: real(srcRel), sourcePath: srcRel, excludeBase, exclude, hidden, excludedCache: new Map() });
    VirtualTree.imply(layer, destRel);
  };

  if (!containsGlobChars(pattern)) {
    // builder.go applySingleSourceCopy: a named file or folder, like cp.
    const srcRel = joinRel(pattern);
    const kind = kindInSource(srcRel);
    if (!kind) return fail('from', 'artifact-copy-missing', `source '${srcRel || '.'}' does not exist in @${alias} (${real(srcRel)}).`);
    if (kind === 'dir') {
      if (strategy === 'Extract')
        return fail('strategy', 'artifact-copy-extract-folder', `strategy Extract unpacks tarballs; '${from}' is a folder.`);
      // A folder lands as a sub-folder named after it (`@src/` as the destination itself).
      placeFolder(srcRel, joinRel(dest, srcRel === '' ? '' : path.posix.basename(srcRel)), srcRel);
      return source;
    }
    if (shouldExcludePath(srcRel, '', exclude)) return source;
    if (strategy === 'Extract') return extractOffline(fail, fromMatch[0]);
    const intoFolder = destWritten.endsWith('/') || destWritten === '' || tree.kind(dest, upTo) === 'dir';
    placeFile(srcRel, intoFolder ? joinRel(dest, path.posix.basename(srcRel)) : dest);
    return source;
  }

  if (strategy === 'Extract') return extractOffline(fail, fromMatch[0]);
  let matches: string[];
  try {
    matches = goGlob(
      {
        readDir: (rel) => (kindInSource(joinRel(rel)) === 'dir' ? fs.readDir(real(joinRel(rel))) : []),
        exists: (rel) => kindInSource(joinRel(rel)) !== undefined,
      },
      pattern,
    );
  } catch (e) {
    if (e instanceof GlobSyntaxError) return fail('from', 'artifact-copy-bad-pattern', `invalid glob pattern '${pattern}': ${e.message}.`);
    throw e;
  }
  matches = matches.filter((m) => m !== '.' && m !== '..' && kindInSource(m) !== undefined);
  if (matches.length === 0)
    return fail(
      'from',
      'artifact-copy-no-match',
      `no files match pattern '${pattern}' in source '${alias}' (${srcRoot}); the controller fails the build.`,
    );
  const excludeBase = sourceSelectionRoot(pattern);
  const kept = matches.filter((m) => !shouldExcludePath(m, excludeBase, exclude));
  if (kept.length === 0)
    return fail(
      'exclude',
      'artifact-copy-all-excluded',
      `all files matching pattern '${pattern}' in source '${alias}' were excluded; the controller fails the build.`,
    );
  for (const match of kept) {
    const destRel = globDestination(pattern, match, dest);
    if (kindInSource(match) === 'dir') placeFolder(match, destRel, excludeBase);
    else placeFile(match, destRel);
  }
  return source;
}

function extractOffline(
  fail: (field: string | undefined, code: string, message: string, severity?: 'error' | 'warning') => undefined,
  from: string,
): undefined {
  return fail(
    'strategy',
    'artifact-extract-offline',
    `'${from}' is unpacked from tarballs (strategy Extract), which is not done offline; the files they hold are missing from this artifact.`,
    'warning',
  );
}

type LoadedYaml = { map: JsonObject } | { error: string };

/** merge.go loadYAML: every document of the file merged into one mapping. */
function loadYaml(text: string | undefined, file: string): LoadedYaml {
  if (text === undefined) return { error: `${file} cannot be read` };
  // sigs.k8s.io/yaml decodes the file, as kustomize decodes a kustomization file.
  const parsed = parseYamlFile(file, text, undefined, { dialect: 'kustomization' });
  const failure = parsed.problems.find((p) => p.severity === 'error');
  if (failure) return { error: failure.message };
  let map: JsonObject = {};
  for (const document of parsed.documents) {
    if (document.value === null) continue;
    if (!isObject(document.value)) return { error: `${file} holds a document that is not a mapping` };
    map = mergeMaps(map, document.value);
  }
  return { map };
}

/** merge.go mergeMap: mappings merge key by key; anything else, lists included, is replaced (Helm's values merge). */
function mergeMaps(base: JsonObject, overlay: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const below = out[key];
    out[key] = isObject(value) && isObject(below) ? mergeMaps(below, value) : value;
  }
  return out;
}

function mergeYamlFiles(
  destText: string | undefined,
  destFile: string,
  srcText: string | undefined,
  srcFile: string,
): { text: string } | { error: string } {
  const dest = loadYaml(destText, destFile);
  if ('error' in dest) return dest;
  const src = loadYaml(srcText, srcFile);
  if ('error' in src) return src;
  // yaml.Marshal of the merged map: keys sorted as go-yaml v2 sorts them, which is how emitYaml prints.
  return { text: emitYaml(mergeMaps(dest.map, src.map) as Json) };
}

function relOf(root: string, p: string): RelPath | undefined {
  const n = normalize(p);
  if (n === root) return '';
  return isWithin(n, root) ? n.slice(root.length + 1).replace(/\/+$/, '') : undefined;
}

function toReal(tree: VirtualTree, root: string, virtualPath: string): string | undefined {
  const rel = relOf(root, virtualPath);
  if (rel === undefined) return undefined;
  return tree.file(rel)?.real ?? tree.folder(rel);
}

function artifactFileSystem(tree: VirtualTree, root: string): FileSystem {
  const placed = (p: string) => {
    const rel = relOf(root, p);
    return rel === undefined ? undefined : tree.file(rel);
  };
  return {
    readFile(p) {
      const file = placed(p);
      return file ? tree.text(file) : undefined;
    },
    readBytes(p) {
      const file = placed(p);
      if (!file) return undefined;
      if (file.text !== undefined) return Buffer.from(file.text, 'utf8');
      // Read through the repository's file system, so unsaved editor buffers show here too.
      const base = tree.base;
      if (base.readBytes) return base.readBytes(file.real);
      const text = base.readFile(file.real);
      return text === undefined ? undefined : Buffer.from(text, 'utf8');
    },
    kind(p) {
      const rel = relOf(root, p);
      return rel === undefined ? undefined : tree.kind(rel);
    },
    readDir(p) {
      const rel = relOf(root, p);
      return rel === undefined || tree.kind(rel) !== 'dir' ? [] : tree.readDir(rel);
    },
    // Virtual paths are already canonical; resolving the repository's links would leave the artifact.
    realPath: (p) => p,
  };
}
