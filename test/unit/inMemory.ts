// Loaded before every unit test file (test/.mocharc.unit.json): the unit suite runs in memory, so a test
// here that starts a program (kubectl, git, the bundled CLI...) fails at once, naming where it belongs.
// kubectl comparisons live in test/differential, real git repositories in test/git, the built dist/ in test/lsp.
// The module object itself, not an interop copy, so that every importer (product code included) sees the refusal.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import childProcess = require('child_process');

const refuse = (how: string) =>
  function (command: unknown): never {
    throw new Error(
      `test/unit runs in memory, but a test called child_process.${how}(${JSON.stringify(command)}): ` +
        'move kubectl comparisons to test/differential, real git to test/git, the built CLI or server to test/lsp',
    );
  };

const cp = childProcess as unknown as Record<string, unknown>;
for (const how of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) cp[how] = refuse(how);
