// The optional external renderer: `kubectl kustomize <folder>` or `kustomize build <folder>` for users who
// want the exact binary. Runs through execFile with an argument array (no shell), under a time limit, and
// only in trusted workspaces (the caller checks). It reads files from disk, not unsaved buffers.
import { execFile } from 'child_process';
import type { ClientConfig } from './config';

export interface ExternalRender {
  ok: boolean;
  /** The rendered YAML, or empty on failure. */
  stdout: string;
  /** What to show at the top of the preview on failure: the binary's stderr or why it did not run. */
  error?: string;
  /** The command line, for the preview's header. */
  commandLine: string;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function externalCommand(config: ClientConfig, folder: string): { file: string; args: string[] } | undefined {
  if (config.renderer === 'kubectl') return { file: config.rendererPath || 'kubectl', args: ['kustomize', folder] };
  if (config.renderer === 'kustomize') return { file: config.rendererPath || 'kustomize', args: ['build', folder] };
  return undefined;
}

export function renderExternally(config: ClientConfig, folder: string): Promise<ExternalRender> {
  const command = externalCommand(config, folder);
  if (!command) return Promise.resolve({ ok: false, stdout: '', error: 'no external renderer is configured', commandLine: '' });
  const commandLine = [command.file, ...command.args].join(' ');
  return new Promise((resolve) => {
    execFile(
      command.file,
      command.args,
      { cwd: folder, timeout: config.rendererTimeoutSeconds * 1000, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout, commandLine });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        let why: string;
        if (failure.code === 'ENOENT') why = `${command.file} was not found; set fluxEnvironments.rendererPath or install it`;
        else if (failure.killed || failure.signal === 'SIGTERM')
          why = `${commandLine} took longer than ${config.rendererTimeoutSeconds} s and was stopped`;
        else why = stderr.trim() || failure.message;
        resolve({ ok: false, stdout: '', error: why, commandLine });
      },
    );
  });
}
