// One HTML shell for our webviews: a locked-down CSP (no remote anything; inline styles; scripts only with
// this page's nonce) and theme colours from VS Code's CSS variables.
import { randomBytes } from 'crypto';
import type * as vscode from 'vscode';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function newNonce(): string {
  return randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--vscode-editorWidget-background); }
td.drift { background: var(--vscode-diffEditor-insertedTextBackground, #fc04); font-weight: bold; }
td.absent { color: var(--vscode-disabledForeground); }
.badge { background: var(--vscode-inputValidation-warningBackground, #c80); color: var(--vscode-foreground); padding: 0 4px; border-radius: 3px; }
.same { color: var(--vscode-disabledForeground); }
.error { color: var(--vscode-errorForeground); }
`;

/** A full page; `script` (may be empty) runs under the page's nonce. */
export function webviewHtml(webview: vscode.Webview, title: string, body: string, script: string, extraStyle = ''): string {
  const nonce = newNonce();
  const csp = [
    `default-src 'none'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}${extraStyle}</style>
</head><body>
<h2>${escapeHtml(title)}</h2>
${body}
${script ? `<script nonce="${nonce}">${script}</script>` : ''}
</body></html>`;
}
