// Finds the YAML files of a fleet repository the way Flux and kustomize would see them: ignore files
// honoured (.gitignore, .sourceignore, .krmignore, at any depth), .git and node_modules skipped, symbolic
// links never followed out of the repository or round in a loop, and hard limits so a huge or hostile
// tree cannot stall the index.
import * as nodeFs from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import type { FileSystem } from '../kustomize/fs';

export interface ScanLimits {
  /** Stop after this many YAML files (the rest are reported, not indexed). */
  maxFiles: number;
  /** YAML files larger than this are listed as skipped. */
  maxFileBytes: number;
  /** Folder depth below the root. */
  maxDepth: number;
}

export const defaultScanLimits: ScanLimits = { maxFiles: 50_000, maxFileBytes: 4 * 1024 * 1024, maxDepth: 64 };

export interface ScanResult {
  /** Absolute paths (forward slashes) of YAML files, sorted. */
  files: string[];
  /** Files not indexed, with the reason (too large, limit reached, link leaving the repository...). */
  skipped: Array<{ file: string; reason: string }>;
  /** Whether the file limit cut the scan short. */
  truncated: boolean;
}

const IGNORE_FILES = ['.gitignore', '.sourceignore', '.krmignore'];
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

export function isYamlFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name) || name === 'Kustomization';
}

interface IgnoreScope {
  /** Folder the rules are relative to. */
  base: string;
  rules: Ignore;
}

export function scanFleet(root: string, limits: Partial<ScanLimits> = {}): ScanResult {
  let realRoot: string;
  try {
    realRoot = nodeFs.realpathSync(root);
  } catch {
    return { files: [], skipped: [{ file: root, reason: 'the folder cannot be read' }], truncated: false };
  }
  const visitedDirs = new Set<string>();
  return walk(root, limits, {
    list(dir, skipped) {
      let real: string;
      try {
        real = nodeFs.realpathSync(dir);
      } catch {
        return undefined;
      }
      if (!isInside(real, realRoot)) {
        skipped.push({ file: dir, reason: 'symbolic link leading outside the repository' });
        return undefined;
      }
      if (visitedDirs.has(real)) return undefined; // a link back into a folder already walked: a loop or an alias
      visitedDirs.add(real);
      let entries: nodeFs.Dirent[];
      try {
        entries = nodeFs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return undefined;
      }
      const out: WalkEntry[] = [];
      for (const entry of entries) {
        const abs = joinDir(dir, entry.name);
        let kind: WalkEntry['kind'] = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
        if (entry.isSymbolicLink()) {
          try {
            const st = nodeFs.statSync(abs);
            kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
            if (!isInside(nodeFs.realpathSync(abs), realRoot)) {
              skipped.push({ file: abs, reason: 'symbolic link leading outside the repository' });
              continue;
            }
          } catch {
            skipped.push({ file: abs, reason: 'broken symbolic link' });
            continue;
          }
        }
        out.push({
          name: entry.name,
          kind,
          size: () => {
            try {
              return nodeFs.statSync(abs).size;
            } catch {
              return undefined;
            }
          },
        });
      }
      return out;
    },
    readText(file) {
      try {
        return nodeFs.readFileSync(file, 'utf8');
      } catch {
        return undefined; // an unreadable ignore file ignores nothing
      }
    },
  });
}

interface WalkEntry {
  name: string;
  kind: 'dir' | 'file' | 'other';
  /** Its size in bytes; undefined when it cannot be known (the file is then left out). */
  size(): number | undefined;
}

interface WalkSource {
  /** A folder's entries; undefined when it cannot or must not be walked (a reason may go to `skipped`). */
  list(dir: string, skipped: ScanResult['skipped']): WalkEntry[] | undefined;
  readText(file: string): string | undefined;
}

function joinDir(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function isIgnored(scopes: IgnoreScope[], abs: string, isDir: boolean): boolean {
  return scopes.some((scope) => {
    const rel = path.posix.relative(scope.base, abs);
    return rel !== '' && !rel.startsWith('..') && scope.rules.ignores(isDir ? rel + '/' : rel);
  });
}

/**
 * The walk both scans share: folders in name order (iteratively: deep trees must not overflow the stack),
 * the ignore files of every folder on the way, folders always skipped, and the limits.
 */
function walk(root: string, limits: Partial<ScanLimits>, source: WalkSource): ScanResult {
  const lim = { ...defaultScanLimits, ...limits };
  const files: string[] = [];
  const skipped: ScanResult['skipped'] = [];
  let truncated = false;
  const stack: Array<{ dir: string; depth: number; scopes: IgnoreScope[] }> = [{ dir: toPosix(root), depth: 0, scopes: [] }];
  while (stack.length > 0) {
    const { dir, depth, scopes: parentScopes } = stack.pop()!;
    const entries = source.list(dir, skipped);
    if (!entries) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const scopes = [...parentScopes];
    for (const name of IGNORE_FILES) {
      if (!entries.some((e) => e.name === name && e.kind === 'file')) continue;
      const text = source.readText(path.posix.join(dir, name));
      if (text !== undefined) scopes.push({ base: dir, rules: ignore().add(text) });
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = joinDir(dir, entry.name);
      if (entry.kind === 'dir') {
        if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(scopes, abs, true)) continue;
        if (depth + 1 > lim.maxDepth) {
          skipped.push({ file: abs, reason: `deeper than ${lim.maxDepth} folders (setting fluxEnvironments.limits.scan.maxDepth)` });
          continue;
        }
        subdirs.push(abs);
        continue;
      }
      if (entry.kind !== 'file' || !isYamlFileName(entry.name) || isIgnored(scopes, abs, false)) continue;
      if (files.length >= lim.maxFiles) {
        truncated = true;
        continue;
      }
      const size = entry.size();
      if (size === undefined) continue;
      if (size > lim.maxFileBytes) {
        skipped.push({
          file: abs,
          reason: `larger than ${Math.round(lim.maxFileBytes / 1024)} KiB (setting fluxEnvironments.limits.scan.maxFileBytes)`,
        });
        continue;
      }
      files.push(abs);
    }
    // The stack pops the last pushed first: push in reverse so folders are walked in name order.
    for (const sub of subdirs.reverse()) stack.push({ dir: sub, depth: depth + 1, scopes });
  }
  if (truncated)
    skipped.push({
      file: root,
      reason: `more than ${lim.maxFiles} YAML files; the rest are not indexed (setting fluxEnvironments.limits.scan.maxFiles)`,
    });
  files.sort();
  return { files, skipped, truncated };
}

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

/**
 * The same walk over a file system that is not the disk (a git revision's tree): the same ignore files,
 * folders always skipped and limits. Such a file system has no symbolic links to follow (a git tree's are
 * left out), so the disk walk's containment checks have nothing to check.
 */
export function scanFileSystem(
  fs: FileSystem & { sizeOf?(file: string): number | undefined },
  root: string,
  limits: Partial<ScanLimits> = {},
): ScanResult {
  return walk(root, limits, {
    list: (dir) =>
      fs.readDir(dir).map((name) => {
        const abs = joinDir(dir, name);
        const kind = fs.kind(abs);
        // A size known without reading (a git tree lists it) spares reading a huge file only to skip it.
        return {
          name,
          kind: kind === 'dir' || kind === 'file' ? kind : 'other',
          size: () => fs.sizeOf?.(abs) ?? fs.readBytes?.(abs)?.length ?? 0,
        };
      }),
    readText: (file) => fs.readFile(file),
  });
}
