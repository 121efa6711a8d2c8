import * as assert from 'assert';
import * as path from 'path';
import { codeLenses } from '../../../server/src/features/codeLens';
import { fileUri } from '../../../server/src/features/diagnostics';
import { origin } from '../../../server/src/features/origin';
import { preview } from '../../../server/src/features/preview';
import { releaseValuesTargets } from '../../../server/src/features/valuesPreview';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import type { RenderTarget } from '../../../server/src/protocol';
import { copyFleetInfra } from './fleetInfraCopy';
import { memoryFleet } from '../../ruleTester';

const SAMPLE = path.resolve(__dirname, '../../../examples/fleet-infra');
const RELEASE = path.join(SAMPLE, 'apps/base/podinfo/release.yaml');

describe('features/valuesPreview (Preview HelmRelease Values)', () => {
  let index: FleetIndex;
  before(() => {
    index = new FleetIndex(SAMPLE);
    index.scan();
  });
  const target = (environment: string): RenderTarget => ({
    kind: 'helmReleaseValues',
    uri: fileUri(RELEASE),
    documentIndex: 0,
    environment,
  });
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

  it('offers the release in each environment that applies it, in promotion order, as code lenses too', () => {
    const targets = releaseValuesTargets(index, { uri: fileUri(RELEASE) });
    assert.deepStrictEqual(
      targets.map((t) => `${t.environment} ${t.release}`),
      ['staging staging/podinfo', 'production production/podinfo'],
    );
    const lenses = codeLenses(index, { textDocument: { uri: fileUri(RELEASE) } });
    assert.deepStrictEqual(
      lenses.map((l) => l.command?.title),
      ['Values in staging', 'Values in production'],
    );
    assert.deepStrictEqual(lenses[1].command?.arguments, [target('production')]);
  });

  it('shows the merged values under a header listing the sources in merge order', () => {
    const result = preview(index, { target: target('production') });
    assert.deepStrictEqual(result.problems, []);
    assert.strictEqual(result.title, 'podinfo values (production)');
    const lines = result.yaml.split('\n');
    assert.strictEqual(lines[0], '# HelmRelease production/podinfo in environment production (chart podinfo 6.7.0, release podinfo)');
    assert.match(
      lines[2],
      /^# {3}1\. valuesFrom\[0\] ConfigMap podinfo-values-[a-z0-9]{10}, key values\.yaml \(apps\/production\/kustomization\.yaml\)$/,
    );
    assert.strictEqual(lines[3], '#   2. spec.values (apps/base/podinfo/release.yaml)');
    assert.strictEqual(
      lines.slice(4, -3).join('\n') + '\n',
      "ingress:\n  enabled: true\n  hosts:\n  - host: podinfo.example.com\n    paths:\n    - path: /\n      pathType: Prefix\nreplicaCount: 3\nresources:\n  requests:\n    cpu: 50m\nui:\n  color: '#2f7d32'\n  message: Hello from podinfo\n",
    );
    assert.deepStrictEqual(lines.slice(-3), [
      '---',
      '# The chart is not rendered: turn on fluxEnvironments.helm.enabled (trusted workspaces) to render a chart at hand with helm template.',
      '',
    ]);
    const staging = preview(index, { target: target('staging') });
    assert.match(staging.yaml, /\nreplicaCount: 1\n/);
  });

  it("hovers a value with its source: the generated ConfigMap's values file at the line, or the release's spec.values", () => {
    const text = preview(index, { target: target('production') }).yaml;
    const replicas = origin(index, { target: target('production'), position: { line: lineOf(text, 'replicaCount: 3'), character: 2 } });
    assert.ok(replicas);
    assert.match(
      replicas.description,
      /^`replicaCount` from valuesFrom\[0\]: ConfigMap podinfo-values-[a-z0-9]{10}, key values\.yaml \(apps\/production\/podinfo-values\.yaml:1\)$/,
    );
    assert.strictEqual(replicas.location?.uri, fileUri(path.join(SAMPLE, 'apps/production/podinfo-values.yaml')));
    const host = origin(index, {
      target: target('production'),
      position: { line: lineOf(text, 'host: podinfo.example.com'), character: 5 },
    });
    assert.strictEqual(host?.location?.range.start.line, 6, 'ingress.hosts[0].host is on line 7 of the values file');
    const cpu = origin(index, { target: target('production'), position: { line: lineOf(text, 'cpu: 50m'), character: 5 } });
    assert.strictEqual(
      cpu?.description,
      '`resources.requests.cpu` from spec.values of HelmRelease podinfo (apps/base/podinfo/release.yaml:23)',
    );
    assert.strictEqual(cpu?.location?.uri, fileUri(RELEASE));
  });

  it('says so when the environment does not apply the release', () => {
    const result = preview(index, { target: target('nowhere') });
    assert.strictEqual(result.problems[0]?.severity, 'error');
    assert.match(result.yaml, /^# No HelmRelease here in environment nowhere/);
  });
});

describe('features/valuesPreview: chart versions between environments', () => {
  it('names a chart version that differs between environments as a promotion candidate in the header, not a problem', () => {
    const fleet = copyFleetInfra({
      'apps/base/podinfo/kustomization.yaml': 'resources:\n- release.yaml\n',
      'apps/base/podinfo/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 30m\n  chart:\n    spec:\n      chart: podinfo\n      version: "6.7.0"\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n',
      'apps/staging/kustomization.yaml':
        'namespace: staging\nresources:\n- ../base/my-app\n- ../base/podinfo\npatches:\n- patch: |-\n    apiVersion: helm.toolkit.fluxcd.io/v2\n    kind: HelmRelease\n    metadata:\n      name: podinfo\n    spec:\n      chart:\n        spec:\n          version: "6.8.0"\n',
      'apps/production/kustomization.yaml': 'namespace: production\nresources:\n- ../base/my-app\n- ../base/podinfo\n',
    });
    try {
      const uri = fileUri(path.join(fleet.root, 'apps/base/podinfo/release.yaml'));
      const result = preview(fleet.index, { target: { kind: 'helmReleaseValues', uri, documentIndex: 0, environment: 'production' } });
      assert.match(
        result.yaml,
        /\n# Chart version per environment: staging 6\.8\.0, production 6\.7\.0; a promotion candidate \(Promote to Production… moves it\), not a problem\.\n/,
      );
      assert.deepStrictEqual(result.problems, []);
    } finally {
      fleet.dispose();
    }
  });
});

describe('features/valuesPreview: values from a ConfigMap manifest', () => {
  it('goes to the line inside the block of values.yaml, and to the patch that set a spec.values value', () => {
    const fleet = memoryFleet({
      'clusters/dev/app.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./app\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      'app/kustomization.yaml': 'namespace: apps\nresources:\n- release.yaml\n- values.yaml\npatches:\n- path: more.yaml\n',
      'app/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: web\n  valuesFrom:\n  - kind: ConfigMap\n    name: web-values\n  values:\n    a: 1\n',
      'app/values.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-values\ndata:\n  values.yaml: |\n    image:\n      tag: "1.2.3"\n',
      'app/more.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  values:\n    b: 2\n',
    });
    const target: RenderTarget = {
      kind: 'helmReleaseValues',
      uri: fileUri(fleet.path('app/release.yaml')),
      documentIndex: 0,
      environment: 'dev',
    };
    const text = preview(fleet.index, { target }).yaml;
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
    const tag = origin(fleet.index, { target, position: { line: lineOf('tag:'), character: 3 } });
    assert.strictEqual(tag?.location?.uri, fileUri(fleet.path('app/values.yaml')));
    assert.strictEqual(tag?.location?.range.start.line, 7, 'the line of tag: inside the block scalar');
    const b = origin(fleet.index, { target, position: { line: lineOf('b: 2'), character: 0 } });
    assert.match(b?.description ?? '', /^`b` from spec\.values of HelmRelease web \(app\/more\.yaml:\d+, set by patches\[0\]\)$/);
    assert.strictEqual(b?.location?.uri, fileUri(fleet.path('app/more.yaml')));
  });
});
