// Running `helm template` for a chart that is already on disk: the one place that starts helm. Used by
// kustomize's `helmCharts:` (with --enable-helm) and by HelmRelease previews. Never a shell (execFileSync with
// an argument array), never a download (no `--repo`, no `dependency update`), a time limit and an output limit,
// and every failure a message naming the chart and what to do.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';

export interface HelmTemplateRequest {
  /** The helm executable: a path, or a name looked up on PATH. */
  helmPath: string;
  /** A chart folder or .tgz archive on disk. */
  chart: string;
  releaseName: string;
  namespace?: string;
  /** Files passed as `--values`, in order (later wins, as in helm). */
  valuesFiles?: readonly string[];
  /** `--include-crds`. */
  includeCrds?: boolean;
  /** `--skip-tests`. */
  skipTests?: boolean;
  /** `--kube-version`. */
  kubeVersion?: string;
  /** `--api-versions`, one flag each. */
  apiVersions?: readonly string[];
  /** `--name-template`. */
  nameTemplate?: string;
  /** `--no-hooks` (kustomize's `skipHooks`). */
  noHooks?: boolean;
  /** Folder helm runs in. */
  cwd?: string;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 32 MiB. */
  maxOutputBytes?: number;
}

export type HelmTemplateResult = { ok: true; output: string; args: string[] } | { ok: false; message: string; args: string[] };

/** What runs `helm template`: runHelmTemplate, or a stand-in that tests inject so that no program starts. */
export type HelmRunner = (request: HelmTemplateRequest) => HelmTemplateResult;

/** The arguments of `helm template` for a request, in a fixed order (tests assert them). */
export function helmTemplateArgs(request: HelmTemplateRequest): string[] {
  const args = ['template', request.releaseName, request.chart];
  if (request.namespace) args.push('--namespace', request.namespace);
  for (const file of request.valuesFiles ?? []) args.push('--values', file);
  if (request.includeCrds) args.push('--include-crds');
  if (request.skipTests) args.push('--skip-tests');
  if (request.kubeVersion) args.push('--kube-version', request.kubeVersion);
  for (const version of request.apiVersions ?? []) args.push('--api-versions', version);
  if (request.nameTemplate) args.push('--name-template', request.nameTemplate);
  if (request.noHooks) args.push('--no-hooks');
  return args;
}

export function runHelmTemplate(request: HelmTemplateRequest): HelmTemplateResult {
  const args = helmTemplateArgs(request);
  const timeoutMs = request.timeoutMs ?? 30_000;
  const maxOutputBytes = request.maxOutputBytes ?? 32 * 1024 * 1024;
  try {
    const output = execFileSync(request.helmPath, args, {
      cwd: request.cwd,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: maxOutputBytes,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // No plugins, no repository index: helm reads only what it is given.
      env: { ...process.env, HELM_NO_PLUGINS: '1' },
    });
    return { ok: true, output, args };
  } catch (error) {
    return { ok: false, message: helmFailure(request, error, timeoutMs, maxOutputBytes), args };
  }
}

function helmFailure(request: HelmTemplateRequest, error: unknown, timeoutMs: number, maxOutputBytes: number): string {
  const failure = error as NodeJS.ErrnoException & { stderr?: string | Buffer; signal?: string; status?: number | null };
  const chart = `chart ${request.chart}`;
  if (failure.code === 'ENOENT') {
    return `helm was not found (${request.helmPath}): install helm or set its path to render ${chart}.`;
  }
  if (failure.code === 'EACCES') return `helm at ${request.helmPath} cannot be run (permission denied); ${chart} was not rendered.`;
  if (failure.code === 'ENOBUFS') return `helm template printed more than ${maxOutputBytes} bytes for ${chart}; output dropped.`;
  if (failure.signal === 'SIGTERM' || failure.code === 'ETIMEDOUT') {
    return `helm template did not finish within ${Math.round(timeoutMs / 1000)} s for ${chart}; stopped.`;
  }
  const stderr = String(failure.stderr ?? '').trim();
  const firstLines = stderr.split('\n').slice(0, 5).join('\n');
  return `helm template failed for ${chart}${failure.status != null ? ` (exit ${failure.status})` : ''}: ${firstLines || failure.message}`;
}

/**
 * Runs `run` with `text` written to a values file in a fresh temporary folder (values given inline, such
 * as kustomize's `valuesInline`), and removes the folder afterwards, whatever happens.
 */
export function withTemporaryValuesFile<T>(text: string, run: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fluxenv-helm-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, text, { mode: 0o600 });
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `run` in a fresh temporary folder holding `files` (paths relative to it, text or bytes), and removes
 * the folder afterwards, whatever happens. helm then reads exactly these texts: a chart and values files taken
 * from the editor's buffers or from a git revision, not whatever the disk holds at that moment.
 */
export function withStagedFiles<T>(files: ReadonlyArray<{ path: string; content: string | Uint8Array }>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fluxenv-helm-'));
  try {
    const made = new Set<string>([dir]);
    for (const file of files) {
      const target = normalize(join(dir, file.path));
      // A relative path that climbs out (`../`) would write outside the folder: refuse it.
      if (!target.startsWith(dir + sep)) throw new Error(`refusing to stage '${file.path}' outside the temporary folder`);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileSync(target, file.content, { mode: 0o600 });
    }
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
