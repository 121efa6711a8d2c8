// kustomize `buildMetadata` in what kustomize-controller applies: Flux 2.9's spec.buildMetadata replaces the
// kustomization's own list, and an existing kustomization without resources gets [originAnnotations]
// (fluxcd/pkg kustomize/kustomize_generator.go GenerateManifest). The kubectl comparisons of the same
// builds are in test/differential/flux/build.test.ts.
import { strict as assert } from 'assert';
import * as nodeFs from 'fs';
import * as path from 'path';
import type { FluxBuildResult } from '../../../server/src/flux/build';
import { readFluxObject } from '../../../server/src/flux/objects';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { parseYamlFile } from '../../../server/src/kustomize/yaml/parse';
import { build, cm, fluxKs, fluxKustomization, removeTempDirs, writeRepo } from './buildFixtures';

after(removeTempDirs);

const ORIGIN = 'config.kubernetes.io/origin';
const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';
const MANAGED_BY = 'app.kubernetes.io/managed-by';

function metadataOf(result: FluxBuildResult, name: string): JsonObject {
  const found = result.resources.find((r) => (r.object.metadata as JsonObject).name === name);
  assert.ok(found, `object ${name} is built; got ${result.resources.map((r) => (r.object.metadata as JsonObject).name).join(', ')}`);
  return found.object.metadata as JsonObject;
}

const annotationsOf = (result: FluxBuildResult, name: string) => (metadataOf(result, name).annotations ?? {}) as JsonObject;
const labelsOf = (result: FluxBuildResult, name: string) => (metadataOf(result, name).labels ?? {}) as JsonObject;

function writtenBuildMetadata(result: FluxBuildResult): unknown {
  return (parseYamlFile('/k.yaml', result.kustomizationText!).documents[0].value as JsonObject).buildMetadata;
}

const withResources = (buildMetadata: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
${buildMetadata}resources:
- local.yaml
- ../base
configMapGenerator:
- name: generated
  literals:
  - a=b
`;

const baseFiles = {
  'base/kustomization.yaml': 'resources:\n- from-base.yaml\n',
  'base/from-base.yaml': cm('from-base'),
  'app/local.yaml': cm('local'),
};

describe('flux build: spec.buildMetadata', () => {
  it('originAnnotations annotates each object with its file relative to spec.path, or the generator that made it', () => {
    const repo = writeRepo({
      ...baseFiles,
      'app/kustomization.yaml': withResources(''),
      'ks.yaml': fluxKs('app', './app', '  buildMetadata:\n  - originAnnotations\n'),
    });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(writtenBuildMetadata(result), ['originAnnotations']);
    assert.equal(annotationsOf(result, 'local')[ORIGIN], 'path: local.yaml\n');
    assert.equal(annotationsOf(result, 'from-base')[ORIGIN], 'path: ../base/from-base.yaml\n');
    assert.match(
      String(annotationsOf(result, 'generated-' + hashSuffix(result))[ORIGIN]),
      /^configuredIn: kustomization\.yaml\nconfiguredBy:\n {2}apiVersion: builtin\n {2}kind: ConfigMapGenerator\n$/,
    );
  });

  it("replaces the kustomization's own buildMetadata instead of adding to it (a managedByLabel in the file is gone)", () => {
    const repo = writeRepo({
      ...baseFiles,
      'app/kustomization.yaml': withResources('buildMetadata:\n- managedByLabel\n- originAnnotations\n'),
      'ks.yaml': fluxKs('app', './app', '  buildMetadata:\n  - transformerAnnotations\n'),
    });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(writtenBuildMetadata(result), ['transformerAnnotations']);
    assert.equal(labelsOf(result, 'local')[MANAGED_BY], undefined, 'managedByLabel is no longer asked for');
    assert.equal(annotationsOf(result, 'local')[ORIGIN], undefined, 'originAnnotations is no longer asked for');
  });

  it('transformerAnnotations records the Flux patch as a PatchTransformer configured in the kustomization the controller writes', () => {
    const repo = writeRepo({
      ...baseFiles,
      'app/kustomization.yaml': withResources(''),
      'ks.yaml': fluxKs(
        'app',
        './app',
        `  buildMetadata:
  - transformerAnnotations
  patches:
  - patch: |
      - op: add
        path: /data/patched
        value: "yes"
    target:
      kind: ConfigMap
      name: local
`,
      ),
    });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    const patchTransformer = '- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PatchTransformer\n';
    assert.equal(annotationsOf(result, 'local')[TRANSFORMATIONS], patchTransformer);
    // kustomize records a transformer on every object it ran over, not only those it changed (kubectl agrees).
    assert.equal(annotationsOf(result, 'from-base')[TRANSFORMATIONS], patchTransformer);
    assert.equal(
      (result.resources.find((r) => (r.object.metadata as JsonObject).name === 'local')!.object.data as JsonObject).patched,
      'yes',
    );
  });

  it('an empty spec.buildMetadata leaves the file as written: its own buildMetadata still applies', () => {
    const repo = writeRepo({
      ...baseFiles,
      'app/kustomization.yaml': withResources('buildMetadata:\n- managedByLabel\n'),
      'ks.yaml': fluxKs('app', './app', '  buildMetadata: []\n'),
    });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(writtenBuildMetadata(result), ['managedByLabel']);
    assert.equal(labelsOf(result, 'local')[MANAGED_BY], 'kustomize-(devel)');
    assert.equal(annotationsOf(result, 'local')[ORIGIN], undefined);
  });

  it("refuses, at the entry, a value outside the CRD's enum (kustomize's managedByLabel included), and builds without it", () => {
    const repo = writeRepo({
      ...baseFiles,
      'app/kustomization.yaml': withResources(''),
      'ks.yaml': fluxKs('app', './app', '  buildMetadata:\n  - managedByLabel\n  - 7\n  - originAnnotations\n'),
    });
    const read = fluxKustomization(repo, 'ks.yaml');
    assert.deepEqual(read.buildMetadata, ['originAnnotations']);
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(writtenBuildMetadata(result), ['originAnnotations']);
    assert.equal(labelsOf(result, 'local')[MANAGED_BY], undefined);
    const doc = parseYamlFile('/ks.yaml', nodeFs.readFileSync(path.join(repo, 'ks.yaml'), 'utf8')).documents[0];
    const problems = readFluxObject(doc.value as JsonObject, {
      file: '/ks.yaml',
      documentIndex: 0,
      rangeOf: (p) => doc.locate(p),
    }).problems;
    assert.deepEqual(
      problems.map((p) => p.range?.start),
      [
        { line: 13, character: 4 },
        { line: 14, character: 4 },
      ],
      'at the entries under spec.buildMetadata',
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.message]),
      [
        [
          'flux-build-metadata-option',
          'error',
          `Kustomization "app": spec.buildMetadata[0] must be originAnnotations or transformerAnnotations, not "managedByLabel": the API server refuses the Kustomization (kustomize's managedByLabel is not a Flux option).`,
        ],
        ['flux-field-type', 'error', 'Kustomization "app": spec.buildMetadata[1] must be a string; got a number.'],
      ],
    );
  });

  it('applies to the kustomization the controller generates when spec.path has none', () => {
    const repo = writeRepo({
      'deploy/a.yaml': cm('a'),
      'deploy/sub/b.yaml': cm('b'),
      'with.yaml': fluxKs('with', './deploy', '  buildMetadata:\n  - originAnnotations\n'),
      'without.yaml': fluxKs('without', './deploy'),
    });
    const withIt = build(repo, 'with.yaml');
    assert.deepEqual(withIt.problems, []);
    assert.equal(withIt.generatedKustomization, true);
    assert.equal(annotationsOf(withIt, 'a')[ORIGIN], 'path: a.yaml\n');
    assert.equal(annotationsOf(withIt, 'b')[ORIGIN], 'path: sub/b.yaml\n');
    const without = build(repo, 'without.yaml');
    assert.equal(writtenBuildMetadata(without), undefined, 'a generated kustomization gets no buildMetadata of its own');
    assert.equal(annotationsOf(without, 'a')[ORIGIN], undefined);
  });
});

describe('flux build: an existing kustomization without resources', () => {
  const generatorOnly = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
buildMetadata:
- managedByLabel
configMapGenerator:
- name: settings
  options:
    disableNameSuffixHash: true
  literals:
  - a=b
`;

  it('is applied with origin annotations even though nobody asked: the controller writes buildMetadata: [originAnnotations] over its own', () => {
    const repo = writeRepo({ 'app/kustomization.yaml': generatorOnly, 'ks.yaml': fluxKs('app', './app') });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(writtenBuildMetadata(result), ['originAnnotations']);
    assert.equal(
      annotationsOf(result, 'settings')[ORIGIN],
      'configuredIn: kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n',
    );
    assert.equal(labelsOf(result, 'settings')[MANAGED_BY], undefined);
  });

  it('takes spec.buildMetadata instead of that fallback when it is set', () => {
    const repo = writeRepo({
      'app/kustomization.yaml': generatorOnly,
      'ks.yaml': fluxKs('app', './app', '  buildMetadata:\n  - transformerAnnotations\n'),
    });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(writtenBuildMetadata(result), ['transformerAnnotations']);
    assert.equal(annotationsOf(result, 'settings')[ORIGIN], undefined);
  });

  it('keeps its own buildMetadata when it lists resources', () => {
    const repo = writeRepo({
      'app/kustomization.yaml': 'resources:\n- a.yaml\nbuildMetadata:\n- managedByLabel\n',
      'app/a.yaml': cm('a'),
      'ks.yaml': fluxKs('app', './app'),
    });
    const result = build(repo, 'ks.yaml');
    assert.deepEqual(result.problems, []);
    assert.equal(labelsOf(result, 'a')[MANAGED_BY], 'kustomize-(devel)');
    assert.equal(annotationsOf(result, 'a')[ORIGIN], undefined);
  });
});

/** The name suffix kustomize hashed onto the generated ConfigMap of `withResources`. */
function hashSuffix(result: FluxBuildResult): string {
  const name = result.resources.map((r) => String((r.object.metadata as JsonObject).name)).find((n) => n.startsWith('generated-'));
  assert.ok(name, 'the generated ConfigMap is built');
  return name.slice('generated-'.length);
}
