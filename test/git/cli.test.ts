// fluxenv's git commands outside a git repository: they ask git, so they run with the real-git tests.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../server/src/cli/main';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('fluxenv git commands outside a git repository', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-errors-')))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('history outside a git repository names the folder and says where to run it', async () => {
    const r = await cli(['history'], tmp);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(
      r.stderr,
      `fluxenv: ${tmp} is not inside a git repository. Run 'fluxenv history' in the fleet's clone, or pass its folder: 'fluxenv history path/to/fleet'.\n`,
    );
  });

  it('promote outside a git repository names the folder, not "open the repository folder"', async () => {
    const r = await cli(['promote', '--from', 'staging', '--to', 'production', '--yes'], tmp);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stderr, `fluxenv: ${tmp} is not inside a git repository. Run 'fluxenv promote' in the fleet's clone.\n`);
  });
});
