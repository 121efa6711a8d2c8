// The language server's state: one fleet index per workspace folder, editor buffers and disk events fed
// into them, and analysis (the rule catalogue) re-run after a quiet moment, yielding to incoming
// messages between rules so that a newer edit cancels an analysis that has become stale. Published
// diagnostics are diffed so that fixed files are cleared. No LSP connection here: server.ts wires it.
import * as path from 'path';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { FleetIndex, type FleetSettings } from './fleet/fleetIndex';
import { fileUri, problemToLspDiagnostic, toLspDiagnostic } from './features/diagnostics';
import { problemCounts } from './features/environments';
import type { Problem } from './kustomize/types';
import { resolveLimits, type EngineLimitSettings } from './fleet/limits';
import { allRules, ruleFailureProblem, runRules, type Diagnostic, type SeveritySetting } from './rules/run';

export interface ServerSettings {
  /** Rule id -> severity or 'off' (wins over the repository's .fluxenv.yaml). */
  rules: Record<string, SeveritySetting>;
  /** Environment names in promotion order. */
  promotionOrder: string[];
  /** Milliseconds of quiet after an edit before analysis runs. */
  debounceMs: number;
  /** fluxEnvironments.limits: bounds on parsing, scanning and rendering (unset values keep the defaults). */
  limits: EngineLimitSettings;
  /**
   * fluxEnvironments.helm.enabled with fluxEnvironments.helm.path: render kustomize `helmCharts` with helm. The
   * client blanks these settings in an untrusted workspace, so the server runs helm only in a trusted one.
   */
  helm?: { command: string };
}

export const DEFAULT_SETTINGS: ServerSettings = { rules: {}, promotionOrder: [], debounceMs: 150, limits: {} };

export type DiskEventKind = 'created' | 'changed' | 'deleted';

export interface SessionHost {
  publish(uri: string, diagnostics: LspDiagnostic[]): void;
  log(message: string): void;
  /** The index changed (after the edit debounce, before analysis): previews and trees re-render now. */
  changed(version: number): void;
  /** Analysis finished: counts for the status bar, and a version for views to refresh. */
  analyzed(summary: { version: number; files: number; environments: number; errors: number; warnings: number; elsewhere: number }): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Session {
  private indexes = new Map<string, FleetIndex>();
  private published = new Map<string, string>(); // uri -> JSON of what was last published
  private publishedLists = new Map<string, LspDiagnostic[]>();
  private timer: NodeJS.Timeout | undefined;
  private analysisGeneration = 0;
  /** Diagnostics of the last complete analysis, by index root. */
  private lastDiagnostics = new Map<string, Diagnostic[]>();
  private running: Promise<void> | undefined;
  private foldersKnown = false;

  constructor(
    private readonly host: SessionHost,
    private settings: ServerSettings,
    readonly docsDir: string,
  ) {}

  setWorkspaceFolders(roots: readonly string[]): void {
    this.foldersKnown = true;
    const wanted = new Set(roots.map((r) => r.replace(/\\/g, '/')));
    for (const root of [...this.indexes.keys()]) if (!wanted.has(root)) this.indexes.delete(root);
    for (const root of wanted) {
      if (this.indexes.has(root)) continue;
      const index = new FleetIndex(root, this.fleetSettings());
      const started = Date.now();
      const scan = index.scan();
      this.host.log(
        `indexed ${root}: ${scan.files.length} YAML files in ${Date.now() - started} ms${scan.skipped.length ? `, ${scan.skipped.length} skipped` : ''}`,
      );
      for (const s of scan.skipped.slice(0, 20)) this.host.log(`  skipped ${s.file}: ${s.reason}`);
      this.indexes.set(root, index);
    }
    this.schedule(0);
  }

  updateSettings(settings: ServerSettings): void {
    const reindex =
      JSON.stringify(settings.promotionOrder) !== JSON.stringify(this.settings.promotionOrder) ||
      JSON.stringify(resolveLimits(settings.limits)) !== JSON.stringify(resolveLimits(this.settings.limits)) ||
      settings.helm?.command !== this.settings.helm?.command;
    this.settings = settings;
    // Before the workspace folders are known there is nothing to analyse: an analysis now would report the
    // index ready with no environments, and the views would say "No fleet found" while the first index runs.
    if (!this.foldersKnown) return;
    if (reindex) {
      // The promotion order shapes the environments, the limits every parse and render, and helm every folder
      // build with helmCharts: index again with them.
      const roots = [...this.indexes.keys()];
      this.indexes.clear();
      this.setWorkspaceFolders(roots);
      return;
    }
    this.schedule(0);
  }

  private fleetSettings(): FleetSettings {
    return {
      promotionOrder: this.settings.promotionOrder.length > 0 ? this.settings.promotionOrder : undefined,
      limits: this.settings.limits,
      ...(this.settings.helm ? { helm: this.settings.helm } : {}),
    };
  }

  allIndexes(): FleetIndex[] {
    return [...this.indexes.values()];
  }

  /** The index of the deepest workspace folder holding `file`. */
  indexFor(file: string): FleetIndex | undefined {
    let best: FleetIndex | undefined;
    for (const index of this.indexes.values()) {
      if (file === index.root || file.startsWith(index.root + '/')) {
        if (!best || index.root.length > best.root.length) best = index;
      }
    }
    return best;
  }

  diagnosticsOf(index: FleetIndex): Diagnostic[] {
    return this.lastDiagnostics.get(index.root) ?? [];
  }

  bufferChanged(file: string, text: string): void {
    const index = this.indexFor(file);
    if (!index) return;
    index.setBuffer(file, text);
    this.schedule();
  }

  bufferClosed(file: string): void {
    const index = this.indexFor(file);
    if (!index) return;
    index.closeBuffer(file);
    this.schedule();
  }

  /**
   * Files changed on disk outside the editor (the client's file watchers, batched): each is applied to its
   * index, then one analysis. A change of `.git/HEAD` (a branch switch) reads the whole folder again, as a
   * checkout may change more files than the watcher reports; other files under `.git/` and `node_modules/`
   * are not part of the fleet.
   */
  diskEvents(events: ReadonlyArray<{ file: string; kind: DiskEventKind }>): void {
    const rescans = new Set<FleetIndex>();
    let applied = false;
    for (const { file, kind } of events) {
      const index = this.indexFor(file);
      if (!index) continue;
      const inRepo = file.slice(index.root.length);
      if (inRepo === '/.git/HEAD') {
        rescans.add(index);
        continue;
      }
      if (/\/(\.git|node_modules)\//.test(inRepo)) continue;
      if (kind === 'created') index.diskCreated(file);
      else if (kind === 'deleted') index.diskDeleted(file);
      else index.diskChanged(file);
      applied = true;
    }
    for (const index of rescans) this.rescanIndex(index, 'the branch changed');
    if (applied || rescans.size > 0) this.schedule();
  }

  /** Reads every workspace folder again from disk ("Refresh Environments"): for changes no watcher reported. */
  rescan(): void {
    for (const index of this.indexes.values()) this.rescanIndex(index, 'refresh');
    this.schedule(0);
  }

  private rescanIndex(index: FleetIndex, why: string): void {
    const started = Date.now();
    index.fs.forgetAll();
    const scan = index.scan();
    this.host.log(`indexed ${index.root} again (${why}): ${scan.files.length} YAML files in ${Date.now() - started} ms`);
  }

  /** Analysis after `delay` ms of quiet; a newer call postpones it. */
  schedule(delay = this.settings.debounceMs): void {
    this.analysisGeneration++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.analyze();
    }, delay);
  }

  /** Resolves when the analysis in progress (if any) has finished; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.timer || this.running) {
      if (this.running) await this.running;
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async analyze(): Promise<void> {
    if (this.running) {
      // Let the stale run notice the new generation and stop, then start again.
      await this.running;
    }
    const generation = this.analysisGeneration;
    this.running = this.analyzeAll(generation).finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async analyzeAll(generation: number): Promise<void> {
    const stale = () => generation !== this.analysisGeneration;
    // Previews need renders, not the rule catalogue: let them refresh before a long analysis.
    this.host.changed([...this.indexes.values()].reduce((n, i) => n + i.version, 0));
    const perRoot = new Map<string, { diagnostics: Diagnostic[]; configProblems: Problem[] }>();
    const started = Date.now();
    // Renders first, one folder at a time: a newer edit stops a long first index between two folders
    // instead of after the whole rule catalogue.
    for (const index of this.indexes.values()) {
      if (!(await index.prepareRenders(stale, yieldToEventLoop))) return;
    }
    for (const index of this.indexes.values()) {
      const diagnostics: Diagnostic[] = [];
      let configProblems: Problem[] = [];
      const failures: Problem[] = [];
      for (const rule of allRules()) {
        await yieldToEventLoop();
        if (stale()) return;
        const result = runRules(index, { rules: [rule], severities: this.settings.rules, isCancelled: stale });
        diagnostics.push(...result.diagnostics);
        configProblems = result.configProblems;
        for (const f of result.failures) {
          this.host.log(`rule ${f.rule} failed on ${f.file}: ${f.error}`);
          failures.push(ruleFailureProblem(f));
        }
      }
      if (stale()) return;
      perRoot.set(index.root, { diagnostics, configProblems: [...configProblems, ...failures] });
    }
    this.publishAll(perRoot);
    const indexes = [...this.indexes.values()];
    const counts = problemCounts(
      indexes,
      [...perRoot.values()].flatMap((r) => r.diagnostics),
    );
    this.host.analyzed({
      version: indexes.reduce((n, i) => n + i.version, 0),
      files: indexes.reduce((n, i) => n + i.yamlFiles().length, 0),
      environments: indexes.reduce((n, i) => n + i.environments().environments.length, 0),
      ...counts,
    });
    this.host.log(
      `analysis: ${counts.errors} errors, ${counts.warnings} warnings in files the environments read (${counts.elsewhere} in other files) in ${Date.now() - started} ms`,
    );
  }

  /** What was last published for a document (code actions offer "fix all" over it). */
  publishedDiagnostics(uri: string): readonly LspDiagnostic[] {
    return this.publishedLists.get(uri) ?? [];
  }

  private publishAll(perRoot: Map<string, { diagnostics: Diagnostic[]; configProblems: Problem[] }>): void {
    const next = new Map<string, LspDiagnostic[]>();
    const add = (file: string, d: LspDiagnostic) => {
      const uri = fileUri(file);
      let list = next.get(uri);
      if (!list) next.set(uri, (list = []));
      list.push(d);
    };
    for (const [root, { diagnostics, configProblems }] of perRoot) {
      this.lastDiagnostics.set(root, diagnostics);
      for (const d of diagnostics) add(d.file, toLspDiagnostic(d, this.docsDir));
      for (const p of configProblems) add(p.file, problemToLspDiagnostic(p));
    }
    for (const [uri, diagnostics] of next) {
      const key = JSON.stringify(diagnostics);
      this.publishedLists.set(uri, diagnostics);
      if (this.published.get(uri) === key) continue;
      this.published.set(uri, key);
      this.host.publish(uri, diagnostics);
    }
    for (const uri of [...this.published.keys()]) {
      if (next.has(uri)) continue;
      this.published.delete(uri);
      this.publishedLists.delete(uri);
      this.host.publish(uri, []);
    }
  }
}

/** Where the bundled rule pages are, next to dist/. */
export function defaultDocsDir(): string {
  return path.resolve(__dirname, '..', 'docs', 'rules');
}
