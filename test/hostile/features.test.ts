// Editor features on huge or deeply indented files answer in keystroke time. Regressions of two
// quadratic paths the fuzzer found: completion re-trimmed long indentation with a backtracking regex, and
// every link of a file split the whole file again to unquote its range.
import { strict as assert } from 'assert';
import { completion } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { fileUri } from '../../server/src/features/diagnostics';
import { memoryFleetIndex } from '../fuzz/exercise';

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

describe('features on huge files', function () {
  this.timeout(30_000);

  it('completion on a line indented 2,000 columns deep answers quickly', () => {
    let text = 'resources:\n';
    for (let depth = 1; depth <= 1000; depth++) text += `${'  '.repeat(depth)}k${depth}:\n`;
    const lines = text.split('\n');
    const index = memoryFleetIndex({ 'a/kustomization.yaml': text });
    const textDocument = { uri: fileUri('/fuzz/repo/a/kustomization.yaml') };
    const line = lines.length - 2;
    const { ms } = timed(() => completion(index, { textDocument, position: { line, character: lines[line].length } }));
    assert.ok(ms < 1000, `completion took ${ms.toFixed(0)} ms`);
  });

  it('go-to-definition in a file of 3,000 Flux Kustomizations answers quickly', () => {
    const docs = Array.from(
      { length: 3000 },
      (_, i) =>
        `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ks-${i}\n  namespace: flux-system\nspec:\n  path: "./apps"\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`,
    ).join('');
    const index = memoryFleetIndex({ 'clusters/prod/all.yaml': docs, 'apps/kustomization.yaml': 'resources: []\n' });
    const textDocument = { uri: fileUri('/fuzz/repo/clusters/prod/all.yaml') };
    definition(index, { textDocument, position: { line: 0, character: 0 } }); // parse and index once
    const { value, ms } = timed(() => definition(index, { textDocument, position: { line: 11 * 2999 + 7, character: 10 } }));
    assert.ok(ms < 1500, `definition took ${ms.toFixed(0)} ms`);
    assert.equal(value?.[0]?.targetUri, fileUri('/fuzz/repo/apps/kustomization.yaml'));
    assert.deepEqual(value?.[0]?.originSelectionRange, {
      start: { line: 11 * 2999 + 7, character: 9 },
      end: { line: 11 * 2999 + 7, character: 15 },
    });
  });
});
