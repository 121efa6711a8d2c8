// The external renderer of folder previews: the command it runs (the runs themselves, against kubectl and
// stand-in binaries, are in test/differential/client/externalRenderer.test.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClientConfig } from '../../../client/src/config';
import { externalCommand } from '../../../client/src/externalRenderer';

function config(overrides: Partial<ClientConfig>): ClientConfig {
  return {
    renderer: 'kubectl',
    rendererPath: '',
    rendererTimeoutSeconds: 20,
    revealSecrets: false,
    helm: { enabled: false, path: 'helm', chartCache: '' },
    ...overrides,
  };
}

describe('external renderer', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-env-external-'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- cm.yaml\nnamespace: demo\n');
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes the folder as an argument, never through a shell', () => {
    assert.deepStrictEqual(externalCommand(config({ renderer: 'kubectl' }), '/x; rm -rf /'), {
      file: 'kubectl',
      args: ['kustomize', '/x; rm -rf /'],
    });
    assert.deepStrictEqual(externalCommand(config({ renderer: 'kustomize', rendererPath: '/opt/kustomize' }), '/x'), {
      file: '/opt/kustomize',
      args: ['build', '/x'],
    });
    assert.strictEqual(externalCommand(config({ renderer: 'builtin' }), '/x'), undefined);
  });
});
