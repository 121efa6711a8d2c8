import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../../server/src/cli/main';

const SAMPLE = path.resolve(__dirname, '../../../examples/fleet-infra');

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('fluxenv values', () => {
  it('prints the sample podinfo values per environment: the generated ConfigMap of each, then spec.values', async () => {
    const production = await cli(['values', SAMPLE, '--env', 'production', '--release', 'podinfo'], SAMPLE);
    assert.strictEqual(production.code, 0, production.stderr);
    assert.strictEqual(
      production.stdout,
      [
        'ingress:',
        '  enabled: true',
        '  hosts:',
        '  - host: podinfo.example.com',
        '    paths:',
        '    - path: /',
        '      pathType: Prefix',
        'replicaCount: 3',
        'resources:',
        '  requests:',
        '    cpu: 50m',
        'ui:',
        "  color: '#2f7d32'",
        '  message: Hello from podinfo',
        '',
      ].join('\n'),
    );
    const staging = await cli(['values', SAMPLE, '--env', 'staging', '--release', 'staging/podinfo', '--format', 'json'], SAMPLE);
    assert.strictEqual(staging.code, 0, staging.stderr);
    assert.deepStrictEqual(JSON.parse(staging.stdout), {
      replicaCount: 1,
      resources: { requests: { cpu: '50m' } },
      ui: { color: '#34577c', message: 'Hello from podinfo' },
    });
    assert.match(staging.stdout, /^\{\n {2}"replicaCount": 1,\n {2}"resources"/, 'keys sorted, as in the YAML');
  });

  it('refuses an unknown release or format with exit 2, naming the releases there are', async () => {
    const unknown = await cli(['values', SAMPLE, '--env', 'staging', '--release', 'nope'], SAMPLE);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /no HelmRelease 'nope' in environment staging; there are: .*staging\/podinfo/);
    const format = await cli(['values', SAMPLE, '--env', 'staging', '--release', 'podinfo', '--format', 'toml'], SAMPLE);
    assert.strictEqual(format.code, 2);
    assert.match(format.stderr, /--format must be yaml or json/);
    const missing = await cli(['values', SAMPLE, '--env', 'staging'], SAMPLE);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /values needs --release/);
  });

  describe('on a fleet with a Secret and a missing reference', () => {
    let tmp: string;
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-values-'));
      fs.mkdirSync(path.join(tmp, '.git'));
      fs.mkdirSync(path.join(tmp, 'app'));
      fs.mkdirSync(path.join(tmp, 'clusters', 'dev'), { recursive: true });
      fs.writeFileSync(
        path.join(tmp, 'clusters', 'dev', 'app.yaml'),
        [
          'apiVersion: kustomize.toolkit.fluxcd.io/v1',
          'kind: Kustomization',
          'metadata:',
          '  name: app',
          '  namespace: flux-system',
          'spec:',
          '  interval: 10m',
          '  path: ./app',
          '  prune: true',
          '  sourceRef:',
          '    kind: GitRepository',
          '    name: flux-system',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(
        path.join(tmp, 'app', 'kustomization.yaml'),
        [
          'namespace: apps',
          'resources:',
          '- release.yaml',
          'secretGenerator:',
          '- name: creds',
          '  literals:',
          '  - password=hunter2',
          '  options:',
          '    disableNameSuffixHash: true',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(
        path.join(tmp, 'app', 'release.yaml'),
        [
          'apiVersion: helm.toolkit.fluxcd.io/v2',
          'kind: HelmRelease',
          'metadata:',
          '  name: db',
          'spec:',
          '  chartRef:',
          '    kind: OCIRepository',
          '    name: db',
          '  valuesFrom:',
          '  - kind: Secret',
          '    name: creds',
          '    valuesKey: password',
          '    targetPath: auth.password',
          '  - kind: ConfigMap',
          '    name: db-extra',
          '  values:',
          '    auth:',
          '      user: admin',
          '',
        ].join('\n'),
      );
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('masks values from a Secret, reports the missing ConfigMap at its line, and exits 1', async () => {
      const r = await cli(['values', '.', '--env', 'dev', '--release', 'apps/db'], tmp);
      assert.strictEqual(r.code, 1);
      assert.strictEqual(r.stdout, "auth:\n  password: '***'\n  user: admin\n");
      assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
      assert.strictEqual(
        r.stderr,
        "app/release.yaml:15:11: error: could not resolve ConfigMap chart values reference 'apps/db-extra' with key 'values.yaml': resource not found\n",
      );
    });
  });
});
