// The language server: LSP wiring only. State and analysis live in session.ts, each feature in
// features/*.ts; every handler is guarded so that one failure is logged and answered empty.
import * as path from 'path';
import { fileURLToPath } from 'url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completion } from './features/completion';
import { definition } from './features/definition';
import { hover } from './features/hover';
import { documentLinks } from './features/links';
import { references } from './features/references';
import { rename } from './features/rename';
import { documentSymbols } from './features/symbols';
import type { FleetIndex } from './fleet/fleetIndex';
import { registerPromotionHandlers } from './promotionHandlers';
import { compareEnvironments } from './features/compare';
import { environmentSummaries } from './features/environments';
import { dependencyGraph } from './features/graph';
import { origin } from './features/origin';
import { fluxKustomizationTarget, preview } from './features/preview';
import { releaseValuesTargets } from './features/valuesPreview';
import { compareWithRevision, renderedChanges, revisionChoices, RevisionFleets } from './features/revisionChanges';
import {
  CompareRequest,
  DependencyGraphRequest,
  EnvironmentsRequest,
  FluxKustomizationTargetRequest,
  HelmReleaseValuesTargetsRequest,
  IndexChangedNotification,
  IndexStatusNotification,
  OriginRequest,
  RenderedChangesRequest,
  RenderRequest,
  RescanRequest,
  RevisionCompareRequest,
  RevisionsRequest,
  type RenderedChangesResult,
  type RevisionCompareResult,
  type RevisionsResult,
} from './protocol';
import { redactSecrets } from './fleet/secrets';
import { allRules } from './rules/run';
import { readSeverities } from './rules/severity';
import { DEFAULT_SETTINGS, defaultDocsDir, Session, type DiskEventKind, type ServerSettings } from './session';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let canPullConfiguration = false;
let canFollowWorkspaceFolders = false;

function log(message: string): void {
  connection.console.log(message);
}

/**
 * FLUX_ENVIRONMENTS_TEST_ANALYSIS_DELAY_MS (tests only): the analysis waits that long after an edit instead of
 * the usual debounce, so a test in a real VS Code can tell what follows an edit without the analysis (the
 * Rendered Changes view: test/vscode/suite/typing.renderedChanges.test.js).
 */
function analysisDelayMs(): number {
  const ms = Number(process.env.FLUX_ENVIRONMENTS_TEST_ANALYSIS_DELAY_MS);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60000) : DEFAULT_SETTINGS.debounceMs;
}

const session = new Session(
  {
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    log,
    changed: (version) => void connection.sendNotification(IndexChangedNotification, { version }),
    analyzed: (s) => {
      void connection.sendNotification(IndexStatusNotification, {
        state: 'ready',
        environments: s.environments,
        files: s.files,
        errors: s.errors,
        warnings: s.warnings,
        elsewhere: s.elsewhere,
      });
      void connection.sendNotification(IndexChangedNotification, { version: s.version });
    },
  },
  { ...DEFAULT_SETTINGS, debounceMs: analysisDelayMs() },
  process.env.FLUX_ENVIRONMENTS_DOCS_DIR ?? defaultDocsDir(),
);

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).split(path.sep).join('/');
  } catch {
    return undefined;
  }
}

/** A feature's exception for the log: one that failed on a value may quote it, so Secret values are masked. */
function failureText(e: unknown): string {
  return redactSecrets(session.allIndexes(), e instanceof Error ? (e.stack ?? e.message) : String(e));
}

/** Runs a feature against the index holding the document; any failure is logged and answered with `empty`. */
function withIndex<P extends { textDocument: { uri: string } }, R>(name: string, empty: R, run: (index: FleetIndex, params: P) => R) {
  return (params: P, token?: CancellationToken): R => {
    if (token?.isCancellationRequested) return empty;
    const file = filePathOf(params.textDocument.uri);
    const index = file ? session.indexFor(file) : undefined;
    if (!index) return empty;
    try {
      return run(index, params);
    } catch (e) {
      if (e instanceof ResponseError) throw e; // a refusal the user should read (e.g. an invalid rename)
      log(`${name} failed: ${failureText(e)}`);
      return empty;
    }
  };
}

/** Problems of the settings last read, so that each is shown once, not on every settings change. */
let settingsProblems = '';

function readSettings(raw: unknown): ServerSettings {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const read = readSeverities(o.rules, new Set(allRules().map((r) => r.id)), 'Setting fluxEnvironments.rules');
  const problems = read.problems.join('\n');
  if (problems !== settingsProblems) {
    settingsProblems = problems;
    for (const problem of read.problems) {
      log(problem);
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `Flux Environments: ${problem}.`,
      });
    }
  }
  const rules = read.severities;
  const order = Array.isArray(o.promotionOrder) ? o.promotionOrder.filter((x): x is string => typeof x === 'string') : [];
  const limits =
    typeof o.limits === 'object' && o.limits !== null && !Array.isArray(o.limits) ? (o.limits as ServerSettings['limits']) : {};
  const helm = typeof o.helm === 'object' && o.helm !== null ? (o.helm as Record<string, unknown>) : {};
  const helmPath = typeof helm.path === 'string' && helm.path.trim() !== '' ? helm.path.trim() : 'helm';
  return {
    ...DEFAULT_SETTINGS,
    debounceMs: analysisDelayMs(),
    rules,
    promotionOrder: order,
    limits,
    ...(helm.enabled === true ? { helm: { command: helmPath } } : {}),
  };
}

async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    session.updateSettings(readSettings(await connection.workspace.getConfiguration('fluxEnvironments')));
  } catch (e) {
    log(`reading settings failed: ${String(e)}`);
  }
}

let workspaceRoots: string[] = [];

/**
 * FLUX_ENVIRONMENTS_TEST_FIRST_INDEX_DELAY_MS (tests only): waits that long before the first index, so a test
 * in a real VS Code can see what the views show while it runs (test/vscode/suite/multiroot.startup.test.js).
 */
async function firstIndexHold(): Promise<void> {
  const ms = Number(process.env.FLUX_ENVIRONMENTS_TEST_FIRST_INDEX_DELAY_MS);
  if (Number.isFinite(ms) && ms > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 60000)));
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canFollowWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
  workspaceRoots = folders.map((f) => filePathOf(f.uri)).filter((f): f is string => !!f);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Full,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentLinkProvider: { resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['{', '$', ':', ' '] },
      documentSymbolProvider: true,
      renameProvider: true,
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'fluxEnvironments' });
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Flux Environments', undefined, 'Indexing the fleet…');
  void connection.sendNotification(IndexStatusNotification, {
    state: 'indexing',
    environments: 0,
    files: 0,
    errors: 0,
    warnings: 0,
    elsewhere: 0,
  });
  await firstIndexHold();
  await pullSettings();
  session.setWorkspaceFolders(workspaceRoots);
  await session.idle();
  progress?.done();
  if (!canFollowWorkspaceFolders) return;
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => filePathOf(f.uri)));
    workspaceRoots = [
      ...workspaceRoots.filter((r) => !removed.has(r)),
      ...e.added.map((f) => filePathOf(f.uri)).filter((f): f is string => !!f),
    ];
    session.setWorkspaceFolders(workspaceRoots);
  });
});

connection.onDidChangeConfiguration((change) => {
  if (canPullConfiguration) void pullSettings();
  else session.updateSettings(readSettings((change.settings as Record<string, unknown> | undefined)?.fluxEnvironments));
});

documents.onDidChangeContent(({ document }) => {
  const file = filePathOf(document.uri);
  if (file) session.bufferChanged(file, document.getText());
});
documents.onDidClose(({ document }) => {
  const file = filePathOf(document.uri);
  if (file) session.bufferClosed(file);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  const events: Array<{ file: string; kind: DiskEventKind }> = [];
  for (const change of changes) {
    const file = filePathOf(change.uri);
    if (!file || documents.get(change.uri)) continue; // open documents are followed through their buffers
    events.push({
      file,
      kind: change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed',
    });
  }
  session.diskEvents(events);
});

connection.onCodeAction((params) => {
  try {
    return codeActions(params, session.publishedDiagnostics(params.textDocument.uri));
  } catch (e) {
    log(`code actions failed: ${redactSecrets(session.allIndexes(), String(e))}`);
    return [];
  }
});
connection.onDocumentLinks(withIndex('links', [], documentLinks));
connection.onDefinition(withIndex('definition', null, definition));
connection.onReferences(withIndex('references', [], references));
connection.onHover(withIndex('hover', null, hover));
connection.onCompletion(withIndex('completion', [], completion));
connection.onDocumentSymbol(withIndex('symbols', [], documentSymbols));
connection.onCodeLens(withIndex('code lens', [], codeLenses));
connection.onRenameRequest(
  withIndex('rename', null, (index, params) => {
    const result = rename(index, params);
    if (result && 'error' in result) throw new ResponseError(1, result.error);
    return result ? result.edit : null;
  }),
);

registerPromotionHandlers(connection, session);

/** A custom request over every workspace folder's index, guarded like the standard features. */
function guarded<P, R>(name: string, empty: R, run: (params: P) => R) {
  // The index already holds the latest buffers (edits reach it synchronously); renders are computed on demand.
  return (params: P, token?: CancellationToken): R => {
    if (token?.isCancellationRequested) return empty;
    try {
      return run(params);
    } catch (e) {
      log(`${name} failed: ${failureText(e)}`);
      return empty;
    }
  };
}
const allDiagnostics = () => session.allIndexes().flatMap((i) => session.diagnosticsOf(i));

connection.onRequest(
  EnvironmentsRequest,
  guarded('environments', [], () => environmentSummaries(session.allIndexes(), { diagnostics: allDiagnostics() })),
);
connection.onRequest(
  RenderRequest,
  guarded(
    'render',
    { yaml: '# Flux Environments could not render this target; see the output channel.\n', problems: [], objects: [], title: 'Preview' },
    (p) => preview(session.allIndexes(), p),
  ),
);
connection.onRequest(
  FluxKustomizationTargetRequest,
  guarded('flux kustomization target', null, (p) => fluxKustomizationTarget(session.allIndexes(), p)),
);
connection.onRequest(
  HelmReleaseValuesTargetsRequest,
  guarded('helm release values targets', [], (p) => releaseValuesTargets(session.allIndexes(), p)),
);
connection.onRequest(
  OriginRequest,
  guarded('origin', null, (p) => origin(session.allIndexes(), p)),
);
connection.onRequest(
  CompareRequest,
  guarded('compare', { leftYaml: '', rightYaml: '', workloads: [] }, (p) => compareEnvironments(session.allIndexes(), p)),
);
connection.onRequest(
  DependencyGraphRequest,
  guarded('dependency graph', { nodes: [], edges: [] }, (p) =>
    dependencyGraph(session.allIndexes(), { ...p, diagnostics: allDiagnostics() }),
  ),
);

// Rendered changes between git revisions: git is asked (asynchronously), so these are not `guarded`.
const revisionFleets = new RevisionFleets();
function guardedAsync<P, R>(name: string, empty: (message: string) => R, run: (params: P) => Promise<R>) {
  return async (params: P, token?: CancellationToken): Promise<R> => {
    if (token?.isCancellationRequested) return empty('cancelled');
    try {
      return await run(params);
    } catch (e) {
      const text = failureText(e);
      log(`${name} failed: ${text}`);
      return empty(text.split('\n')[0]);
    }
  };
}
connection.onRequest(
  RevisionsRequest,
  guardedAsync(
    'revisions',
    (error): RevisionsResult => ({ revisions: [], error }),
    () => revisionChoices(session.allIndexes(), revisionFleets),
  ),
);
connection.onRequest(
  RevisionCompareRequest,
  guardedAsync(
    'compare with revision',
    (error): RevisionCompareResult => ({ leftYaml: `# comparing failed: ${error}\n`, rightYaml: `# comparing failed: ${error}\n`, error }),
    (p) => compareWithRevision(session.allIndexes(), revisionFleets, p),
  ),
);
connection.onRequest(
  RenderedChangesRequest,
  guardedAsync(
    'rendered changes',
    (error): RenderedChangesResult => ({ groups: [], error }),
    (p) => renderedChanges(session.allIndexes(), revisionFleets, p),
  ),
);

connection.onRequest(RescanRequest, async () => {
  session.rescan();
  await session.idle();
  return null;
});

documents.listen(connection);
connection.listen();
