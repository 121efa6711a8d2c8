import { strict as assert } from 'assert';
import { references } from '../../../server/src/features/references';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/references', () => {
  let fleet: FeatureFleet;
  before(() => (fleet = makeFeatureFleet(FLUX_FLEET)));
  after(() => fleet.dispose());

  const refs = (rel: string, needle: string, offset: number, includeDeclaration: boolean) =>
    references(fleet.index, {
      textDocument: { uri: fleet.uri(rel) },
      position: fleet.at(rel, needle, offset),
      context: { includeDeclaration },
    }).map((l) => `${l.uri.slice(fleet.uri('').length)}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);

  it('finds every dependsOn naming a Kustomization, from its name or from a dependsOn entry', () => {
    assert.deepEqual(refs('clusters/staging/infrastructure.yaml', 'name: infrastructure', 8, false), [
      'clusters/staging/apps.yaml:8:12-26',
    ]);
    assert.deepEqual(refs('clusters/staging/infrastructure.yaml', 'name: infrastructure', 8, true), [
      'clusters/staging/apps.yaml:8:12-26',
      'clusters/staging/infrastructure.yaml:3:8-22',
    ]);
    assert.deepEqual(refs('clusters/staging/apps.yaml', 'name: infrastructure', 8, true), [
      'clusters/staging/apps.yaml:8:12-26',
      'clusters/staging/infrastructure.yaml:3:8-22',
    ]);
  });

  it('finds the patches of every overlay that change a base object, from its kind or name', () => {
    const expected = ['apps/production/replicas-patch.yaml:3:8-11', 'apps/staging/replicas-patch.yaml:3:8-11'];
    assert.deepEqual(refs('apps/base/deployment.yaml', 'name: web', 7, false), expected);
    assert.deepEqual(refs('apps/base/deployment.yaml', 'kind: Deployment', 8, false), expected);
    // The inline JSON patch of staging targets the Service.
    const inline = refs('apps/base/service.yaml', 'name: web', 7, false);
    const op = fleet.at('apps/staging/kustomization.yaml', 'op: replace');
    assert.deepEqual(
      inline.map((l) => l.replace(/-\d+$/, '')),
      [`apps/staging/kustomization.yaml:${op.line}:${op.character}`],
    );
  });

  it('finds nothing elsewhere', () => {
    assert.deepEqual(refs('apps/base/deployment.yaml', 'replicas: 1', 11, false), []);
  });
});
