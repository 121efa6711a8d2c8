// The server's start: it sends "indexing", reads the client's settings, then learns the workspace folders.
// Settings arriving before the folders must not produce an analysis: it would report the index ready with no
// environments, and the views would say "No fleet found" while the first index runs.
import { strict as assert } from 'assert';
import * as path from 'path';
import { DEFAULT_SETTINGS, Session } from '../../server/src/session';

const FLEET = path.resolve(__dirname, '../fixtures/layouts/hub-and-spoke');

describe('session start', () => {
  it('reports ready only once the workspace folders are indexed, even when settings come first', async () => {
    const reports: number[] = [];
    const session = new Session(
      { publish: () => undefined, log: () => undefined, changed: () => undefined, analyzed: (s) => reports.push(s.environments) },
      { ...DEFAULT_SETTINGS, debounceMs: 0 },
      '/docs',
    );
    session.updateSettings({ ...DEFAULT_SETTINGS, debounceMs: 0, promotionOrder: ['staging', 'production'] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await session.idle();
    assert.deepEqual(reports, [], 'an analysis before the folders are known');
    session.setWorkspaceFolders([FLEET]);
    await session.idle();
    assert.deepEqual(reports, [3], 'one analysis, of the fleet: staging, hub, production');
  });
});
