// `fluxenv check` output: compiler-style text, a JSON array, or SARIF 2.1.0 for code scanning. The
// findings are the editor's, from the same runRules call.
import * as path from 'path';
import type { Diagnostic } from './rules/run';
import type { Rule } from './rules/rule';

export interface CheckFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** Relative to the checked folder, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export function toCheckFindings(diagnostics: readonly Diagnostic[], root: string): CheckFinding[] {
  return diagnostics.map((d) => ({
    rule: d.rule,
    severity: d.severity,
    file: path.posix.relative(root, d.file) || path.posix.basename(d.file),
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    message: d.message,
  }));
}

export function formatText(findings: readonly CheckFinding[]): string {
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.message} [${f.rule}]`);
  const count = (s: CheckFinding['severity']) => findings.filter((f) => f.severity === s).length;
  lines.push(`${count('error')} errors, ${count('warning')} warnings, ${count('info') + count('hint')} notes`);
  return lines.join('\n') + '\n';
}

export function formatJson(findings: readonly CheckFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}

const SARIF_LEVEL: Record<CheckFinding['severity'], 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

export function formatSarif(findings: readonly CheckFinding[], rules: readonly Rule[], version: string): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fluxenv',
            informationUri: 'https://fluxcd.io',
            version,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: `docs/rules/${r.id}.md`,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
