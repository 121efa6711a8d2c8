// The external renderer of folder previews: the command it runs (the runs themselves, against kubectl and
// stand-in binaries, are in test/differential/client/externalRenderer.test.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import { makeRendererFolder, rendererConfig } from '../../externalRendererFixture';
import { externalCommand } from '../../../client/src/externalRenderer';

const config = rendererConfig;

describe('external renderer', () => {
  let dir: string;
  before(() => {
    dir = makeRendererFolder();
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
