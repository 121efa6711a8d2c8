import * as assert from 'assert';
import * as path from 'path';
import { deprecatedField } from '../../../server/src/rules/deprecated-field';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet, DEPLOYMENT } from './overlayHelpers';
import { migrate } from './deprecatedFieldMigration';

const head = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 3\n';

describe('rule deprecated-field', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(deprecatedField));

  it('does not trigger on current fields', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\npatches:\n- path: p.yaml\nlabels:\n- pairs: {team: a}\nimages:\n- name: x\n  newTag: "1"\n`,
      'apps/staging/p.yaml': PATCH,
    });
    assert.deepStrictEqual(fleet.check(deprecatedField), []);
  });

  it('bases: renamed to resources when there are none', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}bases: # old style\n- ../base/my-app\n` });
    migrate(fleet, 'bases', `${head}resources: # old style\n- ../base/my-app\n`);
  });

  it('bases: an empty resources gives way; a flow list of bases is appended item by item', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}resources: []\nbases:\n- ../base/my-app\n` });
    migrate(fleet, 'bases', `${head}resources:\n- ../base/my-app\n`);
    fleet.dispose();
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- cm.yaml\nbases: [../base/my-app, "../base/other"]\n`,
      'apps/staging/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'apps/base/other/kustomization.yaml': `${head}resources:\n- cm.yaml\n`,
      'apps/base/other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n',
    });
    migrate(fleet, 'bases', `${head}resources:\n- cm.yaml\n- ../base/my-app\n- "../base/other"\n`);
  });

  it('patchesJson6902: no fix when moving before the labels transformer would change the output', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nlabels:\n- pairs: {team: a}\npatchesJson6902:\n- target: {kind: Deployment, name: my-app}\n  patch: |\n    - op: replace\n      path: /metadata/labels/team\n      value: b\n`,
    });
    const [d] = fleet.check(deprecatedField);
    assert.match(d.message, /'patchesJson6902' is deprecated/);
    assert.strictEqual(d.fixes, undefined);
  });

  it('commonLabels: appended after existing labels entries (flow map kept as written)', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\ncommonLabels: {team: shop}\nlabels:\n  - pairs:\n      env: staging\n`,
    });
    migrate(
      fleet,
      'commonLabels',
      `${head}resources:\n- ../base/my-app\nlabels:\n  - pairs:\n      env: staging\n  - pairs: {team: shop}\n    includeSelectors: true\n`,
    );
  });

  it('keeps CRLF line breaks in the lines it writes', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': crlf(
        `${head}resources:\n- cm.yaml\nbases:\n- ../base/my-app\ncommonLabels: # who\n  team: shop\n`,
      ),
      'apps/staging/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    });
    for (const field of ['bases', 'commonLabels'])
      fleet.apply(fleet.check(deprecatedField).find((d) => d.message.startsWith(`'${field}'`))!.fixes![0]);
    assert.strictEqual(
      fleet.read('apps/staging/kustomization.yaml'),
      crlf(`${head}resources:\n- cm.yaml\n- ../base/my-app\nlabels: # who\n- pairs:\n    team: shop\n  includeSelectors: true\n`),
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

    const varsFindings = (fleet: Fleet, rel: string) =>
      fleet.check(deprecatedField).filter((d) => d.file === path.join(fleet.root, rel) && d.message.startsWith("'vars'"));

    /** The vars finding of `dir`'s kustomization, which must come without a fix; returns its message. */
    function declined(fleet: Fleet, dir: string): string {
      const [d] = varsFindings(fleet, `${dir}/kustomization.yaml`);
      assert.ok(d, 'vars is reported');
      assert.strictEqual(d.fixes, undefined);
      assert.match(d.message, /'vars' is deprecated.*'replacements'.* No automatic migration here: /);
      return d.message;
    }

    it('inside a longer string: declined when no delimiter reproduces it, or when a whole value is a number', function () {
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ URL: 'http://$(SVC):8080' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nvars:\n${SVC}`,
      });
      assert.match(
        declined(fleet, 'apps/staging'),
        /\$\(SVC\) is part of 'http:\/\/\$\(SVC\):8080' \(Deployment\/my-app .*env\.0\.value\) and no delimiter/,
      );
      fleet.dispose();
      // vars give a whole-value reference the value's type (80); a replacement keeps the field's string type ("80").
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ PORT: '$(PORT)' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nvars:\n- name: PORT\n  objref: {kind: Service, name: my-app, apiVersion: v1}\n  fieldref:\n    fieldPath: spec.ports[0].port\n`,
      });
      assert.match(declined(fleet, 'apps/staging'), /\$\(PORT\) is the whole of .* not a string/);
    });

    it('declared in a base, used by overlay objects: declined, the base cannot reach them', function () {
      fleet = baseFleet({
        'apps/base/my-app/kustomization.yaml': `${head}resources:\n- deployment.yaml\n- service.yaml\nvars:\n${SVC}`,
        'apps/base/my-app/deployment.yaml': deployment({ SVC_NAME: '$(SVC)' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\n- ingress.yaml\n`,
        'apps/staging/ingress.yaml': ingress('$(SVC)'),
      });
      assert.match(declined(fleet, 'apps/base/my-app'), /'apps\/staging' builds this kustomization and would render differently/);
    });

    it("declared and used in a base that an overlay renames: declined, the var read the overlay's name", function () {
      fleet = baseFleet({
        'apps/base/my-app/kustomization.yaml': `${head}resources:\n- deployment.yaml\n- service.yaml\nvars:\n${SVC}`,
        'apps/base/my-app/deployment.yaml': deployment({ SVC_NAME: '$(SVC)' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nnamePrefix: staging-\n`,
      });
      assert.match(declined(fleet, 'apps/base/my-app'), /'apps\/staging' builds this kustomization/);
    });

    it("declined when the var reads a name the build changes after the kustomization (a generated ConfigMap's hash suffix)", () => {
      fleet = baseFleet({
        'apps/base/my-app/deployment.yaml': deployment({ SETTINGS: '$(SETTINGS)' }),
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nconfigMapGenerator:\n- name: settings\n  literals: [a=b]\nvars:\n- name: SETTINGS\n  objref: {kind: ConfigMap, name: settings, apiVersion: v1}\n`,
      });
      assert.match(fleet.index.renderFolder(path.join(fleet.root, 'apps/staging')).yaml!, /value: settings-[a-z0-9]{10}\n/);
      assert.match(declined(fleet, 'apps/staging'), /the folder would render differently/);
    });

    it('a folder that does not build gets no fix', () => {
      fleet = baseFleet({
        'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nvars:\n- name: SVC\n  objref: {kind: Service, name: missing, apiVersion: v1}\n`,
      });
      assert.match(declined(fleet, 'apps/staging'), /the folder does not build/);
    });
  });
});
