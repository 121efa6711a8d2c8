// Running git: always execFile with an argument array (never a shell), a time limit, no prompts,
// and every failure turned into a typed error value with a message a user can act on.

import { execFile } from 'node:child_process';

export type GitErrorKind =
  | 'notARepo'
  | 'detachedHead'
  | 'noCommits'
  | 'dirty'
  | 'conflict'
  | 'pushRejected'
  | 'noRemote'
  | 'auth'
  | 'refInvalid'
  | 'refExists'
  | 'identity'
  | 'noChanges'
  | 'invalidInput'
  | 'timeout'
  | 'gitMissing'
  | 'unknown';

export interface GitError {
  kind: GitErrorKind;
  /** One or two sentences for the user: what went wrong and what to do. */
  message: string;
  /** git's own stderr (trimmed), for the log. */
  detail?: string;
  /** The git arguments that failed, for the log. */
  args?: readonly string[];
  /** Files involved (dirty files, conflicting files). Repository-relative, forward slashes. */
  paths?: string[];
}

export type GitResult<T> = { ok: true; value: T } | { ok: false; error: GitError };

export function ok<T>(value: T): GitResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: GitErrorKind, message: string, extra: Partial<GitError> = {}): GitResult<T> {
  return { ok: false, error: { kind, message, ...extra } };
}

export interface RunGitOptions {
  cwd: string;
  /** Added to (and overriding) the sanitised process environment. */
  env?: Record<string, string | undefined>;
  /** Default 30 s; network commands (push) deserve more. */
  timeoutMs?: number;
  /** Written to git's stdin, then stdin is closed. */
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `rev-parse --verify --quiet`). */
  acceptExitCodes?: readonly number[];
  /** Defaults to `git` found on PATH. */
  gitPath?: string;
}

export interface GitOutput {
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Config that makes git safe and predictable to drive from a program regardless of the user's
 * settings: no `ext::` transport (it runs arbitrary commands), no fsmonitor daemon start-up, no
 * colour or pager, paths printed verbatim.
 */
const SAFETY_CONFIG: readonly string[] = [
  '-c',
  'protocol.ext.allow=never',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'core.pager=cat',
  '-c',
  'advice.detachedHead=false',
];

/**
 * Variables inherited from a parent git (e.g. when the editor was started from a hook) would
 * silently redirect our commands to another repository or index.
 */
const INHERITED_GIT_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_COMMON_DIR',
];

export function gitEnvironment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_GIT_VARIABLES) delete env[name];
  // Prompts would hang a command nobody can answer: fail fast and report `auth` instead.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_ASKPASS = '';
  env.SSH_ASKPASS = '';
  env.GCM_INTERACTIVE = 'never';
  // English messages, so that stderr can be classified.
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  env.GIT_PAGER = 'cat';
  env.GIT_EDITOR = 'false';
  // Background reads (status) must not rewrite the user's index or race their own git commands.
  env.GIT_OPTIONAL_LOCKS = '0';
  // File names from YAML must never be read as pathspec magic (`:(top)`, globs).
  env.GIT_LITERAL_PATHSPECS = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `git <safety config> <args>` in `cwd`. Never throws; never uses a shell. */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult<GitOutput>> {
  const fullArgs = [...SAFETY_CONFIG, ...args];
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    let child: ReturnType<typeof execFile>;
    try {
      child = execFile(
        options.gitPath ?? 'git',
        fullArgs,
        {
          cwd: options.cwd,
          env: gitEnvironment(options.env),
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT_BYTES,
          encoding: 'buffer',
          windowsHide: true,
          shell: false,
        },
        (error, stdoutRaw, stderrRaw) => {
          const stdoutBytes = toBuffer(stdoutRaw);
          const stderr = toBuffer(stderrRaw).toString('utf8');
          const output: GitOutput = { stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr, exitCode: 0 };
          if (!error) {
            resolve(ok(output));
            return;
          }
          const failure = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string };
          if (failure.code === 'ENOENT') {
            resolve(fail('gitMissing', 'git was not found on PATH. Install git or set its path in the settings.', { args }));
            return;
          }
          if (failure.killed || failure.signal) {
            resolve(
              fail('timeout', `git ${describeCommand(args)} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`, {
                args,
                detail: stderr.trim(),
              }),
            );
            return;
          }
          const exitCode = typeof failure.code === 'number' ? failure.code : -1;
          output.exitCode = exitCode;
          if (options.acceptExitCodes?.includes(exitCode)) {
            resolve(ok(output));
            return;
          }
          resolve({ ok: false, error: classifyGitFailure(args, stderr, exitCode) });
        },
      );
    } catch (error) {
      resolve(fail('unknown', `git could not be started: ${(error as Error).message}`, { args }));
      return;
    }
    child.stdin?.on('error', () => {
      // git may exit before reading all input (e.g. on a bad argument); its exit status tells the story.
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.alloc(0);
}

/** The sub-command and its first arguments, for messages. */
export function describeCommand(args: readonly string[]): string {
  let index = 0;
  while (index < args.length && args[index] === '-c') index += 2;
  return args.slice(index, index + 2).join(' ');
}

interface FailurePattern {
  kind: GitErrorKind;
  pattern: RegExp;
  message: (match: RegExpMatchArray, stderr: string) => string;
}

// Order matters: authentication and rejection messages also contain "fatal: ... remote ...".
const FAILURE_PATTERNS: readonly FailurePattern[] = [
  {
    kind: 'notARepo',
    pattern: /not a git repository/i,
    message: () => 'This folder is not inside a git repository. Open the repository folder (or run `git init`) first.',
  },
  {
    kind: 'auth',
    pattern:
      /(Authentication failed|could not read Username|could not read Password|terminal prompts disabled|Permission denied \(publickey|Host key verification failed|HTTP Basic: Access denied|access denied|The requested URL returned error: 40[13]|invalid username or password)/i,
    message: () => 'git could not authenticate with the remote. Sign in (credential helper, SSH agent or `gh auth login`) and try again.',
  },
  {
    kind: 'pushRejected',
    pattern:
      /(\[rejected\]|\[remote rejected\]|failed to push some refs|non-fast-forward|fetch first|pre-receive hook declined|protected branch)/i,
    message: () =>
      'The remote rejected the push (the branch moved on the remote, or it is protected). Pull and try again, or push to a new branch.',
  },
  {
    kind: 'noRemote',
    pattern:
      /(does not appear to be a git repository|No configured push destination|No such remote|Could not read from remote repository|unable to access|Could not resolve host|repository '.*' not found)/i,
    message: () => 'The remote repository could not be reached. Check `git remote -v` and your network.',
  },
  {
    kind: 'identity',
    pattern: /(Please tell me who you are|empty ident name|unable to auto-detect email address)/i,
    message: () => 'git does not know who you are. Set `user.name` and `user.email` (git config) and try again.',
  },
  {
    kind: 'noCommits',
    pattern:
      /(does not have any commits yet|ambiguous argument 'HEAD'|Needed a single revision|bad default revision 'HEAD'|unknown revision or path not in the working tree.*HEAD)/i,
    message: () => 'The repository has no commits yet. Make a first commit, then promote.',
  },
  {
    kind: 'detachedHead',
    pattern: /(HEAD is not a symbolic ref|ref HEAD is not a symbolic ref|You are not currently on a branch)/i,
    message: () => 'HEAD is detached (no branch is checked out). Check out a branch first.',
  },
  {
    kind: 'conflict',
    pattern: /(CONFLICT|patch does not apply|could not apply|would be overwritten|needs merge|unmerged|while applying patch)/i,
    message: () => 'The change conflicts with the current content of the files. Resolve it by hand or start from an up-to-date branch.',
  },
  {
    kind: 'refInvalid',
    pattern: /(is not a valid (branch|tag|ref) name|not a valid ref|bad ref|invalid ref|refname is ambiguous)/i,
    message: () => 'The branch or tag name is not valid in git.',
  },
  {
    kind: 'refExists',
    pattern: /(already exists|reference already exists)/i,
    message: () => 'A branch or tag with that name already exists.',
  },
];

/** Maps a failed git command (its stderr and exit code) to a typed error with a clear message. */
export function classifyGitFailure(args: readonly string[], stderr: string, exitCode: number): GitError {
  const detail = stderr.trim();
  for (const candidate of FAILURE_PATTERNS) {
    const match = detail.match(candidate.pattern);
    if (match) return { kind: candidate.kind, message: candidate.message(match, detail), detail, args };
  }
  const firstLine = detail.split('\n').find((line) => line.trim() !== '') ?? `exit code ${exitCode}`;
  return {
    kind: 'unknown',
    message: `git ${describeCommand(args)} failed: ${firstLine.replace(/^(fatal|error): /, '')}`,
    detail,
    args,
  };
}
