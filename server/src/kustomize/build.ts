// One kustomize build, read like the kustomization file it implements: load, accumulate resources,
// generate, apply components, transform (the step table of buildSteps.ts); then, at the top only, hash
// names, fix name references and sort. Reusing an earlier build: buildCache.ts (folders) and
// incremental.ts (one overlay's objects).
import * as path from 'path';
import type { Accumulation, BuildCache } from './buildCache';
import { runTransformerSteps } from './buildSteps';
import { INCREMENTAL_MIN_OBJECTS, planIncremental } from './incremental';
import type { FileSystem } from './fs';
import { fieldRange, findKustomizationFile, listField, readKustomization, stringRecord, type Kustomization } from './kustomization';
import { isRemoteReference, isWithin, normalize, resolveEntry, type LoadPolicy, type LoadRestrictor } from './loader';
import { cloneResource, deepCopy, idString, isObject, makeResource, resId } from './resource';
import { sortResources, type SortOptions } from './sort';
import type { TransformContext } from './transformer';
import {
  configFromCrdSchemas,
  emptyCustomFieldSpecs,
  mergeCustomFieldSpecs,
  parseConfigurationFile,
  type CustomFieldSpecs,
} from './transformerConfig';
import type { Json, JsonObject, Origin, PluginIdentity, Problem, Range, ResId, Resource } from './types';
import { parseYamlFileCached, type ParseLimits } from './yaml/parse';

import { mergeGenerated, type GeneratorInput } from './generators/common';
import { readCustomSchema, setCustomSchema, type CustomSchema } from './merge/schema';
import { generateConfigMap } from './generators/configMapGenerator';
import { generateSecret } from './generators/secretGenerator';
import { inflateHelmChart } from './generators/helmChart';
import type { HelmRunner } from '../util/helm';
import { hashSuffixTransformer } from './transformers/hashSuffix';
import { generatorArguments, pluginLoadError, type PluginConfig, type PluginHost } from './builtinPlugins';
import { setManagedBy, setOriginAnnotation, setTransformationsAnnotation } from './buildMetadata';
import { nameReferenceTransformer } from './transformers/nameReference';
import type { PatchConfig } from './transformers/patches';
import { bindVars, varsTransformer, type VarDefinition } from './transformers/vars';

/** `--enable-helm`: the helm executable, and what runs it (tests stand in for helm; runHelmTemplate otherwise). */
export interface HelmOptions {
  command: string;
  run?: HelmRunner;
}

export interface BuildOptions {
  fs: FileSystem;
  loadRestrictor: LoadRestrictor;
  /** Real path of the repository root; nothing outside it is read. */
  repoRoot: string;
  /** The `--reorder` flag; a top-level `sortOptions` wins over it, like kustomize. */
  reorder: 'legacy' | 'none';
  enableManagedByLabel: boolean;
  /** Bounds on every YAML file the build parses (kustomization files, resources, patches); defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
  /** Epoch milliseconds after which the build stops with a render-time-limit error instead of going on. */
  deadline?: number;
  /** Folder builds kept between renders (the language server's); every folder is built afresh without it. */
  cache?: BuildCache;
  /** Leave remote `resources` entries out with a warning instead of failing (the Flux graph, which must go on). */
  skipRemoteResources?: boolean;
  /** Record the transformers that ran over each object (set by buildKustomization for `buildMetadata: [transformerAnnotations]`). */
  recordTransformations?: boolean;
  /** `--enable-helm` (with `--helm-command`): render `helmCharts` with helm, from charts already on disk. */
  helm?: HelmOptions;
  /** The build's OpenAPI schema state (set by buildKustomization, shared by every folder it builds). */
  openapi?: OpenApiState;
}

/** Whether a kustomization of this build named an `openapi:` schema yet, and which (kyaml's global schema). */
interface OpenApiState {
  set: boolean;
  schema?: CustomSchema;
}

export interface BuildResult {
  resources: Resource[];
  problems: Problem[];
  /** Every file the build read (kustomization files, resources, patches, generator inputs), for invalidation. */
  filesRead: Set<string>;
  /** Every kustomization (or Component) folder the build entered. */
  kustomizationDirs: Set<string>;
  /** The same objects in the order `--reorder none` prints them (a top-level sortOptions still applies). */
  unreordered?: Resource[];
}

/** The Kubernetes OpenAPI version built into kubectl v1.32's kustomize (kyaml's default). */
const BUILTIN_OPENAPI_VERSION = 'v1.21.2';

export { MANAGED_BY_VALUE } from './buildMetadata';

class Build {
  readonly problems: Problem[] = [];
  readonly filesRead = new Set<string>();
  readonly kustomizationDirs = new Set<string>();
  readonly policy: LoadPolicy;
  /** Each kustomization's builtin plugin configs, loaded when it is entered and run by its transformer steps. */
  readonly plugins = new Map<Kustomization, { transformers: PluginConfig[]; validators: PluginConfig[] }>();

  constructor(readonly options: BuildOptions) {
    this.policy = { fs: options.fs, restrictor: options.loadRestrictor, repoRoot: options.repoRoot };
  }

  error(code: string, message: string, file: string, range?: Range, related?: Problem['related']): void {
    this.problems.push({ code, severity: 'error', message, file, range, related });
  }

  get failed(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  /** True (after reporting it once) when the build has run past its deadline; callers then stop. */
  overBudget(file: string): boolean {
    const deadline = this.options.deadline;
    if (deadline === undefined || Date.now() <= deadline) return false;
    if (!this.problems.some((p) => p.code === 'render-time-limit')) {
      this.error(
        'render-time-limit',
        'rendering took longer than the render time limit (setting fluxEnvironments.limits.render.renderTimeBudgetMs); the rest of this kustomization was not rendered',
        file,
      );
    }
    return true;
  }

  readText(file: string): string | undefined {
    const text = this.options.fs.readFile(file);
    if (text !== undefined) this.filesRead.add(file);
    return text;
  }

  loadKustomization(dir: string, referredFrom?: { file: string; range?: Range }): Kustomization | undefined {
    const lookup = findKustomizationFile(this.options.fs, dir);
    const at = referredFrom ?? { file: dir };
    if (lookup.found === 'none') {
      this.error(
        'missing-kustomization',
        `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`,
        at.file,
        referredFrom?.range,
      );
      return undefined;
    }
    if (lookup.found === 'many') {
      this.error('multiple-kustomizations', `Found multiple kustomization files under: ${dir}`, lookup.files[1]);
      return undefined;
    }
    const text = this.readText(lookup.file) ?? '';
    const { kustomization, problems } = readKustomization(lookup.file, text, this.options.parseLimits);
    this.problems.push(...problems);
    if (kustomization) this.kustomizationDirs.add(dir);
    if (kustomization) this.applyOpenApi(kustomization);
    return kustomization;
  }

  /**
   * `openapi:` (kyaml's SetSchema): the first kustomization of the build that names a schema sets it for
   * every strategic merge after it, its bases' and parents' alike; later ones are ignored. `version` may
   * only name the built-in v1.21.2 schema.
   */
  applyOpenApi(k: Kustomization): void {
    const state = this.options.openapi;
    const field = k.fields.openapi;
    if (!state || state.set || !isObject(field) || Object.keys(field).length === 0) return;
    const range = fieldRange(k, ['openapi']);
    const version = typeof field.version === 'string' ? field.version : undefined;
    if (typeof field.path === 'string' && field.path !== '') {
      if (version !== undefined) {
        this.error('invalid-openapi', 'builtin version and custom schema provided, cannot use both', k.file, range);
        return;
      }
      const read = this.readReferencedText(k, field.path, range);
      if ('problem' in read) {
        this.problems.push(read.problem);
        return;
      }
      const parsed = parseYamlFileCached(read.file, read.text, this.options.parseLimits);
      const schema = parsed.problems.some((p) => p.severity === 'error') ? undefined : readCustomSchema(parsed.documents[0]?.value ?? null);
      if (!schema || 'error' in schema) {
        this.error('invalid-openapi', `invalid schema file '${field.path}': ${schema?.error ?? 'not JSON or YAML'}`, k.file, range);
        return;
      }
      state.set = true;
      state.schema = schema;
      setCustomSchema(schema);
      return;
    }
    if (version !== undefined && version !== '' && version !== BUILTIN_OPENAPI_VERSION) {
      this.error(
        'invalid-openapi',
        `the specified OpenAPI version '${version}' is not built in (only ${BUILTIN_OPENAPI_VERSION} is)`,
        k.file,
        range,
      );
      return;
    }
    if (version) state.set = true;
  }

  /**
   * Builds the kustomization in `dir`. `ancestors` are the roots on the way here (for cycle detection);
   * a Component works on its parent's accumulated resources instead of a fresh list.
   */
  buildTarget(k: Kustomization, ancestors: string[], inherited: Accumulation | undefined): Accumulation | undefined {
    let resources: Resource[] = inherited?.resources ?? [];
    let specs = inherited?.specs ?? emptyCustomFieldSpecs();
    let vars = inherited?.vars ?? [];
    const roots = [...ancestors, k.dir];
    const seen = new Map(resources.map((r) => [idKey(resId(r)), r]));

    // Resources (and the legacy `bases`, appended after them as kustomize does).
    const entries = [
      ...listField(k, 'resources').map((e) => ({ ...e, field: 'resources' })),
      ...listField(k, 'bases').map((e) => ({ ...e, field: 'bases' })),
    ];
    for (const entry of entries) {
      if (this.overBudget(k.file)) return undefined;
      const range = fieldRange(k, [entry.field, entry.index]);
      if (typeof entry.value !== 'string') {
        this.error('invalid-kustomization', `${entry.field} entries must be paths`, k.file, range);
        continue;
      }
      const added = this.accumulateEntry(k, entry.value, range, roots);
      if (added) {
        resources = this.appendAll(resources, added.resources, seen);
        specs = mergeCustomFieldSpecs(specs, added.specs);
        vars = this.mergeVars(vars, added.vars);
      }
    }
    if (this.failed) return undefined;

    specs = mergeCustomFieldSpecs(specs, this.readCustomFieldSpecs(k));
    if (this.failed) return undefined;

    this.reportUnsupported(k);
    if (this.failed) return undefined;

    const generatorPlugins = this.loadPluginConfigs(k, 'generators', roots, 'generator');
    this.plugins.set(k, {
      transformers: this.loadPluginConfigs(k, 'transformers', roots, 'transformer'),
      validators: this.loadPluginConfigs(k, 'validators', roots, 'transformer'),
    });
    if (this.failed) return undefined;

    resources = this.runGenerators(k, resources, generatorPlugins);
    if (this.failed) return undefined;

    for (const entry of listField(k, 'components')) {
      const range = fieldRange(k, ['components', entry.index]);
      if (typeof entry.value !== 'string') {
        this.error('invalid-kustomization', 'components entries must be paths', k.file, range);
        continue;
      }
      const resolved = resolveEntry(this.policy, k.dir, entry.value);
      if (!resolved.ok) {
        this.error(resolved.code, `component ${resolved.message}`, k.file, range);
        continue;
      }
      if (resolved.kind !== 'dir') {
        this.error(
          'invalid-component',
          `component '${entry.value}' must be a folder holding a kind: Component kustomization`,
          k.file,
          range,
        );
        continue;
      }
      const component = this.enterFolder(resolved.path, roots, k.file, range);
      if (!component) continue;
      if (component.kind !== 'Component') {
        this.error('component-kind', `expected kind 'Component' for path '${component.dir}' but got '${component.kind}'`, k.file, range);
        continue;
      }
      const out = this.buildTarget(component, roots, { resources, specs, vars });
      if (!out) return undefined;
      ({ resources, specs, vars } = out);
    }
    if (this.failed) return undefined;

    if (this.overBudget(k.file)) return undefined;
    resources = this.transform(k, resources, specs);
    if (this.failed) return undefined;
    const declared = this.readVars(k);
    this.problems.push(...bindVars(declared, resources));
    if (this.failed) return undefined;
    vars = this.mergeVars(vars, declared);
    return { resources, specs, vars };
  }

  readVars(k: Kustomization): VarDefinition[] {
    return listField(k, 'vars').flatMap((e) => {
      const v = e.value;
      if (!isObject(v) || typeof v.name !== 'string' || !isObject(v.objref)) return [];
      const fieldPath =
        isObject(v.fieldref) && typeof v.fieldref.fieldPath === 'string' && v.fieldref.fieldPath !== ''
          ? v.fieldref.fieldPath
          : 'metadata.name';
      return [{ name: v.name, objref: v.objref, fieldPath, origin: this.origin(k, 'transformer', `vars[${e.index}]`, ['vars', e.index]) }];
    });
  }

  mergeVars(into: VarDefinition[], more: VarDefinition[]): VarDefinition[] {
    const out = into.slice();
    for (const v of more) {
      if (out.some((o) => o.name === v.name)) {
        this.error('duplicate-var', `var '${v.name}' already encountered`, v.origin.file, v.origin.range);
        continue;
      }
      out.push(v);
    }
    return out;
  }

  /** Field specs from the kustomization's `configurations:` and `crds:` files. */
  readCustomFieldSpecs(k: Kustomization): CustomFieldSpecs {
    let specs = emptyCustomFieldSpecs();
    for (const field of ['configurations', 'crds'] as const) {
      for (const entry of listField(k, field)) {
        const range = fieldRange(k, [field, entry.index]);
        if (typeof entry.value !== 'string') {
          this.error('invalid-kustomization', `${field} entries must be paths`, k.file, range);
          continue;
        }
        const read = this.readReferencedText(k, entry.value, range);
        if ('problem' in read) {
          this.problems.push(read.problem);
          continue;
        }
        const parsed = parseYamlFileCached(read.file, read.text, this.options.parseLimits);
        if (parsed.problems.some((p) => p.severity === 'error')) {
          this.problems.push(...parsed.problems);
          continue;
        }
        const value = parsed.documents[0]?.value ?? null;
        if (field === 'crds') {
          specs = mergeCustomFieldSpecs(specs, configFromCrdSchemas(value));
          continue;
        }
        const { specs: more, error } = parseConfigurationFile(value);
        if (error || !more) this.error('invalid-configuration', `invalid transformer configuration '${entry.value}': ${error}`, read.file);
        else specs = mergeCustomFieldSpecs(specs, more);
      }
    }
    return specs;
  }

  /** Enters a kustomization folder referred to from `file`, refusing cycles as kustomize does. */
  enterFolder(dir: string, roots: string[], file: string, range: Range | undefined): Kustomization | undefined {
    const real = normalize(this.options.fs.realPath(dir));
    for (const visited of roots) {
      const realVisited = normalize(this.options.fs.realPath(visited));
      if (isWithin(realVisited, real)) {
        this.error('include-cycle', `cycle detected: candidate root '${real}' contains visited root '${realVisited}'`, file, range);
        return undefined;
      }
    }
    return this.loadKustomization(dir, { file, range });
  }

  accumulateEntry(k: Kustomization, ref: string, range: Range | undefined, roots: string[]): Accumulation | undefined {
    const resolved = resolveEntry(this.policy, k.dir, ref);
    if (!resolved.ok && resolved.code === 'remote-resource' && this.options.skipRemoteResources) {
      // The controller fetches it; a build here shows everything else and says what it leaves out.
      this.problems.push({
        code: 'remote-resource-skipped',
        severity: 'warning',
        message: `accumulating resources: ${ref} is remote: Flux fetches it, Flux Environments does not, so its objects are missing here`,
        file: k.file,
        ...(range ? { range } : {}),
      });
      return { resources: [], specs: emptyCustomFieldSpecs(), vars: [] };
    }
    if (!resolved.ok) {
      this.error(resolved.code, `accumulating resources: ${resolved.message}`, k.file, range);
      return undefined;
    }
    if (resolved.kind === 'file') {
      const resources = this.loadResourceFile(resolved.path, k.file, range);
      return resources && { resources, specs: emptyCustomFieldSpecs(), vars: [] };
    }
    if (path.posix.isAbsolute(ref)) {
      this.error('absolute-path', `new root '${ref}' cannot be absolute`, k.file, range);
      return undefined;
    }
    return this.buildFolder(resolved.path, roots, { file: k.file, range }, true)?.accumulation;
  }

  /**
   * Enters the kustomization folder `dir` and builds it (a resources entry, or the top when `roots` is
   * empty). An earlier build of the folder whose files are unchanged is reused from the cache.
   */
  buildFolder(
    dir: string,
    roots: string[],
    referredFrom: { file: string; range?: Range } | undefined,
    refuseComponent: boolean,
  ): { kustomization: Kustomization; accumulation: Accumulation } | undefined {
    const cache = this.options.cache;
    // After an error the build only goes on to report more; the cache is for builds that succeed. Builds
    // under a custom OpenAPI schema merge differently: they are not cached either.
    if (!cache || this.failed || this.options.openapi?.schema) return this.buildFolderUncached(dir, roots, referredFrom, refuseComponent);
    const key = this.cacheKey(dir);
    const hit = cache.lookup(key, this.options.fs, this.options.loadRestrictor, (entered) => !this.cycles(entered, roots));
    if (hit && !(refuseComponent && hit.kustomization.kind === 'Component')) {
      this.problems.push(...hit.problems);
      for (const file of hit.texts.keys()) this.filesRead.add(file);
      for (const d of hit.kustomizationDirs) this.kustomizationDirs.add(d);
      return { kustomization: hit.kustomization, accumulation: shareAccumulation(hit.accumulation) };
    }
    const child = new Build(this.options);
    const built = child.buildFolderUncached(dir, roots, referredFrom, refuseComponent);
    this.problems.push(...child.problems);
    for (const file of child.filesRead) this.filesRead.add(file);
    for (const d of child.kustomizationDirs) this.kustomizationDirs.add(d);
    // A large folder built at the top is rarely included elsewhere, and keeping it would cost a copy of every
    // object for the top-level steps (they change objects in place); its transformer results are kept anyway.
    const keep = roots.length > 0 || (built?.accumulation.resources.length ?? 0) < INCREMENTAL_MIN_OBJECTS;
    // A folder that set the build's schema must be entered again next time, to set it again.
    if (built && !child.failed && keep && !this.options.openapi?.set) {
      const texts = new Map<string, string>();
      for (const file of child.filesRead) texts.set(file, this.options.fs.readFile(file) ?? '');
      // The built objects become the cache's: never changed again, each its own identity (see own()).
      for (const r of built.accumulation.resources) r.identity = r;
      cache.store(key, {
        kustomization: built.kustomization,
        accumulation: built.accumulation,
        problems: child.problems,
        texts,
        kustomizationDirs: child.kustomizationDirs,
        loadRestrictor: this.options.loadRestrictor,
      });
      return { kustomization: built.kustomization, accumulation: shareAccumulation(built.accumulation) };
    }
    return built;
  }

  buildFolderUncached(
    dir: string,
    roots: string[],
    referredFrom: { file: string; range?: Range } | undefined,
    refuseComponent: boolean,
  ): { kustomization: Kustomization; accumulation: Accumulation } | undefined {
    const sub =
      roots.length === 0
        ? this.loadKustomization(dir, referredFrom)
        : this.enterFolder(dir, roots, referredFrom?.file ?? dir, referredFrom?.range);
    if (!sub) return undefined;
    if (refuseComponent && sub.kind === 'Component') {
      this.error('component-kind', `expected kind != 'Component' for path '${sub.dir}'`, referredFrom?.file ?? dir, referredFrom?.range);
      return undefined;
    }
    const accumulation = this.buildTarget(sub, roots, undefined);
    return accumulation && { kustomization: sub, accumulation };
  }

  /** What a cached build of `dir` (and its transformer memo) is filed under: the folder and the options that change what it reads. */
  cacheKey(dir: string): string {
    return `${dir}\u0000${this.options.repoRoot}${this.options.skipRemoteResources ? '\u0000skip-remote' : ''}${this.options.recordTransformations ? '\u0000transformations' : ''}${this.options.helm ? `\u0000helm:${this.options.helm.command}` : ''}${this.options.parseLimits ? JSON.stringify(this.options.parseLimits) : ''}`;
  }

  /** Whether entering any of `dirs` under the ancestors `roots` is an include cycle (enterFolder's check). */
  cycles(dirs: ReadonlySet<string>, roots: readonly string[]): boolean {
    if (roots.length === 0) return false;
    const realRoots = roots.map((r) => normalize(this.options.fs.realPath(r)));
    for (const d of dirs) {
      const real = normalize(this.options.fs.realPath(d));
      if (realRoots.some((r) => isWithin(r, real))) return true;
    }
    return false;
  }

  /** The objects of a YAML file, `kind: List` items expanded. */
  loadResourceFile(file: string, fromFile: string, fromRange: Range | undefined): Resource[] | undefined {
    const text = this.readText(file);
    if (text === undefined) {
      this.error('missing-path', `cannot read '${file}'`, fromFile, fromRange);
      return undefined;
    }
    const parsed = parseYamlFileCached(file, text, this.options.parseLimits);
    if (parsed.problems.length > 0) {
      this.problems.push(...parsed.problems);
      if (parsed.problems.some((p) => p.severity === 'error')) return undefined;
    }
    const out: Resource[] = [];
    for (const doc of parsed.documents) {
      if (doc.value === null) continue;
      if (!isObject(doc.value)) {
        this.error('invalid-resource', `expected a map of fields for a Kubernetes object in '${file}'`, file, doc.range);
        return undefined;
      }
      const objects = expandList(doc.value);
      for (const [i, object] of objects.entries()) {
        const source = { file, documentIndex: doc.index, range: objects.length > 1 ? (doc.locate(['items', i]) ?? doc.range) : doc.range };
        const problem = validateObject(object);
        if (problem) {
          this.error('invalid-resource', `${problem} in '${file}'`, file, source.range);
          return undefined;
        }
        const resource = makeResource(deepCopy(object), source);
        // The parsed value stays the same object while the file's text does (the parse cache).
        resource.identity = object;
        out.push(resource);
      }
    }
    return out;
  }

  /** Appends objects, refusing ids already present; `seen` indexes `into` by id and is kept up to date. */
  appendAll(into: Resource[], added: Resource[], seen: Map<string, Resource>): Resource[] {
    for (const r of added) {
      const key = idKey(resId(r));
      const existing = seen.get(key);
      if (existing) {
        this.error(
          'duplicate-resource',
          `may not add resource with an already registered id: ${idString(resId(r))}`,
          r.source.file,
          r.source.range,
          [{ file: existing.source.file, range: existing.source.range, message: 'first defined here' }],
        );
        continue;
      }
      seen.set(key, r);
      into.push(r);
    }
    return into;
  }

  /** `helmCharts` fail as kubectl without --enable-helm fails: naming the chart and the missing flag. */
  reportUnsupported(k: Kustomization): void {
    if (this.options.helm) return;
    for (const field of ['helmCharts', 'helmChartInflationGenerator']) {
      for (const entry of listField(k, field)) {
        const chart = isObject(entry.value) ? entry.value : {};
        this.reportHelmChart(field === 'helmCharts' ? chart : fromLegacyHelmArgs(chart), k.file, fieldRange(k, [field, entry.index]));
        return;
      }
    }
  }

  reportHelmChart(chart: JsonObject, file: string, range: Range | undefined): void {
    const name = typeof chart.name === 'string' && chart.name !== '' ? `'${chart.name}'` : '(no name)';
    this.error(
      'helm-not-enabled',
      `trouble configuring builtin HelmChartInflationGenerator for chart ${name}: must specify --enable-helm (kubectl kustomize --enable-helm); Flux renders charts with a HelmRelease instead`,
      file,
      range,
    );
  }

  /**
   * The plugin configs of `transformers:`, `generators:` or `validators:`: inline YAML, or files and
   * kustomization folders holding them (a folder is built like a resources entry, its own transformers
   * included). Only builtin kinds of the wanted sort are kept; anything else is reported as kubectl does.
   */
  loadPluginConfigs(
    k: Kustomization,
    field: 'transformers' | 'generators' | 'validators',
    roots: string[],
    as: 'transformer' | 'generator',
  ): PluginConfig[] {
    const configs: PluginConfig[] = [];
    for (const entry of listField(k, field)) {
      const range = fieldRange(k, [field, entry.index]);
      const step = `${field}[${entry.index}]`;
      if (typeof entry.value !== 'string') {
        this.error('invalid-kustomization', `${field} entries must be paths or inline YAML text`, k.file, range);
        continue;
      }
      const inline = inlinePluginObjects(k.file, entry.value, this.options.parseLimits);
      if (inline) {
        for (const object of inline) configs.push({ object, origin: { kind: 'transformer', step, file: k.file, range } });
        continue;
      }
      const added = this.accumulateEntry(k, entry.value, range, roots);
      for (const r of added?.resources ?? []) {
        configs.push({ object: r.object, origin: { kind: 'transformer', step, file: r.source.file, range: r.source.range } });
      }
    }
    for (const config of configs) {
      const o = config.object;
      const meta = isObject(o.metadata) ? o.metadata : {};
      const configuredBy: PluginIdentity = { apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? '') };
      if (typeof meta.name === 'string' && meta.name !== '') configuredBy.name = meta.name;
      if (typeof meta.namespace === 'string' && meta.namespace !== '') configuredBy.namespace = meta.namespace;
      config.origin = { ...config.origin, step: `${config.origin.step} ${configuredBy.kind}`, configuredBy };
      const problem = pluginLoadError(config.object, as);
      if (problem) this.error('plugin-not-loaded', problem, config.origin.file, config.origin.range);
    }
    return this.failed ? [] : configs;
  }

  pluginConfigs(k: Kustomization, field: 'transformers' | 'validators'): readonly PluginConfig[] {
    return this.plugins.get(k)?.[field] ?? [];
  }

  pluginHost(k: Kustomization): PluginHost {
    const failed = () => this.failed;
    return {
      get failed() {
        return failed();
      },
      error: (code, message, file, range) => this.error(code, message, file, range),
      readRelative: (rel, at) => {
        const read = this.readReferencedText(k, rel, at.file === k.file ? at.range : undefined);
        if ('problem' in read) {
          this.problems.push({ ...read.problem, file: at.file, range: at.range });
          return undefined;
        }
        return read;
      },
      replacementEntries: (entries, at) =>
        this.replacementsFrom(
          k,
          entries.map((value, index) => ({ value, index })),
          () => at.range,
        ),
    };
  }

  origin(k: Kustomization, kind: Origin['kind'], step: string, pathInFile: ReadonlyArray<string | number>): Origin {
    return { kind, step, file: k.file, range: fieldRange(k, pathInFile) };
  }

  context(k: Kustomization): TransformContext {
    // runTransformers is only ever given objects this build owns (see own()).
    return { kustomizationFile: k.file, problems: this.problems, ownsResources: true };
  }

  runGenerators(k: Kustomization, resources: Resource[], plugins: readonly PluginConfig[]): Resource[] {
    const globalOptions = isObject(k.fields.generatorOptions) ? k.fields.generatorOptions : undefined;
    const kinds: Array<['configMapGenerator' | 'secretGenerator', (i: GeneratorInput) => { resource?: Resource; problems: Problem[] }]> = [
      ['configMapGenerator', generateConfigMap],
      ['secretGenerator', generateSecret],
    ];
    for (const [field, generate] of kinds) {
      for (const entry of listField(k, field)) {
        const range = fieldRange(k, [field, entry.index]);
        if (!isObject(entry.value)) {
          this.error('invalid-kustomization', `${field} entries must be maps`, k.file, range);
          continue;
        }
        const { resource, problems } = generate({
          args: entry.value,
          globalOptions,
          namespace: typeof entry.value.namespace === 'string' ? entry.value.namespace : undefined,
          origin: this.origin(k, 'generator', `${field}[${entry.index}]`, [field, entry.index]),
          readFile: (rel) => this.readGeneratorFile(k, rel, range),
          listDir: (rel) => {
            const resolved = resolveEntry(this.policy, k.dir, rel);
            return resolved.ok && resolved.kind === 'dir' ? this.options.fs.readDir(resolved.path) : undefined;
          },
        });
        this.problems.push(...problems);
        if (!resource) continue;
        resources = this.absorbGenerated(resources, resource, k, range);
      }
    }
    const globals = isObject(k.fields.helmGlobals) ? k.fields.helmGlobals : undefined;
    for (const field of ['helmCharts', 'helmChartInflationGenerator']) {
      for (const entry of listField(k, field)) {
        const written = isObject(entry.value) ? entry.value : {};
        const chart = field === 'helmCharts' ? written : fromLegacyHelmArgs(written);
        const origin: Origin = {
          ...this.origin(k, 'generator', `${field}[${entry.index}]`, [field, entry.index]),
          configuredBy: { apiVersion: 'builtin', kind: 'HelmChartInflationGenerator' },
        };
        resources = this.inflateChart(k, chart, globals, origin, resources);
      }
    }
    // Builtin generator configs come after the kustomization's own generators; generatorOptions do not apply to them.
    for (const config of plugins) {
      const wanted = generatorArguments(config);
      if ('helmChart' in wanted) {
        if (this.options.helm)
          resources = this.inflateChart(k, wanted.helmChart, undefined, { ...config.origin, kind: 'generator' }, resources);
        else this.reportHelmChart(wanted.helmChart, config.origin.file, config.origin.range);
        continue;
      }
      if ('unsupported' in wanted) {
        this.error(
          'unsupported-plugin',
          `builtin ${wanted.unsupported} is not supported by the built-in renderer; choose an external renderer in settings for this kustomization`,
          config.origin.file,
          config.origin.range,
        );
        continue;
      }
      const range = config.origin.file === k.file ? config.origin.range : undefined;
      const generate = wanted.field === 'configMapGenerator' ? generateConfigMap : generateSecret;
      const { resource, problems } = generate({
        args: wanted.args,
        namespace: typeof wanted.args.namespace === 'string' && wanted.args.namespace !== '' ? wanted.args.namespace : undefined,
        origin: { ...config.origin, kind: 'generator' },
        readFile: (rel) => this.readGeneratorFile(k, rel, range),
        listDir: (rel) => {
          const resolved = resolveEntry(this.policy, k.dir, rel);
          return resolved.ok && resolved.kind === 'dir' ? this.options.fs.readDir(resolved.path) : undefined;
        },
      });
      this.problems.push(...problems);
      if (resource) resources = this.absorbGenerated(resources, resource, k, config.origin.range);
    }
    return resources;
  }

  /** One chart through helm (--enable-helm only), its objects absorbed like a generator's. */
  inflateChart(k: Kustomization, chart: JsonObject, globals: JsonObject | undefined, origin: Origin, resources: Resource[]): Resource[] {
    const helm = this.options.helm;
    if (!helm) return resources;
    const out = inflateHelmChart({
      chart,
      globals,
      helmCommand: helm.command,
      ...(helm.run ? { run: helm.run } : {}),
      origin,
      parseLimits: this.options.parseLimits,
      resolve: (rel) => {
        const resolved = resolveEntry(this.policy, k.dir, rel);
        if (!resolved.ok) return { problem: resolved.message };
        if (resolved.kind === 'file') this.readText(resolved.path);
        return { path: resolved.path, kind: resolved.kind };
      },
      // Every chart file is read as the build's own files are: it joins filesRead, so editing a template
      // invalidates this build, and helm is given these texts (an unsaved buffer included), not the disk's.
      files: {
        kind: (p) => this.options.fs.kind(p),
        readDir: (dir) => this.options.fs.readDir(dir),
        read: (file) => {
          const text = this.readText(file);
          if (text === undefined) return undefined;
          // Archives of dependencies (charts/*.tgz) are bytes; text files go as read.
          return /\.(tgz|gz|tar)$/i.test(file) ? (this.options.fs.readBytes?.(file) ?? text) : text;
        },
      },
    });
    this.problems.push(...out.problems);
    for (const r of out.resources) resources = this.absorbGenerated(resources, r, k, origin.range);
    return resources;
  }

  readGeneratorFile(
    k: Kustomization,
    rel: string,
    range: Range | undefined,
  ): { text: string; file: string; bytes?: Uint8Array } | { problem: Problem } {
    if (this.options.skipRemoteResources && isRemoteReference(rel)) {
      // As for remote resources: the generator is left out, and the build says so instead of failing.
      return {
        problem: {
          code: 'remote-resource-skipped',
          severity: 'warning',
          message: `${rel} is remote: Flux fetches it, Flux Environments does not, so the object generated from it is missing here`,
          file: k.file,
          ...(range ? { range } : {}),
        },
      };
    }
    const read = this.readReferencedText(k, rel, range);
    return 'problem' in read ? read : { ...read, bytes: this.options.fs.readBytes?.(read.file) };
  }

  /** A file the kustomization names, as text only: its bytes are read past any cache, so only generators ask for them. */
  readReferencedText(k: Kustomization, rel: string, range: Range | undefined): { text: string; file: string } | { problem: Problem } {
    const resolved = resolveEntry(this.policy, k.dir, rel);
    if (!resolved.ok || resolved.kind !== 'file') {
      const message = resolved.ok ? `'${rel}' is a folder, not a file` : resolved.message;
      return { problem: { code: resolved.ok ? 'missing-path' : resolved.code, severity: 'error', message, file: k.file, range } };
    }
    const text = this.readText(resolved.path);
    if (text === undefined) {
      return { problem: { code: 'missing-path', severity: 'error', message: `cannot read '${rel}'`, file: k.file, range } };
    }
    return { text, file: resolved.path };
  }

  /** A generated object joins the accumulation: created, or merged into / replacing one of the same id. */
  absorbGenerated(resources: Resource[], generated: Resource, k: Kustomization, range: Range | undefined): Resource[] {
    const id = resId(generated);
    const behavior = generated.generated?.behavior ?? 'create';
    const matches = resources.filter((r) => matchesAnyId(r, id));
    if (behavior === 'create') {
      if (matches.length > 0) {
        this.error(
          'duplicate-resource',
          `may not add resource with an already registered id: ${idString(id)}; use behavior: merge or replace to change a ${id.kind} of a base`,
          k.file,
          range,
        );
        return resources;
      }
      resources.push(generated);
      return resources;
    }
    if (matches.length !== 1) {
      this.error(
        'generator-no-base',
        matches.length === 0
          ? `id ${idString(id)} does not exist; cannot merge or replace`
          : `id ${idString(id)} matches ${matches.length} objects; cannot merge or replace`,
        k.file,
        range,
      );
      return resources;
    }
    const outcome = mergeGenerated(matches[0], generated);
    if (!outcome.resource) {
      this.error('generator-merge', outcome.problem ?? `cannot ${behavior} ${idString(id)}`, k.file, range);
      return resources;
    }
    return resources.map((r) => (r === matches[0] ? outcome.resource! : r));
  }

  /**
   * The kustomization's transformers over `resources`. With a cache, an object whose result is known (same
   * object, same kustomization, same texts of the patches that apply to it) reuses it, and the transformers
   * run over the other objects only, with only the patches that apply to them.
   */
  transform(k: Kustomization, resources: Resource[], specs: CustomFieldSpecs): Resource[] {
    const cache = this.options.cache;
    // Incremental runs transform some objects with some patches only: they cannot say which transformers ran.
    const plan =
      cache && !this.options.recordTransformations && !this.options.openapi?.schema
        ? planIncremental(k, resources, specs, {
            problems: this.problems,
            loadRestrictor: this.options.loadRestrictor,
            kustomizationText: () => this.options.fs.readFile(k.file),
            transformMemo: () => cache.transformMemo(this.cacheKey(k.dir)),
            patchConfig: (field, value, index) => this.patchConfig(k, field, value, index),
          })
        : undefined;
    if (!plan) return clearIdentities(this.runTransformers(k, resources.map(own), specs));
    const { memo, keys } = plan;
    const reused = resources.map((r, i) => (r.identity && keys[i] !== undefined ? memo.get(r.identity, keys[i]!) : undefined));
    const todo = resources.filter((_, i) => !reused[i]);
    const problemsBefore = this.problems.length;
    let done = todo;
    if (todo.length > 0) {
      const patches = new Set<number>();
      for (const [i, r] of resources.entries()) if (!reused[i]) plan.patchesOf.get(r)?.forEach((p) => patches.add(p));
      // Copies even of objects this build owns: if the subset run fails, the full run needs them unchanged.
      done = this.runTransformers(k, todo.map(cloneResource), specs, patches);
    }
    if (this.problems.length > problemsBefore || done.length !== todo.length) {
      // A problem, or an object added or removed: the whole list decides what happens (and what is said).
      this.problems.length = problemsBefore;
      return clearIdentities(this.runTransformers(k, resources.map(own), specs));
    }
    let next = 0;
    const out = resources.map((r, i) => {
      const hit = reused[i];
      if (hit) return cloneResource(hit);
      const result = done[next++];
      if (r.identity && keys[i] !== undefined) memo.set(r.identity, keys[i]!, cloneResource(result));
      return result;
    });
    return clearIdentities(out);
  }

  /** The kustomization's transformer steps (buildSteps.ts), over all of `resources` or, incrementally, with some patches only. */
  runTransformers(k: Kustomization, resources: Resource[], specs: CustomFieldSpecs, onlyPatches?: ReadonlySet<number>): Resource[] {
    return runTransformerSteps(resources, {
      kustomization: k,
      specs,
      context: this.context(k),
      build: this,
      onlyPatches,
      recordTransformations: this.options.recordTransformations,
    });
  }

  /** `replacements` entries are inline, or `- path: file.yaml` holding a list of them. */
  replacementEntries(k: Kustomization): JsonObject[] {
    return this.replacementsFrom(k, listField(k, 'replacements'), (index) => fieldRange(k, ['replacements', index]));
  }

  replacementsFrom(
    k: Kustomization,
    entries: Array<{ value: Json; index: number }>,
    rangeOf: (index: number) => Range | undefined,
  ): JsonObject[] {
    const out: JsonObject[] = [];
    for (const entry of entries) {
      const range = rangeOf(entry.index);
      if (!isObject(entry.value)) {
        this.error('invalid-kustomization', 'replacements entries must be maps', k.file, range);
        continue;
      }
      if (typeof entry.value.path === 'string') {
        const read = this.readReferencedText(k, entry.value.path, range);
        if ('problem' in read) {
          this.problems.push(read.problem);
          continue;
        }
        const parsed = parseYamlFileCached(read.file, read.text, this.options.parseLimits);
        this.problems.push(...parsed.problems);
        for (const doc of parsed.documents) {
          const v = doc.value;
          if (Array.isArray(v)) out.push(...(v.filter(isObject) as JsonObject[]));
          else if (isObject(v)) out.push(v);
        }
        continue;
      }
      out.push(entry.value);
    }
    return out;
  }

  patchConfig(k: Kustomization, field: 'patches' | 'patchesJson6902', value: Json, index: number): PatchConfig[] {
    const range = fieldRange(k, [field, index]);
    if (!isObject(value)) {
      this.error('invalid-kustomization', `${field} entries must be maps with path or patch`, k.file, range);
      return [];
    }
    const allowed = field === 'patches' ? ['path', 'patch', 'target', 'options'] : ['path', 'patch', 'target', 'op'];
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.error('unknown-field', `invalid Kustomization: json: unknown field "${key}"`, k.file, fieldRange(k, [field, index, key]));
      }
    }
    const origin = this.origin(k, 'patch', `${field}[${index}]`, [field, index]);
    const target = isObject(value.target) ? (stringRecord(value.target) as PatchConfig['target']) : undefined;
    const options = isObject(value.options)
      ? { allowNameChange: value.options.allowNameChange === true, allowKindChange: value.options.allowKindChange === true }
      : undefined;
    const hasPath = typeof value.path === 'string' && value.path !== '';
    const hasPatch = typeof value.patch === 'string' && value.patch !== '';
    if (hasPath && hasPatch) {
      this.error('invalid-patch', "patch and path can't be set at the same time", k.file, range);
      return [];
    }
    if (!hasPath && !hasPatch) {
      this.error('invalid-patch', 'must specify one of patch and path in ' + field, k.file, range);
      return [];
    }
    if (hasPath) {
      const read = this.readReferencedText(k, value.path as string, fieldRange(k, [field, index, 'path']));
      if ('problem' in read) {
        this.problems.push(read.problem);
        return [];
      }
      return [{ text: read.text, file: read.file, target, options, origin, parseLimits: this.options.parseLimits }];
    }
    const patchRange = k.document.locate([field, index, 'patch']);
    const lineOffset = inlineLineOffset(patchRange);
    return [
      {
        text: value.patch as string,
        file: k.file,
        lineOffset,
        columnOffset: this.indentOfLine(k.file, lineOffset),
        target,
        options,
        origin,
        parseLimits: this.options.parseLimits,
      },
    ];
  }

  /** Indentation of a line of a file already read: where the text of an inline block scalar starts. */
  indentOfLine(file: string, line: number | undefined): number | undefined {
    if (line === undefined) return undefined;
    const text = this.options.fs.readFile(file);
    const lineText = text?.split(/\r?\n/)[line];
    return lineText === undefined ? undefined : /^ */.exec(lineText)![0].length;
  }

  /** A `patchesStrategicMerge` entry is a path when such a file exists, else inline YAML. */
  legacyStrategicMergeConfig(k: Kustomization, value: Json, index: number): PatchConfig[] {
    const range = fieldRange(k, ['patchesStrategicMerge', index]);
    if (typeof value !== 'string') {
      this.error('invalid-kustomization', 'patchesStrategicMerge entries must be paths or inline YAML text', k.file, range);
      return [];
    }
    const origin = this.origin(k, 'patch', `patchesStrategicMerge[${index}]`, ['patchesStrategicMerge', index]);
    const looksInline = value.includes('\n') || /^\s*\{/.test(value);
    if (!looksInline) {
      const read = this.readReferencedText(k, value, range);
      if ('problem' in read) {
        this.problems.push(read.problem);
        return [];
      }
      return [{ text: read.text, file: read.file, origin, parseLimits: this.options.parseLimits }];
    }
    const lineOffset = inlineLineOffset(range);
    return [
      {
        text: value,
        file: k.file,
        lineOffset,
        columnOffset: this.indentOfLine(k.file, lineOffset),
        origin,
        parseLimits: this.options.parseLimits,
      },
    ];
  }
}

/**
 * A resource this build may change. Objects of a cached folder build are handed out without copying (most
 * are replaced by a remembered transformer result and never changed); they are their own identity, and
 * are copied here, where something is about to change them.
 */
function own(r: Resource): Resource {
  return r.identity === r ? cloneResource(r) : r;
}

/** A cached accumulation for a build to use: a fresh list of the cached objects, which it must own() before changing. */
function shareAccumulation(a: Accumulation): Accumulation {
  return { resources: a.resources.slice(), specs: a.specs, vars: a.vars };
}

/** Transformed objects are no longer what their identity stands for. */
function clearIdentities(resources: Resource[]): Resource[] {
  for (const r of resources) r.identity = undefined;
  return resources;
}

function inlineLineOffset(range: Range | undefined): number | undefined {
  // A block scalar's text starts on the line after its indicator.
  return range ? range.start.line + 1 : undefined;
}

/** The deprecated `helmChartInflationGenerator` entry (kustomize's HelmChartArgs) as a `helmCharts` entry, as kustomize converts it. */
function fromLegacyHelmArgs(args: JsonObject): JsonObject {
  const renamed: Record<string, string> = {
    chartName: 'name',
    chartVersion: 'version',
    chartRepoUrl: 'repo',
    releaseName: 'releaseName',
    releaseNamespace: 'namespace',
    values: 'valuesFile',
    valuesLocal: 'valuesInline',
    valuesMerge: 'valuesMerge',
    chartHome: 'chartHome',
  };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(args)) if (renamed[key]) out[renamed[key]] = value;
  return out;
}

/** The objects of an inline `transformers:`/`generators:` entry; undefined when the entry is a path instead. */
function inlinePluginObjects(file: string, text: string, parseLimits: Partial<ParseLimits> | undefined): JsonObject[] | undefined {
  // A path is one line; kustomize tries the text as YAML objects first and takes it as a path when that fails.
  if (!text.includes('\n') && !/^\s*\{/.test(text)) return undefined;
  const parsed = parseYamlFileCached(`${file}#inline`, text, parseLimits);
  if (parsed.problems.some((p) => p.severity === 'error')) return undefined;
  const objects = parsed.documents.map((d) => d.value).filter((v) => v !== null);
  return objects.length > 0 && objects.every(isObject) ? (objects as JsonObject[]) : undefined;
}

function idKey(id: ResId): string {
  return `${id.group}|${id.version}|${id.kind}|${id.namespace}|${id.name}`;
}

/** kustomize matches generator merges against an object's current id or any id it had before. */
function matchesAnyId(r: Resource, id: ResId): boolean {
  const same = (a: ResId) => a.group === id.group && a.kind === id.kind && a.name === id.name && a.namespace === id.namespace;
  return same(resId(r)) || r.previousIds.some(same);
}

function expandList(value: JsonObject): JsonObject[] {
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.filter(isObject) as JsonObject[];
  }
  return [value];
}

function validateObject(o: JsonObject): string | undefined {
  if (typeof o.kind !== 'string' || o.kind === '') return 'missing kind';
  if (!isObject(o.metadata)) return 'missing metadata';
  if (typeof o.metadata.name !== 'string' || o.metadata.name === '') {
    if (!(typeof o.metadata.generateName === 'string' && o.metadata.generateName !== '')) return 'missing metadata.name';
  }
  return undefined;
}

/** Builds the kustomization folder `dir` completely: what `kustomize build dir` prints, as resources. */
export function buildKustomization(dir: string, givenOptions: BuildOptions): BuildResult {
  const root = normalize(dir);
  const buildMetadata = peekBuildMetadata(root, givenOptions);
  // kustomize hands the top's buildMetadata down to every base it builds.
  const options: BuildOptions = {
    ...givenOptions,
    ...(buildMetadata.includes('transformerAnnotations') ? { recordTransformations: true } : {}),
    openapi: { set: false },
  };
  try {
    return buildWithOptions(root, options, buildMetadata);
  } finally {
    setCustomSchema(undefined);
  }
}

function buildWithOptions(root: string, options: BuildOptions, buildMetadata: string[]): BuildResult {
  const b = new Build(options);
  const finish = (resources: Resource[]): BuildResult => ({
    resources,
    problems: b.problems,
    filesRead: b.filesRead,
    kustomizationDirs: b.kustomizationDirs,
  });
  if (!isWithin(normalize(options.fs.realPath(root)), options.repoRoot)) {
    b.error('path-outside-repo', `'${root}' is outside the repository root '${options.repoRoot}'`, root);
    return finish([]);
  }
  const folder = b.buildFolder(root, [], undefined, false);
  if (!folder || b.failed) return finish([]);
  const { kustomization: k, accumulation: built } = folder;
  let resources = built.resources.map(own);

  const ctx: TransformContext = { kustomizationFile: k.file, problems: b.problems };
  const top: Origin = { kind: 'transformer', step: 'build', file: k.file };
  resources = hashSuffixTransformer(resources, { origin: { ...top, step: 'name hash suffix' } }, ctx);
  resources = nameReferenceTransformer(
    resources,
    { origin: { ...top, step: 'name references' }, extraBackReferences: built.specs.nameReference },
    ctx,
  );
  if (b.failed) return finish([]);
  resources = varsTransformer(
    resources,
    { vars: built.vars, extraFieldSpecs: built.specs.varReference, origin: { ...top, step: 'vars' } },
    ctx,
  );
  if (b.failed) return finish([]);
  resources = resources.filter((r) => !isLocalConfig(r.object));

  const sortOptions = readSortOptions(k, b);
  if (b.failed) return finish([]);
  const loadOrder = resources;
  resources = sortResources(resources, sortOptions ?? (options.reorder === 'legacy' ? { order: 'legacy' } : { order: 'fifo' }));
  const unreordered = sortOptions ? resources : loadOrder;

  if (buildMetadata.includes('originAnnotations')) {
    for (const r of resources) setOriginAnnotation(r, k.dir);
  }
  if (buildMetadata.includes('transformerAnnotations')) {
    for (const r of resources) setTransformationsAnnotation(r, k.dir);
  }
  const managedBy = options.enableManagedByLabel || buildMetadata.includes('managedByLabel');
  if (managedBy) for (const r of resources) setManagedBy(r.object);
  return { ...finish(resources), unreordered };
}

/** The top kustomization's `buildMetadata` options, read before the build (they change how bases are built). */
function peekBuildMetadata(root: string, options: BuildOptions): string[] {
  const lookup = findKustomizationFile(options.fs, root);
  if (lookup.found !== 'one') return [];
  const text = options.fs.readFile(lookup.file);
  if (text === undefined) return [];
  const { kustomization } = readKustomization(lookup.file, text, options.parseLimits);
  if (!kustomization) return [];
  return listField(kustomization, 'buildMetadata').flatMap((e) => (typeof e.value === 'string' ? [e.value] : []));
}

function isLocalConfig(o: JsonObject): boolean {
  const meta = o.metadata;
  if (!isObject(meta) || !isObject(meta.annotations)) return false;
  const v = meta.annotations['config.kubernetes.io/local-config'];
  return v === 'true' || v === true;
}

function readSortOptions(k: Kustomization, b: Build): SortOptions | undefined {
  const so = k.fields.sortOptions;
  if (!isObject(so)) return undefined;
  const order = so.order;
  const range = fieldRange(k, ['sortOptions']);
  if (order !== 'legacy' && order !== 'fifo') {
    b.error('invalid-kustomization', "the field 'sortOptions.order' must be one of [fifo, legacy]", k.file, range);
    return undefined;
  }
  const legacy = so.legacySortOptions;
  if (order === 'fifo') {
    if (legacy !== undefined && legacy !== null) {
      b.error(
        'invalid-kustomization',
        "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
        k.file,
        range,
      );
    }
    return { order: 'fifo' };
  }
  if (isObject(legacy)) {
    const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
    return { order: 'legacy', orderFirst: list(legacy.orderFirst), orderLast: list(legacy.orderLast) };
  }
  return { order: 'legacy' };
}
