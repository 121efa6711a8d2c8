import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import { pathToFileURL } from 'url';
import { preview } from '../../../server/src/features/preview';
import { kubectlAvailable, requireKubectl } from '../kubectl-oracle';
import { copyFleetInfra, type FleetCopy } from '../../unit/features/fleetInfraCopy';

const folder = (root: string, rel: string) => ({ kind: 'folder' as const, uri: pathToFileURL(`${root}/${rel}`).href });

function kubectlKustomize(dir: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr || String(err))) : resolve(stdout),
    ),
  );
}

describe('features/preview', () => {
  let fleet: FleetCopy;
  before(() => (fleet = copyFleetInfra()));
  after(() => fleet.dispose());

  describe('against kubectl kustomize', () => {
    const outputs = new Map<string, Promise<string>>();
    before(function () {
      if (!kubectlAvailable()) return;
      for (const rel of ['apps/staging', 'infrastructure/production']) outputs.set(rel, kubectlKustomize(`${fleet.root}/${rel}`));
    });
    for (const rel of ['apps/staging', 'infrastructure/production']) {
      it(`prints ${rel} exactly as kubectl does`, async function () {
        requireKubectl(this);
        this.timeout(8000);
        assert.equal(preview(fleet.index, { target: folder(fleet.root, rel) }).yaml, await outputs.get(rel));
      });
    }
  });
});
