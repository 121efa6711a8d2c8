// What kustomize-controller applies for one Flux Kustomization, offline: the kustomization it writes
// at spec.path (see generate.ts) rendered by our kustomize in an overlay buffer, with no root-only
// restriction but never outside the repository; then postBuild substitution, then commonMetadata
// (the controller sets it on the objects at apply time, after substitution).
import type { FileSystem } from '../kustomize/fs';
import { nodeFileSystem, overlayFileSystem } from '../kustomize/fs';
import { normalize } from '../kustomize/loader';
import { renderKustomization, type RenderOutput } from '../kustomize/render';
import { parseYamlFileCached, type ParseLimits } from '../kustomize/yaml/parse';
import { cloneResource, isObject, recordOrigin } from '../kustomize/resource';
import type { JsonObject, Origin, Place, Problem, Resource } from '../kustomize/types';
import { placeInSource, resolveSpecPath, synthesizeKustomization, type SynthesizedKustomization } from './generate';
import type { FluxKustomization } from './objects';
import {
  collectVars,
  isSecretVariable,
  substituteResources,
  type FindObject,
  type StandInVars,
  type UnresolvedVariable,
} from './substitute';

import type { BuildCache } from '../kustomize/buildCache';

/**
 * Where the Kustomization's source artifact is, when it is not the repository checkout itself: a subfolder
 * (an OCI artifact pushed from `kubernetes/`), or a virtual tree (an ExternalArtifact an ArtifactGenerator
 * assembles) read through its own file system, whose paths `toReal` maps back to the repository's files.
 * spec.path is relative to `root`, and the build sees nothing outside it, as the controller sees only the
 * artifact it downloaded.
 */
export interface FluxSourceTree {
  root: string;
  fs?: FileSystem;
  toReal?: (file: string) => string | undefined;
  /** How the source is named in messages, e.g. `the OCI artifact of kubernetes/`. */
  description?: string;
}

export interface FluxBuildOptions {
  fs?: FileSystem;
  /** Root of the repository checkout. */
  repoRoot: string;
  /** The source artifact, when it is not the repository root (see FluxSourceTree). */
  source?: FluxSourceTree;
  /** ConfigMaps and Secrets for postBuild.substituteFrom; without it every entry counts as missing. */
  findObject?: FindObject;
  /** The StrictPostBuildSubstitutions feature gate; on unless false (the default since kustomize-controller v1.9, its CHANGELOG.md). */
  strictSubstitution?: boolean;
  /** Local stand-ins for substituteFrom objects that exist only on the cluster, with the files they were read from. */
  standIns?: StandInVars & { files: readonly string[] };
  /** Bounds on each YAML file the build parses; defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
  /** Epoch milliseconds after which the render stops (render-time-limit). */
  deadline?: number;
  /** Folder builds kept between renders (the fleet index's). */
  cache?: BuildCache;
  /**
   * The fleet index's remembered root-only render of a folder (what its preview shows). When the
   * controller's rewrite of the kustomization changes nothing and that render succeeds, the unrestricted
   * build gives the same objects: they are taken from it instead of building the folder again.
   */
  renderFolder?: (dir: string) => RenderOutput;
}

export interface FluxBuildResult {
  resources: Resource[];
  problems: Problem[];
  filesRead: Set<string>;
  /** True when spec.path had no kustomization file and the controller's generated one was used. */
  generatedKustomization?: boolean;
  /** The kustomization text the controller would write at spec.path (for previews and debugging). */
  kustomizationText?: string;
  /** `${VAR}` references left unresolved, with what the cluster does with them. */
  unresolved: UnresolvedVariable[];
}

export function renderFluxKustomization(ks: FluxKustomization, options: FluxBuildOptions): FluxBuildResult {
  const source = options.source;
  if (source?.toReal)
    return toRealPaths(buildInSource(ks, { ...options, fs: source.fs ?? options.fs, repoRoot: source.root }), source.toReal);
  return buildInSource(ks, source ? { ...options, fs: source.fs ?? options.fs, repoRoot: source.root, renderFolder: undefined } : options);
}

function buildInSource(ks: FluxKustomization, options: FluxBuildOptions): FluxBuildResult {
  const fs = options.fs ?? nodeFileSystem;
  const repoRoot = normalize(options.repoRoot);
  const where = options.source?.description ?? 'the repository';
  const filesRead = new Set<string>([ks.place.file]);
  const result: FluxBuildResult = { resources: [], problems: [], filesRead, unresolved: [] };
  const placeOf = (p: ReadonlyArray<string | number>): Place => {
    const range = ks.place.rangeOf?.(p) ?? ks.place.range;
    return { file: ks.place.file, ...(range ? { range } : {}) };
  };

  const dir = resolveSpecPath(repoRoot, ks.path);
  if (fs.kind(dir) !== 'dir') {
    result.problems.push({
      code: 'flux-path-not-found',
      severity: 'error',
      message: `kustomization path not found: ${ks.path ?? './'} does not exist in ${where} (looked for ${dir}). Fix spec.path; it is relative to the root of the source artifact.`,
      ...placeOf(ks.path !== undefined ? ['spec', 'path'] : ['spec']),
    });
    return result;
  }

  const synth = synthesizeKustomization(ks, dir, { fs, repoRoot, parseLimits: options.parseLimits });
  synth.filesRead.forEach((f) => filesRead.add(f));
  result.generatedKustomization = synth.generated;
  result.kustomizationText = synth.text;
  result.problems.push(...synth.problems);
  if (synth.problems.some((p) => p.severity === 'error')) return result;

  const overlay = synth.verbatim ? fs : overlayFileSystem(fs, new Map([[synth.file, synth.text]]));
  const rendered =
    (synth.verbatim && sharedFolderRender(ks, dir, options)) ||
    renderKustomization(dir, {
      fs: overlay,
      repoRoot,
      loadRestrictor: 'none',
      reorder: 'none',
      enableManagedByLabel: false,
      skipRemoteResources: true,
      parseLimits: options.parseLimits,
      deadline: options.deadline,
      cache: options.cache,
    });
  for (const f of rendered.filesRead) if (f !== synth.file || !synth.generated) filesRead.add(f);
  result.problems.push(...(synth.verbatim ? rendered.problems : rendered.problems.map((p) => mapProblem(p, synth))));
  if (rendered.problems.some((p) => p.severity === 'error')) return result;
  const resources = rendered.resources;
  if (!synth.verbatim) for (const r of resources) mapOrigins(r, synth);

  for (const [i, r] of resources.entries()) {
    const meta = isObject(r.object.metadata) ? r.object.metadata : {};
    if (!r.object.apiVersion || !r.object.kind || !meta.name) {
      result.problems.push({
        code: 'flux-object-incomplete',
        severity: 'error',
        message: `failed to decode Kubernetes apiVersion, kind and name from object ${i} of the build`,
        file: r.source.file,
        ...(r.source.range ? { range: r.source.range } : {}),
      });
      return result;
    }
  }

  if (ks.postBuild) {
    const collected = collectVars(ks, options.findObject ?? (() => undefined), options.standIns);
    if (collected.usedStandIns) for (const f of options.standIns?.files ?? []) result.filesRead.add(f);
    result.problems.push(...collected.problems);
    if (!collected.problems.some((p) => p.severity === 'error')) {
      const origin: Origin = { kind: 'substitution', step: 'postBuild.substitute', ...placeOf(['spec', 'postBuild']) };
      const always =
        isObject(ks.object.spec) && isObject(ks.object.spec.postBuild) && ks.object.spec.postBuild.substituteStrategy === 'Always';
      const secretVariables = new Set([...collected.origins].filter(([, o]) => isSecretVariable(o)).map(([name]) => name));
      const sub = substituteResources(resources, collected.vars, origin, {
        strict: options.strictSubstitution ?? true,
        always,
        secretVariables,
        // A failing value is reported where it is written, as the controller names the object and the variable.
        placeOf: (objectIndex, valuePath) => writtenAt(fs, resources[objectIndex], valuePath, options.parseLimits),
      });
      result.problems.push(...sub.problems);
      result.unresolved = sub.unresolved;
    }
  }

  if (ks.commonMetadata) applyCommonMetadata(resources, ks, placeOf);
  result.resources = resources;
  return result;
}

/** The folder's root-only render in Flux's order, when it holds what Flux's build would (see FluxBuildOptions.renderFolder). */
function sharedFolderRender(
  ks: FluxKustomization,
  dir: string,
  options: FluxBuildOptions,
): Pick<RenderOutput, 'resources' | 'problems' | 'filesRead'> | undefined {
  const folder = options.renderFolder?.(dir);
  if (!folder || folder.problems.some((p) => p.severity === 'error')) return undefined;
  // Substitution and commonMetadata change objects in place: they get copies; otherwise the objects are shared, read-only.
  const changes = ks.postBuild !== undefined || ks.commonMetadata !== undefined;
  return {
    resources: changes ? folder.unreordered.map(cloneResource) : folder.unreordered.slice(),
    problems: folder.problems,
    filesRead: folder.filesRead,
  };
}

/** The controller's SetCommonMetadata: labels and annotations on every object's metadata only (no selectors), overriding. */
function applyCommonMetadata(resources: Resource[], ks: FluxKustomization, placeOf: (p: ReadonlyArray<string | number>) => Place): void {
  const meta = ks.commonMetadata!;
  for (const field of ['labels', 'annotations'] as const) {
    const entries = Object.entries(meta[field]);
    if (entries.length === 0) continue;
    for (const r of resources) {
      const metadata: JsonObject = isObject(r.object.metadata) ? r.object.metadata : (r.object.metadata = {});
      const target: JsonObject = isObject(metadata[field]) ? metadata[field] : (metadata[field] = {});
      for (const [k, v] of entries) {
        target[k] = v;
        recordOrigin(r, ['metadata', field, k], {
          kind: 'transformer',
          step: `commonMetadata.${field}`,
          ...placeOf(['spec', 'commonMetadata', field, k]),
        });
      }
    }
  }
}

function mapProblem(p: Problem, synth: SynthesizedKustomization): Problem {
  const related = p.related?.map((r) => (r.file === synth.file ? { ...r, ...placeInSource(synth, r.range) } : r));
  const base = related ? { ...p, related } : p;
  if (p.file !== synth.file) return base;
  const place = placeInSource(synth, p.range);
  const { range: _dropped, ...rest } = base;
  void _dropped;
  return { ...rest, file: place.file, ...(place.range ? { range: place.range } : {}) };
}

function mapOrigins(r: Resource, synth: SynthesizedKustomization): void {
  for (const [key, origin] of r.setBy) {
    if (origin.file !== synth.file) continue;
    r.setBy.set(key, withPlace(origin, placeInSource(synth, origin.range)));
  }
  const by = r.source.generatedBy;
  if (by && by.file === synth.file) r.source.generatedBy = withPlace(by, placeInSource(synth, by.range));
  if (r.source.file === synth.file) {
    const place = placeInSource(synth, r.source.range);
    r.source = { ...r.source, file: place.file, ...(place.range ? { range: place.range } : {}) };
  }
}

function withPlace(origin: Origin, place: Place): Origin {
  const { range: _old, ...rest } = origin;
  void _old;
  return { ...rest, file: place.file, ...(place.range ? { range: place.range } : {}) };
}

/** A build read through a virtual tree, with every file it names mapped back to the repository's (see FluxSourceTree). */
function toRealPaths(result: FluxBuildResult, toReal: (file: string) => string | undefined): FluxBuildResult {
  const real = (file: string) => toReal(file) ?? file;
  const filesRead = new Set<string>();
  for (const f of result.filesRead) {
    const mapped = toReal(f);
    if (mapped !== undefined) filesRead.add(mapped);
    else if (!f.includes('/.flux-artifacts/')) filesRead.add(f);
  }
  const problems = result.problems.map((p) => ({
    ...p,
    file: real(p.file),
    ...(p.related ? { related: p.related.map((r) => ({ ...r, file: real(r.file) })) } : {}),
  }));
  for (const r of result.resources) {
    if (r.source.file)
      r.source = {
        ...r.source,
        file: real(r.source.file),
        ...(r.source.generatedBy ? { generatedBy: { ...r.source.generatedBy, file: real(r.source.generatedBy.file) } } : {}),
      };
    for (const [key, origin] of r.setBy) if (toReal(origin.file) !== undefined) r.setBy.set(key, { ...origin, file: real(origin.file) });
  }
  return { ...result, filesRead, problems };
}

/** Where the value at `valuePath` of a built object was written: the patch that set it, else its source document. */
function writtenAt(
  fs: FileSystem,
  resource: Resource | undefined,
  valuePath: ReadonlyArray<string | number>,
  limits: Partial<ParseLimits> | undefined,
): Place | undefined {
  if (!resource) return undefined;
  for (let n = valuePath.length; n >= 0; n--) {
    const writer = resource.setBy.get(valuePath.slice(0, n).join('/'));
    if (writer && writer.kind !== 'substitution' && writer.kind !== 'resource')
      return { file: writer.file, ...(writer.range ? { range: writer.range } : {}) };
  }
  const source = resource.source;
  if (source.documentIndex < 0) return { file: source.file, ...(source.range ? { range: source.range } : {}) };
  const text = fs.kind(source.file) === 'file' ? fs.readFile(source.file) : undefined;
  const doc = text === undefined ? undefined : parseYamlFileCached(source.file, text, limits).documents[source.documentIndex];
  const range = doc?.locate(valuePath) ?? source.range;
  return { file: source.file, ...(range ? { range } : {}) };
}
