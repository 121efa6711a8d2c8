import { strict as assert } from 'assert';
import { definition } from '../../../server/src/features/definition';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/definition', () => {
  let fleet: FeatureFleet;
  before(() => (fleet = makeFeatureFleet(FLUX_FLEET)));
  after(() => fleet.dispose());

  /** Definition targets as `rel:line:character`, from a position inside `needle` of a file. */
  const targets = (rel: string, needle: string, offset: number) =>
    (definition(fleet.index, { textDocument: { uri: fleet.uri(rel) }, position: fleet.at(rel, needle, offset) }) ?? []).map(
      (l) => `${l.targetUri.slice(fleet.uri('').length)}:${l.targetSelectionRange.start.line}:${l.targetSelectionRange.start.character}`,
    );

  it('follows a resources folder to its kustomization file', () => {
    assert.deepEqual(targets('apps/staging/kustomization.yaml', '../base', 3), ['apps/base/kustomization.yaml:0:0']);
  });

  it('follows a dependsOn name to the Kustomization of the same cluster', () => {
    assert.deepEqual(targets('clusters/staging/apps.yaml', 'name: infrastructure', 8), ['clusters/staging/infrastructure.yaml:3:8']);
  });

  it('follows a sourceRef to the source of the same cluster, not the other cluster of the same name', () => {
    assert.deepEqual(targets('clusters/staging/apps.yaml', 'name: flux-system', 8), ['clusters/staging/source.yaml:3:8']);
  });

  it('follows a healthChecks entry to the rendered object source and substituteFrom to the ConfigMap', () => {
    assert.deepEqual(targets('clusters/staging/apps.yaml', 'name: web', 7), ['apps/base/deployment.yaml:3:8']);
    assert.deepEqual(targets('clusters/staging/apps.yaml', 'name: cluster-vars', 8), ['clusters/staging/vars.yaml:3:8']);
  });

  it('follows a patch entry, its target and a patch file to the base objects they change', () => {
    assert.deepEqual(targets('apps/staging/kustomization.yaml', 'kind: Service', 7), ['apps/base/service.yaml:3:8']);
    assert.deepEqual(targets('apps/staging/kustomization.yaml', 'op: replace', 2), ['apps/base/service.yaml:3:8']);
    assert.deepEqual(targets('apps/staging/replicas-patch.yaml', 'replicas: 2', 2), ['apps/base/deployment.yaml:3:8']);
  });

  it('follows an images entry to the container images it matches', () => {
    assert.deepEqual(targets('apps/staging/kustomization.yaml', 'name: nginx', 7), ['apps/base/deployment.yaml:18:17']);
  });

  it('gives nothing on plain values and hostile positions', () => {
    assert.equal(
      definition(fleet.index, {
        textDocument: { uri: fleet.uri('clusters/staging/apps.yaml') },
        position: fleet.at('clusters/staging/apps.yaml', 'interval: 10m', 11),
      }),
      null,
    );
    assert.equal(
      definition(fleet.index, { textDocument: { uri: fleet.uri('clusters/staging/apps.yaml') }, position: { line: 9999, character: -4 } }),
      null,
    );
  });
});
