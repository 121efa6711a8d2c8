import { strict as assert } from 'assert';
import { codeLenses } from '../../../server/src/features/codeLens';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/codeLens', () => {
  let fleet: FeatureFleet;
  before(() => (fleet = makeFeatureFleet(FLUX_FLEET)));
  after(() => fleet.dispose());

  const lenses = (rel: string) =>
    codeLenses(fleet.index, { textDocument: { uri: fleet.uri(rel) } }).map((l) => ({ line: l.range.start.line, ...l.command }));

  it('offers preview, counts and compare-with-next-environment on a kustomization file', () => {
    const folder = { kind: 'folder', uri: fleet.uri('apps/staging') };
    assert.deepEqual(lenses('apps/staging/kustomization.yaml'), [
      { line: 0, title: 'Preview rendered', command: 'fluxEnvironments.preview', arguments: [folder] },
      { line: 0, title: '2 objects, 0 problems', command: 'fluxEnvironments.preview', arguments: [folder] },
      { line: 0, title: 'Compare staging with production', command: 'fluxEnvironments.compare', arguments: ['staging', 'production'] },
    ]);
  });

  it('compares the last environment with the one before it; a shared base gets both', () => {
    assert.deepEqual(lenses('apps/production/kustomization.yaml')[2].arguments, ['production', 'staging']);
    assert.deepEqual(
      lenses('apps/base/kustomization.yaml')
        .slice(2)
        .map((l) => l.arguments),
      [
        ['staging', 'production'],
        ['production', 'staging'],
      ],
    );
  });

  it('offers preview of a Flux Kustomization by document, with what it applies', () => {
    const target = { kind: 'fluxKustomization', uri: fleet.uri('clusters/staging/apps.yaml'), documentIndex: 0 };
    assert.deepEqual(lenses('clusters/staging/apps.yaml').slice(0, 2), [
      { line: 0, title: 'Preview rendered', command: 'fluxEnvironments.preview', arguments: [target] },
      { line: 0, title: '2 objects, 0 problems', command: 'fluxEnvironments.preview', arguments: [target] },
    ]);
  });

  it('offers nothing on other files', () => {
    assert.deepEqual(lenses('apps/base/deployment.yaml'), []);
  });
});
