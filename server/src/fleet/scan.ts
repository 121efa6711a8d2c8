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
  const lim = { ...defaultScanLimits, ...limits };
  const files: string[] = [];
  const skipped: ScanResult['skipped'] = [];
  let truncated = false;
  let realRoot: string;
  try {
    realRoot = nodeFs.realpathSync(root);
  } catch {
    return { files, skipped: [{ file: root, reason: 'the folder cannot be read' }], truncated };
  }
  const visitedDirs = new Set<string>();

  const isIgnored = (scopes: IgnoreScope[], abs: string, isDir: boolean): boolean => {
    for (const scope of scopes) {
      const rel = path.posix.relative(scope.base, abs);
      if (rel === '' || rel.startsWith('..')) continue;
      if (scope.rules.ignores(isDir ? rel + '/' : rel)) return true;
    }
    return false;
  };

  // Iterative walk: deep trees must not overflow the stack.
  const stack: Array<{ dir: string; depth: number; scopes: IgnoreScope[] }> = [{ dir: toPosix(root), depth: 0, scopes: [] }];
  while (stack.length > 0) {
    const { dir, depth, scopes: parentScopes } = stack.pop()!;
    let real: string;
    try {
      real = nodeFs.realpathSync(dir);
    } catch {
      continue;
    }
    if (!isInside(real, realRoot)) {
      skipped.push({ file: dir, reason: 'symbolic link leading outside the repository' });
      continue;
    }
    if (visitedDirs.has(real)) continue; // a link back into a folder already walked: a loop or an alias
    visitedDirs.add(real);
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const scopes = [...parentScopes];
    for (const name of IGNORE_FILES) {
      if (!entries.some((e) => e.name === name && e.isFile())) continue;
      try {
        const text = nodeFs.readFileSync(path.join(dir, name), 'utf8');
        scopes.push({ base: dir, rules: ignore().add(text) });
      } catch {
        // an unreadable ignore file ignores nothing
      }
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // reversed: the stack pops in order
    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = dir.endsWith('/') ? dir + entry.name : `${dir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = nodeFs.statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
          const target = nodeFs.realpathSync(abs);
          if (!isInside(target, realRoot)) {
            skipped.push({ file: abs, reason: 'symbolic link leading outside the repository' });
            continue;
          }
        } catch {
          skipped.push({ file: abs, reason: 'broken symbolic link' });
          continue;
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(scopes, abs, true)) continue;
        if (depth + 1 > lim.maxDepth) {
          skipped.push({ file: abs, reason: `deeper than ${lim.maxDepth} folders (setting fluxEnvironments.limits.scan.maxDepth)` });
          continue;
        }
        subdirs.push(abs);
        continue;
      }
      if (!isFile || !isYamlFileName(entry.name) || isIgnored(scopes, abs, false)) continue;
      if (files.length >= lim.maxFiles) {
        truncated = true;
        continue;
      }
      let size = 0;
      try {
        size = nodeFs.statSync(abs).size;
      } catch {
        continue;
      }
      if (size > lim.maxFileBytes) {
        skipped.push({
          file: abs,
          reason: `larger than ${Math.round(lim.maxFileBytes / 1024)} KiB (setting fluxEnvironments.limits.scan.maxFileBytes)`,
        });
        continue;
      }
      files.push(abs);
    }
    for (const sub of subdirs) stack.push({ dir: sub, depth: depth + 1, scopes });
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
  const lim = { ...defaultScanLimits, ...limits };
  const files: string[] = [];
  const skipped: ScanResult['skipped'] = [];
  let truncated = false;
  const isIgnored = (scopes: IgnoreScope[], abs: string, isDir: boolean): boolean =>
    scopes.some((scope) => {
      const rel = path.posix.relative(scope.base, abs);
      return rel !== '' && !rel.startsWith('..') && scope.rules.ignores(isDir ? rel + '/' : rel);
    });
  const stack: Array<{ dir: string; depth: number; scopes: IgnoreScope[] }> = [{ dir: toPosix(root), depth: 0, scopes: [] }];
  while (stack.length > 0) {
    const { dir, depth, scopes: parentScopes } = stack.pop()!;
    const names = fs.readDir(dir);
    const scopes = [...parentScopes];
    for (const name of IGNORE_FILES) {
      if (!names.includes(name)) continue;
      const text = fs.readFile(path.posix.join(dir, name));
      if (text !== undefined) scopes.push({ base: dir, rules: ignore().add(text) });
    }
    const subdirs: string[] = [];
    for (const name of names) {
      const abs = dir.endsWith('/') ? dir + name : `${dir}/${name}`;
      const kind = fs.kind(abs);
      if (kind === 'dir') {
        if (ALWAYS_SKIPPED.has(name) || isIgnored(scopes, abs, true)) continue;
        if (depth + 1 > lim.maxDepth) {
          skipped.push({ file: abs, reason: `deeper than ${lim.maxDepth} folders (setting fluxEnvironments.limits.scan.maxDepth)` });
          continue;
        }
        subdirs.push(abs);
        continue;
      }
      if (kind !== 'file' || !isYamlFileName(name) || isIgnored(scopes, abs, false)) continue;
      if (files.length >= lim.maxFiles) {
        truncated = true;
        continue;
      }
      // A size known without reading (a git tree lists it) spares reading a huge file only to skip it.
      const size = fs.sizeOf?.(abs) ?? fs.readBytes?.(abs)?.length ?? 0;
      if (size > lim.maxFileBytes) {
        skipped.push({
          file: abs,
          reason: `larger than ${Math.round(lim.maxFileBytes / 1024)} KiB (setting fluxEnvironments.limits.scan.maxFileBytes)`,
        });
        continue;
      }
      files.push(abs);
    }
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
