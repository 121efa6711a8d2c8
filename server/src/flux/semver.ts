// Semantic versions and ranges as Flux reads them: GitRepository/OCIRepository `ref.semver` and
// HelmChart versions go through Masterminds/semver v3 (NewConstraint, NewVersion, Check). This
// module follows that library's grammar and its quirks (e.g. `1.2` in a range means `~1.2`,
// prereleases match only ranges that name a prerelease, `a - b` is an inclusive range).

export interface SemVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string;
  metadata: string;
  /** The text it was parsed from (e.g. a tag `v1.2.3`). */
  original: string;
}

const VERSION_RE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = (1n << 64n) - 1n;

/** Masterminds' NewVersion (the loose form): optional `v`, one to three numbers, prerelease, metadata. */
export function parseVersion(text: string): SemVersion | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? 0n : BigInt(s.replace(/^\./, '')));
  const [major, minor, patch] = [num(m[1]), num(m[2]), num(m[3])];
  if (major > UINT64_MAX || minor > UINT64_MAX || patch > UINT64_MAX) return undefined;
  const prerelease = m[5] ?? '';
  // Numeric prerelease identifiers may not have leading zeros.
  if (prerelease !== '' && prerelease.split('.').some((p) => /^[0-9]+$/.test(p) && p.length > 1 && p[0] === '0')) return undefined;
  return { major, minor, patch, prerelease, metadata: m[8] ?? '', original: text };
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrereleaseIdentifiers(a: string, b: string): number {
  const aNum = /^[0-9]+$/.test(a);
  const bNum = /^[0-9]+$/.test(b);
  if (aNum && bNum) return cmp(BigInt(a), BigInt(b));
  if (aNum) return -1;
  if (bNum) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    if (i >= as.length) return -1;
    if (i >= bs.length) return 1;
    const c = comparePrereleaseIdentifiers(as[i], bs[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Precedence order; build metadata is ignored. */
export function compareVersions(a: SemVersion, b: SemVersion): number {
  return cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch) || comparePrerelease(a.prerelease, b.prerelease);
}

export function formatVersion(v: Pick<SemVersion, 'major' | 'minor' | 'patch' | 'prerelease' | 'metadata'>, prefix = ''): string {
  return `${prefix}${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

// ---- constraints ------------------------------------------------------------------------------

const WS = '[\\t\\n\\f\\r ]';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CV =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
  '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
  '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const CONSTRAINT_RE = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);
const RANGE_RE = new RegExp(`${WS}*(${CV})${WS}+-${WS}+(${CV})${WS}*`, 'g');
const FIND_RE = new RegExp(`(${OPS})${WS}*(${CV})`, 'g');
const VALID_RE = new RegExp(`^(${WS}*(${OPS})${WS}*(${CV})${WS}*)((?:${WS}+|,${WS}*)(${OPS})${WS}*(${CV})${WS}*)*$`);

interface Constraint {
  op: string;
  orig: string;
  con: SemVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

/** A parsed range: OR of ANDs. */
export interface SemverRange {
  text: string;
  groups: Constraint[][];
}

export type RangeParse = { ok: true; range: SemverRange } | { ok: false; message: string };

const isX = (s: string | undefined) => s === 'x' || s === 'X' || s === '*';

function parseConstraint(text: string): Constraint | string {
  if (text === '') {
    return { op: '', orig: '', con: parseVersion('0.0.0')!, dirty: true, minorDirty: false, patchDirty: false };
  }
  const m = CONSTRAINT_RE.exec(text);
  if (!m) return `improper constraint: ${text}`;
  let ver = m[2];
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  const pre = m[6] ?? '';
  if (isX(m[3]) || !m[3]) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(m[4]?.slice(1)) || !m[4]) {
    ver = `${m[3]}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (isX(m[5]?.slice(1)) || !m[5]) {
    ver = `${m[3]}${m[4]}.0${pre}`;
    dirty = patchDirty = true;
  }
  const con = parseVersion(ver);
  if (!con) return 'constraint Parser Error';
  return { op: m[1], orig: m[2], con, dirty, minorDirty, patchDirty };
}

/** Masterminds' NewConstraint: `a - b` ranges rewritten, `||` groups, each a list of operator+version. */
export function parseRange(text: string): RangeParse {
  if (text.length > 1024) return { ok: false, message: 'improper constraint: the range is longer than 1024 characters' };
  const rewritten = text.replace(RANGE_RE, (_all, from: string, ...rest: string[]) => `>= ${from}, <= ${rest[9]}`);
  const groups: Constraint[][] = [];
  for (const part of rewritten.split('||')) {
    if (!VALID_RE.test(part)) return { ok: false, message: `improper constraint: ${part}` };
    const found = part.match(FIND_RE) ?? [part];
    const group: Constraint[] = [];
    for (const f of found) {
      const c = parseConstraint(f);
      if (typeof c === 'string') return { ok: false, message: c };
      group.push(c);
    }
    groups.push(group);
  }
  return { ok: true, range: { text, groups } };
}

function tilde(v: SemVersion, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: SemVersion, c: Constraint): boolean {
  const excludedPrerelease = v.prerelease !== '' && c.con.prerelease === '';
  switch (c.op) {
    case '':
    case '=':
      if (excludedPrerelease) return false;
      return c.dirty ? tilde(v, c) : compareVersions(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (excludedPrerelease) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty)
          return (v.prerelease !== '' || c.con.prerelease !== '') && comparePrerelease(v.prerelease, c.con.prerelease) !== 0;
      }
      return compareVersions(v, c.con) !== 0;
    case '>':
      if (excludedPrerelease) return false;
      if (!c.dirty) return compareVersions(v, c.con) > 0;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compareVersions(v, c.con) > 0;
    case '<':
      return !excludedPrerelease && compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      return !excludedPrerelease && compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (excludedPrerelease) return false;
      if (!c.dirty) return compareVersions(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return !excludedPrerelease && tilde(v, c);
    case '^':
      if (excludedPrerelease || compareVersions(v, c.con) < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (v.minor > 0n) return false;
      return v.patch === c.con.patch;
  }
  return false;
}

export function satisfies(v: SemVersion, range: SemverRange): boolean {
  return range.groups.some((group) => group.every((c) => check(v, c)));
}

// ---- validation and tag selection -------------------------------------------------------------

export interface RangeCheck {
  ok: boolean;
  /** What is wrong and what to write instead; absent when ok. */
  message?: string;
}

/** Validates `ref.semver` the way source-controller would parse it. */
export function validateSemverRange(text: string): RangeCheck {
  if (text.trim() === '') return { ok: false, message: 'ref.semver is empty. Write a range such as ">=1.0.0" or "~1.2".' };
  const parsed = parseRange(text);
  if (parsed.ok) return { ok: true };
  const hint = /&&/.test(text)
    ? ' Separate ANDed constraints with a comma or space, not "&&".'
    : /[<>=~^]\s*$/.test(text)
      ? ' An operator needs a version after it.'
      : /\bv?\d+\.\d+\.\d+\.\d+/.test(text)
        ? ' Versions have at most three numbers.'
        : ' Use operators =, !=, >, <, >=, <=, ~, ^ with versions like 1.2.3, wildcards (1.2.x), hyphen ranges (1.2 - 1.4) and "||".';
  return { ok: false, message: `semver range "${text}" is invalid (${parsed.message}).${hint}` };
}

/** The tag Flux checks out for a range: the highest version among the tags that satisfies it (ties by tag text). */
export function latestMatchingTag(tags: ReadonlyArray<string>, rangeText: string): string | undefined {
  const parsed = parseRange(rangeText);
  if (!parsed.ok) return undefined;
  let best: SemVersion | undefined;
  for (const tag of tags) {
    const v = parseVersion(tag);
    if (!v || !satisfies(v, parsed.range)) continue;
    if (!best || compareVersions(v, best) > 0 || (compareVersions(v, best) === 0 && tag > best.original)) best = v;
  }
  return best?.original;
}

export type Bump = 'major' | 'minor' | 'patch';

export interface NextVersion {
  /** The tag to create, in the repository's style (with `v` when most existing version tags have it). */
  tag: string;
  version: SemVersion;
  /** The highest existing release tag, if any. */
  previous?: string;
  /** What the range selects today. */
  currentlySelected?: string;
  /** Whether Flux, tracking `range`, will pick the new tag up. */
  selectedByRange: boolean;
  message?: string;
}

/**
 * The next release tag for a tag-strategy promotion: `bump` applied to the highest existing release
 * (prereleases and non-version tags ignored), and whether the environment's range will follow it.
 */
export function nextVersion(existingTags: ReadonlyArray<string>, rangeText: string | undefined, bump: Bump): NextVersion {
  const versions = existingTags.map(parseVersion).filter((v): v is SemVersion => v !== undefined);
  const releases = versions.filter((v) => v.prerelease === '');
  const latest = releases.reduce<SemVersion | undefined>((best, v) => (!best || compareVersions(v, best) > 0 ? v : best), undefined);
  const withV = versions.filter((v) => v.original.startsWith('v')).length;
  const prefix = versions.length === 0 || withV * 2 >= versions.length ? 'v' : '';
  const base = latest ?? { major: 0n, minor: 0n, patch: 0n, prerelease: '', metadata: '', original: '' };
  const next =
    bump === 'major'
      ? { major: base.major + 1n, minor: 0n, patch: 0n }
      : bump === 'minor'
        ? { major: base.major, minor: base.minor + 1n, patch: 0n }
        : { major: base.major, minor: base.minor, patch: base.patch + 1n };
  const tag = formatVersion({ ...next, prerelease: '', metadata: '' }, prefix);
  const version = parseVersion(tag)!;
  const result: NextVersion = { tag, version, selectedByRange: true, ...(latest ? { previous: latest.original } : {}) };
  if (rangeText === undefined) return result;
  const parsed = parseRange(rangeText);
  if (!parsed.ok)
    return {
      ...result,
      selectedByRange: false,
      message: `the range "${rangeText}" is invalid (${parsed.message}), so Flux selects nothing.`,
    };
  const current = latestMatchingTag(existingTags, rangeText);
  if (current) result.currentlySelected = current;
  result.selectedByRange = satisfies(version, parsed.range);
  if (!result.selectedByRange) {
    result.message = `${tag} is outside the range "${rangeText}", so the environment would stay on ${current ?? 'nothing'}. Widen the range or choose a smaller bump.`;
  }
  return result;
}
