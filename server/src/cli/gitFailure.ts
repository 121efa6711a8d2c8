// What `fluxenv promote` and `fluxenv history` print when git fails: git's own message, except where the
// editor's wording (the open folder, the settings) would mislead on a command line.
import type { GitError } from '../git/exec';

export function gitFailureMessage(error: GitError, folder: string, command: 'promote' | 'history'): string {
  if (error.kind === 'notARepo') {
    return `${folder} is not inside a git repository. Run 'fluxenv ${command}' in the fleet's clone${command === 'history' ? `, or pass its folder: 'fluxenv history path/to/fleet'` : ''}.`;
  }
  if (error.kind === 'gitMissing')
    return `git was not found on PATH; 'fluxenv ${command}' needs it. Install git, or add its folder to PATH.`;
  return error.message;
}
