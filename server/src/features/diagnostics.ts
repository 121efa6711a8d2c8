// Rule findings as LSP diagnostics: code = rule id with a link to its docs page, source
// "flux-environments", related places, and the rule's fixes carried in `data` for code actions.
import * as path from 'path';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { pathToFileURL } from 'url';
import type { Problem } from '../kustomize/types';
import type { Fix } from '../rules/rule';
import type { Diagnostic } from '../rules/run';

export const DIAGNOSTIC_SOURCE = 'flux-environments';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  rule: string;
  fixes: Fix[];
}

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** The bundled docs page of a rule (docs/rules/<id>.md next to dist/). */
export function ruleDocsUri(rule: string, docsDir: string): string {
  return fileUri(path.join(docsDir, `${rule}.md`));
}

export function toLspDiagnostic(d: Diagnostic, docsDir: string): LspDiagnostic {
  const data: DiagnosticData = { rule: d.rule, fixes: d.fixes ?? [] };
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.rule,
    codeDescription: { href: ruleDocsUri(d.rule, docsDir) },
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
    relatedInformation: d.related?.map((r) => ({
      location: { uri: fileUri(r.file), range: r.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      message: r.message,
    })),
    data,
  };
}

/** A problem of the server itself (a broken config file, a rule that failed) shown where it belongs. */
export function problemToLspDiagnostic(p: Problem): LspDiagnostic {
  return {
    range: p.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: p.code,
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
  };
}

/** Groups diagnostics by file URI, for publishing. */
export function byUri(diagnostics: Array<{ file: string; diagnostic: LspDiagnostic }>): Map<string, LspDiagnostic[]> {
  const out = new Map<string, LspDiagnostic[]>();
  for (const { file, diagnostic } of diagnostics) {
    const uri = fileUri(file);
    let list = out.get(uri);
    if (!list) out.set(uri, (list = []));
    list.push(diagnostic);
  }
  return out;
}
