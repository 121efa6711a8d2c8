// `fluxenv check` output: compiler-style text, a JSON array, or SARIF 2.1.0 for code scanning. The
// findings are the editor's, from the same runRules call.
import * as path from 'path';
import { ruleFailureProblem, type Diagnostic, type RuleFailure } from '../rules/run';
import type { Rule } from '../rules/rule';

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

/** The rule id of a rule that threw, as the editor shows it (ruleFailureProblem's code). */
export const INTERNAL_ERROR_RULE = 'internal-error';

/**
 * A rule that threw, as a finding on the file it was checking: CI then shows which file lost which rule's
 * findings, in the report itself and not only in the log. The stack stays out of the report (it is for us).
 */
export function failureDiagnostic(failure: RuleFailure): Diagnostic {
  const problem = ruleFailureProblem(failure);
  return {
    rule: INTERNAL_ERROR_RULE,
    severity: problem.severity,
    file: problem.file,
    range: problem.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: problem.message,
  };
}

/** What SARIF lists in the tool's rule catalogue: the rules, plus internal-error when a rule failed. */
export type RuleDescriptor = Pick<Rule, 'id' | 'severity' | 'description'> & { helpUri?: string };

export const INTERNAL_ERROR_DESCRIPTOR: RuleDescriptor = {
  id: INTERNAL_ERROR_RULE,
  severity: 'warning',
  description: 'A rule failed on this file (a bug in fluxenv); its findings there are missing.',
  helpUri: 'docs/rules/README.md',
};

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

export function formatSarif(findings: readonly CheckFinding[], rules: readonly RuleDescriptor[], version: string): string {
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
              helpUri: r.helpUri ?? `docs/rules/${r.id}.md`,
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
