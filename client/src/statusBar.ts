// The status bar item: environments and problems from the server's IndexStatus, a spinner while the first
// index is built, and a warning look when there are errors. Click shows the Environments view. The problem
// count is the one the view badge shows (IndexStatus: errors and warnings in files the environments read).
import * as vscode from 'vscode';
import type { IndexStatus } from '../../server/src/protocol';
import type { Ctx } from './ctx';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function statusText(status: IndexStatus | undefined): string {
  if (!status || status.state === 'indexing') return '$(sync~spin) Flux: indexing…';
  const problems = status.errors + status.warnings;
  return `$(server-environment) ${plural(status.environments, 'environment')} $(${status.errors > 0 ? 'error' : problems > 0 ? 'warning' : 'check'}) ${plural(problems, 'problem')}`;
}

/** What the count means, for the status bar's and the view badge's tooltips. */
export function problemsExplained(status: IndexStatus): string {
  const elsewhere =
    status.elsewhere > 0
      ? `; ${status.elsewhere === 1 ? '1 more error or warning' : `${status.elsewhere} more errors and warnings`} in files no environment reads (in the Problems panel, not counted)`
      : '';
  return `${plural(status.errors + status.warnings, 'problem')}: ${plural(status.errors, 'error')} and ${plural(status.warnings, 'warning')} in files the environments read${elsewhere}`;
}

export function registerStatusBar(ctx: Ctx): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('fluxEnvironments.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Flux Environments';
  item.command = 'fluxEnvironments.focusEnvironments';
  const update = (status: IndexStatus | undefined) => {
    item.text = statusText(status);
    item.tooltip =
      status && status.state === 'ready'
        ? `Flux Environments: ${plural(status.environments, 'environment')}, ${plural(status.files, 'YAML file')} indexed.\n${problemsExplained(status)}.${ctx.trust.isTrusted ? '' : '\nRestricted mode: no git writes, no external renderer.'}`
        : 'Flux Environments: indexing the fleet…';
    item.backgroundColor = status && status.errors > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update(ctx.status);
  ctx.track(ctx.onIndexStatus(update));
  ctx.track(item);
  return item;
}
