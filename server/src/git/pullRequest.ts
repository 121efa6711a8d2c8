// The pull request at the end of a promotion: `gh pr create` when the GitHub CLI is installed and
// signed in, otherwise the host's "new pull/merge request" page for the user to open or copy.

import { execFile } from 'node:child_process';
import { GitResult, fail, ok } from './exec';
import { printable } from './refs';

export type HostKind = 'github' | 'gitlab' | 'bitbucket' | 'azure';

export interface RemoteRepository {
  kind: HostKind;
  /** Host name without credentials or ssh port, e.g. `github.com`. */
  host: string;
  /** Path on the host without `.git`, e.g. `owner/repo` or `group/sub/repo`. */
  path: string;
  /** The repository's web page, e.g. `https://github.com/owner/repo`. */
  webUrl: string;
}

/**
 * Reads a remote URL in its https, `ssh://` or scp-like (`git@host:owner/repo.git`) form.
 * `hostKinds` maps self-hosted names (e.g. `git.example.com` -> `gitlab`); otherwise the kind is
 * guessed from the host name. Credentials in the URL never reach the result.
 */
export function parseRemoteUrl(url: string, hostKinds: Record<string, HostKind> = {}): RemoteRepository | undefined {
  const location = splitRemoteUrl(url.trim());
  if (!location) return undefined;
  const host = location.host.toLowerCase();
  const kind = hostKinds[host] ?? guessHostKind(host);
  if (!kind) return undefined;
  const segments = location.path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter((segment) => segment !== '')
    .map(safeDecode);
  if (segments.length < 2) return undefined;

  if (kind === 'azure') return azureRepository(host, segments, location.webPort);
  const hostPart = location.webPort ? `${host}:${location.webPort}` : host;
  const path = segments.join('/');
  return { kind, host, path, webUrl: `https://${hostPart}/${segments.map(encodeURIComponent).join('/')}` };
}

interface RemoteLocation {
  host: string;
  path: string;
  /** A port worth keeping in web links (https remotes only; ssh ports are not web ports). */
  webPort?: string;
}

function splitRemoteUrl(url: string): RemoteLocation | undefined {
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?(\/.*)?$/i.exec(url);
  if (withScheme) {
    const scheme = withScheme[1].toLowerCase();
    if (!['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(scheme)) return undefined;
    const path = (withScheme[4] ?? '').split(/[?#]/)[0];
    const webPort = scheme.startsWith('http') && withScheme[3] && withScheme[3] !== '443' ? withScheme[3] : undefined;
    return { host: withScheme[2], path, webPort };
  }
  // scp-like syntax: [user@]host:path, where the host has no slash (else it is a local path).
  const scpLike = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(url);
  if (scpLike && scpLike[1].length > 1) return { host: scpLike[1], path: scpLike[2] };
  return undefined;
}

function guessHostKind(host: string): HostKind | undefined {
  if (host === 'github.com' || host.endsWith('.github.com') || /(^|[.-])github([.-]|$)/.test(host)) return 'github';
  if (host === 'bitbucket.org' || host.endsWith('.bitbucket.org')) return 'bitbucket';
  if (host === 'dev.azure.com' || host === 'ssh.dev.azure.com' || host.endsWith('.visualstudio.com')) return 'azure';
  if (host === 'gitlab.com' || /(^|[.-])gitlab([.-]|$)/.test(host)) return 'gitlab';
  return undefined;
}

function azureRepository(host: string, segments: string[], webPort?: string): RemoteRepository | undefined {
  const encode = (parts: string[]) => parts.map(encodeURIComponent).join('/');
  // ssh: ssh.dev.azure.com:v3/org/project/repo and org@vs-ssh.visualstudio.com:v3/org/project/repo
  if (segments[0] === 'v3' && segments.length === 4) {
    const [, organization, project, repo] = segments;
    const webUrl = host.endsWith('visualstudio.com')
      ? `https://${encodeURIComponent(organization)}.visualstudio.com/${encode([project, '_git', repo])}`
      : `https://dev.azure.com/${encode([organization, project, '_git', repo])}`;
    return { kind: 'azure', host, path: `${organization}/${project}/${repo}`, webUrl };
  }
  const gitIndex = segments.indexOf('_git');
  if (gitIndex < 1 || gitIndex !== segments.length - 2) return undefined;
  const hostPart = webPort ? `${host}:${webPort}` : host;
  const webUrl = `https://${hostPart}/${encode(segments)}`;
  return { kind: 'azure', host, path: [...segments.slice(0, gitIndex), segments[gitIndex + 1]].join('/'), webUrl };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface PullRequestText {
  /** The branch the change goes into. */
  base: string;
  /** The branch with the change. */
  head: string;
  title?: string;
  body?: string;
}

/** Query parameters are kept well under the URL lengths browsers and servers accept. */
const MAX_BODY_IN_URL = 1500;

/** The host's page for opening a pull (merge) request from `head` into `base`. */
export function compareUrl(repository: RemoteRepository, text: PullRequestText): string {
  const query = (pairs: Array<[string, string | undefined]>) =>
    pairs
      .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '')
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
      .join('&');
  const body = text.body && text.body.length > MAX_BODY_IN_URL ? `${text.body.slice(0, MAX_BODY_IN_URL)}\n...` : text.body;
  switch (repository.kind) {
    case 'github': {
      const branch = (name: string) => name.split('/').map(encodeURIComponent).join('/');
      return `${repository.webUrl}/compare/${branch(text.base)}...${branch(text.head)}?${query([
        ['expand', '1'],
        ['title', text.title],
        ['body', body],
      ])}`;
    }
    case 'gitlab':
      return `${repository.webUrl}/-/merge_requests/new?${query([
        ['merge_request[source_branch]', text.head],
        ['merge_request[target_branch]', text.base],
        ['merge_request[title]', text.title],
        ['merge_request[description]', body],
      ])}`;
    case 'bitbucket':
      return `${repository.webUrl}/pull-requests/new?${query([
        ['source', text.head],
        ['dest', text.base],
      ])}`;
    case 'azure':
      return `${repository.webUrl}/pullrequestcreate?${query([
        ['sourceRef', text.head],
        ['targetRef', text.base],
      ])}`;
  }
}

export interface PullRequestRequest extends PullRequestText {
  /** The repository folder (gh reads the repository from it). */
  cwd: string;
  /** The URL of the remote the branch was pushed to. */
  remoteUrl: string;
  title: string;
  body: string;
  draft?: boolean;
  hostKinds?: Record<string, HostKind>;
  /** Defaults to `gh` on PATH. */
  ghPath?: string;
  /** Set false to skip gh (e.g. untrusted workspace) and only produce the URL. */
  useGh?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export type PullRequestOutcome =
  | { kind: 'created'; url: string; via: 'gh' }
  /** Open or copy this page to create the request; `reason` says why gh was not used. */
  | { kind: 'compareUrl'; url: string; reason: string };

const GH_TIMEOUT_MS = 60_000;

/**
 * Creates the pull request with `gh pr create` when possible, else returns the compare URL.
 * An error only when neither is possible (a remote on a host we do not know).
 */
export async function openPullRequest(request: PullRequestRequest): Promise<GitResult<PullRequestOutcome>> {
  const repository = parseRemoteUrl(request.remoteUrl, request.hostKinds);
  if (!repository) {
    return fail(
      'noRemote',
      `The remote "${printable(request.remoteUrl)}" is not on a known host (GitHub, GitLab, Bitbucket, Azure DevOps); open the pull request on its website.`,
    );
  }
  const url = compareUrl(repository, request);
  if (repository.kind !== 'github')
    return ok({ kind: 'compareUrl', url, reason: `gh only works with GitHub; ${repository.host} is ${repository.kind}.` });
  if (request.useGh === false) return ok({ kind: 'compareUrl', url, reason: 'gh is turned off.' });

  const run = (args: string[]) => runGh(args, request);
  const status = await run(['auth', 'status', `--hostname=${repository.host}`]);
  if (status.kind === 'missing') return ok({ kind: 'compareUrl', url, reason: 'gh (GitHub CLI) is not installed.' });
  if (status.kind !== 'ok')
    return ok({ kind: 'compareUrl', url, reason: `gh is not signed in to ${repository.host} (run \`gh auth login\`).` });

  // `--flag=value` keeps a title or body starting with '-' from being read as an option.
  const repoArgument = repository.host === 'github.com' ? repository.path : `${repository.host}/${repository.path}`;
  const args = [
    'pr',
    'create',
    `--repo=${repoArgument}`,
    `--base=${request.base}`,
    `--head=${request.head}`,
    `--title=${request.title}`,
    `--body=${request.body}`,
    ...(request.draft ? ['--draft'] : []),
  ];
  const created = await run(args);
  if (created.kind !== 'ok') {
    const why = created.kind === 'failed' ? created.stderr.trim().split('\n')[0] : created.kind;
    return ok({ kind: 'compareUrl', url, reason: `gh pr create failed: ${why || 'unknown error'}` });
  }
  const prUrl = created.stdout
    .split('\n')
    .map((line) => line.trim())
    .reverse()
    .find((line) => /^https?:\/\//.test(line));
  return ok(
    prUrl ? { kind: 'created', url: prUrl, via: 'gh' } : { kind: 'compareUrl', url, reason: 'gh did not print the pull request address.' },
  );
}

type GhRun = { kind: 'ok'; stdout: string } | { kind: 'missing' } | { kind: 'timeout' } | { kind: 'failed'; stderr: string };

function runGh(args: string[], request: PullRequestRequest): Promise<GhRun> {
  return new Promise((resolve) => {
    try {
      const child = execFile(
        request.ghPath ?? 'gh',
        args,
        {
          cwd: request.cwd,
          env: { ...process.env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', ...(request.env ?? {}) },
          timeout: request.timeoutMs ?? GH_TIMEOUT_MS,
          killSignal: 'SIGKILL',
          maxBuffer: 16 * 1024 * 1024,
          windowsHide: true,
          shell: false,
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ kind: 'ok', stdout: String(stdout) });
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
          if (failure.code === 'ENOENT') return resolve({ kind: 'missing' });
          if (failure.killed || failure.signal) return resolve({ kind: 'timeout' });
          resolve({ kind: 'failed', stderr: String(stderr) });
        },
      );
      child.stdin?.end();
    } catch {
      resolve({ kind: 'missing' });
    }
  });
}
