// A kustomization entry naming a file or folder that does not exist fails the whole build; the likeliest
// cause is a typo or a rename, so the fix offers the nearest existing path.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import { editDistance } from '../util/editDistance';
import { fieldLabel, judgeEachEntry, textAt, type EntryExpectation, type PathEntry } from './support/kustomizationEntries';
import type { Fix, Rule } from './rule';

/** Folders with more entries than this are not searched for suggestions (generated folders, vendored trees). */
const MAX_LISTING = 2000;
const MAX_SEGMENTS = 64;

function fits(kind: 'file' | 'dir', wanted: EntryExpectation): boolean {
  return wanted === 'file-or-dir' || kind === wanted;
}

/** `.yml` and `.yaml` name the same thing to a reader; case differences are the cheapest typo. */
function comparable(name: string): string {
  return name.toLowerCase().replace(/\.yml$/, '.yaml');
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Score of a candidate for a misspelled name (lower is nearer), or undefined when it is no suggestion. */
function score(written: string, candidate: string): number | undefined {
  const a = comparable(written);
  const b = comparable(candidate);
  if (a === b) return 0.5;
  const limit = Math.min(3, Math.max(1, Math.floor(a.length / 3)));
  const distance = editDistance(a, b, limit);
  if (distance <= limit) return distance;
  // A shortened name (`deploy.yml` for `deployment.yaml`) is a common slip, farther than a typo.
  const [sa, sb] = [stem(a), stem(b)];
  const [short, long] = sa.length <= sb.length ? [sa, sb] : [sb, sa];
  if (short.length >= 3 && long.startsWith(short)) return limit + 1;
  return undefined;
}

function nearest(index: FleetIndex, dir: string, written: string, wanted: EntryExpectation): string | undefined {
  const names = index.fs.readDir(dir);
  if (names.length > MAX_LISTING) return undefined;
  let best: { name: string; score: number } | undefined;
  for (const name of names) {
    if (name.startsWith('.') && !written.startsWith('.')) continue;
    if ((KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(name)) continue;
    const kind = index.fs.kind(path.posix.join(dir, name));
    if (!kind || !fits(kind, wanted)) continue;
    const s = score(written, name);
    if (s === undefined) continue;
    if (!best || s < best.score || (s === best.score && name < best.name)) best = { name, score: s };
  }
  return best?.name;
}

/** The nearest existing path to the entry, written the way the entry is (relative, same `./`, `../`). */
export function suggestPath(index: FleetIndex, entry: PathEntry): string | undefined {
  const segments = entry.ref.split('/');
  if (segments.length > MAX_SEGMENTS) return undefined;
  let lastNamed = segments.length - 1;
  while (lastNamed >= 0 && (segments[lastNamed] === '' || segments[lastNamed] === '.')) lastNamed--;
  let current = entry.dir;
  const out: string[] = [];
  let changed = false;
  for (const [i, segment] of segments.entries()) {
    if (segment === '' || segment === '.') {
      out.push(segment);
      continue;
    }
    if (segment === '..') {
      current = path.posix.dirname(current);
      out.push(segment);
      continue;
    }
    const wanted: EntryExpectation = i === lastNamed ? entry.expects : 'dir';
    const next = path.posix.join(current, segment);
    const kind = index.fs.kind(next);
    if (kind && fits(kind, wanted)) {
      current = next;
      out.push(segment);
      continue;
    }
    const suggestion = nearest(index, current, segment, wanted);
    if (!suggestion) return undefined;
    current = path.posix.join(current, suggestion);
    out.push(suggestion);
    changed = true;
  }
  return changed ? out.join('/') : undefined;
}

/** Replaces the path inside the entry's source text, so quotes and a `key=` prefix stay as written. */
function renameFix(index: FleetIndex, entry: PathEntry, suggestion: string): Fix | undefined {
  const text = index.text(entry.file);
  const raw = text === undefined ? undefined : textAt(text, entry.range);
  if (raw === undefined || entry.range.start.line !== entry.range.end.line) return undefined;
  const at = raw.lastIndexOf(entry.ref);
  if (at < 0) return undefined;
  const newText = raw.slice(0, at) + suggestion + raw.slice(at + entry.ref.length);
  return { title: `Change to '${suggestion}'`, edits: [{ file: entry.file, range: entry.range, newText }], preferred: true };
}

export const missingPath: Rule = {
  id: 'missing-path',
  severity: 'error',
  category: 'overlay',
  description: 'A kustomization entry names a file or folder that does not exist; kustomize fails the build.',
  check(ctx) {
    const { index } = ctx;
    return judgeEachEntry(ctx, (entry, status) => {
      if (status.kind !== 'missing' && status.kind !== 'wrong-kind') return undefined;
      const where = fieldLabel(entry);
      const suggestion = suggestPath(index, entry);
      const fix = suggestion === undefined ? undefined : renameFix(index, entry, suggestion);
      const relative = path.posix.relative(index.root, status.absolute) || '.';
      const what =
        status.kind === 'missing'
          ? `'${entry.ref}' in ${where} does not exist (no ${relative} in the repository)`
          : `'${entry.ref}' in ${where} is a ${status.entryKind === 'dir' ? 'folder' : 'file'}, but ${where} needs a ${entry.expects === 'dir' ? 'folder' : 'file'}`;
      const todo = suggestion !== undefined ? `Did you mean '${suggestion}'?` : 'Correct the path or remove the entry.';
      return { message: `${what}; kustomize fails the build. ${todo}`, fixes: fix ? [fix] : undefined };
    });
  },
};
