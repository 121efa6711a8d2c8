import * as assert from 'assert';
import * as path from 'path';
import { deprecatedField } from '../../../server/src/rules/deprecated-field';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet, kubectlKustomize, requireKubectl } from './overlayHelpers';

const head = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 3\n';
const JSON_PATCH = '- op: replace\n  path: /spec/replicas\n  value: 5\n';

/**
 * Checks the overlay, expects one finding for `field` at its key, applies the fix, and asserts the new text,
 * a byte-identical render before and after, and no finding left.
 */
function migrate(fleet: Fleet, field: string, expected: string, oracle = false): void {
  const file = path.join(fleet.root, 'apps/staging/kustomization.yaml');
  const before = fleet.index.renderFolder(path.dirname(file)).yaml;
  const kubectlBefore = oracle ? kubectlKustomize(fleet, 'apps/staging').yaml : undefined;
  assert.ok(before, 'the overlay renders before the fix');
  const found = fleet.check(deprecatedField).filter((d) => d.message.startsWith(`'${field}'`));
  assert.strictEqual(found.length, 1);
  const [d] = found;
  assert.strictEqual(d.severity, 'warning');
  const keyLine = fleet.read('apps/staging/kustomization.yaml').split('\n').findIndex((l) => l.startsWith(`${field}:`));
  assert.deepStrictEqual(d.range, { start: { line: keyLine, character: 0 }, end: { line: keyLine, character: field.length } });
  assert.ok(d.fixes?.[0], 'a fix is offered');
  fleet.apply(d.fixes[0]);
  assert.strictEqual(fleet.read('apps/staging/kustomization.yaml'), expected);
  assert.strictEqual(fleet.index.renderFolder(path.dirname(file)).yaml, before, 'the render is byte-identical after the fix');
  assert.deepStrictEqual(fleet.check(deprecatedField).filter((x) => x.message.startsWith(`'${field}'`)), []);
  if (oracle) {
    assert.ok(kubectlBefore);
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, kubectlBefore, 'kubectl prints the same before and after');
    assert.strictEqual(before, kubectlBefore, 'and so does our renderer');
  }
}

describe('rule deprecated-field', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(deprecatedField));

  it('does not trigger on current fields', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\npatches:\n- path: p.yaml\nlabels:\n- pairs: {team: a}\nimages:\n- name: x\n  newTag: "1"\n`, 'apps/staging/p.yaml': PATCH });
    assert.deepStrictEqual(fleet.check(deprecatedField), []);
  });

  it('bases: renamed to resources when there are none', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}bases: # old style\n- ../base/my-app\n` });
    migrate(fleet, 'bases', `${head}resources: # old style\n- ../base/my-app\n`);
  });

  it('bases: appended after the existing resources, comments kept, render identical to kubectl', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n  - cm.yaml\nbases:\n- ../base/my-app # the app\n# last\n- ../base/other\nnamespace: staging\n`,
      'apps/staging/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'apps/base/other/kustomization.yaml': `${head}resources:\n- cm.yaml\n`,
      'apps/base/other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n',
    });
    const oracle = kubectlKustomize(fleet, 'apps/staging').yaml;
    migrate(fleet, 'bases', `${head}resources:\n  - cm.yaml\n  - ../base/my-app # the app\n  # last\n  - ../base/other\nnamespace: staging\n`);
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, oracle);
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
    migrate(fleet, 'patchesJson6902', `${head}resources:\n- ../base/my-app\npatches:\n- path: p.yaml\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: my-app\n  path: j.yaml\n`, true);
  });

  it('patchesJson6902: renamed when nothing between patches and it changes the render (checked by rendering)', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nnamePrefix: s-\npatchesJson6902:\n- target: {kind: Deployment, name: my-app}\n  path: j.yaml\n`,
      'apps/staging/j.yaml': JSON_PATCH,
    });
    migrate(fleet, 'patchesJson6902', `${head}resources:\n- ../base/my-app\nnamePrefix: s-\npatches:\n- target: {kind: Deployment, name: my-app}\n  path: j.yaml\n`, true);
  });

  it('patchesJson6902: no fix when moving before the labels transformer would change the output', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nlabels:\n- pairs: {team: a}\npatchesJson6902:\n- target: {kind: Deployment, name: my-app}\n  patch: |\n    - op: replace\n      path: /metadata/labels/team\n      value: b\n`,
    });
    const [d] = fleet.check(deprecatedField);
    assert.match(d.message, /'patchesJson6902' is deprecated/);
    assert.strictEqual(d.fixes, undefined);
  });

  it('commonLabels: becomes a labels entry with includeSelectors (no includeTemplates needed), kubectl agreeing', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\ncommonLabels:\n  team: shop # owner\n  "tier": 'web'\n` });
    const oracle = kubectlKustomize(fleet, 'apps/staging').yaml;
    migrate(fleet, 'commonLabels', `${head}resources:\n- ../base/my-app\nlabels:\n- pairs:\n    team: shop # owner\n    "tier": 'web'\n  includeSelectors: true\n`);
    assert.strictEqual(kubectlKustomize(fleet, 'apps/staging').yaml, oracle);
  });

  it('commonLabels: appended after existing labels entries (flow map kept as written)', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\ncommonLabels: {team: shop}\nlabels:\n  - pairs:\n      env: staging\n` });
    migrate(fleet, 'commonLabels', `${head}resources:\n- ../base/my-app\nlabels:\n  - pairs:\n      env: staging\n  - pairs: {team: shop}\n    includeSelectors: true\n`);
  });

  it('imageTags: renamed to images, or appended after them', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nimages:\n- name: other\n  newTag: "2"\nimageTags:\n- name: ghcr.io/example/my-app\n  newTag: "1.1"\n` });
    migrate(fleet, 'imageTags', `${head}resources:\n- ../base/my-app\nimages:\n- name: other\n  newTag: "2"\n- name: ghcr.io/example/my-app\n  newTag: "1.1"\n`, true);
  });

  it('keeps CRLF line breaks in the lines it writes', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': crlf(`${head}resources:\n- cm.yaml\nbases:\n- ../base/my-app\ncommonLabels: # who\n  team: shop\n`), 'apps/staging/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' });
    for (const field of ['bases', 'commonLabels']) fleet.apply(fleet.check(deprecatedField).find((d) => d.message.startsWith(`'${field}'`))!.fixes![0]);
    assert.strictEqual(fleet.read('apps/staging/kustomization.yaml'), crlf(`${head}resources:\n- cm.yaml\n- ../base/my-app\nlabels: # who\n- pairs:\n    team: shop\n  includeSelectors: true\n`));
  });

  it('vars: warns and points at replacements, without a fix', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': `${head}resources:\n- ../base/my-app\nvars:\n- name: SVC\n  objref: {kind: Service, name: my-app, apiVersion: v1}\n` });
    const [d] = fleet.check(deprecatedField);
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
    assert.match(d.message, /'vars' is deprecated.*'replacements'/);
    assert.strictEqual(d.fixes, undefined);
  });
});
