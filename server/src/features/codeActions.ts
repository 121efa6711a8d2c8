// Quick fixes: each diagnostic of ours carries its rule's fixes (as text edits) in `data`; a code action
// request for a range returns them as WorkspaceEdits, preferred fix first. When the file holds more findings
// of the same rule with a preferred fix (an old fleet has an outdated apiVersion on every object), one more
// action applies all of them at once, as ESLint's "Fix all" does.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import type { Fix } from '../rules/rule';
import { DIAGNOSTIC_SOURCE, fileUri, type DiagnosticData } from './diagnostics';

type OurDiagnostic = LspDiagnostic & { data: DiagnosticData };

function isOurs(d: LspDiagnostic): d is OurDiagnostic {
  if (d.source !== DIAGNOSTIC_SOURCE || typeof d.data !== 'object' || d.data === null) return false;
  const data = d.data as Partial<DiagnosticData>;
  return typeof data.rule === 'string' && Array.isArray(data.fixes);
}

/**
 * `fileDiagnostics`: every diagnostic published for the document (the request only carries those in the
 * range), for the "fix all in this file" action.
 */
export function codeActions(params: CodeActionParams, fileDiagnostics: readonly LspDiagnostic[] = []): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k))) return [];
  const actions: CodeAction[] = [];
  const fixAllOffered = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (!isOurs(diagnostic)) continue;
    for (const fix of diagnostic.data.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes: changesOf([fix]) },
      });
    }
    const rule = diagnostic.data.rule;
    if (fixAllOffered.has(rule) || !preferredFix(diagnostic)) continue;
    fixAllOffered.add(rule);
    const fixAll = fixAllInFile(rule, params.textDocument.uri, fileDiagnostics);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/** The fix a diagnostic prefers, when it is the only one or marked preferred, and edits one file only. */
function preferredFix(d: OurDiagnostic): Fix | undefined {
  const fixes: Fix[] = d.data.fixes;
  const fix = fixes.length === 1 ? fixes[0] : fixes.find((f) => f.preferred);
  if (!fix || fix.edits.length === 0) return undefined;
  const file = fix.edits[0].file;
  return fix.edits.every((e) => e.file === file) ? fix : undefined;
}

function fixAllInFile(rule: string, uri: string, fileDiagnostics: readonly LspDiagnostic[]): CodeAction | undefined {
  const fixable = fileDiagnostics
    .filter(isOurs)
    .filter((d) => d.data.rule === rule && preferredFix(d) && fileUri(preferredFix(d)!.edits[0].file) === uri);
  if (fixable.length < 2) return undefined;
  // Fixes whose edits overlap cannot be applied together: the first (in document order) wins, the rest stay.
  const taken: Array<TextEdit['range']> = [];
  const fixes: Fix[] = [];
  const applied: OurDiagnostic[] = [];
  const sorted = [...fixable].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const d of sorted) {
    const fix = preferredFix(d)!;
    if (fix.edits.some((e) => taken.some((r) => overlaps(r, e.range)))) continue;
    taken.push(...fix.edits.map((e) => e.range));
    fixes.push(fix);
    applied.push(d);
  }
  if (fixes.length < 2) return undefined;
  return {
    title: `Fix all ${rule} problems in this file (${fixes.length})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: applied,
    edit: { changes: changesOf(fixes) },
  };
}

function overlaps(a: TextEdit['range'], b: TextEdit['range']): boolean {
  const before = (x: TextEdit['range']['start'], y: TextEdit['range']['start']) =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  // Two insertions at one point conflict too.
  const aEmpty = a.start.line === a.end.line && a.start.character === a.end.character;
  const bEmpty = b.start.line === b.end.line && b.start.character === b.end.character;
  if (aEmpty && bEmpty) return a.start.line === b.start.line && a.start.character === b.start.character;
  return before(a.start, b.end) && before(b.start, a.end);
}

function changesOf(fixes: readonly Fix[]): Record<string, TextEdit[]> {
  const changes: Record<string, TextEdit[]> = {};
  for (const fix of fixes) for (const e of fix.edits) (changes[fileUri(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return changes;
}
