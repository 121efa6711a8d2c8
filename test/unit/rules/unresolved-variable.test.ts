import * as assert from 'assert';
import { unresolvedVariable } from '../../../server/src/rules/unresolved-variable';
import { makeFleet, type Fleet } from './harness';

const ks = (postBuild: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/production
${postBuild}`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    env: \${cluster_env}
spec:
  template:
    spec:
      containers:
      - name: web
        image: web:1.0.0
        env:
        - name: REGION
          value: "eu-\${region}"
        - name: ZONE
          value: \${zone:=a}
`;

const files = (postBuild: string, extra: Record<string, string> = {}) => ({
  'clusters/production/apps.yaml': ks(postBuild),
  'apps/base/web/deployment.yaml': deployment,
  'apps/base/web/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'apps/production/kustomization.yaml': 'resources:\n- ../base/web\n',
  ...extra,
});

describe('rule unresolved-variable', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger when every variable is defined or has a default, nor without postBuild', () => {
    fleet = makeFleet(files('  postBuild:\n    substitute:\n      cluster_env: production\n      region: west\n'));
    assert.deepStrictEqual(fleet.check(unresolvedVariable), []);
    fleet.dispose();
    fleet = makeFleet(files(''));
    assert.deepStrictEqual(fleet.check(unresolvedVariable), []);
  });

  it('reports an undefined variable where it is written in the base: with strict substitution (the default) the build fails', () => {
    fleet = makeFleet(files('  postBuild:\n    substitute:\n      cluster_env: production\n'));
    const [d, ...rest] = fleet.check(unresolvedVariable);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'error');
    assert.match(d.file, /apps\/base\/web\/deployment\.yaml$/);
    assert.deepStrictEqual(d.range, { start: { line: 14, character: 21 }, end: { line: 14, character: 30 } });
    assert.match(d.message, /\$\{region\} is not substituted by Kustomization apps \(clusters\/production\/apps\.yaml\)/);
    assert.match(d.message, /strict substitution is on, so the build fails \(Flux 2\.9's default.*strictSubstitution: false in \.fluxenv\.yaml\)/);
    assert.match(d.message, /Add region to spec\.postBuild\.substitute/);
    assert.match(d.related![0].file, /clusters\/production\/apps\.yaml$/);
  });

  it('says how to keep a variable meant for a shell from Flux ($${VAR}), and is silent once it is escaped', () => {
    // mirceanton/home-ops: a cron container running curl ".../cron/${STATIC_CRON_TOKEN}" with the token in its env.
    fleet = makeFleet(
      files('  postBuild:\n    substitute:\n      cluster_env: production\n      region: west\n', {
        'apps/base/web/deployment.yaml': deployment.replace(
          'value: ${zone:=a}',
          'value: ${zone:=a}\n        args: ["curl http://web/cron/${TOKEN}"]',
        ),
      }),
    );
    const [d, ...rest] = fleet.check(unresolvedVariable);
    assert.deepStrictEqual(rest, []);
    assert.match(d.message, /\$\{TOKEN\} is not substituted/);
    assert.match(d.message, /if it is meant for a shell or the application, not for Flux, write \$\$\{TOKEN\} \(Flux turns \$\$ into \$\)/);
    fleet.index.setBuffer(
      `${fleet.root}/apps/base/web/deployment.yaml`,
      fleet.read('apps/base/web/deployment.yaml').replace('${TOKEN}', () => '$${TOKEN}'),
    );
    assert.deepStrictEqual(fleet.check(unresolvedVariable), []);
  });

  it('says the cluster gets an empty string when .fluxenv.yaml turns strict substitution off (a warning)', () => {
    fleet = makeFleet(
      files('  postBuild:\n    substitute:\n      cluster_env: production\n', { '.fluxenv.yaml': 'strictSubstitution: false\n' }),
    );
    const [d, ...rest] = fleet.check(unresolvedVariable);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'warning');
    assert.match(d.message, /the cluster gets an empty string/);
  });

  it('reports a variable a patch brings in at the patch, and says a postBuild without variables applies it literally', () => {
    fleet = makeFleet(
      files('  postBuild:\n    substitute: {}\n', {
        'apps/production/kustomization.yaml': 'resources:\n- ../base/web\npatches:\n- path: tier.yaml\n',
        'apps/production/tier.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    tier: ${tier}\n',
      }),
    );
    const found = fleet.check(unresolvedVariable);
    const tier = found.find((d) => d.message.startsWith('${tier}'))!;
    assert.match(tier.file, /apps\/production\/tier\.yaml$/);
    assert.deepStrictEqual(tier.range, { start: { line: 5, character: 10 }, end: { line: 5, character: 17 } });
    assert.match(
      tier.message,
      /reaches the cluster as the literal text \$\{tier\}: Kustomization apps .* defines no variables, so substitution does not run/,
    );
    assert.deepStrictEqual(found.map((d) => d.message.slice(0, d.message.indexOf('}') + 1)).sort(), [
      '${cluster_env}',
      '${region}',
      '${tier}',
      '${zone}',
    ]);
  });
});
