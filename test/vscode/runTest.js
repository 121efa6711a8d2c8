#!/usr/bin/env node
// The standard @vscode/test-electron entry. By default VS Code is scripts/vscode-harness.js: a real VS Code
// (code-server + headless Chromium, installed by scripts/setup-vscode-server.sh) that accepts runTests' CLI.
// With --desktop, runTests uses a desktop VS Code: VSCODE_EXECUTABLE_PATH if set, else the one it downloads.
// Each entry of RUNS is one VS Code session (a workspace folder and the test files it runs); exit code is
// the first failing session's (1 tests failed, 2 timeout, 3 harness error), else 0.
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = [
  { suite: 'fleet', folder: path.join(ROOT, 'test', 'fixtures', 'vscode-workspace') },
  { suite: 'plain', folder: path.join(__dirname, 'plain-workspace') },
  // A temp git repository with a bare origin, made when the session starts.
  { suite: 'promote', folder: () => require('./promoteWorkspace').makePromoteWorkspace() },
  // The same repository again, with every analysis held 8 s after an edit (a test-only knob), so that
  // typing.renderedChanges.test.js shows what follows an edit without it.
  {
    suite: 'typing',
    folder: () => require('./promoteWorkspace').makePromoteWorkspace(),
    env: { FLUX_ENVIRONMENTS_TEST_ANALYSIS_DELAY_MS: '8000' },
  },
  // The sample fleet (examples/fleet-infra), copied to a temp folder so no test can change the example.
  { suite: 'sample', folder: () => copyToTemp(path.join(ROOT, 'examples', 'fleet-infra')) },
  // Three fleets of the layout corpus (test/fixtures/layouts) as one multi-root workspace: a .code-workspace
  // over temp copies. Its server holds the first index 4 s (a test-only knob) so that
  // multiroot.startup.test.js can read what the Environments view shows meanwhile.
  {
    suite: 'multiroot',
    folder: () => multiRootWorkspace(['flux-instance-values', 'artifact-generator', 'hub-and-spoke']),
    env: { FLUX_ENVIRONMENTS_TEST_FIRST_INDEX_DELAY_MS: '4000' },
  },
];

function multiRootWorkspace(layouts) {
  const fs = require('fs');
  const os = require('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-env-multiroot-'));
  for (const layout of layouts)
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'layouts', layout), path.join(dir, layout), { recursive: true });
  const file = path.join(dir, 'fleets.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders: layouts.map((layout) => ({ path: layout })) }, null, 2));
  return file;
}

function copyToTemp(folder) {
  const fs = require('fs');
  const os = require('os');
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flux-env-sample-')), path.basename(folder));
  fs.cpSync(folder, copy, { recursive: true });
  return copy;
}

async function main() {
  const desktop = process.argv.includes('--desktop');
  const vscodeExecutablePath = desktop ? process.env.VSCODE_EXECUTABLE_PATH || undefined : path.join(ROOT, 'scripts', 'vscode-harness.js');
  // FLUX_ENV_VSCODE_SESSIONS=sample,fleet runs only those sessions (while working on one); CI runs them all.
  const only = (process.env.FLUX_ENV_VSCODE_SESSIONS || '').split(',').filter(Boolean);
  const unknown = only.filter((name) => !RUNS.some((run) => run.suite === name));
  if (unknown.length > 0) {
    console.error(
      `FLUX_ENV_VSCODE_SESSIONS names no session: ${unknown.join(', ')} (sessions: ${[...new Set(RUNS.map((run) => run.suite))].join(', ')})`,
    );
    process.exit(3);
  }
  let exitCode = 0;
  for (const run of RUNS.filter((entry) => only.length === 0 || only.includes(entry.suite))) {
    if (only.length > 0) console.log(`FLUX_ENV_VSCODE_SESSIONS=${only.join(',')}: running only these sessions, not the whole suite`);
    const { suite } = run;
    const started = Date.now();
    const folder = typeof run.folder === 'function' ? run.folder() : run.folder;
    console.log(`\n=== extension host: ${suite} (${path.relative(ROOT, folder)})`);
    try {
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
        // --disable-extensions: only the extension under development (and VS Code's built-ins) run.
        launchArgs: [folder, '--disable-extensions'],
        extensionTestsEnv: { FLUX_ENV_TEST_SUITE: suite, ...run.env },
      });
    } catch (error) {
      console.error(`${suite}: ${error && error.message ? error.message : error}`);
      if (exitCode === 0) exitCode = typeof error.code === 'number' && error.code > 0 ? error.code : 1;
    }
    console.log(`=== ${suite} (${path.basename(folder)}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  process.exit(exitCode);
}

main();
