import { strict as assert } from 'node:assert';
import { fileUri } from '../../../server/src/features/diagnostics';
import { hover } from '../../../server/src/features/hover';
import { preview } from '../../../server/src/features/preview';
import { readEnvVars } from '../../../server/src/fleet/repoConfig';
import { secretValuesOf } from '../../../server/src/fleet/secrets';
import { unresolvedVariable } from '../../../server/src/rules/unresolved-variable';
import { runRules } from '../../../server/src/rules/run';
import { memoryFleet } from '../../ruleTester';

// A cluster whose Kustomization reads variables from a ConfigMap and a Secret created outside git (as
// `flux bootstrap` users do), and the local stand-ins of .fluxenv.yaml.
const apps = (postBuild: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
${postBuild}`;
const SUBSTITUTE_FROM = `    substituteFrom:
    - kind: ConfigMap
      name: cluster-vars
    - kind: Secret
      name: cluster-secrets
`;
const settings = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: apps
data:
  domain: app.\${CLUSTER_DOMAIN}
  token: \${API_TOKEN}
`;
const STAND_INS = `substitutions:
  prod:
    values:
      CLUSTER_DOMAIN: prod.example.com
    secretFiles:
    - clusters/prod/secrets.env
`;
const fleetFiles = (extra: Record<string, string> = {}) => ({
  'clusters/prod/apps.yaml': apps(SUBSTITUTE_FROM),
  'apps/kustomization.yaml': 'resources:\n- settings.yaml\n',
  'apps/settings.yaml': settings,
  ...extra,
});
const environmentText = (fleet: ReturnType<typeof memoryFleet>) => preview(fleet.index, { target: { kind: 'environment', name: 'prod' } });

describe('fleet/repoConfig: .fluxenv.yaml substitutions (local stand-ins for cluster-only variables)', () => {
  it('without stand-ins, the missing substituteFrom objects fail the Kustomization, as on a cluster without them', () => {
    const result = environmentText(memoryFleet(fleetFiles()));
    assert.ok(result.problems.some((p) => /substitute from 'ConfigMap\/cluster-vars' error/.test(p.message)));
    assert.match(result.yaml, /domain: app\.\$\{CLUSTER_DOMAIN\}/);
  });

  it('with stand-ins, previews substitute them and mask the ones standing in for Secret keys', () => {
    const fleet = memoryFleet(
      fleetFiles({ '.fluxenv.yaml': STAND_INS, 'clusters/prod/secrets.env': '# local only\nAPI_TOKEN="s3cret"\n' }),
    );
    const result = environmentText(fleet);
    assert.deepEqual(result.problems, []);
    assert.match(result.yaml, /domain: app\.prod\.example\.com/);
    assert.match(result.yaml, /token: '\*\*\*'|token: \*\*\*/);
    assert.doesNotMatch(result.yaml, /s3cret/);
    assert.ok(secretValuesOf(fleet.index).has('s3cret'), 'error texts bound for logs and CI redact it too');
  });

  it("lets the repository's own objects win over stand-ins", () => {
    const fleet = memoryFleet(
      fleetFiles({
        'clusters/prod/apps.yaml': apps(`    substitute:\n      CLUSTER_DOMAIN: inline.example.com\n${SUBSTITUTE_FROM}`),
        '.fluxenv.yaml': STAND_INS,
        'clusters/prod/secrets.env': 'API_TOKEN=x\n',
      }),
    );
    assert.match(environmentText(fleet).yaml, /domain: app\.inline\.example\.com/);
  });

  it('follows an edit of the stand-in file', () => {
    const fleet = memoryFleet(fleetFiles({ '.fluxenv.yaml': STAND_INS, 'clusters/prod/secrets.env': 'API_TOKEN=x\n' }));
    assert.match(environmentText(fleet).yaml, /domain: app\.prod\.example\.com/);
    fleet.write('.fluxenv.yaml', STAND_INS.replace('prod.example.com', 'edited.example.com'));
    assert.match(environmentText(fleet).yaml, /domain: app\.edited\.example\.com/);
  });

  it('is strict, as kustomize-controller v1.9: a variable with no value and no default fails the build at its line', () => {
    const fleet = memoryFleet(
      fleetFiles({ '.fluxenv.yaml': STAND_INS.replace('    secretFiles:\n    - clusters/prod/secrets.env\n', '') }),
    );
    const result = environmentText(fleet);
    const unset = result.problems.find((p) => /variable not set \(strict mode\): "API_TOKEN"/.test(p.message));
    assert.ok(unset, result.problems.map((p) => p.message).join('\n'));
    assert.equal(unset.severity, 'error');
    assert.equal(unset.location?.range.start.line, 7, 'at the line of token: in apps/settings.yaml');
    const found = runRules(fleet.index, { rules: [unresolvedVariable] }).diagnostics;
    assert.ok(found.some((d) => /API_TOKEN/.test(d.message) && /strict substitution is on, so the build fails/.test(d.message)));
  });

  it('offers a quick fix adding a missing variable to the stand-ins of its environment', () => {
    const fleet = memoryFleet(
      fleetFiles({ '.fluxenv.yaml': 'substitutions:\n  prod:\n    values:\n      CLUSTER_DOMAIN: prod.example.com\n' }),
    );
    const found = runRules(fleet.index, { rules: [unresolvedVariable] }).diagnostics.find((d) => d.message.startsWith('${API_TOKEN}'));
    assert.ok(found);
    assert.match(
      found.message,
      /If it comes from ConfigMap cluster-vars, Secret cluster-secrets \(not in the repository\), give it a local stand-in/,
    );
    const fix = found.fixes?.[0];
    assert.equal(fix?.title, 'Add API_TOKEN to the prod stand-ins in .fluxenv.yaml');
    fleet.apply(fix!.edits);
    assert.equal(
      fleet.read('.fluxenv.yaml'),
      'substitutions:\n  prod:\n    values:\n      CLUSTER_DOMAIN: prod.example.com\n      API_TOKEN: ""\n',
    );
    assert.deepEqual(runRules(fleet.index, { rules: [unresolvedVariable] }).diagnostics, []);
    assert.match(environmentText(fleet).yaml, /token: null/, 'an empty value reads back as null, as on the cluster');
  });

  it('without stand-ins, the missing substituteFrom objects fail first: no finding per variable', () => {
    const fleet = memoryFleet(fleetFiles());
    fleet.write('clusters/prod/apps.yaml', apps(`    substitute:\n      CLUSTER_DOMAIN: x\n${SUBSTITUTE_FROM}`));
    assert.deepEqual(runRules(fleet.index, { rules: [unresolvedVariable] }).diagnostics, []);
  });

  it('hovers ${VAR} with its value per environment and where it comes from, never a Secret stand-in value', () => {
    const fleet = memoryFleet(fleetFiles({ '.fluxenv.yaml': STAND_INS, 'clusters/prod/secrets.env': 'API_TOKEN=s3cret\n' }));
    const at = (line: number, character: number) =>
      hover(fleet.index, { textDocument: { uri: fileUri(fleet.path('apps/settings.yaml')) }, position: { line, character } });
    const domain = at(6, 17);
    assert.ok(domain);
    assert.deepEqual(domain.range, { start: { line: 6, character: 14 }, end: { line: 6, character: 31 } });
    assert.equal(
      (domain.contents as { value: string }).value,
      '**`${CLUSTER_DOMAIN}`** per environment\n\n- `prod`, Kustomization `flux-system/apps`: `prod.example.com` from the local stand-ins of .fluxenv.yaml (.fluxenv.yaml:4)',
    );
    const token = (at(7, 12)!.contents as { value: string }).value;
    assert.match(
      token,
      /`prod`, Kustomization `flux-system\/apps`: \(secret value\) from the local stand-ins of \.fluxenv\.yaml \(clusters\/prod\/secrets\.env:1\)/,
    );
    assert.doesNotMatch(token, /s3cret/);
  });

  it('reports a stand-in file that does not exist on .fluxenv.yaml', () => {
    const fleet = memoryFleet(fleetFiles({ '.fluxenv.yaml': STAND_INS }));
    const { configProblems } = runRules(fleet.index, { rules: [] });
    assert.deepEqual(
      configProblems.map((p) => [p.message, p.range?.start.line]),
      [['substitutions.prod.secretFiles: clusters/prod/secrets.env does not exist', 5]],
    );
  });

  it('reads .env files: comments, export, quotes', () => {
    const read = readEnvVars('# c\nexport A=1\nB="two words"\n\nC=\'x=y\'\n');
    assert.deepEqual(
      [...read.vars].map(([k, v]) => [k, v.value]),
      [
        ['A', '1'],
        ['B', 'two words'],
        ['C', 'x=y'],
      ],
    );
    assert.equal(readEnvVars('nonsense\n').error, 'line 1 is not KEY=value');
  });
});
