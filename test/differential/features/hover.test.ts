import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { parseAllDocuments } from 'yaml';
import { hover } from '../../../server/src/features/hover';
import { requireKubectl } from '../kubectl-oracle';
import { makeFeatureFleet, type FeatureFleet } from '../../unit/features/harness';
import { FLUX_FLEET } from '../../unit/features/fixtures';

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

  it('shows the image each environment runs, the same as kubectl kustomize of the overlay', function () {
    requireKubectl(this);
    this.timeout(10000);
    const kubectlImage = (overlay: string) => {
      const out = execFileSync('kubectl', ['kustomize', `${fleet.root}/${overlay}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const deployment = parseAllDocuments(out)
        .map((d) => d.toJS())
        .find((o) => o.kind === 'Deployment');
      return deployment.spec.template.spec.containers[0].image as string;
    };
    assert.equal(
      hoverText('apps/base/deployment.yaml', 'image: nginx', 9),
      '**Image of container `web`** per environment:\n\n' +
        `- staging: \`${kubectlImage('apps/staging')}\` (Kustomization \`flux-system/apps\`)\n` +
        `- production: \`${kubectlImage('apps/production')}\` (Kustomization \`flux-system/apps\`)`,
    );
    assert.equal(
      hoverText('apps/staging/kustomization.yaml', 'name: nginx', 7),
      `**Image \`nginx\`** becomes:\n\n- staging: \`${kubectlImage('apps/staging')}\``,
    );
  });
});
