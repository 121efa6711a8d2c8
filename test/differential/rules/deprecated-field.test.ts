import * as assert from 'assert';
import * as path from 'path';
import { deprecatedField } from '../../../server/src/rules/deprecated-field';
import type { Fleet } from '../../unit/rules/harness';
import { baseFleet, DEPLOYMENT } from '../../unit/rules/overlayHelpers';
import { kubectlKustomize, requireKubectl } from '../rules/kubectl';
import { migrate as migrateAndCheck } from '../../unit/rules/deprecatedFieldMigration';

const head = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 3\n';
const JSON_PATCH = '- op: replace\n  path: /spec/replicas\n  value: 5\n';

/** The shared migration check, and with `oracle` kubectl's render of the overlay equal to ours before and after the fix. */
function migrate(fleet: Fleet, field: string, expected: string, oracle = false): void {
  const kubectlBefore = oracle ? kubectlKustomize(fleet, 'apps/staging').yaml : undefined;
  const before = migrateAndCheck(fleet, field, expected);
  if (oracle) {
    assert.ok(kubectlBefore);
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, kubectlBefore, 'kubectl prints the same before and after');
    assert.strictEqual(before, kubectlBefore, 'and so does our renderer');
  }
}

describe('rule deprecated-field (fixes checked with kubectl)', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('bases: appended after the existing resources, comments kept, render identical to kubectl', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n  - cm.yaml\nbases:\n- ../base/my-app # the app\n# last\n- ../base/other\nnamespace: staging\n`,
      'apps/staging/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'apps/base/other/kustomization.yaml': `${head}resources:\n- cm.yaml\n`,
      'apps/base/other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n',
    });
    const oracle = kubectlKustomize(fleet, 'apps/staging').yaml;
    migrate(
      fleet,
      'bases',
      `${head}resources:\n  - cm.yaml\n  - ../base/my-app # the app\n  # last\n  - ../base/other\nnamespace: staging\n`,
    );
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, oracle);
  });

  it('patchesStrategicMerge: file and inline entries become patches path/patch entries', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\npatchesStrategicMerge:\n- p.yaml\n# inline one\n- |-\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: my-app\n  spec:\n    type: NodePort\n`,
      'apps/staging/p.yaml': PATCH,
    });
    const oracle = kubectlKustomize(fleet, 'apps/staging').yaml;
    migrate(
      fleet,
      'patchesStrategicMerge',
      `${head}resources:\n- ../base/my-app\npatches:\n- path: p.yaml\n# inline one\n- patch: |-\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: my-app\n    spec:\n      type: NodePort\n`,
    );
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, oracle);
  });

  it('patchesStrategicMerge: entries go before the existing patches, which run after them', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\npatches:\n  - path: q.yaml\npatchesStrategicMerge:\n  - p.yaml\n`,
      'apps/staging/p.yaml': PATCH,
      'apps/staging/q.yaml': PATCH.replace('replicas: 3', 'replicas: 4'),
    });
    migrate(fleet, 'patchesStrategicMerge', `${head}resources:\n- ../base/my-app\npatches:\n  - path: p.yaml\n  - path: q.yaml\n`, true);
  });

  it('patchesJson6902: same target and path, appended to patches', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\npatches:\n- path: p.yaml\npatchesJson6902:\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: my-app\n  path: j.yaml\n`,
      'apps/staging/p.yaml': PATCH,
      'apps/staging/j.yaml': JSON_PATCH,
    });
    migrate(
      fleet,
      'patchesJson6902',
      `${head}resources:\n- ../base/my-app\npatches:\n- path: p.yaml\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: my-app\n  path: j.yaml\n`,
      true,
    );
  });

  it('patchesJson6902: renamed when nothing between patches and it changes the render (checked by rendering)', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nnamePrefix: s-\npatchesJson6902:\n- target: {kind: Deployment, name: my-app}\n  path: j.yaml\n`,
      'apps/staging/j.yaml': JSON_PATCH,
    });
    migrate(
      fleet,
      'patchesJson6902',
      `${head}resources:\n- ../base/my-app\nnamePrefix: s-\npatches:\n- target: {kind: Deployment, name: my-app}\n  path: j.yaml\n`,
      true,
    );
  });

  it('commonLabels: becomes a labels entry with includeSelectors (no includeTemplates needed), kubectl agreeing', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\ncommonLabels:\n  team: shop # owner\n  "tier": 'web'\n`,
    });
    const oracle = kubectlKustomize(fleet, 'apps/staging').yaml;
    migrate(
      fleet,
      'commonLabels',
      `${head}resources:\n- ../base/my-app\nlabels:\n- pairs:\n    team: shop # owner\n    "tier": 'web'\n  includeSelectors: true\n`,
    );
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, oracle);
  });

  it('imageTags: renamed to images, or appended after them', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nimages:\n- name: other\n  newTag: "2"\nimageTags:\n- name: ghcr.io/example/my-app\n  newTag: "1.1"\n`,
    });
    migrate(
      fleet,
      'imageTags',
      `${head}resources:\n- ../base/my-app\nimages:\n- name: other\n  newTag: "2"\n- name: ghcr.io/example/my-app\n  newTag: "1.1"\n`,
      true,
    );
  });

  describe('vars', () => {
    /** The base Deployment, with environment variables that use vars. */
    const deployment = (env: Record<string, string>) =>
      DEPLOYMENT +
      '        env:\n' +
      Object.entries(env)
        .map(([name, value]) => `        - name: ${name}\n          value: ${value}\n`)
        .join('');
    const ingress = (host: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: ${host}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: $(SVC)\n            port:\n              number: 80\n`;
    const SVC = '- name: SVC\n  objref:\n    kind: Service\n    name: my-app\n    apiVersion: v1\n';
    const svcSource = '- source:\n    version: v1\n    kind: Service\n    name: my-app\n    fieldPath: metadata.name\n';
    const selectDeployment = '  - select:\n      kind: Deployment\n      name: my-app\n';

    const varsFindings = (fleet: Fleet, rel: string) =>
      fleet.check(deprecatedField).filter((d) => d.file === path.join(fleet.root, rel) && d.message.startsWith("'vars'"));

    /**
     * Applies the vars fix of `dir`'s kustomization, expects `expected` as its new text, no vars finding left, and every
     * folder in `folders` (default `dir`) rendering as `kubectl kustomize` printed it before the fix, by us and by kubectl.
     */
    function migrateVars(fleet: Fleet, dir: string, expected: string, folders = [dir]): void {
      const rel = `${dir}/kustomization.yaml`;
      const oracle = new Map(folders.map((f) => [f, kubectlKustomize(fleet, f)]));
      for (const [f, out] of oracle) assert.ok(out.yaml, `kubectl builds ${f} before the fix: ${out.error}`);
      const [d] = varsFindings(fleet, rel);
      assert.ok(d, 'vars is reported');
      assert.doesNotMatch(d.message, /No automatic migration/);
      assert.strictEqual(d.fixes?.[0]?.title, "Migrate 'vars' to 'replacements'");
      fleet.apply(d.fixes[0]);
      assert.strictEqual(fleet.read(rel), expected);
      assert.deepStrictEqual(varsFindings(fleet, rel), []);
      for (const [f, out] of oracle) {
        assert.strictEqual(fleet.index.renderFolder(path.join(fleet.root, f)).yaml, out.yaml, `${f} renders as kubectl did before the fix`);
        assert.strictEqual(kubectlKustomize(fleet, f).yaml, out.yaml, `kubectl prints ${f} the same after the fix`);
      }
    }

    it('whole values: a Service name in an env value and an Ingress host become targets; the Ingress backend, which vars never fill, stays', function () {
      requireKubectl(this);
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ SVC_NAME: '$(SVC)' }),
        'apps/staging/ingress.yaml': ingress('$(SVC)'),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\n- ingress.yaml\nnamePrefix: staging-\nvars:\n${SVC}`,
      });
      migrateVars(
        fleet,
        'apps/staging',
        `${head}resources:\n- ../base/my-app\n- ingress.yaml\nnamePrefix: staging-\nreplacements:\n${svcSource}  targets:\n${selectDeployment}    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=SVC_NAME].value\n  - select:\n      kind: Ingress\n      name: web\n    fieldPaths:\n    - spec.rules.0.host\n`,
      );
      const out = fleet.index.renderFolder(path.join(fleet.root, 'apps/staging')).yaml!;
      assert.match(out, /value: staging-my-app/);
      assert.match(out, /host: staging-my-app/);
      assert.match(out, /name: \$\(SVC\)/, 'the backend keeps its text, as with vars');
    });

    it('a var with a fieldref reads that field: data of a ConfigMap, a port by index', function () {
      requireKubectl(this);
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ ADDR: '$(SVC):$(PORT)' }),
        'apps/staging/ingress.yaml': ingress('$(HOST)'),
        'apps/staging/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  host: shop.example.com\n',
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\n- ingress.yaml\n- settings.yaml\nvars:\n${SVC}- name: HOST\n  objref: {kind: ConfigMap, name: settings, apiVersion: v1}\n  fieldref:\n    fieldPath: data.host\n- name: PORT\n  objref: {kind: Service, name: my-app, apiVersion: v1}\n  fieldref:\n    fieldPath: spec.ports[0].port\n`,
      });
      const addr = `${selectDeployment}    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=ADDR].value\n    options:\n      delimiter: ':'\n`;
      migrateVars(
        fleet,
        'apps/staging',
        `${head}resources:\n- ../base/my-app\n- ingress.yaml\n- settings.yaml\nreplacements:\n${svcSource}  targets:\n${addr}      index: 0\n` +
          `- source:\n    version: v1\n    kind: ConfigMap\n    name: settings\n    fieldPath: data.host\n  targets:\n  - select:\n      kind: Ingress\n      name: web\n    fieldPaths:\n    - spec.rules.0.host\n` +
          `- source:\n    version: v1\n    kind: Service\n    name: my-app\n    fieldPath: spec.ports.0.port\n  targets:\n${addr}      index: 1\n`,
      );
      const out = fleet.index.renderFolder(path.join(fleet.root, 'apps/staging')).yaml!;
      assert.match(out, /value: my-app:80/);
      assert.match(out, /host: shop\.example\.com/);
    });

    it('inside a longer string: offered when a delimiter next to $(VAR) isolates it', function () {
      requireKubectl(this);
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ URL: 'http://$(SVC)/api', ENDPOINT: '$(SVC)-svc' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nvars:\n${SVC}`,
      });
      migrateVars(
        fleet,
        'apps/staging',
        `${head}resources:\n- ../base/my-app\nreplacements:\n${svcSource}  targets:\n${selectDeployment}    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=URL].value\n    options:\n      delimiter: /\n      index: 2\n` +
          `${selectDeployment}    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=ENDPOINT].value\n    options:\n      delimiter: '-'\n      index: 0\n`,
      );
      assert.match(fleet.index.renderFolder(path.join(fleet.root, 'apps/staging')).yaml!, /value: http:\/\/my-app\/api/);
    });

    it("declared in the overlay, used by the base: the overlay's replacements reach the base objects; the base is untouched", function () {
      requireKubectl(this);
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ SVC_NAME: '$(SVC)' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nnamespace: staging\nvars:\n${SVC}`,
      });
      const base = kubectlKustomize(fleet, 'apps/base/my-app').yaml;
      migrateVars(
        fleet,
        'apps/staging',
        `${head}resources:\n- ../base/my-app\nnamespace: staging\nreplacements:\n${svcSource}  targets:\n${selectDeployment}    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=SVC_NAME].value\n`,
      );
      assert.strictEqual(fleet.index.renderFolder(path.join(fleet.root, 'apps/base/my-app')).yaml, base);
    });

    it('several vars: one entry each in order, two in one string, a label key with dots, an unused var dropped, comments kept', function () {
      requireKubectl(this);
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ FQDN: '$(SVC).$(NS).svc.cluster.local' }).replace(
          '    app: my-app\nspec:',
          '    app: my-app\n    example.com/service: $(SVC)\nspec:',
        ),
        'apps/staging/kustomization.yaml': `${head}resources:\n  - ../base/my-app\nnamespace: staging\nvars: # legacy\n  # the service\n  - name: SVC # its name\n    objref: {kind: Service, name: my-app, apiVersion: v1}\n  - name: UNUSED\n    objref: {kind: Service, name: my-app, apiVersion: v1}\n  - name: NS\n    objref:\n      kind: Service\n      name: my-app\n      apiVersion: v1\n    fieldref:\n      fieldPath: metadata.namespace\nimages:\n  - name: ghcr.io/example/my-app\n    newTag: "1.1"\n`,
      });
      const fqdn =
        '      - select:\n          kind: Deployment\n          name: my-app\n        fieldPaths:\n          - spec.template.spec.containers.[name=app].env.[name=FQDN].value\n        options:\n          delimiter: .\n';
      migrateVars(
        fleet,
        'apps/staging',
        `${head}resources:\n  - ../base/my-app\nnamespace: staging\nreplacements:\n  # legacy\n  # the service\n  # its name\n` +
          `  - source:\n      version: v1\n      kind: Service\n      name: my-app\n      fieldPath: metadata.name\n    targets:\n` +
          `${fqdn}          index: 0\n      - select:\n          kind: Deployment\n          name: my-app\n        fieldPaths:\n          - metadata.labels.[example.com/service]\n` +
          `  - source:\n      version: v1\n      kind: Service\n      name: my-app\n      fieldPath: metadata.namespace\n    targets:\n${fqdn}          index: 1\n` +
          `images:\n  - name: ghcr.io/example/my-app\n    newTag: "1.1"\n`,
      );
      const out = fleet.index.renderFolder(path.join(fleet.root, 'apps/staging')).yaml!;
      assert.match(out, /value: my-app\.staging\.svc\.cluster\.local/);
      assert.match(out, /example\.com\/service: my-app/);
    });

    it('appended after existing replacements, which ran before the vars did', function () {
      requireKubectl(this);
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ SVC_NAME: '$(SVC)', OWNER: 'nobody' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nvars:\n${SVC}replacements:\n- source: {kind: Service, name: my-app}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.template.spec.containers.0.env.1.value]\n`,
      });
      migrateVars(
        fleet,
        'apps/staging',
        `${head}resources:\n- ../base/my-app\nreplacements:\n- source: {kind: Service, name: my-app}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.template.spec.containers.0.env.1.value]\n${svcSource}  targets:\n${selectDeployment}    fieldPaths:\n    - spec.template.spec.containers.[name=app].env.[name=SVC_NAME].value\n`,
      );
    });
  });
});
