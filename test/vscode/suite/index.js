// The extensionTestsPath module, in the shape @vscode/test-electron runs: VS Code loads it in the extension
// host (after the extension under development is registered) and calls run(); a rejection is exit code 1.
// The start/end markers let scripts/vscode-harness.js echo only the test output from the workbench console.
// Each test file expects one workspace: FLUX_ENV_TEST_SUITE (set by runTest.js through extensionTestsEnv)
// picks the files whose name starts with it; without it, the opened workspace folder decides.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');
const vscode = require('vscode');

const SUITE_BY_WORKSPACE = { 'vscode-workspace': 'fleet', 'plain-workspace': 'plain', 'fleet-infra': 'sample' };

function chosenSuite() {
  if (process.env.FLUX_ENV_TEST_SUITE) return process.env.FLUX_ENV_TEST_SUITE;
  const [folder] = vscode.workspace.workspaceFolders || [];
  return folder ? SUITE_BY_WORKSPACE[path.basename(folder.uri.path)] : undefined;
}

function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000 });
  const only = chosenSuite();
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js') && (!only || file.startsWith(only))) mocha.addFile(path.join(__dirname, file));
  }
  console.log('--- extension tests start ---');
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes, pending } = runner.stats;
        console.log(`${passes} passed, ${failures} failed, ${pending} skipped`);
        console.log('--- extension tests end ---');
        if (failures > 0) reject(new Error(`${failures} tests failed.`));
        else if (passes === 0) reject(new Error(`no tests ran for suite ${JSON.stringify(only)}`));
        else resolve();
      });
    } catch (error) {
      console.log('--- extension tests end ---');
      reject(error);
    }
  });
}

module.exports = { run };
