import { strict as assert } from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { hover } from '../../../server/src/features/hover';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/hover', () => {
  let fleet: FeatureFleet;
  before(
    () =>
      (fleet = makeFeatureFleet({
        ...FLUX_FLEET,
        'apps/staging/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: hunter2\n',
        'apps/staging/secret-patch.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: s3cr3t-value\n',
        'apps/staging/kustomization.yaml':
          FLUX_FLEET['apps/staging/kustomization.yaml'].replace('  - ../base\n', '  - ../base\n  - secret.yaml\n') +
          'patchesStrategicMerge:\n  - secret-patch.yaml\n',
      })),
  );
  after(() => fleet.dispose());

  const hoverText = (rel: string, needle: string, offset: number): string | undefined => {
    const h = hover(fleet.index, { textDocument: { uri: fleet.uri(rel) }, position: fleet.at(rel, needle, offset) });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : undefined;
  };

  it('describes the Kustomization a dependsOn names: path, prune/wait and what it applies', () => {
    assert.equal(
      hoverText('clusters/staging/apps.yaml', 'name: infrastructure', 8),
      '**Kustomization `flux-system/infrastructure`** (cluster `staging`, `clusters/staging/infrastructure.yaml`)\n\n- path: `./infrastructure`\n- prune: true, wait: true\n- applies: 1 Namespace',
    );
  });

  it('lists what a patch changes, from its entry or its file', () => {
    const expected =
      '**Patch** `patches[0]` of `apps/staging/kustomization.yaml` changes 1 object(s):\n\n- `Deployment/apps/web`\n  - `spec.replicas` = `2`';
    assert.equal(hoverText('apps/staging/kustomization.yaml', '- path: replicas', 4), expected);
    assert.equal(hoverText('apps/staging/replicas-patch.yaml', 'replicas: 2', 2), expected);
    assert.equal(
      hoverText('apps/staging/kustomization.yaml', 'kind: Service', 7),
      '**Patch** `patches[1]` of `apps/staging/kustomization.yaml` changes 1 object(s):\n\n- `Service/apps/web`\n  - `spec.ports.0.port` = `8080`',
    );
  });

  it('never shows the values a patch writes into a Secret', () => {
    const text = hoverText('apps/staging/kustomization.yaml', 'secret-patch.yaml', 2) ?? '';
    assert.match(text, /`Secret\/creds`/);
    assert.match(text, /stringData\.password/);
    assert.doesNotMatch(text, /s3cr3t|hunter2/);
  });

  it('gives nothing elsewhere', () => {
    assert.equal(hoverText('apps/base/deployment.yaml', 'replicas: 1', 11), undefined);
    assert.equal(
      hover(fleet.index, { textDocument: { uri: fleet.uri('apps/base/deployment.yaml') }, position: { line: -1, character: 3 } }),
      null,
    );
  });

  it('says what spec.path is relative to in each cluster: an OCI artifact built from a subfolder', () => {
    const root = path.resolve(__dirname, '../../fixtures/layouts/oci-subfolder');
    const index = new FleetIndex(root);
    index.scan();
    const file = path.join(index.root, 'kubernetes/clusters/home/apps.yaml');
    const line = (index.text(file) ?? '').split('\n').findIndex((l) => /^\s+path:/.test(l));
    const h = hover(index, { textDocument: { uri: pathToFileURL(file).toString() }, position: { line, character: 10 } });
    const text = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(text, /\*\*spec\.path\*\* as Flux resolves it/);
    assert.match(
      text,
      /cluster `home`: `[^`]+` is relative to `kubernetes\/`, the folder OCIRepository flux-system\/flux-system is built from; applies \d+ objects?/,
    );
  });
});
