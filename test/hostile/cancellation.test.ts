// A newer edit stops work made stale by it: the renders of a long first index give way between folders,
// and the analysis that finally publishes is the one of the newest text.
import { strict as assert } from 'assert';
import { FleetIndex } from '../../server/src/fleet/fleetIndex';
import { recordingSession } from '../recordingSession';
import { makeHostileRepo } from './harness';

const FOLDERS = 40;

function manyFolders(): Record<string, string> {
  const files: Record<string, string> = {
    'kustomization.yaml': `resources:\n${Array.from({ length: FOLDERS }, (_, i) => `  - app-${i}`).join('\n')}\n`,
  };
  for (let i = 0; i < FOLDERS; i++) {
    files[`app-${i}/kustomization.yaml`] = 'resources:\n  - cm.yaml\n';
    files[`app-${i}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\n`;
  }
  return files;
}

describe('cancelling renders made stale by a newer edit', () => {
  it('stops preparing renders at the next folder once told the work is stale, and resumes where it stopped', async () => {
    const repo = makeHostileRepo(manyFolders());
    try {
      const index = new FleetIndex(repo.root);
      index.scan();
      let turns = 0;
      const stopped = await index.prepareRenders(
        () => turns > 5,
        async () => {
          turns++;
        },
      );
      assert.equal(stopped, false);
      // Five folders were rendered (and kept) before the stop; the other 36 were not touched.
      assert.equal(index.buildCache.stats().entries, 5);
      const finished = await index.prepareRenders(
        () => false,
        async () => undefined,
      );
      assert.equal(finished, true);
      assert.equal(index.buildCache.stats().entries, FOLDERS + 1);
    } finally {
      repo.dispose();
    }
  });

  it('an edit during the first analysis abandons it; only the analysis of the newest text publishes', async () => {
    const repo = makeHostileRepo(manyFolders());
    const { session, published, logs } = recordingSession();
    try {
      session.setWorkspaceFolders([repo.root]);
      // Let the first analysis start rendering, then type a mistake into one folder.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      session.bufferChanged(repo.file('app-3/kustomization.yaml'), 'resources:\n  - cm.yaml\n  - gone.yaml\n');
      await session.idle();
      const analyses = logs.filter((l) => l.startsWith('analysis:'));
      assert.equal(analyses.length, 1, `the first analysis must have been abandoned:\n${logs.join('\n')}`);
      const diagnostics = [...published.entries()].filter(([uri]) => uri.endsWith('/app-3/kustomization.yaml')).flatMap(([, d]) => d);
      assert.ok(
        diagnostics.some((d) => d.code === 'missing-path' && /gone\.yaml/.test(d.message)),
        JSON.stringify(diagnostics),
      );
    } finally {
      await session.idle();
      repo.dispose();
    }
  });
});
