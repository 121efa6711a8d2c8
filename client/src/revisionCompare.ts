// "Compare Environment with Revision…": VS Code's diff editor with an environment rendered at a git
// revision (a branch, tag or commit) on the left and the live one (unsaved buffers included) on the right.
// Both sides come from one RevisionCompareRequest; the right side follows edits.
import * as vscode from 'vscode';
import {
  EnvironmentsRequest,
  RevisionCompareRequest,
  RevisionsRequest,
  type PromotionEntry,
  type RevisionChoice,
  type RevisionCompareResult,
} from '../../server/src/protocol';
import { readConfig } from './config';
import type { Ctx } from './ctx';

export const REVISION_SCHEME = 'flux-environments-revision';

interface RevisionPair {
  environment: string;
  revision: string;
  /** The right side at this revision; absent: the live fleet. */
  headRevision?: string;
}

interface RevisionSide extends RevisionPair {
  side: 'left' | 'right';
}

export function revisionUri(pair: RevisionPair, side: 'left' | 'right'): vscode.Uri {
  const query: RevisionSide = { ...pair, side };
  const label =
    side === 'left'
      ? `${pair.environment}@${pair.revision}`
      : pair.headRevision
        ? `${pair.environment}@${pair.headRevision}`
        : pair.environment;
  return vscode.Uri.from({ scheme: REVISION_SCHEME, path: `/${label.replace(/[\\/?#%]/g, '_')}.yaml`, query: JSON.stringify(query) });
}

function sideOf(uri: vscode.Uri): RevisionSide | undefined {
  try {
    const parsed = JSON.parse(uri.query) as RevisionSide;
    if (
      typeof parsed.environment === 'string' &&
      typeof parsed.revision === 'string' &&
      (parsed.side === 'left' || parsed.side === 'right')
    )
      return parsed;
  } catch {
    // not one of ours
  }
  return undefined;
}

export class RevisionCompareProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Map<string, Promise<RevisionCompareResult>>();

  constructor(private readonly ctx: Ctx) {
    ctx.track(this.changed);
    ctx.track(
      ctx.onIndexChanged(() => {
        this.pending.clear();
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === REVISION_SCHEME) this.changed.fire(doc.uri);
      }),
    );
  }

  compare(pair: RevisionPair): Promise<RevisionCompareResult> {
    const revealSecrets = readConfig().revealSecrets;
    const key = `${pair.environment}\n${pair.revision}\n${pair.headRevision ?? ''}\n${revealSecrets}`;
    let result = this.pending.get(key);
    if (!result) {
      result = this.ctx.request(RevisionCompareRequest, {
        environment: pair.environment,
        revision: pair.revision,
        ...(pair.headRevision ? { headRevision: pair.headRevision } : {}),
        revealSecrets,
      });
      this.pending.set(key, result);
      result.catch(() => this.pending.delete(key));
    }
    return result;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const side = sideOf(uri);
    if (!side) return '# Not a Flux Environments revision address.\n';
    try {
      const result = await this.compare(side);
      return side.side === 'left' ? result.leftYaml : result.rightYaml;
    } catch (error) {
      return `# Comparing ${side.environment} with ${side.revision} failed: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }
}

const KIND_ICON: Record<RevisionChoice['kind'], string> = { branch: 'git-branch', remote: 'cloud', tag: 'tag', commit: 'git-commit' };

async function pickRevision(ctx: Ctx, environment: string): Promise<string | undefined> {
  const { revisions, error } = await ctx.request(RevisionsRequest, {});
  if (error && revisions.length === 0) {
    void vscode.window.showErrorMessage(`Flux Environments: cannot list revisions: ${error}`);
    return undefined;
  }
  type Pick = vscode.QuickPickItem & { revision?: string };
  const picks: Pick[] = [];
  for (const kind of ['branch', 'tag', 'remote', 'commit'] as const) {
    const ofKind = revisions.filter((r) => r.kind === kind);
    if (ofKind.length === 0) continue;
    picks.push({
      label: { branch: 'Branches', tag: 'Tags', remote: 'Remote branches', commit: 'Recent commits' }[kind],
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const r of ofKind)
      picks.push({
        label: `$(${KIND_ICON[kind]}) ${kind === 'commit' ? r.revision.slice(0, 12) : r.revision}`,
        description: r.description,
        revision: r.revision,
      });
  }
  const chosen = await vscode.window.showQuickPick(picks, {
    title: `Compare ${environment} with Revision`,
    placeHolder: 'A branch, tag or commit',
    matchOnDescription: true,
  });
  return chosen?.revision;
}

/** Compare Environment with Revision…: `environment` and `revision` when given (tests, other commands), else picked. */
export async function compareWithRevision(ctx: Ctx, environment?: unknown, revision?: unknown): Promise<RevisionPair | undefined> {
  let env =
    typeof environment === 'string'
      ? environment
      : typeof environment === 'object' && environment !== null && 'environment' in environment
        ? (environment as { environment: { name: string } }).environment.name
        : undefined;
  if (!env) {
    const envs = [...(await ctx.request(EnvironmentsRequest, {}))].sort((a, b) => a.order - b.order);
    if (envs.length === 0) {
      void vscode.window.showInformationMessage('No environments found in this workspace.');
      return undefined;
    }
    const chosen = await vscode.window.showQuickPick(
      envs.map((e) => ({ label: e.name, description: `${e.kind} · order ${e.order}` })),
      { title: 'Compare Environment with Revision: which environment?' },
    );
    env = chosen?.label;
  }
  if (!env) return undefined;
  const rev = typeof revision === 'string' ? revision : await pickRevision(ctx, env);
  if (!rev) return undefined;
  const pair = { environment: env, revision: rev };
  const shown = /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 12) : rev;
  await vscode.commands.executeCommand(
    'vscode.diff',
    revisionUri(pair, 'left'),
    revisionUri(pair, 'right'),
    `${env}: ${shown} ↔ live (rendered)`,
    {
      preview: false,
    },
  );
  return pair;
}

/** What a past promotion changed in its target environment: the target rendered before the commit and at it. */
export async function showPromotionChanges(node: unknown): Promise<RevisionPair | undefined> {
  const entry = typeof node === 'object' && node !== null && 'entry' in node ? (node as { entry: PromotionEntry }).entry : undefined;
  if (!entry) return undefined;
  const pair = { environment: entry.target, revision: `${entry.commit}^`, headRevision: entry.commit };
  const short = entry.commit.slice(0, 8);
  await vscode.commands.executeCommand(
    'vscode.diff',
    revisionUri(pair, 'left'),
    revisionUri(pair, 'right'),
    `${entry.target}: before ↔ after promotion ${short} (rendered)`,
    { preview: false },
  );
  return pair;
}

export function registerRevisionCompare(ctx: Ctx): RevisionCompareProvider {
  const provider = new RevisionCompareProvider(ctx);
  ctx.track(vscode.workspace.registerTextDocumentContentProvider(REVISION_SCHEME, provider));
  ctx.track(vscode.commands.registerCommand('fluxEnvironments.compareWithRevision', (env, rev) => compareWithRevision(ctx, env, rev)));
  ctx.track(vscode.commands.registerCommand('fluxEnvironments.showPromotionChanges', (node) => showPromotionChanges(node)));
  return provider;
}
