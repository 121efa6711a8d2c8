// The audit trail: promotion commits (on every local branch) and promotion tags, newest first.
import { ok, runGit, type GitResult } from '../git/exec';
import { readPromotionHistory, type PromotionRecord } from '../git/history';
import { findRepoRoot } from '../git/repo';
import { parsePromotion } from '../git/trailers';

export interface HistoryEntry extends PromotionRecord {
  /** `commit`: a promotion commit; `tag`: a tag-strategy promotion (an annotated tag with trailers). */
  via: 'commit' | 'tag';
}

/** Promotion commits (on every local branch) and promotion tags, newest first, with whether each was reverted. */
export async function promotionHistory(cwd: string, options: { target?: string; limit?: number } = {}): Promise<GitResult<HistoryEntry[]>> {
  const rootResult = await findRepoRoot(cwd);
  if (!rootResult.ok) return rootResult;
  const root = rootResult.value;
  const branches = await runGit(['for-each-ref', '--format=%(refname:strip=2)', 'refs/heads'], { cwd: root });
  if (!branches.ok) return branches;
  const revisions = branches.value.stdout.split('\n').filter((b) => b !== '');
  const history = await readPromotionHistory(root, {
    revisions: revisions.length > 0 ? revisions : ['HEAD'],
    ...(options.target ? { target: options.target } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  });
  if (!history.ok) return history;
  const entries: HistoryEntry[] = history.value.promotions.map((p) => ({ ...p, via: 'commit' as const }));
  const FIELD = '\x1f';
  // for-each-ref has no -z: fields end with %1f and records with NUL (tag messages hold neither).
  const tags = await runGit(
    [
      'for-each-ref',
      '--format=%(refname:strip=2)%1f%(objecttype)%1f%(*objectname)%1f%(taggername)%1f%(taggeremail:trim)%1f%(taggerdate:iso-strict)%1f%(contents)%00',
      'refs/tags',
    ],
    { cwd: root },
  );
  if (!tags.ok) return tags;
  for (const record of tags.value.stdout.split('\0')) {
    const [name, type, commit, tagger, email, date, ...contents] = record.replace(/^\n/, '').split(FIELD);
    if (type !== 'tag' || !commit) continue;
    const message = contents.join(FIELD);
    const info = parsePromotion(message);
    if (!info || entries.some((e) => e.commit === commit && e.tags.includes(name))) continue;
    if (options.target !== undefined && info.target !== options.target) continue;
    entries.push({
      commit,
      parents: [],
      subject: message.split('\n')[0],
      author: { name: tagger ?? '', email: email ?? '' },
      date: date ?? '',
      ...info,
      tags: [name],
      via: 'tag',
    });
  }
  entries.sort((a, b) => (Date.parse(b.date) || 0) - (Date.parse(a.date) || 0));
  return ok(entries);
}
