// The dependsOn graph of one environment as a picture: an inline SVG in a webview (no external scripts,
// CSP locked to this page's nonce). Columns follow dependency depth (what nothing waits on first), cycle
// members and edges in red, missing chains dashed orange, unknown names grey; a click on a node opens
// its location. Redrawn when the index changes.
import * as vscode from 'vscode';
import { DependencyGraphRequest, type DependencyGraph, type GraphEdge, type GraphNode } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { toLocation } from '../preview';
import { escapeHtml, webviewHtml } from '../webviewHtml';

const NODE_WIDTH = 190;
const NODE_HEIGHT = 36;
const COLUMN_GAP = 90;
const ROW_GAP = 22;
const MARGIN = 20;

export interface GraphLayout {
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/** Column = longest chain of dependencies below a node (bounded: cycles cannot loop forever). */
export function layoutGraph(graph: DependencyGraph): GraphLayout {
  const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
  const limit = graph.nodes.length + 1;
  for (let round = 0; round < limit; round++) {
    let moved = false;
    for (const edge of graph.edges) {
      const need = (depth.get(edge.to) ?? 0) + 1;
      if (depth.has(edge.from) && need > (depth.get(edge.from) ?? 0) && need <= limit) {
        depth.set(edge.from, need);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const columns = new Map<number, GraphNode[]>();
  for (const node of graph.nodes) {
    const d = depth.get(node.id) ?? 0;
    const column = columns.get(d);
    if (column) column.push(node);
    else columns.set(d, [node]);
  }
  const positions = new Map<string, { x: number; y: number }>();
  let rows = 0;
  const ordered = [...columns.keys()].sort((a, b) => a - b);
  ordered.forEach((d, columnIndex) => {
    const column = columns.get(d) ?? [];
    rows = Math.max(rows, column.length);
    column.forEach((node, row) =>
      positions.set(node.id, { x: MARGIN + columnIndex * (NODE_WIDTH + COLUMN_GAP), y: MARGIN + row * (NODE_HEIGHT + ROW_GAP) }),
    );
  });
  return {
    positions,
    width: MARGIN * 2 + Math.max(1, ordered.length) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: MARGIN * 2 + Math.max(1, rows) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
  };
}

function edgeClass(edge: GraphEdge): string {
  if (edge.inCycle) return 'edge cycle';
  return `edge ${edge.kind}`;
}

export function graphSvg(graph: DependencyGraph): string {
  const layout = layoutGraph(graph);
  const edges = graph.edges.map((edge) => {
    const from = layout.positions.get(edge.from);
    const to = layout.positions.get(edge.to);
    if (!from || !to) return '';
    const x1 = from.x;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x + NODE_WIDTH;
    const y2 = to.y + NODE_HEIGHT / 2;
    // Edges that point right (cycles) bend around instead of crossing the boxes.
    const path =
      x2 <= x1
        ? `M${x1},${y1} C${x1 - COLUMN_GAP / 2},${y1} ${x2 + COLUMN_GAP / 2},${y2} ${x2},${y2}`
        : `M${x1},${y1} C${x1 - 60},${y1 - 60} ${x2 + 60},${y2 - 60} ${x2},${y2}`;
    const title =
      edge.message ??
      `${edge.from} depends on ${edge.to}${edge.kind === 'missing' ? ' (missing dependsOn)' : edge.kind === 'unknown' ? ' (no such Kustomization)' : ''}`;
    return `<path class="${edgeClass(edge)}" d="${path}" marker-end="url(#arrow-${edge.inCycle ? 'cycle' : edge.kind})"><title>${escapeHtml(title)}</title></path>`;
  });
  const nodes = graph.nodes.map((node) => {
    const at = layout.positions.get(node.id);
    if (!at) return '';
    const classes = ['node', node.inCycle ? 'cycle' : '', node.unknown ? 'unknown' : ''].filter(Boolean).join(' ');
    const label = node.name.length > 24 ? `${node.name.slice(0, 23)}…` : node.name;
    return `<g class="${classes}" data-id="${escapeHtml(node.id)}" tabindex="0" role="button"><title>${escapeHtml(`${node.namespace}/${node.name}${node.inCycle ? ' (in a dependsOn cycle)' : ''}${node.unknown ? ' (no such Kustomization)' : ''}`)}</title>
<rect x="${at.x}" y="${at.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/><text x="${at.x + NODE_WIDTH / 2}" y="${at.y + NODE_HEIGHT / 2 + 4}">${escapeHtml(label)}</text></g>`;
  });
  const marker = (id: string) =>
    `<marker id="arrow-${id}" class="m-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">
<defs>${['declared', 'missing', 'unknown', 'cycle'].map(marker).join('')}</defs>
${edges.join('\n')}
${nodes.join('\n')}
</svg>`;
}

const GRAPH_STYLE = `
svg { overflow: visible; }
.node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-focusBorder); stroke-width: 1.5; cursor: pointer; }
.node text { fill: var(--vscode-foreground); text-anchor: middle; font-size: 12px; pointer-events: none; }
.node:hover rect, .node:focus rect { stroke-width: 3; }
.node.cycle rect { stroke: var(--vscode-errorForeground, #f44); stroke-width: 2.5; }
.node.unknown rect { stroke: var(--vscode-disabledForeground, #888); stroke-dasharray: 4 3; }
.edge { fill: none; stroke: var(--vscode-foreground); stroke-width: 1.5; }
.edge.cycle { stroke: var(--vscode-errorForeground, #f44); stroke-width: 2.5; }
.edge.missing { stroke: var(--vscode-editorWarning-foreground, #e90); stroke-dasharray: 6 4; stroke-width: 2; }
.edge.unknown { stroke: var(--vscode-disabledForeground, #888); stroke-dasharray: 2 3; }
marker path { fill: var(--vscode-foreground); }
.m-cycle path { fill: var(--vscode-errorForeground, #f44); }
.m-missing path { fill: var(--vscode-editorWarning-foreground, #e90); }
.m-unknown path { fill: var(--vscode-disabledForeground, #888); }
.legend span { margin-right: 1.5em; }
`;

const CLICK_SCRIPT = `
const vscode = acquireVsCodeApi();
for (const node of document.querySelectorAll('.node')) {
  const open = () => vscode.postMessage({ type: 'open', id: node.getAttribute('data-id') });
  node.addEventListener('click', open);
  node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') open(); });
}`;

export class GraphPanel {
  private static readonly panels = new Map<string, GraphPanel>();
  private graph: DependencyGraph = { nodes: [], edges: [] };
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves when the panel shows the latest graph (tests wait on it). */
  rendered: Promise<DependencyGraph | undefined>;

  static show(ctx: Ctx, environment: string): GraphPanel {
    const existing = GraphPanel.panels.get(environment);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('fluxEnvironments.graph', `dependsOn: ${environment}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    const graph = new GraphPanel(ctx, environment, panel);
    GraphPanel.panels.set(environment, graph);
    panel.onDidDispose(() => {
      GraphPanel.panels.delete(environment);
      graph.disposables.forEach((d) => d.dispose());
    });
    return graph;
  }

  private constructor(
    private readonly ctx: Ctx,
    private readonly environment: string,
    readonly panel: vscode.WebviewPanel,
  ) {
    this.disposables.push(panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    this.disposables.push(ctx.onIndexChanged(() => (this.rendered = this.update())));
    this.rendered = this.update();
  }

  /** What a click on the node with this id does; public for tests. */
  async openNode(id: string): Promise<vscode.TextEditor | undefined> {
    const node = this.graph.nodes.find((n) => n.id === id);
    if (!node) return undefined;
    const location = toLocation(node.location);
    const document = await vscode.workspace.openTextDocument(location.uri);
    return vscode.window.showTextDocument(document, { selection: location.range, viewColumn: vscode.ViewColumn.One, preview: false });
  }

  private onMessage(message: unknown): void {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'open') {
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'string') void this.openNode(id);
    }
  }

  private async update(): Promise<DependencyGraph | undefined> {
    const title = `dependsOn graph: ${this.environment}`;
    try {
      this.graph = await this.ctx.request(DependencyGraphRequest, { environment: this.environment });
      const cycles = this.graph.nodes.filter((n) => n.inCycle).length;
      const missing = this.graph.edges.filter((e) => e.kind === 'missing').length;
      const summary =
        this.graph.nodes.length === 0
          ? `<p>No Flux Kustomizations in ${escapeHtml(this.environment)}.</p>`
          : `<p>${this.graph.nodes.length} Kustomizations, ${this.graph.edges.filter((e) => e.kind === 'declared').length} dependsOn, ${cycles ? `<strong class="error">${cycles} in a cycle</strong>` : 'no cycle'}, ${missing ? `<strong>${missing} missing dependsOn</strong>` : 'no missing dependsOn'}. Arrows point from a Kustomization to what it waits for; click a box to open it.</p>
<p class="legend"><span>── dependsOn</span><span class="error">── cycle</span><span>- - missing dependsOn</span><span>··· unknown name</span></p>`;
      this.panel.webview.html = webviewHtml(this.panel.webview, title, `${summary}\n${graphSvg(this.graph)}`, CLICK_SCRIPT, GRAPH_STYLE);
      return this.graph;
    } catch (error) {
      this.panel.webview.html = webviewHtml(
        this.panel.webview,
        title,
        `<p class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`,
        '',
      );
      return undefined;
    }
  }
}
