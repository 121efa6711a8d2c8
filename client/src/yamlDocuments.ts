// Which YAML document of a file holds a line: the tree knows where a Flux Kustomization is (a location),
// a RenderTarget needs its document index. Counts `---` separators the way YAML does: a separator before
// any content does not start a new document.
import * as vscode from 'vscode';

export function documentIndexAt(text: string, line: number): number {
  const lines = text.split(/\r?\n/);
  let index = 0;
  let hasContent = false;
  for (let i = 0; i < Math.min(line, lines.length); i++) {
    const current = lines[i];
    if (/^---(\s|$)/.test(current)) {
      if (hasContent) index++;
      hasContent = false;
      if (current.slice(3).trim() && !current.slice(3).trim().startsWith('#')) hasContent = true;
    } else if (/^\.\.\.(\s|$)/.test(current)) {
      continue;
    } else if (current.trim() && !current.trimStart().startsWith('#') && !current.startsWith('%')) {
      hasContent = true;
    }
  }
  return index;
}

/** The text the server sees: the open buffer when there is one, else the file on disk. */
export async function currentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}
