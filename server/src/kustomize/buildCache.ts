// Builds of kustomization folders kept between renders. A fleet's overlays include the same bases again
// and again, the language server renders the same overlay for several purposes (a folder preview, the
// Flux Kustomization that applies it, the environment it belongs to, a rule's what-if), and an edit
// changes one or two files: every build of a folder whose files are unchanged is reused.
//
// An entry is valid while every file the build read still has the text it had (compared through the file
// system of the build asking, so unsaved buffers and Flux's rewritten kustomizations are respected).
// Creating or deleting files can change what a build would find without changing any text it read: the
// owner clears the cache then. Only builds without errors are kept; their objects are never handed out,
// only copies, because transformers change objects in place.
import type { LoadRestrictor } from './loader';
import type { Kustomization } from './kustomization';
import type { CustomFieldSpecs } from './transformerConfig';
import type { VarDefinition } from './transformers/vars';
import type { FileSystem } from './fs';
import { TransformMemo } from './transformMemo';
import type { Problem, Resource } from './types';

/** What building one kustomization folder yields before the top-only steps (hashes, references, sort). */
export interface Accumulation {
  resources: Resource[];
  specs: CustomFieldSpecs;
  /** Legacy `vars`, resolved once at the top. */
  vars: VarDefinition[];
}

export interface CachedFolderBuild {
  kustomization: Kustomization;
  accumulation: Accumulation;
  /** Warnings of the build (errors are never cached). */
  problems: Problem[];
  /** Every file read, with the text it had. */
  texts: Map<string, string>;
  /** Every kustomization folder entered, for the include-cycle check against the new ancestors. */
  kustomizationDirs: Set<string>;
  /** A root-only build without errors is also what an unrestricted build gives; not the other way round. */
  loadRestrictor: LoadRestrictor;
}

export interface BuildCacheStats {
  hits: number;
  misses: number;
  entries: number;
  objects: number;
  /** Objects whose transformer results were reused instead of computed. */
  reusedObjects: number;
}

/** Versions of one folder kept at once (e.g. the file on disk, an unsaved buffer, Flux's rewritten kustomization). */
const VERSIONS_PER_FOLDER = 3;

export class BuildCache {
  private folders = new Map<string, CachedFolderBuild[]>();
  private memos = new Map<string, TransformMemo>();
  private objects = 0;
  private counters = { hits: 0, misses: 0 };

  /**
   * @param maxObjects bound on the objects held in all entries; the least recently used folders go first.
   */
  constructor(private readonly maxObjects = 200_000) {}

  /** A valid earlier build of `dir` under these options, or undefined. `acceptDirs` vets the folders it entered. */
  lookup(
    key: string,
    fs: FileSystem,
    loadRestrictor: LoadRestrictor,
    acceptDirs: (dirs: ReadonlySet<string>) => boolean,
  ): CachedFolderBuild | undefined {
    const versions = this.folders.get(key);
    if (versions) {
      for (const entry of versions) {
        if (entry.loadRestrictor !== loadRestrictor && entry.loadRestrictor !== 'rootOnly') continue;
        if (!sameTexts(entry.texts, fs)) continue;
        if (!acceptDirs(entry.kustomizationDirs)) continue;
        // Most recently used last, both among folders and among a folder's versions.
        this.folders.delete(key);
        this.folders.set(key, [entry, ...versions.filter((v) => v !== entry)]);
        this.counters.hits++;
        return entry;
      }
    }
    this.counters.misses++;
    return undefined;
  }

  store(key: string, entry: CachedFolderBuild): void {
    const versions = (this.folders.get(key) ?? []).filter(
      (v) => !sameTextMaps(v.texts, entry.texts) || v.loadRestrictor !== entry.loadRestrictor,
    );
    const kept = [entry, ...versions].slice(0, VERSIONS_PER_FOLDER);
    for (const v of this.folders.get(key) ?? []) this.objects -= v.accumulation.resources.length;
    for (const v of kept) this.objects += v.accumulation.resources.length;
    this.folders.delete(key);
    this.folders.set(key, kept);
    this.evict();
  }

  /** The transformers' per-object results for the kustomization in `dir` (and these options). */
  transformMemo(key: string): TransformMemo {
    let memo = this.memos.get(key);
    if (!memo) this.memos.set(key, (memo = new TransformMemo()));
    return memo;
  }

  /** Files appeared or disappeared: what any build would find may have changed. */
  clear(): void {
    this.folders.clear();
    this.memos.clear();
    this.objects = 0;
  }

  stats(): BuildCacheStats {
    let entries = 0;
    for (const v of this.folders.values()) entries += v.length;
    let reusedObjects = 0;
    for (const m of this.memos.values()) reusedObjects += m.reused;
    return { ...this.counters, entries, objects: this.objects, reusedObjects };
  }

  private evict(): void {
    while (this.objects > this.maxObjects && this.folders.size > 0) {
      const [oldest, versions] = this.folders.entries().next().value as [string, CachedFolderBuild[]];
      for (const v of versions) this.objects -= v.accumulation.resources.length;
      this.folders.delete(oldest);
    }
  }
}

function sameTexts(texts: ReadonlyMap<string, string>, fs: FileSystem): boolean {
  for (const [file, text] of texts) if (fs.readFile(file) !== text) return false;
  return true;
}

function sameTextMaps(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, text] of a) if (b.get(file) !== text) return false;
  return true;
}
