// The index of one fleet repository: its YAML files (open editor buffers over disk), every
// kustomization and Flux object in them, the environments, and renders cached by what they read. An
// edit invalidates only the renders that read the edited file; everything else is reused.
import * as path from 'path';
import type { FluxBuildResult, FluxSourceTree } from '../flux/build';
import type { FindObject, StandInVars } from '../flux/substitute';
import { renderFluxKustomization } from '../flux/build';
import { classifyFluxObject, readFluxObject, type FluxKustomization, type FluxObject } from '../flux/objects';
import type { HelmOptions } from '../kustomize/build';
import { BuildCache } from '../kustomize/buildCache';
import type { FileSystem } from '../kustomize/fs';
import { CachingFileSystem, nodeFileSystem } from '../kustomize/fs';
import { KUSTOMIZATION_FILE_NAMES, readKustomization, type Kustomization } from '../kustomize/kustomization';
import { isWithin, normalize } from '../kustomize/loader';
import { renderKustomization, type RenderOutput } from '../kustomize/render';
import { isObject } from '../kustomize/resource';
import type { Problem } from '../kustomize/types';
import { parseYamlFileCached, type ParsedFile, type ParseLimits } from '../kustomize/yaml/parse';
import { customParseLimits, resolveLimits, type EngineLimits, type EngineLimitSettings } from './limits';
import { renderEnvironment, type EnvironmentRender } from './environmentRender';
import { discoverEnvironments, type Discovery, type Environment } from './environments';
import { isYamlFileName, scanFileSystem, scanFleet, type ScanLimits, type ScanResult } from './scan';
import { readStandIns, REPO_CONFIG_FILE, type StandInConfig } from './repoConfig';
import { LastByText } from './lastByText';
import { declaredFluxVersions, mayDeclareFluxVersion, strictSubstitutionByDefault, type DeclaredFluxVersion } from './fluxVersion';

export interface FleetSettings {
  /** Environment names in promotion order; names not listed are ordered by the usual conventions. */
  promotionOrder?: string[];
  /** Kept for callers that predate `limits`; `limits.scan` wins over it. */
  scanLimits?: Partial<ScanLimits>;
  /** Bounds on parsing, scanning and rendering (see limits.ts); unset values keep their defaults. */
  limits?: EngineLimitSettings;
  /**
   * Render kustomize `helmCharts` with helm (`kubectl kustomize --enable-helm`) in folder builds: the editor's
   * fluxEnvironments.helm.enabled in a trusted workspace, or the CLI's --enable-helm. Flux Kustomizations never
   * do: kustomize-controller does not run helm (fluxcd/kustomize-controller issues #548, #579 and #1284, closed
   * as wontfix), so a Flux build keeps the error it gives on the cluster.
   */
  helm?: HelmOptions;
}

export interface FleetIndexOptions {
  /**
   * Folder builds to share with other indexes: builds are kept by the texts they read, compared through
   * each reader's file system, so two revisions of one repository reuse every folder they agree on.
   */
  buildCache?: BuildCache;
  /** Find the files by walking the given file system (a git revision's tree) rather than the disk. */
  scanBase?: boolean;
}

/** A Flux object with the file and document it was read from. */
export interface IndexedFluxObject {
  object: FluxObject;
  file: string;
  documentIndex: number;
}

interface CachedRender<T> {
  value: T;
  deps: Set<string>;
}

/** What a remembered computation read: file texts, and whether it looked at the shape of the fleet. */
interface Reads {
  texts: Map<string, string | undefined>;
  shape: boolean;
  /**
   * Cached renders used: one stays in its cache exactly while no file it read has changed, so checking it
   * is still there stands for checking the texts of the thousands of files an overlay render reads.
   */
  renders: Map<CachedRender<unknown>, { cache: Map<string, CachedRender<unknown>>; key: string }>;
}

interface Remembered {
  value: unknown;
  reads: Reads;
  fileSetGeneration: number;
  shapeGeneration: number;
}

/**
 * The base file system, refusing to read content from outside the repository. Every reader (renders,
 * rules, features) goes through the index's file system, so one guard here keeps a symbolic link to
 * `~/.ssh` or a `../../` path from ever being read, whichever code path follows it. Kinds and resolved
 * paths stay visible so that callers can say *why* an entry is refused.
 */
function containedFileSystem(base: FileSystem, root: string): FileSystem {
  const inside = (p: string) => isWithin(normalize(base.realPath(p)), root);
  return {
    readFile: (f) => (inside(f) ? base.readFile(f) : undefined),
    readBytes: (f) => (!inside(f) ? undefined : base.readBytes ? base.readBytes(f) : undefined),
    readDir: (d) => (inside(d) ? base.readDir(d) : []),
    kind: (p) => base.kind(p),
    realPath: (p) => base.realPath(p),
  };
}

export class FleetIndex {
  readonly root: string;
  readonly fs: CachingFileSystem;
  private readonly buffers = new Map<string, string>();
  private files = new Set<string>();
  private scanResult: ScanResult = { files: [], skipped: [], truncated: false };
  private discovery: Discovery | undefined;
  /** An edit touched a file the Flux graph read: walk it again before it is next used. */
  private discoveryStale = false;
  private fluxObjectsCache: { list: IndexedFluxObject[]; problems: Problem[] } | undefined;
  private folderRenders = new Map<string, CachedRender<RenderOutput>>();
  private fluxRenders = new Map<string, CachedRender<FluxBuildResult>>();
  private environmentRenders = new Map<string, CachedRender<EnvironmentRender>>();
  /** Folder builds shared by every render of this index (previews, Flux builds, environments, rules' what-ifs). */
  readonly buildCache: BuildCache;
  /** The file system scanned instead of the disk (a git revision's tree), when `scanBase` is set. */
  private readonly scanSource: FileSystem | undefined;
  private readonly ownsBuildCache: boolean;
  private lastParses = new LastByText<ParsedFile>();
  private lastKustomizations = new LastByText<{ kustomization?: Kustomization; problems: Problem[] }>();
  /** Bumped on every change; consumers use it to know their own caches are stale. */
  version = 0;
  /** Bumped when files appear or disappear (what any lookup by path finds may differ). */
  private fileSetGeneration = 0;
  /** Bumped when the Flux objects or the environments may have changed. */
  private shapeGeneration = 0;
  private remembered = new Map<string, Remembered>();
  private sorted: { generation: number; all: string[]; kustomizations: string[] } | undefined;
  /** The computations running now under `remember`, innermost last: each read is recorded in all of them. */
  private tracking: Reads[] = [];
  readonly limits: EngineLimits;

  constructor(
    root: string,
    readonly settings: FleetSettings = {},
    base: FileSystem = nodeFileSystem,
    options: FleetIndexOptions = {},
  ) {
    this.buildCache = options.buildCache ?? new BuildCache();
    this.ownsBuildCache = options.buildCache === undefined;
    this.scanSource = options.scanBase ? base : undefined;
    this.root = normalize(base.realPath(normalize(root)));
    this.fs = new CachingFileSystem(containedFileSystem(base, this.root), this.buffers);
    this.fs.onRead = (file, text) => {
      for (const reads of this.tracking) reads.texts.set(file, text);
    };
    this.limits = resolveLimits({ ...settings.limits, scan: { ...settings.scanLimits, ...settings.limits?.scan } });
  }

  /** Walks the repository again from disk (first index, or after a change of ignore files). */
  scan(): ScanResult {
    this.scanResult = this.scanSource
      ? scanFileSystem(this.scanSource, this.root, this.limits.scan)
      : scanFleet(this.root, this.limits.scan);
    this.files = new Set(this.scanResult.files);
    for (const f of this.buffers.keys()) if (this.isIndexable(f)) this.files.add(f);
    this.fs.createdOrDeleted(this.root);
    this.invalidateAll();
    return this.scanResult;
  }

  get skipped(): ScanResult['skipped'] {
    return this.scanResult.skipped;
  }

  isIndexable(file: string): boolean {
    return (
      isWithin(file, this.root) &&
      isYamlFileName(path.posix.basename(file)) &&
      !/\/(\.git|node_modules)\//.test(file.slice(this.root.length))
    );
  }

  yamlFiles(): string[] {
    this.readsShape();
    return this.sortedFiles().all.slice();
  }

  /** The file list sorted, and its kustomization files, kept until files appear or disappear (every rule asks). */
  private sortedFiles(): { all: string[]; kustomizations: string[] } {
    if (this.sorted?.generation !== this.fileSetGeneration) {
      const all = [...this.files].sort();
      const kustomizations = all.filter((f) => (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.posix.basename(f)));
      this.sorted = { generation: this.fileSetGeneration, all, kustomizations };
    }
    return this.sorted;
  }

  /**
   * The value `compute` gave for `key` last time, while every file it read has the same text and, if it
   * looked at the fleet's shape (Flux objects, environments, the list of files), that shape is unchanged;
   * else computes it again. Reads go through this index (texts, parses, renders, other remembered values),
   * so a rule remembered per file re-runs only when a file it depends on changed. `keep` false (e.g. the
   * computation was cancelled half way) returns the value without remembering it.
   */
  remember<T>(key: string, compute: () => T, keep: (value: T) => boolean = () => true): T {
    // The graph is walked again first, so that a value knows whether the shape it looked at changed.
    if (this.discoveryStale) this.currentDiscovery();
    const hit = this.remembered.get(key);
    if (
      hit &&
      hit.fileSetGeneration === this.fileSetGeneration &&
      (!hit.reads.shape || hit.shapeGeneration === this.shapeGeneration) &&
      this.unchanged(hit.reads)
    ) {
      this.noteReads(hit.reads);
      return hit.value as T;
    }
    const reads: Reads = { texts: new Map(), shape: false, renders: new Map() };
    const generations = { fileSetGeneration: this.fileSetGeneration, shapeGeneration: this.shapeGeneration };
    this.tracking.push(reads);
    let value: T;
    try {
      value = compute();
    } finally {
      this.tracking.pop();
    }
    this.noteReads(reads);
    if (keep(value)) this.remembered.set(key, { value, reads, ...generations });
    else this.remembered.delete(key);
    return value;
  }

  private unchanged(reads: Reads): boolean {
    for (const [entry, at] of reads.renders) if (at.cache.get(at.key) !== entry) return false;
    // The file system's onRead would record these reads in the computations running now: do it once, below.
    const onRead = this.fs.onRead;
    this.fs.onRead = undefined;
    try {
      for (const [file, text] of reads.texts) if (this.fs.readFile(file) !== text) return false;
      return true;
    } finally {
      this.fs.onRead = onRead;
    }
  }

  /** A value reused inside a running computation makes that computation depend on what the value read. */
  private noteReads(reads: Reads): void {
    for (const outer of this.tracking) {
      for (const [file, text] of reads.texts) outer.texts.set(file, text);
      for (const [entry, at] of reads.renders) outer.renders.set(entry, at);
      if (reads.shape) outer.shape = true;
    }
  }

  private readsShape(): void {
    for (const reads of this.tracking) reads.shape = true;
  }

  /** A cached render used inside a remembered computation: the computation depends on what the render read. */
  private usesRender<T>(cache: Map<string, CachedRender<T>>, key: string, entry: CachedRender<T>): void {
    for (const reads of this.tracking)
      reads.renders.set(entry as CachedRender<unknown>, { cache: cache as Map<string, CachedRender<unknown>>, key });
  }

  text(file: string): string | undefined {
    return this.fs.readFile(file);
  }

  parsed(file: string): ParsedFile | undefined {
    const text = this.fs.readFile(file);
    if (text === undefined) return undefined;
    return this.lastParses.get(file, text, () => parseYamlFileCached(file, text, this.customParseLimits()));
  }

  /** The configured parse limits, or undefined when they are the defaults: parses with the defaults share one cache entry. */
  private customParseLimits(): ParseLimits | undefined {
    return customParseLimits(this.limits.parse);
  }

  /** When a render started now must stop: a huge or hostile fleet gets a render-time-limit error, not a hang. */
  private renderDeadline(): number {
    return Date.now() + this.limits.render.renderTimeBudgetMs;
  }

  /** An editor opened or edited a document: its text wins over disk. Returns what the change affects. */
  setBuffer(file: string, text: string): void {
    const known = this.files.has(file) || this.buffers.has(file);
    if (this.buffers.get(file) === text) return;
    this.buffers.set(file, text);
    if (this.isIndexable(file)) this.files.add(file);
    if (known) this.contentChanged(file);
    else this.createdOrDeleted(file);
  }

  /** The editor closed a document: disk is the truth again. */
  closeBuffer(file: string): void {
    if (!this.buffers.delete(file)) return;
    this.fs.changed(file);
    if (this.fs.kind(file) !== 'file') {
      this.files.delete(file);
      this.createdOrDeleted(file);
    } else this.contentChanged(file);
  }

  /** A file changed on disk (file watcher). */
  diskChanged(file: string): void {
    this.fs.changed(file);
    if (!this.buffers.has(file)) this.contentChanged(file);
  }

  diskCreated(file: string): void {
    this.fs.createdOrDeleted(file);
    if (this.isIndexable(file)) this.files.add(file);
    if (/(^|\/)\.(git|source|krm)ignore$/.test(file)) {
      this.scan();
      return;
    }
    this.createdOrDeleted(file);
  }

  diskDeleted(file: string): void {
    this.fs.createdOrDeleted(file);
    if (!this.buffers.has(file)) this.files.delete(file);
    this.createdOrDeleted(file);
  }

  private contentChanged(file: string): void {
    this.version++;
    const declared = this.strictDefault;
    if (declared && (declared.byFile.has(file) || mayDeclareFluxVersion(file, this.text(file) ?? ''))) {
      // Only this file's declaration is read again; when the declared version changes strict substitution,
      // every render and the graph are stale.
      const versions = declaredFluxVersions(
        [file],
        (f) => this.text(f),
        (f) => this.parsed(f),
      );
      if (versions.length > 0) declared.byFile.set(file, versions);
      else declared.byFile.delete(file);
      const value = strictSubstitutionByDefault([...declared.byFile.values()].flat());
      if (value !== declared.value) {
        this.invalidateAll();
        return;
      }
    }
    const structural = this.isStructural(file);
    if (structural) {
      this.discovery = undefined;
      this.fluxObjectsCache = undefined;
      this.shapeGeneration++;
    } else if (this.discovery?.graph?.filesRead.has(file)) this.discoveryStale = true;
    for (const cache of [this.folderRenders, this.fluxRenders, this.environmentRenders] as Array<Map<string, CachedRender<unknown>>>) {
      for (const [key, entry] of cache) if (entry.deps.has(file)) cache.delete(key);
    }
    // Environments are keyed by their Kustomizations; a change in one re-discovers them.
    if (structural) this.environmentRenders.clear();
  }

  private createdOrDeleted(file: string): void {
    void file;
    this.invalidateAll();
  }

  private invalidateAll(): void {
    this.version++;
    this.strictDefault = undefined;
    this.lastParses.clear();
    this.lastKustomizations.clear();
    this.fileSetGeneration++;
    this.shapeGeneration++;
    this.remembered.clear();
    // A shared cache belongs to the index that lent it: a revision's index (whose files never change) must
    // not throw away the live index's builds when it is first scanned.
    if (this.ownsBuildCache) this.buildCache.clear();
    this.discovery = undefined;
    this.fluxObjectsCache = undefined;
    this.folderRenders.clear();
    this.fluxRenders.clear();
    this.environmentRenders.clear();
  }

  /** Files whose content decides the shape of the fleet (Flux objects), not only what one render prints. */
  private isStructural(file: string): boolean {
    return this.fluxObjects().list.some((o) => o.file === file) || this.fileHasFluxObject(file);
  }

  private fileHasFluxObject(file: string): boolean {
    const parsed = this.parsed(file);
    return !!parsed?.documents.some((d) => isObject(d.value) && classifyFluxObject(d.value) !== undefined);
  }

  kustomizationFiles(): string[] {
    this.readsShape();
    return this.sortedFiles().kustomizations.slice();
  }

  kustomization(file: string): { kustomization?: Kustomization; problems: Problem[] } {
    const text = this.fs.readFile(file) ?? '';
    return this.lastKustomizations.get(file, text, () => readKustomization(file, text, this.customParseLimits()));
  }

  /** Every Flux object of the repository, with the problems of reading them. */
  fluxObjects(): { list: IndexedFluxObject[]; problems: Problem[] } {
    this.readsShape();
    if (this.fluxObjectsCache) return this.fluxObjectsCache;
    const list: IndexedFluxObject[] = [];
    const problems: Problem[] = [];
    for (const file of this.yamlFiles()) {
      const parsed = this.parsed(file);
      if (!parsed) continue;
      for (const doc of parsed.documents) {
        if (!isObject(doc.value) || !classifyFluxObject(doc.value)) continue;
        const read = readFluxObject(doc.value, { file, documentIndex: doc.index, range: doc.range, rangeOf: (p) => doc.locate(p) });
        problems.push(...read.problems);
        if (read.value) list.push({ object: read.value, file, documentIndex: doc.index });
      }
    }
    this.fluxObjectsCache = { list, problems };
    return this.fluxObjectsCache;
  }

  /**
   * The environments, from the Flux graph. The graph follows what each Kustomization renders, so an edit of
   * any file it read may change it: it is walked again then (over the cached builds, so only what the edit
   * touched is built again), and the fleet's shape counts as changed only when the graph did.
   */
  environments(): Discovery {
    this.readsShape();
    return this.currentDiscovery();
  }

  private currentDiscovery(): Discovery {
    if (this.discovery && !this.discoveryStale) return this.discovery;
    const previous = this.discovery;
    const next = discoverEnvironments({
      repoRoot: this.root,
      files: this.yamlFiles(),
      fs: this.fs,
      promotionOrder: this.settings.promotionOrder,
      maxKustomizations: this.limits.render.maxKustomizationsPerEnvironment,
      parseLimits: this.customParseLimits(),
      deadline: this.renderDeadline(),
      cache: this.buildCache,
      renderIndependent: (ks, source, variables) => this.renderFlux(ks, source, variables),
      standInsFor: (cluster) => this.standIns().byEnvironment.get(cluster),
      strictSubstitution: this.strictSubstitution(),
    });
    this.discovery = next;
    this.discoveryStale = false;
    this.environmentRenders.clear();
    if (previous && !sameShape(previous, next)) this.shapeGeneration++;
    return next;
  }

  private strictDefault: { value: boolean; byFile: Map<string, DeclaredFluxVersion[]> } | undefined;
  /**
   * Whether `${VAR}` substitution is strict: as `.fluxenv.yaml` says, else as the Flux version the fleet
   * declares implies (fleet/fluxVersion.ts), kept per declaring file and updated file by file on edits.
   */
  strictSubstitution(): boolean {
    const config = this.standIns();
    if (config.strictSubstitutionWritten) return config.strictSubstitution;
    if (!this.strictDefault) {
      const byFile = new Map<string, DeclaredFluxVersion[]>();
      for (const v of declaredFluxVersions(
        this.yamlFiles(),
        (file) => this.text(file),
        (file) => this.parsed(file),
      ))
        byFile.set(v.file, [...(byFile.get(v.file) ?? []), v]);
      this.strictDefault = { value: strictSubstitutionByDefault([...byFile.values()].flat()), byFile };
    }
    return this.strictDefault.value;
  }

  private standInConfig: { key: string; config: StandInConfig } | undefined;
  /** `.fluxenv.yaml` substitutions and strictSubstitution, kept while the texts they were read from are unchanged. */
  standIns(): StandInConfig {
    const configFile = path.posix.join(this.root, REPO_CONFIG_FILE);
    const textOf = (file: string) => (this.fs.kind(file) === 'file' ? this.fs.readFile(file) : undefined) ?? '\u0000missing';
    const known = this.standInConfig;
    if (known) {
      const files = new Set([configFile, ...[...known.config.byEnvironment.values()].flatMap((e) => e.files)]);
      if (known.key === [...files].map((f) => `${f}\u0000${textOf(f)}`).join('\u0001')) return known.config;
    }
    const config = readStandIns(this.root, this.fs, (file) => this.parsed(file));
    const files = new Set([configFile, ...[...config.byEnvironment.values()].flatMap((e) => e.files)]);
    this.standInConfig = { key: [...files].map((f) => `${f}\u0000${textOf(f)}`).join('\u0001'), config };
    return config;
  }

  environment(name: string): Environment | undefined {
    return this.environments().environments.find((e) => e.name === name);
  }

  /**
   * Renders, one at a time, every kustomization folder and environment whose render an edit made stale,
   * deepest folders first (bases before the overlays that include them, which then reuse their builds),
   * giving way between renders so that a newer edit stops the work there (`isStale`). Rules and previews
   * then find the renders cached. Returns false when stopped.
   */
  async prepareRenders(isStale: () => boolean, giveWay: () => Promise<void>): Promise<boolean> {
    const depth = (dir: string) => dir.split('/').length;
    const folders = this.kustomizationFiles()
      .map((f) => path.posix.dirname(f))
      .sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : a > b ? 1 : 0));
    for (const dir of folders) {
      if (this.folderRenders.has(normalize(dir))) continue;
      await giveWay();
      if (isStale()) return false;
      this.renderFolder(dir);
    }
    for (const env of this.environments().environments) {
      if (this.environmentRenders.has(env.name)) continue;
      await giveWay();
      if (isStale()) return false;
      this.renderEnvironment(env);
    }
    return true;
  }

  /** kustomize build of a folder (root-only restriction, like `kustomize build`). */
  renderFolder(dir: string): RenderOutput {
    const key = normalize(dir);
    const hit = this.folderRenders.get(key);
    if (hit) {
      this.usesRender(this.folderRenders, key, hit);
      return hit.value;
    }
    const value = renderKustomization(key, {
      fs: this.fs,
      repoRoot: this.root,
      parseLimits: this.customParseLimits(),
      deadline: this.renderDeadline(),
      cache: this.buildCache,
      ...(this.settings.helm ? { helm: this.settings.helm } : {}),
    });
    this.capObjects(value.resources, value.problems, key);
    const deps = new Set(value.filesRead);
    value.problems.forEach((p) => deps.add(p.file));
    const entry = { value, deps };
    this.folderRenders.set(key, entry);
    this.usesRender(this.folderRenders, key, entry);
    return value;
  }

  renderEnvironment(asked: Environment): EnvironmentRender {
    this.readsShape();
    // A caller may hold an environment of a graph an edit has made stale: render the current one of that name.
    const env = this.discoveryStale ? (this.currentDiscovery().environments.find((e) => e.name === asked.name) ?? asked) : asked;
    const hit = this.environmentRenders.get(env.name);
    if (hit) {
      this.usesRender(this.environmentRenders, env.name, hit);
      return hit.value;
    }
    const value = renderEnvironment(env, {
      repoRoot: this.root,
      fs: this.fs,
      parseLimits: this.customParseLimits(),
      deadline: this.renderDeadline(),
      cache: this.buildCache,
      renderFolder: (dir) => this.renderFolder(dir),
    });
    this.capObjects(value.objects, value.problems, env.kustomizations[0]?.place.file ?? env.dirs[0] ?? this.root);
    const deps = new Set(value.filesRead);
    value.problems.forEach((p) => deps.add(p.file));
    env.kustomizations.forEach((k) => deps.add(k.place.file));
    const entry = { value, deps };
    this.environmentRenders.set(env.name, entry);
    this.usesRender(this.environmentRenders, env.name, entry);
    return value;
  }

  /** The environments whose render reads `file` (for re-checking only what an edit affects). */
  environmentsReading(file: string): Environment[] {
    return this.environments().environments.filter((env) => this.environmentRenders.get(env.name)?.deps.has(file) ?? true);
  }

  renderFluxKustomization(ks: IndexedFluxObject): FluxBuildResult | undefined {
    if (ks.object.kind !== 'Kustomization') return undefined;
    return this.renderFlux(ks.object);
  }

  /** What kustomize-controller applies for the Kustomization, without variables from other objects (substituteFrom). */
  private renderFlux(
    ks: FluxKustomization,
    source?: FluxSourceTree,
    variables?: { findObject: FindObject; key: string; standIns?: StandInVars & { files: readonly string[] } },
  ): FluxBuildResult {
    // The same document applied by two parents may have been changed by them (targetNamespace, prefixes): key by
    // content, and by the ConfigMaps and Secrets its substituteFrom reads.
    const strict = this.strictSubstitution();
    const context = `${strict}\u0000${source?.root ?? ''}`;
    const key = renderKeyOf(ks, variables ? `${context}\u0000${variables.key}` : context);
    const hit = this.fluxRenders.get(key);
    if (hit) {
      this.usesRender(this.fluxRenders, key, hit);
      return hit.value;
    }
    const value = renderFluxKustomization(ks, {
      fs: this.fs,
      repoRoot: this.root,
      ...(source ? { source } : {}),
      ...(variables ? { findObject: variables.findObject } : {}),
      ...(variables?.standIns ? { standIns: variables.standIns } : {}),
      strictSubstitution: strict,
      parseLimits: this.customParseLimits(),
      deadline: this.renderDeadline(),
      cache: this.buildCache,
      // A folder render with helm enabled is not what kustomize-controller builds (it never runs helm).
      ...(this.settings.helm ? {} : { renderFolder: (dir: string) => this.renderFolder(dir) }),
    });
    this.capObjects(value.resources, value.problems, ks.place.file);
    // .fluxenv.yaml decides strict substitution and the stand-ins of every Kustomization with a postBuild.
    if (ks.postBuild) value.filesRead.add(path.posix.join(this.root, REPO_CONFIG_FILE));
    const deps = new Set(value.filesRead);
    deps.add(ks.place.file);
    const entry = { value, deps };
    this.fluxRenders.set(key, entry);
    this.usesRender(this.fluxRenders, key, entry);
    return value;
  }

  /** Cuts a render that produced more objects than the limit allows, and says so, so later stages stay bounded. */
  private capObjects(objects: unknown[], problems: Problem[], file: string): void {
    const max = this.limits.render.maxObjectsPerRender;
    if (objects.length <= max) return;
    problems.push({
      code: 'render-limit',
      severity: 'error',
      file,
      message: `the render produced ${objects.length} objects, more than the ${max} allowed (setting fluxEnvironments.limits.render.maxObjectsPerRender); only the first ${max} are kept`,
    });
    objects.length = max;
  }
}

/**
 * A Kustomization's content as text, once per object: a walk of the graph after an edit meets again the
 * same objects for every Kustomization whose parent's render it reused, and Kustomizations are never
 * changed once read.
 */
const contents = new WeakMap<FluxKustomization, { all: string; asApplied: string }>();
function contentsOf(ks: FluxKustomization): { all: string; asApplied: string } {
  let known = contents.get(ks);
  if (!known)
    contents.set(ks, (known = { all: JSON.stringify(ks), asApplied: JSON.stringify([ks.place.file, ks.place.documentIndex, ks.object]) }));
  return known;
}

/**
 * The key of a Flux render: the Kustomization's place and content, its source and variables. The same
 * string object for the same Kustomization object, so that looking it up again does not hash its text again.
 */
const renderKeys = new WeakMap<FluxKustomization, Map<string, string>>();
function renderKeyOf(ks: FluxKustomization, context: string): string {
  let keys = renderKeys.get(ks);
  if (!keys) renderKeys.set(ks, (keys = new Map()));
  let key = keys.get(context);
  if (key === undefined) {
    key = `${ks.place.file}#${ks.place.documentIndex}#${context}#${contentsOf(ks).all}`;
    // A Kustomization reads its variables from a few ConfigMaps and Secrets at most; their contents vary.
    if (keys.size >= 16) keys.clear();
    keys.set(context, key);
  }
  return key;
}

/** Whether two discoveries look the same to other computations: environments and their Kustomizations as applied. */
function sameShape(a: Discovery, b: Discovery): boolean {
  if (a.environments.length !== b.environments.length) return false;
  return a.environments.every((e, i) => {
    const f = b.environments[i];
    return (
      e.name === f.name &&
      e.kind === f.kind &&
      JSON.stringify(e.dirs) === JSON.stringify(f.dirs) &&
      e.kustomizations.length === f.kustomizations.length &&
      e.kustomizations.every((k, j) => k === f.kustomizations[j] || contentsOf(k).asApplied === contentsOf(f.kustomizations[j]).asApplied)
    );
  });
}
