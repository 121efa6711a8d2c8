// Workspace Trust (`limited`): everything that reads works in an untrusted folder; what writes to git or
// runs a program other than our own language server waits until the user trusts the folder.
import * as vscode from 'vscode';

export interface Trust {
  /** True when the folder is trusted: git writes and external renderers are allowed. */
  readonly isTrusted: boolean;
  /** Fires once when the user grants trust (it cannot be revoked without a reload). */
  readonly onDidGrant: vscode.Event<void>;
  /** Says why an action is off, and returns false, when the folder is not trusted. */
  require(action: string): boolean;
}

export function workspaceTrust(): Trust {
  return {
    get isTrusted() {
      return vscode.workspace.isTrusted;
    },
    onDidGrant: vscode.workspace.onDidGrantWorkspaceTrust,
    require(action: string): boolean {
      if (vscode.workspace.isTrusted) return true;
      void vscode.window
        .showWarningMessage(`${action} is off in an untrusted folder. Trust the folder to allow it.`, 'Manage Workspace Trust')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
        });
      return false;
    },
  };
}
