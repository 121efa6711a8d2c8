// The status bar item: environments and problems from the server's IndexStatus, a spinner while the first
// index is built, and a warning look when the server is restarting. Click shows the Environments view.
import * as vscode from 'vscode';
import type { IndexStatus } from '../../server/src/protocol';
import type { Ctx } from './ctx';

export function statusText(status: IndexStatus | undefined): string {
  if (!status || status.state === 'indexing') return '$(sync~spin) Flux: indexing…';
  const problems = status.errors + status.warnings;
  const envs = `${status.environments} environment${status.environments === 1 ? '' : 's'}`;
  return `$(server-environment) ${envs} $(${status.errors > 0 ? 'error' : problems > 0 ? 'warning' : 'check'}) ${problems} problem${problems === 1 ? '' : 's'}`;
}

export function registerStatusBar(ctx: Ctx): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('fluxEnvironments.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Flux Environments';
  item.command = 'fluxEnvironments.focusEnvironments';
  const update = (status: IndexStatus | undefined) => {
    item.text = statusText(status);
    item.tooltip = status
      ? `Flux Environments: ${status.environments} environments, ${status.files} files indexed, ${status.errors} errors, ${status.warnings} warnings${ctx.trust.isTrusted ? '' : ' (restricted mode: no git writes, no external renderer)'}`
      : 'Flux Environments: indexing the fleet…';
    item.backgroundColor = status && status.errors > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update(ctx.status);
  ctx.track(ctx.onIndexStatus(update));
  ctx.track(item);
  return item;
}
