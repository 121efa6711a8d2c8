import { strict as assert } from 'assert';
import { documentLinks } from '../../../server/src/features/links';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/links', () => {
  let fleet: FeatureFleet;
  before(() => (fleet = makeFeatureFleet(FLUX_FLEET)));
  after(() => fleet.dispose());

  const links = (rel: string) =>
    documentLinks(fleet.index, { textDocument: { uri: fleet.uri(rel) } }).map((l) => ({ range: l.range, target: l.target }));

  it('links a folder entry to its kustomization file and a patch path to the patch file', () => {
    assert.deepEqual(links('apps/staging/kustomization.yaml'), [
      { range: fleet.range('apps/staging/kustomization.yaml', '../base'), target: fleet.uri('apps/base/kustomization.yaml') },
      {
        range: fleet.range('apps/staging/kustomization.yaml', 'replicas-patch.yaml'),
        target: fleet.uri('apps/staging/replicas-patch.yaml'),
      },
    ]);
  });

  it('covers the text inside quotes and skips remote, outside-the-repo and missing entries', () => {
    assert.deepEqual(links('apps/experiments/kustomization.yaml'), [
      { range: fleet.range('apps/experiments/kustomization.yaml', '../base', 0), target: fleet.uri('apps/base/kustomization.yaml') },
      { range: fleet.range('apps/experiments/kustomization.yaml', '../base/service.yaml'), target: fleet.uri('apps/base/service.yaml') },
    ]);
  });

  it('links a Flux Kustomization spec.path (relative to the repository root) to the folder kustomization', () => {
    assert.deepEqual(links('clusters/staging/apps.yaml'), [
      { range: fleet.range('clusters/staging/apps.yaml', './apps/staging'), target: fleet.uri('apps/staging/kustomization.yaml') },
    ]);
  });

  it('returns nothing for unknown files and non-file URIs', () => {
    assert.deepEqual(documentLinks(fleet.index, { textDocument: { uri: 'untitled:Untitled-1' } }), []);
    assert.deepEqual(links('nowhere.yaml'), []);
  });
});
