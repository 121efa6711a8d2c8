// The audit trail: promotion commits (found by their trailers) and the tags on them, newest
// first, each marked when a later revert names it.

import { GitResult, fail, ok, runGit } from './exec';
import { printable, refNameProblem } from './refs';
import { PromotedChange, RevertInfo, parsePromotion, parseRevert } from './trailers';
import { TRAILER_PROMOTION, TRAILER_REVERTS } from './trailers';

export interface Person {
  name: string;
  email: string;
}

export interface PromotionRecord {
  commit: string;
  parents: string[];
  subject: string;
  author: Person;
  /** Author date, ISO 8601 with the author's offset. */
  date: string;
  source: string;
  target: string;
  sourceCommit?: string;
  changes: PromotedChange[];
  /** Tags pointing at this commit (short names). */
  tags: string[];
  /** The newest revert found for this promotion. */
  revertedBy?: { commit: string; date: string; author: Person };
}

export interface RevertRecord extends RevertInfo {
  commit: string;
  subject: string;
  author: Person;
  date: string;
  tags: string[];
}

export interface PromotionHistory {
  promotions: PromotionRecord[];
  reverts: RevertRecord[];
}

export interface HistoryOptions {
  /** Branches or commits to read from; default HEAD. */
  revisions?: string[];
  /** Also read every tag (promotion tags may point at commits outside the branches). Default true. */
  includeTags?: boolean;
  /** Most commits read; default 1000. */
  limit?: number;
  /** Only promotions into this environment. */
  target?: string;
}

const FIELD = '\x1f';
const DEFAULT_LIMIT = 1000;

/** Promotions and reverts, newest first. */
export async function readPromotionHistory(cwd: string, options: HistoryOptions = {}): Promise<GitResult<PromotionHistory>> {
  const revisions = options.revisions ?? ['HEAD'];
  for (const revision of revisions) {
    if (revision !== 'HEAD' && !/^[0-9a-f]{4,64}$/i.test(revision) && refNameProblem(revision)) {
      return fail('invalidInput', `"${printable(revision)}" is not a branch, tag or commit.`);
    }
  }
  const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, 100_000));
  const args = [
    'log',
    '-z',
    `--max-count=${limit}`,
    '--date-order',
    '--no-color',
    `--format=%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%B`,
    `--grep=^${TRAILER_PROMOTION}:`,
    `--grep=^${TRAILER_REVERTS}:`,
    '--regexp-ignore-case',
    ...(options.includeTags === false ? [] : ['--tags']),
    '--end-of-options',
    ...revisions,
    '--',
  ];
  const logged = await runGit(args, { cwd });
  if (!logged.ok) {
    // An empty repository has no history, which is not an error for a history view.
    if (logged.error.kind === 'noCommits') return ok({ promotions: [], reverts: [] });
    return logged;
  }
  const tags = await readTags(cwd);
  if (!tags.ok) return tags;

  const promotions: PromotionRecord[] = [];
  const reverts: RevertRecord[] = [];
  for (const record of logged.value.stdout.split('\0')) {
    if (record.trim() === '') continue;
    const [commit, parents, authorName, authorEmail, date, ...messageParts] = record.split(FIELD);
    const message = messageParts.join(FIELD);
    const subject = message.split('\n', 1)[0];
    const author = { name: authorName, email: authorEmail };
    const commitTags = tags.value.get(commit) ?? [];
    const revert = parseRevert(message);
    if (revert) {
      reverts.push({ ...revert, commit, subject, author, date, tags: commitTags });
      continue;
    }
    const promotion = parsePromotion(message);
    if (!promotion) continue;
    if (options.target !== undefined && promotion.target !== options.target) continue;
    promotions.push({
      commit,
      parents: parents === '' ? [] : parents.split(' '),
      subject,
      author,
      date,
      ...promotion,
      tags: commitTags,
    });
  }
  // Reverts are newest first too, so the first one naming a promotion is the latest.
  for (const promotion of promotions) {
    const revert = reverts.find((candidate) => promotion.commit.startsWith(candidate.revertedCommit));
    if (revert) promotion.revertedBy = { commit: revert.commit, date: revert.date, author: revert.author };
  }
  return ok({ promotions, reverts });
}

/** One promotion commit by id (for "Revert Promotion"), or undefined when it is not one. */
export async function readPromotion(cwd: string, commit: string): Promise<GitResult<PromotionRecord | undefined>> {
  if (!/^[0-9a-f]{4,64}$/i.test(commit)) return fail('invalidInput', `"${printable(commit)}" is not a commit id.`);
  const history = await readPromotionHistory(cwd, { revisions: [commit], includeTags: false, limit: 1 });
  if (!history.ok) return history;
  const found = history.value.promotions[0];
  return ok(found && found.commit.startsWith(commit.toLowerCase()) ? found : undefined);
}

/** Commit id -> short names of the tags that point at it (annotated tags peeled). */
async function readTags(cwd: string): Promise<GitResult<Map<string, string[]>>> {
  const listed = await runGit(['for-each-ref', '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)', 'refs/tags'], { cwd });
  if (!listed.ok) return listed;
  const byCommit = new Map<string, string[]>();
  for (const line of listed.value.stdout.split('\n')) {
    if (line === '') continue;
    const [name, object, peeled] = line.split('\0');
    const commit = peeled || object;
    const names = byCommit.get(commit) ?? [];
    names.push(name);
    byCommit.set(commit, names);
  }
  return ok(byCommit);
}
