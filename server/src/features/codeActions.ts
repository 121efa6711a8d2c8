// Quick fixes: each diagnostic of ours carries its rule's fixes (as text edits) in `data`; a code action
// request for a range returns them as WorkspaceEdits, preferred fix first.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, fileUri, type DiagnosticData } from './diagnostics';

function isOurs(d: LspDiagnostic): d is LspDiagnostic & { data: DiagnosticData } {
  if (d.source !== DIAGNOSTIC_SOURCE || typeof d.data !== 'object' || d.data === null) return false;
  const data = d.data as Partial<DiagnosticData>;
  return typeof data.rule === 'string' && Array.isArray(data.fixes);
}

export function codeActions(params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k))) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (!isOurs(diagnostic)) continue;
    for (const fix of diagnostic.data.fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[fileUri(e.file)] ??= []).push({ range: e.range, newText: e.newText });
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes },
      });
    }
  }
  return actions;
}
