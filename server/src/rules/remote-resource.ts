// Remote bases (URLs, git references) are fetched by kustomize at build time, and kustomize-controller
// fetches them too (unless it runs with --no-remote-bases). So a remote entry is only a mistake when it is
// not pinned: a branch, or no ref at all, changes under the cluster without a commit here. A pinned one is
// fine; the one thing to say is that Flux Environments never fetches it, so the render here lacks it.
//
// What counts as the ref follows kustomize's api/internal/git/repospec.go: the `ref` query parameter, else
// `version` (ref wins); a git URL without either clones the default branch. Plain http(s) URLs are fetched
// as files (api/internal/loader/fileloader.go, IsRemoteFile): their pin, if any, is in the path.
import { fieldLabel, judgeEachEntry } from './support/kustomizationEntries';
import type { Rule } from './rule';

/** What a remote entry is pinned to, or why it is not. */
export interface RemotePin {
  pinned: boolean;
  /** What it follows, in words: `tag v1.2.3`, `branch main`, `the repository's default branch`. */
  what: string;
}

const COMMIT = /^[0-9a-f]{7,40}$/i;
/** A version: `1.2`, `v1.2.3`, `chart-v2.5.2`, `v6` (a tag that names a major version). */
const VERSION = /(^|[^0-9A-Za-z])v?\d+\.\d+|^v\d+$/;
/** Names that are always moving pointers. */
const MOVING = new Set(['main', 'master', 'develop', 'dev', 'trunk', 'head', 'latest', 'stable', 'nightly', 'edge']);

function isCommit(s: string): boolean {
  return COMMIT.test(s) && /\d/.test(s);
}

/** How a ref written in a git URL (`?ref=`) or as a URL path segment reads. */
function judgeRef(ref: string): RemotePin {
  const tag = /^refs\/tags\/(.+)$/.exec(ref);
  if (tag) return { pinned: true, what: `tag ${tag[1]}` };
  const head = /^refs\/heads\/(.+)$/.exec(ref);
  if (head) return { pinned: false, what: `branch ${head[1]}` };
  if (isCommit(ref)) return { pinned: true, what: `commit ${ref}` };
  if (VERSION.test(ref)) return { pinned: true, what: `tag ${ref}` };
  return {
    pinned: false,
    what: MOVING.has(ref.toLowerCase()) ? `branch ${ref}` : `'${ref}', which names no version or commit (a branch, if it is one, moves)`,
  };
}

function queryRef(query: string): string | undefined {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return undefined;
  }
  return params.get('ref') || params.get('version') || undefined;
}

/** Where a file URL on a known git host names its ref, when it does. */
function hostedRef(host: string, segments: string[]): string | undefined {
  const ref = (at: number) =>
    segments[at] === 'refs' && segments[at + 2] !== undefined ? segments.slice(at, at + 3).join('/') : segments[at];
  if (host === 'raw.githubusercontent.com' && segments.length > 3) return ref(2);
  if (host === 'github.com' || host === 'www.github.com') {
    if (segments[2] === 'releases' && segments[3] === 'download') return segments[4];
    if (segments[2] === 'releases' && segments[3] === 'latest') return 'latest';
    if ((segments[2] === 'raw' || segments[2] === 'blob') && segments.length > 4) return ref(3);
  }
  const dash = segments.indexOf('-');
  if (dash > 0 && (segments[dash + 1] === 'raw' || segments[dash + 1] === 'blob')) return ref(dash + 2); // GitLab
  return undefined;
}

/** Whether a remote entry is pinned, read the way kustomize reads it. */
export function remotePin(url: string): RemotePin {
  const [beforeQuery, query = ''] = url.split('?', 2);
  const ref = queryRef(query);
  if (ref !== undefined) return judgeRef(ref);
  const http = /^https?:\/\/([^/]+)\/(.*)$/i.exec(beforeQuery);
  // A git URL: an explicit repository marker (`//`, `.git`, `_git/`) or no scheme (github.com/org/repo, git@host:repo).
  const gitLike = !http || /\/\/|\.git(\/|$)|_git\//.test(http[2]);
  if (http && !(gitLike && !/\.(ya?ml|json)$/i.test(beforeQuery))) {
    const host = http[1].toLowerCase().replace(/^[^@]*@/, '');
    const segments = http[2].split('/').filter((s) => s !== '');
    const hosted = hostedRef(host, segments);
    if (hosted !== undefined) return judgeRef(decodeURIComponent(hosted));
    const pin = segments.find((s) => isCommit(s) || VERSION.test(s));
    if (pin !== undefined) return { pinned: true, what: isCommit(pin) ? `commit ${pin}` : `version ${pin}` };
    return { pinned: false, what: 'nothing that names a version or commit' };
  }
  return { pinned: false, what: "the repository's default branch (no ?ref=)" };
}

export const remoteResource: Rule = {
  id: 'remote-resource',
  severity: 'warning',
  category: 'overlay',
  description:
    'A kustomization entry is a URL or git reference that is not pinned to a tag or commit, so it changes without a commit here (a pinned one is a hint: it is not rendered here).',
  check(ctx) {
    return judgeEachEntry(ctx, (entry, status) => {
      if (status.kind !== 'remote') return undefined;
      const pin = remotePin(entry.ref);
      if (pin.pinned) {
        return {
          severity: 'hint',
          message: `'${entry.ref}' in ${fieldLabel(entry)} is a remote reference pinned to ${pin.what}; kustomize-controller fetches it when it builds (unless it runs with --no-remote-bases). Flux Environments never fetches anything, so what it adds is missing from the render shown here and from the checks that read it.`,
        };
      }
      return {
        message: `'${entry.ref}' in ${fieldLabel(entry)} is a remote reference that follows ${pin.what}: every build fetches what it holds at that moment, so the cluster can change without a commit in this repository. Pin it to a tag or commit (?ref=v1.2.3, or a versioned URL), or vendor it into a folder of this repository. (Flux Environments never fetches it, so its objects are missing from the render shown here.)`,
      };
    });
  },
};
