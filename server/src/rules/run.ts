// Runs the rule catalogue over a fleet index: severities from the repository's .fluxenv.yaml and the
// editor's settings, `# fluxenv-disable-next-line <id>` suppressions, and a guard around each rule so
// that one broken rule is reported and the others still run. The editor and `fluxenv check` both call it.
import { REPO_CONFIG_FILE } from '../fleet/repoConfig';
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { findKustomizationFile } from '../kustomize/kustomization';
import { isObject } from '../kustomize/resource';
import type { Problem } from '../kustomize/types';
import { redactSecrets } from '../fleet/secrets';
import { allRules } from './index';
import type { Finding, Rule, Severity } from './rule';
import { SEVERITY_NAMES_TEXT, severityOf, type SeveritySetting } from './severity';

export type { SeveritySetting };

export interface Diagnostic extends Finding {
  rule: string;
  severity: Severity;
}

export interface RuleFailure {
  rule: string;
  error: string;
  /** The file the rule said it was checking when it threw, else the repository's root kustomization. */
  file: string;
}

/** What the user sees of a rule that threw: a warning on the file, naming the rule; the log has the stack. */
export function ruleFailureProblem(failure: RuleFailure): Problem {
  const firstLine = failure.error.split('\n')[0];
  return {
    code: 'internal-error',
    severity: 'warning',
    message: `The rule '${failure.rule}' failed while checking this file (${firstLine}), so its findings here are missing; the other rules still ran. This is a bug in Flux Environments: please report it, with the stack trace from the Flux Environments output.`,
    file: failure.file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

/** Where a failure that no file can be blamed for is shown: the root kustomization, else the first YAML file. */
function rootFile(index: FleetIndex): string {
  const found = findKustomizationFile(index.fs, index.root);
  if (found.found === 'one') return found.file;
  if (found.found === 'many') return found.files[0];
  return index.yamlFiles()[0] ?? path.posix.join(index.root, 'kustomization.yaml');
}

export { REPO_CONFIG_FILE };

export { allRules };

/** `.fluxenv.yaml` at the repository root: `rules: { <id>: <severity name> }` (rules/severity.ts). */
export function readRepoRuleConfig(index: FleetIndex): { severities: Record<string, SeveritySetting>; problems: Problem[] } {
  const file = path.posix.join(index.root, REPO_CONFIG_FILE);
  const severities: Record<string, SeveritySetting> = {};
  const problems: Problem[] = [];
  // With the index's parse limits: a hostile .fluxenv.yaml is a yaml-limit problem like any other file.
  const parsed = index.parsed(file);
  if (parsed === undefined) return { severities, problems };
  problems.push(...parsed.problems);
  const doc = parsed.documents[0];
  const rules = doc && isObject(doc.value) ? doc.value.rules : undefined;
  if (rules === undefined || rules === null) return { severities, problems };
  if (!isObject(rules)) {
    problems.push({
      code: 'invalid-config',
      severity: 'error',
      message: `'rules' in ${REPO_CONFIG_FILE} must map rule ids to ${SEVERITY_NAMES_TEXT}`,
      file,
      range: doc.locate(['rules']),
    });
    return { severities, problems };
  }
  const known = new Set(allRules().map((r) => r.id));
  for (const [id, value] of Object.entries(rules)) {
    if (!known.has(id)) {
      problems.push({
        code: 'invalid-config',
        severity: 'warning',
        message: `unknown rule '${id}' in ${REPO_CONFIG_FILE}`,
        file,
        range: doc.locate(['rules', id], { key: true }),
      });
      continue;
    }
    const severity = severityOf(value);
    if (severity === undefined) {
      problems.push({
        code: 'invalid-config',
        severity: 'error',
        message: `rule '${id}' is set to ${JSON.stringify(value)}, which is not a severity: use ${SEVERITY_NAMES_TEXT}`,
        file,
        range: doc.locate(['rules', id]),
      });
      continue;
    }
    severities[id] = severity;
  }
  return { severities, problems };
}

const DIRECTIVE = /#\s*fluxenv-disable-(next-line|line)\b([^\n]*)/;

/** Whether a comment on the finding's line, or the line before it, turns the rule off there. */
export function isSuppressed(lines: readonly string[], line: number, rule: string): boolean {
  const check = (text: string | undefined, kind: 'next-line' | 'line') => {
    if (text === undefined) return false;
    const m = DIRECTIVE.exec(text);
    if (!m || m[1] !== kind) return false;
    const ids = m[2].split(/[\s,]+/).filter((s) => s !== '' && !s.startsWith('--'));
    return ids.length === 0 || ids.includes(rule);
  };
  return check(lines[line - 1], 'next-line') || check(lines[line], 'line');
}

export interface RunOptions {
  rules?: Rule[];
  /** From the editor's settings; wins over the repository's file. */
  severities?: Record<string, SeveritySetting>;
  isCancelled?: () => boolean;
}

export function runRules(
  index: FleetIndex,
  options: RunOptions = {},
): { diagnostics: Diagnostic[]; failures: RuleFailure[]; configProblems: Problem[] } {
  const repo = readRepoRuleConfig(index);
  const severities = { ...repo.severities, ...(options.severities ?? {}) };
  const diagnostics: Diagnostic[] = [];
  const failures: RuleFailure[] = [];
  const lineCache = new Map<string, string[]>();
  const linesOf = (file: string) => {
    let lines = lineCache.get(file);
    if (!lines) lineCache.set(file, (lines = (index.text(file) ?? '').split(/\r?\n/)));
    return lines;
  };
  const isCancelled = options.isCancelled ?? (() => false);
  for (const rule of options.rules ?? allRules()) {
    if (isCancelled()) break;
    const setting = severities[rule.id];
    if (setting === 'off') continue;
    let findings: Finding[];
    let current: string | undefined;
    try {
      // Remembered by what the rule read: after an edit, only the rules that read the edited file run again.
      findings = index.remember(
        `rule:${rule.id}`,
        () => rule.check({ index, isCancelled, checking: (file) => (current = file) }),
        () => !isCancelled(),
      );
    } catch (e) {
      // A rule that failed on a value may quote it, and the failure reaches the log, a diagnostic and CI output.
      const error = redactSecrets([index], e instanceof Error ? (e.stack ?? e.message) : String(e));
      failures.push({ rule: rule.id, error, file: current ?? rootFile(index) });
      continue;
    }
    for (const f of findings) {
      if (isSuppressed(linesOf(f.file), f.range.start.line, rule.id)) continue;
      diagnostics.push({ ...f, rule: rule.id, severity: setting ?? f.severity ?? rule.severity });
    }
  }
  diagnostics.sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { diagnostics, failures, configProblems: [...repo.problems, ...index.standIns().problems] };
}
