// When the language server process dies, the client starts it again and says so once per session.
/* global describe, it */
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { waitFor } = require('./helpers');
const { api } = require('./sampleHelpers');

/** Our language server: the child of this extension host running dist/server.js. */
function serverPids() {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('dist/server.js')) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

describe('Language server restart', function () {
  if (process.platform !== 'linux') return;

  it('restarts a killed server, tells the user once, and answers again', async () => {
    const { ctx } = await api();
    const [first] = await waitFor('the language server process', serverPids, (p) => p.length === 1);
    const restartsBefore = ctx.restarts;
    process.kill(first, 'SIGKILL');
    const [second] = await waitFor('a new language server process', serverPids, (p) => p.length === 1 && p[0] !== first, 15000);
    assert.strictEqual(ctx.restarts, restartsBefore + 1);
    assert.strictEqual(ctx.restartNotices, 1, 'the user is told once');
    const answered = () =>
      waitFor(
        'the restarted server to answer',
        () =>
          vscode.commands
            .executeCommand('fluxEnvironments.refresh')
            .then(() => ctx.request({ method: 'fluxEnvironments/environments' }, {}).catch(() => [])),
        (envs) => envs.length === 2,
        15000,
      );
    const roots = await answered();
    assert.deepStrictEqual(
      roots.map((e) => e.name),
      ['staging', 'production'],
    );

    process.kill(second, 'SIGKILL');
    await waitFor('another language server process', serverPids, (p) => p.length === 1 && p[0] !== second, 15000);
    assert.strictEqual(ctx.restarts, restartsBefore + 2);
    assert.strictEqual(ctx.restartNotices, 1, 'the notice is shown once per session, not per restart');
    // The next suites of this session talk to the server: leave it answering, not still starting.
    assert.deepStrictEqual(
      (await answered()).map((e) => e.name),
      ['staging', 'production'],
    );
  });
});
