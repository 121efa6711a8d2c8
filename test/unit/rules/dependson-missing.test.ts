import * as assert from 'assert';
import { apiGroupsOfChart, chartNameOfOciUrl } from '../../../server/src/flux/chartCrds';
import { dependsonMissing } from '../../../server/src/rules/dependson-missing';
import { fluxGraphRules } from '../../../server/src/rules/index';
import { runRules } from '../../../server/src/rules/run';
import { configMap, fluxKs, folder, namespace, seedFleet } from './fluxGraphFixtures';
import { makeFleet, type Fleet } from './harness';

const release = (name: string, ns: string, chart: string, repo: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
      sourceRef:
        kind: HelmRepository
        name: ${repo}
`;

const certificate = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web-tls
  namespace: default
spec:
  secretName: web-tls
`;

describe('rule dependson-missing', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('keeps the seed fleet clean', () => {
    fleet = seedFleet();
    assert.deepStrictEqual(fleet.check(dependsonMissing), []);
  });

  it('flags the seed apps without dependsOn infrastructure, at its name, and inserts dependsOn', () => {
    fleet = seedFleet();
    const file = 'clusters/production/apps.yaml';
    rewrite(fleet, file, fleet.read(file).replace('  dependsOn:\n  - name: infrastructure # Apps deploy AFTER infrastructure\n', ''));
    const found = fleet.check(dependsonMissing);
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.severity, 'warning');
    assert.match(d.file, /clusters\/production\/apps\.yaml$/);
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 12 } });
    assert.match(d.message, /"apps" needs "infrastructure" \(apps deploy after infrastructure in this fleet\)/);
    assert.match(d.message, /Add dependsOn: - name: infrastructure\./);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read(file), /\n {2}dependsOn:\n {4}- name: infrastructure\n$/);
    assert.deepStrictEqual(fleet.check(dependsonMissing), []);
  });

  it('flags custom resources whose CRDs a HelmRelease of another Kustomization installs, appending to dependsOn', () => {
    fleet = makeFleet({
      ...folder('certs', {
        'ns.yaml': namespace('cert-manager'),
        'release.yaml': release('cert-manager', 'cert-manager', 'cert-manager', 'jetstack'),
      }),
      ...folder('web', { 'cert.yaml': certificate }),
      ...folder('db', { 'cm.yaml': configMap('db', 'default') }),
      'clusters/prod/certs.yaml': fluxKs('certs'),
      'clusters/prod/db.yaml': fluxKs('db'),
      'clusters/prod/web.yaml': fluxKs('web', '  dependsOn:\n  - name: db\n'),
    });
    const [d, ...rest] = fleet.check(dependsonMissing);
    assert.strictEqual(rest.length, 0);
    assert.match(d.file, /clusters\/prod\/web\.yaml$/);
    // The dependsOn key, since the list exists.
    assert.deepStrictEqual(d.range, { start: { line: 12, character: 2 }, end: { line: 12, character: 11 } });
    assert.match(
      d.message,
      /Certificate objects \(cert-manager\.io\) whose CRD comes from HelmRelease cert-manager\/cert-manager \(chart cert-manager\)/,
    );
    assert.match(d.message, /may deploy before "certs"/);
    // Which CRDs a chart installs is known from a table of charts, not from the fleet: information only.
    assert.strictEqual(d.severity, 'info');
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/web.yaml'), /\n {2}dependsOn:\n {2}- name: db\n {2}- name: certs\n$/);
    assert.deepStrictEqual(fleet.check(dependsonMissing), []);
  });

  it('flags objects in a namespace another Kustomization creates, and sources of HelmReleases', () => {
    fleet = makeFleet({
      ...folder('platform', {
        'ns.yaml': namespace('team-a'),
        'repo.yaml':
          'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: team-a\nspec:\n  url: https://charts.example.com\n',
      }),
      ...folder('team-a', {
        'cm.yaml': configMap('settings', 'team-a'),
        'release.yaml': release('podinfo', 'team-a', 'podinfo', 'charts'),
      }),
      'clusters/prod/platform.yaml': fluxKs('platform'),
      'clusters/prod/team-a.yaml': fluxKs('team-a'),
    });
    const [d, ...rest] = fleet.check(dependsonMissing);
    assert.strictEqual(rest.length, 0);
    assert.deepStrictEqual(d.range.start, { line: 3, character: 8 });
    assert.match(d.message, /objects in namespace team-a, which it creates/);
    assert.match(d.message, /HelmRelease team-a\/podinfo using HelmRepository team-a\/charts/);
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(dependsonMissing), []);
  });

  it('is satisfied when the Kustomization that applies it depends on the provider (children exist only after their parent ran)', () => {
    fleet = makeFleet({
      ...folder('certs', {
        'ns.yaml': namespace('cert-manager'),
        'release.yaml': release('cert-manager', 'cert-manager', 'cert-manager', 'jetstack'),
      }),
      ...folder('web', { 'cert.yaml': certificate }),
      'apps/web.yaml': fluxKs('web'),
      'clusters/prod/certs.yaml': fluxKs('certs'),
      'clusters/prod/apps.yaml': fluxKs('apps', '  dependsOn:\n  - name: certs\n'),
    });
    assert.deepStrictEqual(fleet.check(dependsonMissing), []);
  });

  it('is satisfied by a dependsOn chain through another Kustomization', () => {
    fleet = makeFleet({
      ...folder('certs', { 'release.yaml': release('cert-manager', 'cert-manager', 'cert-manager', 'jetstack') }),
      ...folder('middle', { 'cm.yaml': configMap('m', 'default') }),
      ...folder('web', { 'cert.yaml': certificate }),
      'clusters/prod/certs.yaml': fluxKs('certs'),
      'clusters/prod/middle.yaml': fluxKs('middle', '  dependsOn:\n  - name: certs\n'),
      'clusters/prod/web.yaml': fluxKs('web', '  dependsOn:\n  - name: middle\n'),
    });
    assert.deepStrictEqual(fleet.check(dependsonMissing), []);
  });

  it('does not ask a Kustomization to wait for one depending on it; says what to do instead', () => {
    fleet = makeFleet({
      ...folder('certs', { 'release.yaml': release('cert-manager', 'cert-manager', 'cert-manager', 'jetstack') }),
      ...folder('web', { 'cert.yaml': certificate }),
      'clusters/prod/certs.yaml': fluxKs('certs', '  dependsOn:\n  - name: web\n'),
      'clusters/prod/web.yaml': fluxKs('web'),
    });
    const [d] = fleet.check(dependsonMissing);
    assert.match(d.message, /"certs" already waits for "web"/);
    assert.strictEqual(d.fixes, undefined);
  });

  it('maps charts to the API groups they install', () => {
    assert.deepStrictEqual(apiGroupsOfChart('cert-manager'), ['cert-manager.io', 'acme.cert-manager.io']);
    assert.deepStrictEqual(apiGroupsOfChart('ingress-nginx'), []);
    assert.ok(apiGroupsOfChart('kube-prometheus-stack')!.includes('monitoring.coreos.com'));
    assert.strictEqual(apiGroupsOfChart('my-own-chart'), undefined);
    assert.strictEqual(chartNameOfOciUrl('oci://ghcr.io/traefik/helm/traefik'), 'traefik');
    assert.strictEqual(chartNameOfOciUrl('oci://quay.io/jetstack/charts/cert-manager:v1.14.0'), 'cert-manager');
  });
});

function rewrite(fleet: Fleet, rel: string, text: string): void {
  // Through the harness: an edit replacing the whole file, applied like a quick fix.
  const lines = fleet.read(rel).split('\n');
  fleet.apply({
    title: 'edit',
    edits: [
      {
        file: `${fleet.root}/${rel}`,
        range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
        newText: text,
      },
    ],
  });
}

describe('Flux graph rules on hostile input', () => {
  it('never throw on malformed dependsOn, healthChecks and targetNamespace', () => {
    const fleet = makeFleet({
      ...folder('apps', {
        'cm.yaml': configMap('c'),
        'junk.yaml': '- 1\n- 2\n',
        'hr.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: x\nspec:\n  dependsOn: 7\n  chartRef: [1]\n',
      }),
      'clusters/prod/a.yaml': fluxKs('a', '  dependsOn: "b"\n  healthChecks: [1, {kind: Deployment}]\n  targetNamespace: 5\n'),
      'clusters/prod/b.yaml': fluxKs('b', '  dependsOn:\n  - {name: a}\n  - 3\n  healthChecks:\n  - name: x\n', { path: 'apps' }),
      'clusters/prod/c.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: c}\nspec: []\n',
    });
    try {
      const { failures } = runRules(fleet.index, { rules: fluxGraphRules });
      assert.deepStrictEqual(failures, []);
    } finally {
      fleet.dispose();
    }
  });
});
