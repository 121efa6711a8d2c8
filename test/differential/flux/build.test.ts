// What kustomize-controller applies for one Flux Kustomization: the kustomization it writes at
// spec.path (generated or rewritten), rendered; then postBuild substitution and commonMetadata.
// Differential: the synthesized kustomization is written into a copy of the repo and built by
// `kubectl kustomize --load-restrictor LoadRestrictionsNone`, which is what the controller runs.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as nodeFs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FluxBuildResult } from '../../../server/src/flux/build';
import { isObject, originAt } from '../../../server/src/kustomize/resource';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { emitDocuments } from '../../../server/src/kustomize/yaml/emit';
import { parseYamlFile } from '../../../server/src/kustomize/yaml/parse';
import { kubectlAvailable, parseObjects, requireKubectl, sortObjects } from '../kubectl-oracle';
import { build, cm, deployment, fluxKs, removeTempDirs, tempDirs, writeRepo } from '../../unit/flux/buildFixtures';

after(removeTempDirs);

/** Runs kubectl on a copy of the repo holding the synthesized kustomization, as the controller does. */
function oracle(repo: string, specPath: string, kustomizationText: string): Promise<{ objects?: JsonObject[]; error?: string }> {
  const copy = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-fluxbuild-oracle-'));
  tempDirs.push(copy);
  nodeFs.cpSync(repo, copy, { recursive: true });
  const dir = path.join(copy, specPath);
  nodeFs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomizationText);
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve(err ? { error: stderr || String(err) } : { objects: parseObjects(stdout) });
    });
  });
}

function ours(result: FluxBuildResult): JsonObject[] {
  return sortObjects(parseObjects(emitDocuments(result.resources.map((r) => r.object))));
}

describe('flux build: the generated kustomization (spec.path without kustomization.yaml)', () => {
  const repo = writeRepo({
    'deploy/a.yaml': cm('a'),
    'deploy/b/kustomization.yaml': 'resources:\n- one.yaml\n',
    'deploy/b/one.yaml': cm('b-one'),
    'deploy/b/ignored-by-kustomization.yaml': cm('b-not-listed'),
    'deploy/c/d.yml': cm('c-d'),
    'deploy/c/e/f.yaml': cm('c-e-f'),
    'deploy/.hidden.yaml': cm('hidden'),
    'deploy/notes.txt': 'not yaml',
    'deploy/upper.YAML': cm('upper'),
    'deploy/skipped/x.yaml': cm('skipped'),
    'deploy/.sourceignore': 'skipped/\n',
    'deploy/empty.yaml': '# nothing here\n',
    'deploy/.sops.yaml': 'creation_rules:\n- age: age1xyz\n',
    'deploy/cloudbuild.yaml': 'steps: []\n',
    'clusters/dev/app.yaml': fluxKs('app', './deploy'),
  });
  let result: FluxBuildResult;
  let kubectl: Promise<{ objects?: JsonObject[]; error?: string }> | undefined;
  before(() => {
    result = build(repo, 'clusters/dev/app.yaml');
    if (kubectlAvailable() && result.kustomizationText) kubectl = oracle(repo, 'deploy', result.kustomizationText);
  });

  it('lists .yaml/.yml files in walk order, a folder with its own kustomization as one entry, and skips .sourceignore matches and the source-controller default exclusions (.sops.yaml, CI files)', () => {
    assert.deepEqual(result.problems, []);
    assert.equal(result.generatedKustomization, true);
    const doc = parseYamlFile('/k.yaml', result.kustomizationText!).documents[0].value as JsonObject;
    assert.deepEqual(doc.resources, ['./.hidden.yaml', './a.yaml', './b', './c/d.yml', './c/e/f.yaml', './empty.yaml']);
    const names = result.resources.map((r) => (r.object.metadata as JsonObject).name).sort();
    assert.deepEqual(names, ['a', 'b-one', 'c-d', 'c-e-f', 'hidden']);
  });

  it('renders what kubectl kustomize renders from the same kustomization', async function () {
    requireKubectl(this);
    const want = await kubectl!;
    assert.equal(want.error, undefined);
    assert.deepEqual(ours(result), sortObjects(want.objects!));
  });

  it('fails the build, at the file, on YAML that is not a Kubernetes object', () => {
    const bad = writeRepo({ 'deploy/a.yaml': cm('a'), 'deploy/values.yaml': 'replicaCount: 2\n', 'ks.yaml': fluxKs('app', './deploy') });
    const r = build(bad, 'ks.yaml');
    assert.equal(r.resources.length, 0);
    const p = r.problems.find((x) => x.code === 'flux-generate-not-kubernetes');
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.file, path.join(bad, 'deploy/values.yaml'));
    assert.match(p.message, /missing Resource metadata/);
  });

  it('reports a spec.path that does not exist at spec.path, and never leaves the repository (.. is clamped at the root)', () => {
    const r = build(repo, 'clusters/dev/app.yaml');
    assert.ok(r.resources.length > 0);
    const missing = writeRepo({ 'ks.yaml': fluxKs('app', './nope') });
    const m = build(missing, 'ks.yaml');
    assert.equal(m.problems[0].code, 'flux-path-not-found');
    assert.equal(m.problems[0].file, path.join(missing, 'ks.yaml'));
    assert.equal(m.problems[0].range?.start.line, 10);
    const clamped = writeRepo({ 'deploy/a.yaml': cm('a'), 'ks.yaml': fluxKs('app', '../../../deploy') });
    const c = build(clamped, 'ks.yaml');
    assert.deepEqual(c.problems, []);
    assert.deepEqual(
      c.resources.map((x) => (x.object.metadata as JsonObject).name),
      ['a'],
    );
  });
});

describe('flux build: spec fields written into an existing kustomization', () => {
  const ksExtra = `  targetNamespace: team-a
  namePrefix: flux-
  images:
  - name: nginx
    newTag: "1.27"
  - name: busybox
    newName: registry.example/busybox
  components:
  - ../components/extra
  patches:
  - patch: |
      - op: replace
        path: /spec/replicas
        value: 3
    target:
      kind: Deployment
  - patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data:
        fromFlux: "yes"
`;
  const repo = writeRepo({
    'app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: original
namePrefix: user-
resources:
- deployment.yaml
- settings.yaml
images:
- name: nginx
  newTag: "1.26"
patches:
- patch: |
    - op: replace
      path: /spec/replicas
      value: 2
  target:
    kind: Deployment
`,
    'app/deployment.yaml': deployment,
    'app/settings.yaml': cm('settings'),
    'components/extra/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
- extra.yaml
`,
    'components/extra/extra.yaml': cm('extra'),
    'clusters/dev/app.yaml': fluxKs('app', './app', ksExtra),
  });
  let result: FluxBuildResult;
  let kubectl: Promise<{ objects?: JsonObject[]; error?: string }> | undefined;
  before(() => {
    result = build(repo, 'clusters/dev/app.yaml');
    if (kubectlAvailable() && result.kustomizationText) kubectl = oracle(repo, 'app', result.kustomizationText);
  });

  it('targetNamespace and namePrefix replace, images replace by name or append, patches and components append', () => {
    assert.deepEqual(result.problems, []);
    assert.equal(result.generatedKustomization, false);
    const k = parseYamlFile('/k.yaml', result.kustomizationText!).documents[0].value as JsonObject;
    assert.equal(k.namespace, 'team-a');
    assert.equal(k.namePrefix, 'flux-');
    assert.deepEqual(k.images, [
      { name: 'nginx', newTag: '1.27' },
      { name: 'busybox', newName: 'registry.example/busybox' },
    ]);
    assert.equal((k.patches as unknown[]).length, 3);
    assert.deepEqual(k.components, ['../components/extra']);
    const web = result.resources.find((r) => r.object.kind === 'Deployment')!;
    assert.equal((web.object.metadata as JsonObject).name, 'flux-web');
    assert.equal((web.object.metadata as JsonObject).namespace, 'team-a');
    assert.equal((web.object.spec as JsonObject).replicas, 3, "the Flux patch runs after the kustomization's own");
  });

  it('renders what kubectl kustomize renders from the rewritten kustomization', async function () {
    requireKubectl(this);
    const want = await kubectl!;
    assert.equal(want.error, undefined);
    assert.deepEqual(ours(result), sortObjects(want.objects!));
  });

  it('says a value set by a Flux patch came from the Flux Kustomization, at that patch', () => {
    const web = result.resources.find((r) => r.object.kind === 'Deployment')!;
    const origin = originAt(web, ['spec', 'replicas']);
    assert.equal(origin?.file, path.join(repo, 'clusters/dev/app.yaml'));
    assert.ok(origin?.range, 'a range in the Flux Kustomization');
    assert.ok(origin.range.start.line >= 20, `range points at spec.patches, got line ${origin.range.start.line}`);
    const settings = result.resources.find((r) => (r.object.metadata as JsonObject).name === 'flux-settings')!;
    assert.equal(originAt(settings, ['data', 'fromFlux'])?.file, path.join(repo, 'clusters/dev/app.yaml'));
  });

  it('reports a missing component at spec.components in the Flux Kustomization, unless ignoreMissingComponents', () => {
    const broken = writeRepo({
      'app/kustomization.yaml': 'resources:\n- settings.yaml\n',
      'app/settings.yaml': cm('settings'),
      'ks.yaml': fluxKs('app', './app', '  components:\n  - ../nowhere\n'),
      'ks-ignore.yaml': fluxKs('app', './app', '  ignoreMissingComponents: true\n  components:\n  - ../nowhere\n'),
    });
    const r = build(broken, 'ks.yaml');
    assert.equal(r.resources.length, 0);
    const p = r.problems.find((x) => x.severity === 'error')!;
    assert.equal(p.file, path.join(broken, 'ks.yaml'), JSON.stringify(r.problems));
    assert.equal(p.range?.start.line, 13);
    const ok = build(broken, 'ks-ignore.yaml');
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.resources.length, 1);
  });

  it('writes v1beta2 patchesStrategicMerge/patchesJson6902 as inline text, rendering as kubectl does', async function () {
    const legacy = writeRepo({
      'app/cm.yaml': cm('a'),
      'ks.yaml': fluxKs(
        'app',
        './app',
        `  patchesStrategicMerge:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
    data:
      x: "1"
  patchesJson6902:
  - target:
      version: v1
      kind: ConfigMap
      name: a
    patch:
    - op: add
      path: /data/y
      value: "2"
`,
      ).replace('kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v1beta2'),
    });
    const r = build(legacy, 'ks.yaml');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.resources[0].object.data, { key: 'value', x: '1', y: '2' });
    requireKubectl(this);
    const want = await oracle(legacy, 'app', r.kustomizationText!);
    assert.equal(want.error, undefined);
    assert.deepEqual(ours(r), sortObjects(want.objects!));
  });

  it("drops unknown kustomization fields as the controller's lenient decode does, with a warning at the field", () => {
    const odd = writeRepo({
      'app/kustomization.yaml': 'resources:\n- settings.yaml\nnamePrefx: typo-\n',
      'app/settings.yaml': cm('settings'),
      'ks.yaml': fluxKs('app', './app'),
    });
    const r = build(odd, 'ks.yaml');
    assert.equal(r.resources.length, 1);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, 'flux-kustomization-field-dropped');
    assert.equal(r.problems[0].severity, 'warning');
    assert.equal(r.problems[0].range?.start.line, 2);
  });

  it("builds an existing kustomization the Flux spec adds nothing to as the file itself: places are the file's own", () => {
    const plain = writeRepo({
      'app/kustomization.yaml':
        '# comments and layout the controller would not keep\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels:\n  team: a\nresources:\n  - settings.yaml\n  - settings.yaml\n',
      'app/settings.yaml': cm('settings'),
      'ks.yaml': fluxKs('app', './app'),
    });
    const r = build(plain, 'ks.yaml');
    assert.equal(r.kustomizationText, nodeFs.readFileSync(path.join(plain, 'app/kustomization.yaml'), 'utf8'));
    // The duplicate entry is reported on the line written in the file (line 7), not a line of a rewritten copy.
    const duplicate = r.problems.find((p) => p.code === 'duplicate-resource');
    assert.ok(duplicate, JSON.stringify(r.problems));
    assert.equal(duplicate.file, path.join(plain, 'app/settings.yaml'));
    const deprecatedLabels = writeRepo({
      'app/kustomization.yaml':
        '# a comment\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels:\n  team: a\nresources:\n  - settings.yaml\n',
      'app/settings.yaml': cm('settings'),
      'ks.yaml': fluxKs('app', './app'),
    });
    const ok = build(deprecatedLabels, 'ks.yaml');
    assert.deepEqual(ok.problems, []);
    const origin = originAt(ok.resources[0], ['metadata', 'labels', 'team']);
    assert.equal(origin?.file, path.join(deprecatedLabels, 'app/kustomization.yaml'));
    assert.equal(origin?.range?.start.line, 4, 'the label is written on line 5 of the file (after a comment the rewrite would drop)');
  });
});

describe('flux build: buildMetadata the controller writes (spec.buildMetadata, and the fallback for a kustomization without resources)', () => {
  const repo = writeRepo({
    'base/kustomization.yaml': 'resources:\n- from-base.yaml\n',
    'base/from-base.yaml': cm('from-base'),
    'components/extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- extra.yaml\n',
    'components/extra/extra.yaml': cm('extra'),
    'app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
buildMetadata:
- managedByLabel
resources:
- deployment.yaml
- ../base
configMapGenerator:
- name: generated
  literals:
  - a=b
`,
    'app/deployment.yaml': deployment,
    'generator-only/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
configMapGenerator:
- name: settings
  literals:
  - a=b
`,
    'plain/a.yaml': cm('a'),
    'plain/sub/b.yaml': cm('b'),
    'both.yaml': fluxKs(
      'app',
      './app',
      `  buildMetadata:
  - originAnnotations
  - transformerAnnotations
  targetNamespace: team-a
  images:
  - name: nginx
    newTag: "1.27"
  components:
  - ../components/extra
  patches:
  - patch: |
      - op: replace
        path: /spec/replicas
        value: 3
    target:
      kind: Deployment
`,
    ),
    'fallback.yaml': fluxKs('settings', './generator-only'),
    'generated.yaml': fluxKs('plain', './plain', '  buildMetadata:\n  - originAnnotations\n'),
  });
  const cases: Array<[string, string, string]> = [
    ['spec.buildMetadata over a file with its own, with the Flux spec fields and a component', 'both.yaml', 'app'],
    ['the [originAnnotations] fallback of a kustomization without resources', 'fallback.yaml', 'generator-only'],
    ['spec.buildMetadata on the kustomization the controller generates', 'generated.yaml', 'plain'],
  ];
  for (const [title, ksFile, specPath] of cases) {
    it(`renders what kubectl kustomize renders, annotations included: ${title}`, async function () {
      const result = build(repo, ksFile);
      assert.deepEqual(result.problems, []);
      const annotated = result.resources.filter((r) => {
        const annotations = (r.object.metadata as JsonObject).annotations;
        return (
          isObject(annotations) &&
          ('config.kubernetes.io/origin' in annotations || 'alpha.config.kubernetes.io/transformations' in annotations)
        );
      });
      assert.equal(annotated.length, result.resources.length, 'every object carries build metadata');
      requireKubectl(this);
      const want = await oracle(repo, specPath, result.kustomizationText!);
      assert.equal(want.error, undefined);
      assert.deepEqual(ours(result), sortObjects(want.objects!));
    });
  }
});
