// The fluxEnvironments.limits setting reaches the editor's analysis: lowering a limit turns a file past it
// into a diagnostic that names the setting, and raising it again clears the diagnostic.
import { strict as assert } from 'assert';
import { DEFAULT_SETTINGS } from '../../server/src/session';
import { recordingSession } from '../recordingSession';
import { makeHostileRepo } from './harness';

describe('the fluxEnvironments.limits setting', () => {
  it("applies to the editor's analysis, and changing it indexes again", async () => {
    const repo = makeHostileRepo({
      'apps/kustomization.yaml': 'resources:\n  - cms.yaml\n',
      'apps/cms.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    const { session, published } = recordingSession();
    const onCms = () => [...published.entries()].filter(([uri]) => uri.endsWith('/apps/cms.yaml')).flatMap(([, d]) => d);
    try {
      session.setWorkspaceFolders([repo.root]);
      await session.idle();
      assert.deepEqual(onCms(), []);
      session.updateSettings({ ...DEFAULT_SETTINGS, debounceMs: 0, limits: { parse: { maxDocuments: 1 } } });
      await session.idle();
      assert.ok(
        onCms().some((d) => /more than 1 YAML documents \(setting fluxEnvironments\.limits\.parse\.maxDocuments\)/.test(d.message)),
        JSON.stringify(onCms()),
      );
      // A value that is not a positive whole number keeps the default rather than turning the bound off.
      session.updateSettings({ ...DEFAULT_SETTINGS, debounceMs: 0, limits: { parse: { maxDocuments: -5 } } as never });
      await session.idle();
      assert.deepEqual(onCms(), []);
    } finally {
      await session.idle();
      repo.dispose();
    }
  });
});
