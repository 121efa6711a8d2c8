import { strict as assert } from 'assert';
import { SymbolKind } from 'vscode-languageserver';
import { documentSymbols } from '../../../server/src/features/symbols';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/symbols', () => {
  let fleet: FeatureFleet;
  const multi =
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n---\n# comment only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\n';
  before(() => (fleet = makeFeatureFleet({ ...FLUX_FLEET, 'apps/base/multi.yaml': multi, 'apps/base/broken.yaml': 'kind: [\n' })));
  after(() => fleet.dispose());

  const symbols = (rel: string) => documentSymbols(fleet.index, { textDocument: { uri: fleet.uri(rel) } });

  it('lists each object of a file as Kind/name, selecting its name', () => {
    const found = symbols('apps/base/multi.yaml');
    assert.deepEqual(
      found.map((s) => [s.name, s.detail, s.kind, s.selectionRange.start.line, s.selectionRange.start.character]),
      [
        ['Namespace/apps', undefined, SymbolKind.Class, 3, 8],
        ['ConfigMap/settings', 'apps', SymbolKind.Class, 10, 8],
      ],
    );
  });

  it('lists a kustomization file by its top-level fields, list entries as children', () => {
    const found = symbols('apps/staging/kustomization.yaml');
    assert.deepEqual(
      found.map((s) => s.name),
      ['apiVersion', 'kind', 'resources', 'patches', 'images'],
    );
    const patches = found.find((s) => s.name === 'patches');
    assert.deepEqual(
      patches?.children?.map((c) => c.name),
      ['replicas-patch.yaml', 'kind=Service, name=web'],
    );
    assert.deepEqual(patches?.selectionRange, fleet.range('apps/staging/kustomization.yaml', 'patches'));
  });

  it('gives nothing for broken YAML or unknown files', () => {
    assert.deepEqual(symbols('apps/base/broken.yaml'), []);
    assert.deepEqual(symbols('nope.yaml'), []);
  });
});
