// The severity names a user may write: in the editor's `fluxEnvironments.rules` setting (package.json's
// enum is this list, checked by a test) and in `.fluxenv.yaml`. Aliases name the same severity (VS Code's
// "information", the common "warn"); anything else is reported, never guessed.
import type { Severity } from './rule';

export type SeveritySetting = Severity | 'off';

export const SEVERITY_NAMES: Readonly<Record<string, SeveritySetting>> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  information: 'info',
  hint: 'hint',
  off: 'off',
};

/** For messages: the accepted names, aliases in brackets. */
export const SEVERITY_NAMES_TEXT = 'off, error, warning (or warn), info (or information) or hint';

/** The severity a name stands for (case as written), or undefined when it names none. */
export function severityOf(name: unknown): SeveritySetting | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SEVERITY_NAMES, name) ? SEVERITY_NAMES[name] : undefined;
}

/**
 * A `rule id -> severity name` map as the user wrote it: the severities it sets, and one sentence per entry
 * that names no known rule or no known severity (that entry is ignored, so the rule keeps its default).
 */
export function readSeverities(
  raw: unknown,
  knownRules: ReadonlySet<string>,
  where: string,
): { severities: Record<string, SeveritySetting>; problems: string[] } {
  const severities: Record<string, SeveritySetting> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { severities, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where} must map rule ids to ${SEVERITY_NAMES_TEXT}`);
    return { severities, problems };
  }
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!knownRules.has(id)) {
      problems.push(`${where}: '${id}' is not a rule id (the rules are listed in docs/rules); the entry is ignored`);
      continue;
    }
    const severity = severityOf(value);
    if (severity === undefined) {
      problems.push(
        `${where}: rule '${id}' is set to ${JSON.stringify(value)}, which is not a severity; use ${SEVERITY_NAMES_TEXT}. The rule keeps its default severity`,
      );
      continue;
    }
    severities[id] = severity;
  }
  return { severities, problems };
}
