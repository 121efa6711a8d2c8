// The renderer's front door: render a kustomization folder to what `kubectl kustomize` prints.
import * as path from 'path';
import { buildKustomization, type BuildResult, type HelmOptions } from './build';
import type { BuildCache } from './buildCache';
import { nodeFileSystem, type FileSystem } from './fs';
import { normalize } from './loader';
import type { LoadRestrictor } from './loader';
import type { Problem, Resource } from './types';
import { emitDocuments, outputProblem } from './yaml/emit';
import type { ParseLimits } from './yaml/parse';

export interface RenderOptions {
  loadRestrictor: 'rootOnly' | 'none';
  reorder: 'legacy' | 'none';
  enableManagedByLabel: boolean;
  /** Nothing outside it is ever read. Defaults to the enclosing git work tree, else the file-system root. */
  repoRoot?: string;
  fs?: FileSystem;
  /** Bounds on every YAML file the render parses; a file past them is a `yaml-limit` problem. Defaults when unset. */
  parseLimits?: Partial<ParseLimits>;
  /** Epoch milliseconds after which the render stops with a render-time-limit error. */
  deadline?: number;
  /** Folder builds kept between renders; unchanged folders are not built again. */
  cache?: BuildCache;
  /** Leave remote `resources` entries out with a warning instead of failing the build. */
  skipRemoteResources?: boolean;
  /** `--enable-helm`: render `helmCharts` with this helm executable (charts must already be on disk). */
  helm?: HelmOptions;
}

export interface RenderOutput {
  /**
   * Exactly what `kubectl kustomize` prints on stdout; undefined when the build failed. Printed from
   * `resources` when first read: read it before changing any object.
   */
  readonly yaml?: string;
  resources: Resource[];
  /** The same objects in the order `--reorder none` prints them (what Flux applies); empty when the build failed. */
  unreordered: Resource[];
  problems: Problem[];
  filesRead: Set<string>;
}

/** The nearest folder at or above `dir` holding `.git`, or undefined. */
export function findRepoRoot(fs: FileSystem, dir: string): string | undefined {
  let cur = normalize(dir);
  for (let i = 0; i < 256; i++) {
    if (fs.kind(cur + (cur.endsWith('/') ? '' : '/') + '.git')) return cur;
    const parent = path.posix.dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
  return undefined;
}

export function renderKustomization(dir: string, options: Partial<RenderOptions> = {}): RenderOutput {
  const fs = options.fs ?? nodeFileSystem;
  const abs = normalize(path.resolve(dir));
  const repoRoot = normalize(fs.realPath(options.repoRoot ?? findRepoRoot(fs, abs) ?? '/'));
  const result: BuildResult = buildKustomization(abs, {
    fs,
    loadRestrictor: (options.loadRestrictor ?? 'rootOnly') as LoadRestrictor,
    repoRoot,
    reorder: options.reorder ?? 'legacy',
    enableManagedByLabel: options.enableManagedByLabel ?? false,
    ...(options.parseLimits ? { parseLimits: options.parseLimits } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.skipRemoteResources ? { skipRemoteResources: true } : {}),
    ...(options.helm ? { helm: options.helm } : {}),
  });
  if (!result.problems.some((p) => p.severity === 'error')) {
    // Values kubectl cannot print (a DEL character, an annotation key that reads as a number) fail its build at the end.
    const cannotPrint = outputProblem(result.resources.map((r) => r.object));
    if (cannotPrint) result.problems.push({ code: 'unprintable-output', severity: 'error', message: cannotPrint, file: abs });
  }
  const failed = result.problems.some((p) => p.severity === 'error');
  const resources = failed ? [] : result.resources;
  // Printed on first read: most renders in the language server feed rules and Flux builds, which read objects.
  let yaml: string | undefined | null = failed ? undefined : null;
  return {
    get yaml() {
      if (yaml === null) yaml = emitDocuments(resources.map((r) => r.object));
      return yaml;
    },
    resources,
    unreordered: failed ? [] : (result.unreordered ?? resources),
    problems: result.problems,
    filesRead: result.filesRead,
  };
}
