// Commit messages of promotions and reverts, and their trailers: the audit trail lives in git
// itself, so the history view and "Revert Promotion" can find promotions by reading commits.

export interface Trailer {
  key: string;
  value: string;
}

export interface PromotedChange {
  /** What moved, in the user's words: a workload, image or chart name. */
  workload: string;
  before: string;
  after: string;
}

export interface PromotionInfo {
  source: string;
  target: string;
  /** The commit the source environment was verified at. */
  sourceCommit?: string;
  changes: PromotedChange[];
}

export interface RevertInfo {
  /** The promotion commit this one reverts. */
  revertedCommit: string;
  /** The promotion that was reverted, when the revert names it. */
  promotion?: { source: string; target: string };
}

export const TRAILER_PROMOTION = 'Promotion';
export const TRAILER_SOURCE_COMMIT = 'Promoted-From-Commit';
export const TRAILER_PROMOTED = 'Promoted';
export const TRAILER_REVERTS = 'Reverts-Promotion';
export const TRAILER_REVERTED_PROMOTION = 'Reverted-Promotion';

const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const EMPTY_TOKEN = '(none)';
const ARROW = '->';

/**
 * Names from YAML go into space-separated trailer values, so each is encoded as one token:
 * `%`, whitespace, control characters and parentheses are percent-encoded, and an empty value
 * is written `(none)`. Everything else stays readable.
 */
export function encodeToken(text: string): string {
  if (text === '') return EMPTY_TOKEN;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[%()\s\u0000-\u001f\u007f\u0085\u2028\u2029]/gu, (char) =>
    [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

export function decodeToken(token: string): string {
  if (token === EMPTY_TOKEN) return '';
  if (!token.includes('%')) return token;
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** One line of text: control characters and line breaks become spaces, runs of spaces one. */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\s\u0000-\u001f\u007f\u0085\u2028\u2029]+/gu, ' ').trim();
}

export function formatTrailers(trailers: readonly Trailer[]): string {
  // A key that is not a token would end the trailer block for every parser: such trailers are dropped.
  return trailers
    .filter((trailer) => TRAILER_KEY.test(trailer.key))
    .map((trailer) => `${trailer.key}: ${singleLine(trailer.value)}`)
    .join('\n');
}

export interface CommitMessage {
  subject: string;
  body?: string;
  trailers: Trailer[];
}

/** Subject, blank line, body, blank line, trailers; always ends with a newline. */
export function formatCommitMessage(message: CommitMessage): string {
  const subject = singleLine(message.subject) || 'promotion';
  const parts = [subject];
  const body = (message.body ?? '')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .trim();
  if (body !== '') parts.push(body);
  const trailers = message.trailers.filter((trailer) => TRAILER_KEY.test(trailer.key));
  if (trailers.length > 0) parts.push(formatTrailers(trailers));
  return `${parts.join('\n\n')}\n`;
}

/**
 * The trailers of a commit message: its last paragraph, when every line of it is `Key: value`
 * (or a continuation line starting with whitespace). Otherwise none, like git's own parser
 * for messages without git-generated trailers.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  let start = end;
  while (start > 0 && lines[start - 1].trim() !== '') start--;
  // The subject alone is never a trailer block.
  if (start === 0) return [];
  const trailers: Trailer[] = [];
  for (const line of lines.slice(start, end)) {
    if (/^[ \t]/.test(line) && trailers.length > 0) {
      trailers[trailers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!match) return [];
    trailers.push({ key: match[1], value: match[2].trim() });
  }
  return trailers;
}

function trailerValue(trailers: readonly Trailer[], key: string): string | undefined {
  return trailers.find((trailer) => trailer.key.toLowerCase() === key.toLowerCase())?.value;
}

function formatEnvironmentPair(source: string, target: string): string {
  return `${encodeToken(source)} ${ARROW} ${encodeToken(target)}`;
}

function parseEnvironmentPair(value: string): { source: string; target: string } | undefined {
  const tokens = value.split(/\s+/);
  if (tokens.length !== 3 || tokens[1] !== ARROW) return undefined;
  return { source: decodeToken(tokens[0]), target: decodeToken(tokens[2]) };
}

export function formatChange(change: PromotedChange): string {
  return `${encodeToken(change.workload)} ${encodeToken(change.before)} ${ARROW} ${encodeToken(change.after)}`;
}

export function parseChange(value: string): PromotedChange | undefined {
  const tokens = value.trim().split(/\s+/);
  if (tokens.length !== 4 || tokens[2] !== ARROW) return undefined;
  return { workload: decodeToken(tokens[0]), before: decodeToken(tokens[1]), after: decodeToken(tokens[3]) };
}

export function promotionTrailers(info: PromotionInfo): Trailer[] {
  const trailers: Trailer[] = [{ key: TRAILER_PROMOTION, value: formatEnvironmentPair(info.source, info.target) }];
  if (info.sourceCommit) trailers.push({ key: TRAILER_SOURCE_COMMIT, value: encodeToken(info.sourceCommit) });
  for (const change of info.changes) trailers.push({ key: TRAILER_PROMOTED, value: formatChange(change) });
  return trailers;
}

const SUBJECT_BUDGET = 72;

/** `promote(production): my-app 1.0.0 -> 1.1.0`, several changes listed while they fit. */
export function promotionSubject(info: PromotionInfo): string {
  const scope = singleLine(info.target) || 'target';
  const described = info.changes.map((change) =>
    singleLine(`${change.workload} ${change.before || '(none)'} -> ${change.after || '(none)'}`),
  );
  const prefix = `promote(${scope}): `;
  if (described.length === 0) return `${prefix}from ${singleLine(info.source)}`;
  const joined = described.join(', ');
  if (prefix.length + joined.length <= SUBJECT_BUDGET || described.length === 1) return prefix + joined;
  return `${prefix}${described.length} changes from ${singleLine(info.source)}`;
}

/** The whole message of a promotion commit. */
export function promotionMessage(info: PromotionInfo, body?: string): string {
  return formatCommitMessage({ subject: promotionSubject(info), body, trailers: promotionTrailers(info) });
}

export function parsePromotion(message: string): PromotionInfo | undefined {
  const trailers = parseTrailers(message);
  if (trailerValue(trailers, TRAILER_REVERTS) !== undefined) return undefined;
  const pairValue = trailerValue(trailers, TRAILER_PROMOTION);
  if (pairValue === undefined) return undefined;
  const pair = parseEnvironmentPair(pairValue);
  if (!pair) return undefined;
  const info: PromotionInfo = { ...pair, changes: [] };
  const sourceCommit = trailerValue(trailers, TRAILER_SOURCE_COMMIT);
  if (sourceCommit) info.sourceCommit = decodeToken(sourceCommit);
  for (const trailer of trailers) {
    if (trailer.key.toLowerCase() !== TRAILER_PROMOTED.toLowerCase()) continue;
    const change = parseChange(trailer.value);
    if (change) info.changes.push(change);
  }
  return info;
}

/** The message of a revert of `original`: git's `Revert "<subject>"` form plus our trailers. */
export function revertMessage(original: { commit: string; subject: string; promotion?: PromotionInfo }): string {
  const trailers: Trailer[] = [{ key: TRAILER_REVERTS, value: original.commit }];
  if (original.promotion) {
    trailers.push({ key: TRAILER_REVERTED_PROMOTION, value: formatEnvironmentPair(original.promotion.source, original.promotion.target) });
    for (const change of original.promotion.changes) {
      trailers.push({
        key: TRAILER_PROMOTED,
        value: formatChange({ workload: change.workload, before: change.after, after: change.before }),
      });
    }
  }
  return formatCommitMessage({
    subject: `Revert "${singleLine(original.subject)}"`,
    body: `This reverts commit ${original.commit}.`,
    trailers,
  });
}

export function parseRevert(message: string): RevertInfo | undefined {
  const trailers = parseTrailers(message);
  const reverted = trailerValue(trailers, TRAILER_REVERTS);
  if (!reverted || !/^[0-9a-f]{7,64}$/i.test(reverted)) return undefined;
  const info: RevertInfo = { revertedCommit: reverted.toLowerCase() };
  const pairValue = trailerValue(trailers, TRAILER_REVERTED_PROMOTION);
  const pair = pairValue === undefined ? undefined : parseEnvironmentPair(pairValue);
  if (pair) info.promotion = pair;
  return info;
}
