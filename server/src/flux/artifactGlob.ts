// The two glob dialects an ArtifactGenerator's copy rules are matched with, as source-watcher uses them
// (fluxcd/source-watcher internal/builder/builder.go):
// - `from` goes through Go's `fs.Glob`, i.e. `path.Match` one path segment at a time: `*` and `?` never
//   cross a `/`, and `**` is no more than `*` (a directory it matches is then copied whole, which is what
//   makes `@repo/apps/**` recursive);
// - `exclude` goes through `doublestar.Match` (github.com/bmatcuk/doublestar/v4): `**` as a whole segment
//   spans any number of folders (none included, so `dir/**` also matches `dir`), `{a,b}` alternatives,
//   `[!...]` as well as `[^...]`.
// Neither minimatch nor picomatch is either dialect (dot-file rules, extglobs, `**` inside a segment), so
// both are the few lines below.
import * as path from 'path';
import { GlobSyntaxError, globRegExp } from '../util/globPattern';

export { GlobSyntaxError };

/** Whether a `from` pattern is a glob at all: source-watcher's containsGlobChars. */
export function containsGlobChars(pattern: string): boolean {
  return /[*?[\]]/.test(pattern);
}

/** Go io/fs hasMeta: what makes fs.Glob list a folder instead of checking one path. */
function hasMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

const segmentCache = new Map<string, RegExp>();

/**
 * One path segment's pattern as a RegExp. `doublestar` is doublestar's dialect (`[!...]` negates too, a stray
 * `]` is literal); without it, Go path.Match's. Throws GlobSyntaxError where either dialect refuses it.
 */
function segmentRegExp(pattern: string, doublestar: boolean): RegExp {
  const key = (doublestar ? 'd:' : 'g:') + pattern;
  let re = segmentCache.get(key);
  if (re) return re;
  re = globRegExp(pattern, doublestar ? { bangNegates: true, strayCloseBracket: 'literal' } : { strayCloseBracket: 'error' });
  if (segmentCache.size > 2000) segmentCache.clear();
  segmentCache.set(key, re);
  return re;
}

/** Go's `path.Match` for one name (no `/` in either). */
function goMatch(pattern: string, name: string): boolean {
  return segmentRegExp(pattern, false).test(name);
}

/** Throws GlobSyntaxError when Go's fs.Glob would refuse the pattern. */
export function checkGoGlob(pattern: string): void {
  for (const segment of pattern.split('/')) segmentRegExp(segment, false);
}

/** The listing Go's fs.Glob reads: folder entries by name, and whether a path exists. */
export interface GlobListing {
  readDir(rel: string): string[];
  exists(rel: string): boolean;
}

/**
 * Go's `fs.Glob(fsys, pattern)`: paths relative to the file system's root, in the order Go returns
 * them (each folder's entries sorted). A folder that cannot be read matches nothing, as in Go.
 */
export function goGlob(listing: GlobListing, pattern: string): string[] {
  checkGoGlob(pattern);
  if (!hasMeta(pattern)) return listing.exists(pattern) ? [pattern] : [];
  const slash = pattern.lastIndexOf('/');
  const dirPattern = slash < 0 ? '.' : pattern.slice(0, slash) || '/';
  const namePattern = pattern.slice(slash + 1);
  const dirs = !hasMeta(dirPattern) ? [dirPattern] : dirPattern === pattern ? [] : goGlob(listing, dirPattern);
  const matches: string[] = [];
  for (const dir of dirs) {
    for (const name of listing.readDir(dir)) {
      if (goMatch(namePattern, name)) matches.push(dir === '.' ? name : path.posix.join(dir, name));
    }
  }
  return matches;
}

/** `{a,b}` alternatives expanded, innermost last: doublestar matches when any expansion matches. */
function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') {
      if (depth++ === 0) open = i;
    } else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && depth > 0 && --depth === 0) {
      const cuts = [open, ...commas, i];
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const out: string[] = [];
      for (let k = 0; k + 1 < cuts.length; k++) {
        for (const alternative of expandBraces(head + pattern.slice(cuts[k] + 1, cuts[k + 1]) + tail)) out.push(alternative);
      }
      return out;
    }
  }
  if (depth > 0) throw new GlobSyntaxError(`syntax error in pattern '${pattern}': '{' is never closed`);
  return [pattern];
}

/** Throws GlobSyntaxError when doublestar would reject the pattern (source-watcher checks excludes up front). */
export function checkDoublestar(pattern: string): void {
  for (const alternative of expandBraces(pattern)) for (const segment of alternative.split('/')) segmentRegExp(segment, true);
}

/** doublestar.Match(pattern, filePath) for a `/`-separated relative path. */
export function doublestarMatch(pattern: string, filePath: string): boolean {
  let alternatives = expanded.get(pattern);
  if (!alternatives) {
    alternatives = expandBraces(pattern).map((alternative) => alternative.split('/'));
    if (expanded.size > 2000) expanded.clear();
    expanded.set(pattern, alternatives);
  }
  const names = filePath.split('/');
  return alternatives.some((segments) => matchSegments(segments, 0, names, 0));
}

/** Exclude patterns are matched against every path a copied folder shows: expanded once. */
const expanded = new Map<string, string[][]>();

function matchSegments(patterns: string[], p: number, names: string[], n: number): boolean {
  if (p === patterns.length) return n === names.length;
  if (patterns[p] === '**') {
    // Zero or more whole folders: try every split, shortest first.
    for (let k = n; k <= names.length; k++) if (matchSegments(patterns, p + 1, names, k)) return true;
    return false;
  }
  if (n === names.length) return false;
  // A `**` inside a segment is an ordinary `*` in doublestar.
  return segmentRegExp(patterns[p], true).test(names[n]) && matchSegments(patterns, p + 1, names, n + 1);
}
