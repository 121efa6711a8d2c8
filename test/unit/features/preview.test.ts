import { strict as assert } from 'assert';
import { pathToFileURL } from 'url';
import { preview } from '../../../server/src/features/preview';
import { renderKustomization } from '../../../server/src/kustomize/render';
import { copyFleetInfra, type FleetCopy } from './fleetInfraCopy';
import { makeFeatureFleet, type FeatureFleet } from './harness';

const folder = (root: string, rel: string) => ({ kind: 'folder' as const, uri: pathToFileURL(`${root}/${rel}`).href });

describe('features/preview', () => {
  let fleet: FleetCopy;
  before(() => (fleet = copyFleetInfra()));
  after(() => fleet.dispose());

  it('prints a folder byte for byte as renderKustomization does, with each object at its line', () => {
    for (const rel of ['apps/production', 'apps/staging', 'infrastructure/production']) {
      const result = preview(fleet.index, { target: folder(fleet.root, rel) });
      const expected = renderKustomization(`${fleet.root}/${rel}`, { repoRoot: fleet.root }).yaml;
      assert.equal(result.yaml, expected);
      assert.equal(result.title, `${rel} (rendered)`);
      assert.deepEqual(result.problems, []);
      const lines = result.yaml.split('\n');
      for (const o of result.objects) {
        assert.match(lines[o.line], /^apiVersion: /);
        assert.ok(lines.slice(o.line, o.line + 8).includes(`kind: ${o.kind}`));
      }
    }
    const production = preview(fleet.index, { target: folder(fleet.root, 'apps/production') });
    assert.deepEqual(
      production.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`),
      ['Service/production/my-app', 'Service/production/redis', 'Deployment/production/my-app', 'Deployment/production/redis'],
    );
    assert.equal(production.objects[2].source.uri, pathToFileURL(`${fleet.root}/apps/base/my-app/deployment.yaml`).href);
  });

  it('prints an environment in dependsOn order, each Kustomization heading its objects', () => {
    const result = preview(fleet.index, { target: { kind: 'environment', name: 'production' } });
    const lines = result.yaml.split('\n');
    const headings = lines.filter((l) => l.startsWith('# Kustomization: '));
    assert.deepEqual(headings, [
      '# Kustomization: flux-system/flux-system',
      '# Kustomization: flux-system/infrastructure',
      '# Kustomization: flux-system/apps',
    ]);
    assert.equal(result.title, 'production (rendered environment)');
    const deployment = result.objects.find((o) => o.kind === 'Deployment' && o.name === 'my-app')!;
    assert.equal(deployment.appliedBy, 'flux-system/apps');
    assert.equal(lines[deployment.line - 1], '# Kustomization: flux-system/apps');
    assert.equal(lines[deployment.line], 'apiVersion: apps/v1');
    assert.ok(lines.slice(deployment.line).indexOf('  replicas: 5') > 0);
    // The apps group prints the folder's kustomize text unchanged (in the order the Flux build keeps).
    const appsText = result.yaml.slice(
      result.yaml.indexOf('# Kustomization: flux-system/apps\n') + '# Kustomization: flux-system/apps\n'.length,
    );
    assert.equal(appsText, renderKustomization(`${fleet.root}/apps/production`, { repoRoot: fleet.root, reorder: 'none' }).yaml);
  });

  it('shows render errors as problems and never goes blank', () => {
    const broken = copyFleetInfra({ 'apps/broken/kustomization.yaml': 'resources:\n- missing.yaml\n' });
    try {
      const result = preview(broken.index, { target: folder(broken.root, 'apps/broken') });
      assert.equal(result.objects.length, 0);
      assert.ok(result.problems.length > 0);
      assert.equal(result.problems[0].severity, 'error');
      assert.equal(result.problems[0].location?.uri, pathToFileURL(`${broken.root}/apps/broken/kustomization.yaml`).href);
      assert.match(result.yaml, /^# error: .*missing\.yaml/);
      const nowhere = preview(broken.index, { target: { kind: 'environment', name: 'no-such-env' } });
      assert.equal(nowhere.objects.length, 0);
      assert.match(nowhere.yaml, /^# Nothing to render/);
    } finally {
      broken.dispose();
    }
  });

  describe('secrets', () => {
    let secrets: FeatureFleet;
    before(
      () =>
        (secrets = makeFeatureFleet({
          'app/kustomization.yaml': 'resources:\n- secret.yaml\n- sops-secret.yaml\n- config.yaml\n',
          'app/secret.yaml':
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: aHVudGVyMg==\nstringData:\n  token: |\n    line one\n    line two\n',
          'app/sops-secret.yaml':
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sealed\nstringData:\n  key: ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  age:\n  - recipient: age1xyz\n',
          'app/config.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n  apiKey: ENC[AES256_GCM,data:a2V5,iv:aXY=,tag:dGFn,type:str]\n',
        })),
    );
    after(() => secrets.dispose());

    it('masks Secret data and stringData, SOPS values and the sops block', () => {
      const result = preview(secrets.index, { target: folder(secrets.root, 'app') });
      for (const hidden of ['aHVudGVyMg==', 'line one', 'Zm9v', 'bWFj', 'a2V5', 'age1xyz', 'ENC['])
        assert.ok(!result.yaml.includes(hidden), hidden);
      assert.match(result.yaml, /data:\n {2}password: '\*\*\*'\n/);
      assert.match(result.yaml, /stringData:\n {2}token: '\*\*\*'\n/);
      assert.match(result.yaml, /\nsops: '\*\*\*'\n/);
      assert.match(result.yaml, /apiKey: '\*\*\*'\n {2}mode: fast\n/);
      // Object lines follow the masked text.
      const lines = result.yaml.split('\n');
      for (const o of result.objects) assert.equal(lines[o.line], 'apiVersion: v1');
    });

    it('reveals plain Secrets on request, never SOPS-encrypted ones', () => {
      const result = preview(secrets.index, { target: folder(secrets.root, 'app'), revealSecrets: true });
      assert.ok(result.yaml.includes('password: aHVudGVyMg=='));
      assert.ok(result.yaml.includes('    line one\n'));
      for (const hidden of ['Zm9v', 'bWFj', 'a2V5', 'ENC[']) assert.ok(!result.yaml.includes(hidden), hidden);
    });
  });
});
