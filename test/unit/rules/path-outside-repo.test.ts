import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathOutsideRepo } from '../../../server/src/rules/path-outside-repo';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet } from './overlayHelpers';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule path-outside-repo', () => {
  let fleet: Fleet | undefined;
  let outside: string | undefined;
  afterEach(() => {
    fleet?.dispose();
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
    outside = undefined;
  });

  it('checks the seed fleet clean', () => assertSeedClean(pathOutsideRepo));

  it('does not trigger for paths inside the repository, remote ones or missing ones inside', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- ./nope\n- https://github.com/org/repo//x?ref=v1\n'),
    });
    assert.deepStrictEqual(fleet.check(pathOutsideRepo), []);
  });

  it('flags .. that climbs above the repository, whether or not the target exists', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\n- ../../../shared/base\npatches:\n- path: ../../../p.yaml\n',
      ),
    });
    const found = fleet.check(pathOutsideRepo);
    assert.deepStrictEqual(
      found.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        [4, 2, 22],
        [6, 8, 23],
      ],
    );
    assert.strictEqual(found[0].severity, 'error');
    assert.match(found[0].message, /'\.\.\/\.\.\/\.\.\/shared\/base' in resources leads outside the repository/);
    assert.match(found[0].message, /Move what it names into the repository/);
  });

  it('flags an absolute path, inside the repository or not', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': '' });
    fs.writeFileSync(
      path.join(fleet.root, 'apps/staging/kustomization.yaml'),
      overlay(`resources:\n- ${fleet.root}/apps/base/my-app\n- /etc/hosts\n`),
    );
    fleet.index.diskChanged(path.join(fleet.root, 'apps/staging/kustomization.yaml'));
    const found = fleet.check(pathOutsideRepo);
    assert.deepStrictEqual(
      found.map((d) => d.range.start.line),
      [3, 4],
    );
    assert.match(found[0].message, /is an absolute path/);
    assert.match(found[0].message, /Write it relative to apps\/staging/);
  });

  it('flags a symlink inside the repository that resolves outside it', () => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-outside-'));
    fs.writeFileSync(path.join(outside, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- linked/cm.yaml\n') });
    fs.symlinkSync(outside, path.join(fleet.root, 'apps/staging/linked'));
    fleet.index.diskCreated(path.join(fleet.root, 'apps/staging/linked'));
    const [d] = fleet.check(pathOutsideRepo);
    assert.strictEqual(d.range.start.line, 3);
    assert.match(d.message, new RegExp(`to ${fs.realpathSync(outside)}/cm\\.yaml`));
  });
});
