import { strict as assert } from 'assert';
import { rename } from '../../../server/src/features/rename';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/rename', () => {
  let fleet: FeatureFleet;
  before(
    () =>
      (fleet = makeFeatureFleet({
        ...FLUX_FLEET,
        'clusters/production/infrastructure.yaml': FLUX_FLEET['clusters/staging/infrastructure.yaml'],
        'clusters/staging/quoted.yaml': FLUX_FLEET['clusters/staging/apps.yaml']
          .replace('name: apps', 'name: "monitoring"')
          .replace('name: infrastructure', "name: 'infrastructure'"),
      })),
  );
  after(() => fleet.dispose());

  const renameAt = (rel: string, needle: string, offset: number, newName: string) =>
    rename(fleet.index, { textDocument: { uri: fleet.uri(rel) }, position: fleet.at(rel, needle, offset), newName });

  it('renames the Kustomization and every dependsOn naming it in its cluster, keeping quotes', () => {
    const result = renameAt('clusters/staging/infrastructure.yaml', 'name: infrastructure', 9, 'infra');
    assert.ok(result && 'edit' in result);
    const edit = (newText: string, rel: string, needle: string) => ({
      uri: fleet.uri(rel),
      edit: { range: fleet.range(rel, needle), newText },
    });
    const flat = Object.entries(result.edit.changes ?? {})
      .flatMap(([uri, edits]) => edits.map((e) => ({ uri, edit: e })))
      .sort((a, b) => (a.uri < b.uri ? -1 : 1));
    assert.deepEqual(flat, [
      edit('infra', 'clusters/staging/apps.yaml', 'infrastructure'),
      edit('infra', 'clusters/staging/infrastructure.yaml', 'infrastructure'),
      edit('infra', 'clusters/staging/quoted.yaml', 'infrastructure'),
    ]);
  });

  it('renames from a dependsOn entry too, and leaves the other cluster alone', () => {
    const result = renameAt('clusters/staging/apps.yaml', 'name: infrastructure', 9, 'infra');
    assert.ok(result && 'edit' in result);
    assert.deepEqual(Object.keys(result.edit.changes ?? {}).sort(), [
      fleet.uri('clusters/staging/apps.yaml'),
      fleet.uri('clusters/staging/infrastructure.yaml'),
      fleet.uri('clusters/staging/quoted.yaml'),
    ]);
  });

  it('refuses names that are not DNS-1123 subdomains', () => {
    for (const bad of ['Infra', 'infra_1', '-infra', 'infra-', '', 'a'.repeat(254)]) {
      const result = renameAt('clusters/staging/infrastructure.yaml', 'name: infrastructure', 9, bad);
      assert.ok(result && 'error' in result, bad);
      assert.match(result.error, /not a valid Kustomization name/);
    }
  });

  it('does nothing outside a Kustomization name', () => {
    assert.equal(renameAt('clusters/staging/apps.yaml', 'interval: 10m', 11, 'x'), null);
    assert.equal(renameAt('apps/base/deployment.yaml', 'name: web', 7, 'x'), null);
  });
});
