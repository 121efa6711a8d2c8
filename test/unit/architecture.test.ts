// The layering of docs/ARCHITECTURE.md is checked by lint (no-restricted-imports in eslint.config.mjs).
// These tests lint a few one-line files placed in the real tree (the text is given, nothing is written) and
// check that an import across a boundary fails with a message naming the invariant, and that the
// imports each layer is allowed still pass.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const INVARIANTS_LINK = 'docs/ARCHITECTURE.md#invariants';

describe('architecture: lint enforces the layering', function () {
  // Loading the ESLint configuration (typescript-eslint included) takes a few seconds on a busy machine.
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: root });
  });

  /** The layering messages for `source` linted as if it were the file `file` of the repository. */
  async function layeringErrors(file: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  it('refuses an import from kustomize/ up into flux/, naming the invariant', async () => {
    const errors = await layeringErrors(
      'server/src/kustomize/example.ts',
      "import { readFluxObject } from '../flux/objects';\nvoid readFluxObject;\n",
    );
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0], /kustomize\/ is the renderer and knows nothing above it/);
    assert.ok(errors[0].includes(INVARIANTS_LINK), errors[0]);
  });

  it('refuses it from a subfolder too (kustomize/yaml/ reaching fleet/)', async () => {
    const errors = await layeringErrors(
      'server/src/kustomize/yaml/example.ts',
      "import type { FleetIndex } from '../../fleet/fleetIndex';\nexport type X = FleetIndex;\n",
    );
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0], /kustomize\//);
  });

  it('refuses rules/ reaching features/ and promote/ reaching rules/, and lets rules/ read fleet/', async () => {
    assert.match(
      (await layeringErrors('server/src/rules/example.ts', "export { hover } from '../features/hover';\n"))[0] ?? '',
      /rules\/ read the index/,
    );
    assert.match(
      (await layeringErrors('server/src/promote/example.ts', "export type { Rule } from '../rules/rule';\n"))[0] ?? '',
      /promote\/ imports only/,
    );
    assert.deepStrictEqual(
      await layeringErrors('server/src/rules/example.ts', "export type { FleetIndex } from '../fleet/fleetIndex';\n"),
      [],
    );
  });

  it('lets the client import server/src/protocol.ts and nothing else of server/src', async () => {
    assert.deepStrictEqual(
      await layeringErrors('client/src/example.ts', "export type { RenderTarget } from '../../server/src/protocol';\n"),
      [],
    );
    const errors = await layeringErrors(
      'client/src/views/example.ts',
      "export { renderKustomization } from '../../../server/src/kustomize/render';\n",
    );
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0], /the client is thin/);
    assert.ok(errors[0].includes(INVARIANTS_LINK), errors[0]);
  });

  it('keeps vscode out of the engine', async () => {
    const errors = await layeringErrors('server/src/fleet/example.ts', "import * as vscode from 'vscode';\nvoid vscode;\n");
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0], /never imports vscode/);
  });

  it('links to a section that exists', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
    assert.match(doc, /^## Invariants$/m);
  });
});
