// What the Environments view shows while the first index runs, read from the workbench itself (the harness
// answers workbenchTexts): the indexing text, never "No fleet found", until the tree fills. Registered only in
// the session whose server holds its first index (FLUX_ENVIRONMENTS_TEST_FIRST_INDEX_DELAY_MS, set by
// runTest.js); mocha runs this file before multiroot.test.js, so the index is not ready yet when it starts.
/* global describe, it */
const assert = require('assert');
const vscode = require('vscode');
const { sleep, workbenchTexts } = require('./helpers');

const HELD = Number(process.env.FLUX_ENVIRONMENTS_TEST_FIRST_INDEX_DELAY_MS) > 0;
const INDEXING = /Indexing the fleet/;
const NO_FLEET = /No fleet found/;

if (HELD) {
  describe('the Environments view while the first index runs', function () {
    this.timeout(40000);

    it('says it is indexing (never "No fleet found") until the environments show', async () => {
      await vscode.commands.executeCommand('fluxEnvironments.environments.focus');
      const samples = [];
      const deadline = Date.now() + 30000;
      while (true) {
        const welcome = (await workbenchTexts('.part.sidebar .welcome-view-content')).join('\n');
        const rows = await workbenchTexts('.part.sidebar .monaco-list-row');
        // What the view showed, each change once (a sample every 100 ms or so).
        const sample = { welcome: welcome.slice(0, 40), rows: rows.map((row) => row.split('\n')[0]) };
        if (JSON.stringify(samples[samples.length - 1]) !== JSON.stringify(sample)) samples.push(sample);
        assert.doesNotMatch(welcome, NO_FLEET, `"No fleet found" while indexing; samples: ${JSON.stringify(samples)}`);
        if (rows.some((row) => row.startsWith('staging'))) break;
        if (Date.now() > deadline) assert.fail(`the environments never showed; samples: ${JSON.stringify(samples)}`);
        await sleep(100);
      }
      assert.ok(
        samples.some((s) => INDEXING.test(s.welcome)),
        `the indexing text never showed; samples: ${JSON.stringify(samples)}`,
      );
      const after = (await workbenchTexts('.part.sidebar .welcome-view-content')).join('\n');
      assert.doesNotMatch(after, INDEXING, 'the indexing text stays once the tree shows');
    });
  });
}
