// Where a kustomization may read from. kustomize's root-only restrictor keeps loose files inside the
// kustomization's own folder (other kustomization folders may sit anywhere); Flux builds without it. In
// both modes nothing outside the repository root is ever read, and nothing remote is ever fetched.
import * as path from 'path';
import type { FileSystem } from './fs';

export type LoadRestrictor = 'rootOnly' | 'none';

export type Resolved =
  | { ok: true; path: string; kind: 'file' | 'dir' }
  | { ok: false; code: 'remote-resource' | 'path-outside-repo' | 'path-outside-root' | 'missing-path' | 'absolute-path'; message: string };

/** URLs and go-getter/git forms kustomize would fetch: `https://...`, `git@...`, `github.com/org/repo//path?ref=x`. */
export function isRemoteReference(ref: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return true; // any scheme: https, http, ssh, git, file, oci
  if (/^git@/.test(ref) || /^[\w.-]+@[\w.-]+:/.test(ref)) return true;
  if (/^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(ref)) return true;
  if (/^git::/.test(ref)) return true;
  if (/\?(ref|version|submodules|timeout)=/.test(ref) && /\/\//.test(ref)) return true;
  return false;
}

// Every render normalizes the same few hundred paths many times over; a bounded memo keeps the answers.
const normalized = new Map<string, string>();

export function normalize(p: string): string {
  let out = normalized.get(p);
  if (out === undefined) {
    out = path.posix.normalize(p.replace(/\\/g, '/'));
    if (normalized.size >= 20_000) normalized.clear();
    normalized.set(p, out);
  }
  return out;
}

/** True when `child` is `parent` or inside it. */
export function isWithin(child: string, parent: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith('/') ? parent : parent + '/';
  return child.startsWith(prefix);
}

export function relativeTo(from: string, to: string): string {
  return path.posix.relative(from, to) || '.';
}

export interface LoadPolicy {
  fs: FileSystem;
  restrictor: LoadRestrictor;
  /** Real path of the repository root: the hard limit in every mode. */
  repoRoot: string;
}

/**
 * Resolves an entry of a kustomization (resource, patch path, generator file) written in the kustomization
 * at `root`. Files are checked against the restrictor; folders only against the repository.
 */
export function resolveEntry(policy: LoadPolicy, root: string, ref: string): Resolved {
  if (isRemoteReference(ref)) {
    return {
      ok: false,
      code: 'remote-resource',
      message: `remote reference '${ref}' is not fetched: Flux Environments renders only what is in the repository; vendor it into the repo or render with an external kustomize`,
    };
  }
  const joined = normalize(path.posix.isAbsolute(ref) ? ref : path.posix.join(root, ref));
  const kind = policy.fs.kind(joined);
  if (!kind) {
    return { ok: false, code: 'missing-path', message: `'${ref}' does not exist (looked for ${joined})` };
  }
  const real = normalize(policy.fs.realPath(joined));
  if (!isWithin(real, policy.repoRoot)) {
    return {
      ok: false,
      code: 'path-outside-repo',
      message: `'${ref}' leads outside the repository (${real} is not under ${policy.repoRoot}); it is never read`,
    };
  }
  if (kind === 'file' && policy.restrictor === 'rootOnly') {
    const realRoot = normalize(policy.fs.realPath(root));
    if (!isWithin(real, realRoot)) {
      return {
        ok: false,
        code: 'path-outside-root',
        message: `security; file '${real}' is not in or below '${realRoot}' (kustomize's root-only load restriction; Flux builds allow it)`,
      };
    }
  }
  return { ok: true, path: joined, kind };
}
