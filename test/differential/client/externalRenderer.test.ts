// The external renderer of folder previews: the exact binary's output, its stderr on failure, a clear
// message when it is missing, and a time limit that stops it.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeRendererFolder, rendererConfig } from '../../externalRendererFixture';
import { renderExternally } from '../../../client/src/externalRenderer';
import { requireKubectl } from '../kubectl-oracle';

const config = rendererConfig;

describe('external renderer', () => {
  let dir: string;
  before(() => {
    dir = makeRendererFolder();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints what kubectl kustomize prints, and its stderr when it fails', async function () {
    requireKubectl(this, 'the external kubectl renderer');
    const ok = await renderExternally(config({}), dir);
    assert.strictEqual(ok.ok, true);
    assert.strictEqual(ok.stdout, execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- missing.yaml\n');
    const failed = await renderExternally(config({}), dir);
    assert.strictEqual(failed.ok, false);
    assert.match(failed.error ?? '', /missing\.yaml/);
  });

  it('says when the binary is missing', async () => {
    const missing = await renderExternally(config({ rendererPath: path.join(dir, 'no-such-binary') }), dir);
    assert.strictEqual(missing.ok, false);
    assert.match(missing.error ?? '', /was not found/);
  });

  it('stops a binary that runs past the time limit', async () => {
    const slow = path.join(dir, 'slow-renderer');
    // Sleeps far longer than any test may run: only stopping it lets this test end (before mocha's timeout).
    fs.writeFileSync(slow, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    const result = await renderExternally(config({ rendererPath: slow, rendererTimeoutSeconds: 0.3 }), dir);
    assert.strictEqual(result.ok, false);
    assert.match(result.error ?? '', /took longer than/);
  });
});
