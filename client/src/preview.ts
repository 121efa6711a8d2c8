// Rendered previews as read-only virtual YAML documents (scheme `flux-environments-preview:`). The URI
// carries the RenderTarget; the text comes from the server's RenderRequest (or, for folders, an external
// renderer the user chose). Previews re-render when the server's index changes (typing included), keep
// render problems at the top instead of going blank, and answer hover / go-to-definition through
// OriginRequest with the header's lines taken off the position.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  OriginRequest,
  RenderRequest,
  type HelmRenderSettings,
  type LspLocation,
  type RenderResult,
  type RenderTarget,
} from '../../server/src/protocol';
import { helmSettings, readConfig } from './config';
import type { Ctx } from './ctx';
import { renderExternally } from './externalRenderer';

export const PREVIEW_SCHEME = 'flux-environments-preview';
/** Coalesces the index notifications of one burst of typing into one re-render per preview. */
const REFRESH_DELAY_MS = 60;

interface RenderedPreview {
  /** Lines the problem header takes before the rendered YAML starts. */
  headerLines: number;
  result?: RenderResult;
  /** Rendered by an external binary: no origins to ask for. */
  external?: string;
  revealSecrets: boolean;
  text: string;
}

export function previewUri(target: RenderTarget): vscode.Uri {
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${previewLabel(target)}.yaml`, query: JSON.stringify(target) });
}

export function targetOfPreview(uri: vscode.Uri): RenderTarget | undefined {
  if (uri.scheme !== PREVIEW_SCHEME) return undefined;
  try {
    const target = JSON.parse(uri.query) as RenderTarget;
    if (target.kind === 'environment' && typeof target.name === 'string') return target;
    if (target.kind === 'folder' && typeof target.uri === 'string') return target;
    if (target.kind === 'fluxKustomization' && typeof target.uri === 'string' && Number.isInteger(target.documentIndex)) return target;
    if (
      target.kind === 'helmReleaseValues' &&
      typeof target.uri === 'string' &&
      Number.isInteger(target.documentIndex) &&
      typeof target.environment === 'string'
    )
      return target;
  } catch {
    // not one of ours
  }
  return undefined;
}

function previewLabel(target: RenderTarget): string {
  const safe = (text: string) => text.replace(/[\\/?#%]/g, '_');
  if (target.kind === 'environment') return `${safe(target.name)} (environment)`;
  const relative = vscode.workspace.asRelativePath(vscode.Uri.parse(target.uri), false);
  if (target.kind === 'folder') return `${safe(relative)} (rendered)`;
  if (target.kind === 'helmReleaseValues') return `${safe(relative)}#${target.documentIndex} (values in ${safe(target.environment)})`;
  return `${safe(relative)}#${target.documentIndex} (rendered)`;
}

export function relativeLocation(location: LspLocation): string {
  const uri = vscode.Uri.parse(location.uri);
  return `${vscode.workspace.asRelativePath(uri, false)}:${location.range.start.line + 1}`;
}

function problemHeader(problems: RenderResult['problems']): string[] {
  if (problems.length === 0) return [];
  const lines = [`# ${problems.length} render problem${problems.length === 1 ? '' : 's'}:`];
  for (const p of problems) {
    const where = p.location ? ` (${relativeLocation(p.location)})` : '';
    for (const [i, part] of p.message.split(/\r?\n/).entries())
      lines.push(i === 0 ? `#   ${p.severity}: ${part}${where}` : `#     ${part}`);
  }
  lines.push('#');
  return lines;
}

export class PreviewProvider implements vscode.TextDocumentContentProvider, vscode.HoverProvider, vscode.DefinitionProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly rendered = new Map<string, RenderedPreview>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {
    ctx.track(this.changed);
    ctx.track(ctx.onIndexChanged(() => this.refreshSoon()));
    ctx.track(vscode.workspace.onDidCloseTextDocument((doc) => this.rendered.delete(doc.uri.toString())));
    ctx.track({ dispose: () => this.refreshTimer && clearTimeout(this.refreshTimer) });
  }

  /** Re-renders every open preview. */
  refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === PREVIEW_SCHEME) this.changed.fire(doc.uri);
    }, REFRESH_DELAY_MS);
  }

  /** The last render of an open preview (tests and the tree read it). */
  lastRender(uri: vscode.Uri): RenderResult | undefined {
    return this.rendered.get(uri.toString())?.result;
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const target = targetOfPreview(uri);
    if (!target) return '# Not a Flux Environments preview address.\n';
    const preview = await this.render(target, token);
    this.rendered.set(uri.toString(), preview);
    return preview.text;
  }

  private async render(target: RenderTarget, token: vscode.CancellationToken): Promise<RenderedPreview> {
    const config = readConfig();
    if (target.kind === 'folder' && config.renderer !== 'builtin') {
      if (this.ctx.trust.isTrusted) return this.renderWithBinary(target, config);
      const note = `# fluxEnvironments.renderer is "${config.renderer}", but external programs do not run in an untrusted folder: rendered by the built-in renderer.`;
      return this.renderWithServer(target, config.revealSecrets, token, [note, '#']);
    }
    return this.renderWithServer(target, config.revealSecrets, token, [], helmSettings(config, this.ctx.trust.isTrusted));
  }

  private async renderWithServer(
    target: RenderTarget,
    revealSecrets: boolean,
    token: vscode.CancellationToken,
    notes: string[],
    helm?: HelmRenderSettings,
  ): Promise<RenderedPreview> {
    try {
      const result = await this.ctx.request(RenderRequest, { target, revealSecrets, ...(helm ? { helm } : {}) }, token);
      const header = [...notes, ...problemHeader(result.problems)];
      const body = result.yaml;
      return { headerLines: header.length, result, revealSecrets, text: header.length ? `${header.join('\n')}\n${body}` : body };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { headerLines: 0, revealSecrets, text: `# Rendering failed: ${message.replace(/\n/g, '\n# ')}\n` };
    }
  }

  private async renderWithBinary(
    target: Extract<RenderTarget, { kind: 'folder' }>,
    config: ReturnType<typeof readConfig>,
  ): Promise<RenderedPreview> {
    const folder = vscode.Uri.parse(target.uri).fsPath;
    const run = await renderExternally(config, folder);
    if (run.ok) {
      const header = [`# rendered by: ${run.commandLine}`];
      return {
        headerLines: 1,
        external: run.commandLine,
        revealSecrets: config.revealSecrets,
        text: `${header.join('\n')}\n${run.stdout}`,
      };
    }
    const lines = [`# ${run.commandLine || config.renderer} failed:`, ...(run.error ?? '').split(/\r?\n/).map((l) => `#   ${l}`)];
    return { headerLines: lines.length, external: run.commandLine, revealSecrets: config.revealSecrets, text: `${lines.join('\n')}\n` };
  }

  private async originAt(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken) {
    const target = targetOfPreview(document.uri);
    const preview = this.rendered.get(document.uri.toString());
    if (!target || !preview || preview.external || position.line < preview.headerLines) return null;
    try {
      return await this.ctx.request(
        OriginRequest,
        {
          target,
          position: { line: position.line - preview.headerLines, character: position.character },
          revealSecrets: preview.revealSecrets,
        },
        token,
      );
    } catch {
      return null;
    }
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | null> {
    const origin = await this.originAt(document, position, token);
    if (!origin) return null;
    const text = new vscode.MarkdownString();
    text.appendMarkdown(origin.description); // Markdown from the server: field paths and values as code spans
    for (const [label, location] of [
      ['Set at', origin.location],
      ['Object from', origin.objectSource],
    ] as const) {
      if (!location) continue;
      const link = vscode.Uri.parse(location.uri).with({
        fragment: `L${location.range.start.line + 1},${location.range.start.character + 1}`,
      });
      text.appendMarkdown(`\n\n${label}: [${relativeLocation(location)}](${link.toString()})`);
    }
    return new vscode.Hover(text);
  }

  async provideDefinition(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Location | null> {
    const origin = await this.originAt(document, position, token);
    const location = origin?.location ?? origin?.objectSource;
    return location ? toLocation(location) : null;
  }
}

export function toLocation(location: LspLocation): vscode.Location {
  const { start, end } = location.range;
  return new vscode.Location(vscode.Uri.parse(location.uri), new vscode.Range(start.line, start.character, end.line, end.character));
}

export function registerPreviews(ctx: Ctx): PreviewProvider {
  const provider = new PreviewProvider(ctx);
  const selector: vscode.DocumentSelector = { scheme: PREVIEW_SCHEME };
  ctx.track(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider));
  ctx.track(vscode.languages.registerHoverProvider(selector, provider));
  ctx.track(vscode.languages.registerDefinitionProvider(selector, provider));
  ctx.track(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('fluxEnvironments.renderer') ||
        e.affectsConfiguration('fluxEnvironments.rendererPath') ||
        e.affectsConfiguration('fluxEnvironments.preview')
      )
        provider.refreshSoon();
    }),
  );
  ctx.track(ctx.trust.onDidGrant(() => provider.refreshSoon()));
  return provider;
}

/** Opens (or re-shows) the preview of a target beside the active editor. */
export async function openPreview(target: RenderTarget): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(previewUri(target));
  if (document.languageId !== 'yaml') await vscode.languages.setTextDocumentLanguage(document, 'yaml');
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
}

/** The folder of a kustomization file (or the folder itself) as a RenderTarget. */
export function folderTarget(uri: vscode.Uri, isDirectory: boolean): RenderTarget {
  const folder = isDirectory ? uri : vscode.Uri.file(path.dirname(uri.fsPath));
  return { kind: 'folder', uri: folder.toString() };
}
