// `npm test -- <file>` (scripts/test.mjs with test files) runs those files only, with their suite's options:
// mocha alone would add the suite config's whole `spec` to the file named.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');

describe('running one test file', function () {
  this.timeout(120000);

  it('runs that file only', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'test.mjs'), 'test/unit/rules/severity.test.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ {2}severity names$/m);
    assert.match(run.stdout, /^ {2}4 passing/m);
    assert.doesNotMatch(run.stdout, /rule catalogue|fluxenv render/);
  });

  it('refuses a file that is not a test of a mocha suite, naming it', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'test.mjs'), 'test/unit/nothing-here.test.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.strictEqual(run.status, 2);
    assert.match(run.stderr, /not a test file of a mocha suite: test\/unit\/nothing-here\.test\.ts/);
  });
});
