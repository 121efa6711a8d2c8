// Branch and tag names: our own strict rules first (names come from YAML and templates, and a
// name must never be mistaken for an option), then git's own `check-ref-format` as the authority.

import { GitResult, fail, ok, runGit } from './exec';

export type RefKind = 'branch' | 'tag';

const MAX_REF_LENGTH = 200;

/**
 * Our rules on top of git's: no leading '-', no whitespace or control characters, none of the
 * characters git forbids, no `..` or `@{`. Returns why the name is refused, or undefined.
 */
export function refNameProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name.length > MAX_REF_LENGTH) return `the name is longer than ${MAX_REF_LENGTH} characters`;
  if (name.startsWith('-')) return "the name starts with '-'";
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(name)) return 'the name contains whitespace or control characters';
  if (/[~^:?*[\\]/.test(name)) return 'the name contains one of ~ ^ : ? * [ \\';
  if (name.includes('..')) return "the name contains '..'";
  if (name.includes('@{')) return "the name contains '@{'";
  if (name === '@') return "the name is '@'";
  // Legal for git, but `HEAD` or `refs/...` as a short name makes every later command ambiguous.
  if (name === 'HEAD' || name.startsWith('refs/')) return "the name is 'HEAD' or starts with 'refs/'";
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return "the name has an empty '/' component";
  if (name.endsWith('.')) return "the name ends with '.'";
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return "a '/' component starts with '.'";
    if (component.endsWith('.lock')) return "a '/' component ends with '.lock'";
  }
  return undefined;
}

/** Validates a branch or tag name with our rules, then with `git check-ref-format`. */
export async function checkRefName(name: string, kind: RefKind, cwd: string): Promise<GitResult<string>> {
  const problem = refNameProblem(name);
  if (problem) return fail('refInvalid', `"${printable(name)}" is not a valid ${kind} name: ${problem}.`);
  const fullName = `${kind === 'branch' ? 'refs/heads/' : 'refs/tags/'}${name}`;
  const checked = await runGit(['check-ref-format', fullName], { cwd, acceptExitCodes: [1] });
  if (!checked.ok) return checked;
  if (checked.value.exitCode !== 0) {
    return fail('refInvalid', `"${printable(name)}" is not a valid ${kind} name for git (git check-ref-format refused it).`);
  }
  return ok(name);
}

/** A name shown in a message without letting it forge lines or terminal escapes. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return cleaned.length > 80 ? `${cleaned.slice(0, 77)}...` : cleaned;
}

/**
 * Turns an arbitrary name (an environment or workload from YAML) into one safe ref component:
 * only `[A-Za-z0-9._-]`, runs of anything else become one '-', no leading '-' or '.', no
 * trailing '.', no `.lock`. Returns '' when nothing usable is left.
 */
export function sanitizeRefComponent(text: string): string {
  let result = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-');
  result = result.replace(/^[-.]+/, '');
  for (let guard = 0; guard < 8 && (result.endsWith('.lock') || result.endsWith('.') || result.endsWith('-')); guard++) {
    if (result.endsWith('.lock')) result = result.slice(0, -'.lock'.length);
    result = result.replace(/[-.]+$/, '');
  }
  return result.slice(0, 60).replace(/[-.]+$/, '');
}

/** `yyyymmdd-hhmmss` in UTC, so branch names sort and read the same for the whole team. */
export function formatTimestamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

export const DEFAULT_PROMOTE_BRANCH_TEMPLATE = 'promote/{target}/{timestamp}';
export const DEFAULT_REVERT_BRANCH_TEMPLATE = 'revert/{target}/{timestamp}';

export interface BranchNameParts {
  target: string;
  source?: string;
  /** Free-form words, e.g. the promoted workload; sanitised like the others. */
  workload?: string;
  /** Short commit id, for revert branches. */
  commit?: string;
  timestamp?: Date;
}

const PLACEHOLDERS = ['target', 'source', 'workload', 'commit', 'timestamp', 'date'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/**
 * Expands a template such as `promote/{target}/{timestamp}` (a setting) into a branch name.
 * Every substituted part is sanitised; the literal parts of the template are the user's and are
 * checked, not rewritten. The result still needs `checkRefName` (git's own verdict).
 */
export function branchNameFromTemplate(template: string, parts: BranchNameParts): GitResult<string> {
  const timestamp = parts.timestamp ?? new Date();
  const values: Record<Placeholder, string | undefined> = {
    target: parts.target,
    source: parts.source,
    workload: parts.workload,
    commit: parts.commit,
    timestamp: formatTimestamp(timestamp),
    date: formatTimestamp(timestamp).slice(0, 8),
  };
  let problem: string | undefined;
  const expanded = template.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(key)) {
      problem ??= `unknown placeholder ${whole} (known: ${PLACEHOLDERS.map((name) => `{${name}}`).join(', ')})`;
      return '';
    }
    const raw = values[key as Placeholder];
    if (raw === undefined) {
      problem ??= `the template uses {${key}} but no ${key} is known here`;
      return '';
    }
    const safe = sanitizeRefComponent(raw);
    if (safe === '') problem ??= `{${key}} "${printable(raw)}" has no characters usable in a branch name`;
    return safe;
  });
  if (problem) return fail('invalidInput', `Cannot build a branch name from "${printable(template)}": ${problem}.`);
  const refProblem = refNameProblem(expanded);
  if (refProblem)
    return fail('refInvalid', `The branch name "${printable(expanded)}" built from "${printable(template)}" is not valid: ${refProblem}.`);
  return ok(expanded);
}
