// "Compare Environments…": VS Code's diff editor between two virtual documents (scheme
// `flux-environments-compare:`), both sides from one CompareRequest (objects aligned by kind/namespace/name,
// environment namespaces normalised by the server), and a summary webview of per-workload facts with drift
// marked. Both follow the server's index, so they stay current while the user edits.
import * as vscode from 'vscode';
import { CompareRequest, type CompareResult, type WorkloadFacts } from '../../server/src/protocol';
import { helmSettings, readConfig } from './config';
import type { Ctx } from './ctx';
import { escapeHtml, webviewHtml } from './webviewHtml';

export const COMPARE_SCHEME = 'flux-environments-compare';

interface ComparePair {
  left: string;
  right: string;
}

interface CompareSide extends ComparePair {
  side: 'left' | 'right';
}

export function compareUri(pair: ComparePair, side: 'left' | 'right'): vscode.Uri {
  const name = side === 'left' ? pair.left : pair.right;
  const query: CompareSide = { left: pair.left, right: pair.right, side };
  return vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${name.replace(/[\\/?#%]/g, '_')}.yaml`, query: JSON.stringify(query) });
}

function sideOf(uri: vscode.Uri): CompareSide | undefined {
  try {
    const parsed = JSON.parse(uri.query) as CompareSide;
    if (typeof parsed.left === 'string' && typeof parsed.right === 'string' && (parsed.side === 'left' || parsed.side === 'right'))
      return parsed;
  } catch {
    // not one of ours
  }
  return undefined;
}

export class CompareProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** One request serves both sides of a diff; dropped whenever the index changes. */
  private readonly pending = new Map<string, Promise<CompareResult>>();

  constructor(private readonly ctx: Ctx) {
    ctx.track(this.changed);
    ctx.track(
      ctx.onIndexChanged(() => {
        this.pending.clear();
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === COMPARE_SCHEME) this.changed.fire(doc.uri);
      }),
    );
  }

  compare(pair: ComparePair): Promise<CompareResult> {
    const config = readConfig();
    const revealSecrets = config.revealSecrets;
    const helm = helmSettings(config, this.ctx.trust.isTrusted);
    const key = `${pair.left}\n${pair.right}\n${revealSecrets}\n${JSON.stringify(helm ?? null)}`;
    let result = this.pending.get(key);
    if (!result) {
      result = this.ctx.request(CompareRequest, { left: pair.left, right: pair.right, revealSecrets, ...(helm ? { helm } : {}) });
      this.pending.set(key, result);
      result.catch(() => this.pending.delete(key));
    }
    return result;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const side = sideOf(uri);
    if (!side) return '# Not a Flux Environments comparison address.\n';
    try {
      const result = await this.compare(side);
      return side.side === 'left' ? result.leftYaml : result.rightYaml;
    } catch (error) {
      return `# Comparing ${side.left} with ${side.right} failed: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }
}

export function registerCompare(ctx: Ctx): CompareProvider {
  const provider = new CompareProvider(ctx);
  ctx.track(vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, provider));
  return provider;
}

/** Opens the diff editor: `left` (e.g. staging) on the left, `right` (e.g. production) on the right. */
export async function openCompare(pair: ComparePair): Promise<void> {
  await vscode.commands.executeCommand(
    'vscode.diff',
    compareUri(pair, 'left'),
    compareUri(pair, 'right'),
    `${pair.left} ↔ ${pair.right} (rendered)`,
    {
      preview: false,
    },
  );
}

/** The summary of workload facts per environment, drift marked, in a webview that follows the index. */
export class DriftSummaryPanel {
  private static readonly panels = new Map<string, DriftSummaryPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  static show(ctx: Ctx, provider: CompareProvider, pair: ComparePair): DriftSummaryPanel {
    const key = `${pair.left}\n${pair.right}`;
    const existing = DriftSummaryPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      'fluxEnvironments.driftSummary',
      `Drift: ${pair.left} ↔ ${pair.right}`,
      vscode.ViewColumn.Active,
      {
        enableScripts: false,
      },
    );
    const summary = new DriftSummaryPanel(ctx, provider, pair, panel);
    DriftSummaryPanel.panels.set(key, summary);
    panel.onDidDispose(() => {
      DriftSummaryPanel.panels.delete(key);
      summary.disposables.forEach((d) => d.dispose());
    });
    return summary;
  }

  /** Resolves once the panel shows the latest comparison (tests wait on it). */
  rendered: Promise<CompareResult | undefined>;

  private constructor(
    private readonly ctx: Ctx,
    private readonly provider: CompareProvider,
    private readonly pair: ComparePair,
    readonly panel: vscode.WebviewPanel,
  ) {
    this.rendered = this.update();
    this.disposables.push(ctx.onIndexChanged(() => (this.rendered = this.update())));
  }

  private async update(): Promise<CompareResult | undefined> {
    try {
      const result = await this.provider.compare(this.pair);
      this.panel.webview.html = webviewHtml(
        this.panel.webview,
        `Drift: ${this.pair.left} ↔ ${this.pair.right}`,
        summaryBody(this.pair, result),
        '',
      );
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.output.error(`[compare] ${message}`);
      this.panel.webview.html = webviewHtml(this.panel.webview, 'Drift', `<p class="error">${escapeHtml(message)}</p>`, '');
      return undefined;
    }
  }
}

function factsCell(facts: WorkloadFacts | undefined, drift: string[], field: keyof WorkloadFacts): string {
  if (!facts) return '<td class="absent">—</td>';
  const value = facts[field];
  const text = Array.isArray(value) ? value.map(escapeHtml).join('<br>') : value === undefined ? '' : escapeHtml(String(value));
  return `<td class="${drift.includes(field) ? 'drift' : ''}">${text || '—'}</td>`;
}

function summaryBody(pair: ComparePair, result: CompareResult): string {
  if (result.workloads.length === 0) return `<p>No workloads in ${escapeHtml(pair.left)} or ${escapeHtml(pair.right)}.</p>`;
  const fields: Array<[keyof WorkloadFacts, string]> = [
    ['images', 'Image'],
    ['replicas', 'Replicas'],
    ['requests', 'Requests'],
    ['limits', 'Limits'],
  ];
  const head = `<tr><th rowspan="2">Workload</th>${fields.map(([, label]) => `<th colspan="2">${label}</th>`).join('')}<th rowspan="2">Drift</th></tr>
<tr>${fields.map(() => `<th>${escapeHtml(pair.left)}</th><th>${escapeHtml(pair.right)}</th>`).join('')}</tr>`;
  const rows = result.workloads.map((w) => {
    const cells = fields.map(([field]) => factsCell(w.left, w.drift, field) + factsCell(w.right, w.drift, field)).join('');
    const marker = w.drift.length ? `<span class="badge">drift</span> ${escapeHtml(w.drift.join(', '))}` : '<span class="same">same</span>';
    return `<tr class="${w.drift.length ? 'drifted' : ''}" data-workload="${escapeHtml(w.key)}"><td>${escapeHtml(w.key)}</td>${cells}<td>${marker}</td></tr>`;
  });
  const drifted = result.workloads.filter((w) => w.drift.length > 0).length;
  return `<p>${result.workloads.length} workload${result.workloads.length === 1 ? '' : 's'}, ${drifted} drifting between ${escapeHtml(pair.left)} and ${escapeHtml(pair.right)}.</p>
<table>${head}${rows.join('\n')}</table>`;
}
