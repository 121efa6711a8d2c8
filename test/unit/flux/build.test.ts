// What kustomize-controller applies for one Flux Kustomization: the kustomization it writes at
// spec.path (generated or rewritten), rendered; then postBuild substitution and commonMetadata.
// Differential: the synthesized kustomization is written into a copy of the repo and built by
// `kubectl kustomize --load-restrictor LoadRestrictionsNone`, which is what the controller runs.
import { strict as assert } from 'assert';
import * as path from 'path';
import { renderFluxKustomization } from '../../../server/src/flux/build';
import type { FindObject } from '../../../server/src/flux/substitute';
import { originAt } from '../../../server/src/kustomize/resource';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { renderKustomization } from '../../../server/src/kustomize/render';
import { emitDocuments } from '../../../server/src/kustomize/yaml/emit';
import { build, cm, deployment, fluxKs, fluxKustomization, removeTempDirs, writeRepo } from './buildFixtures';

after(removeTempDirs);

describe('flux build: postBuild substitution and commonMetadata', () => {
  const objects = `apiVersion: v1
kind: ConfigMap
metadata:
  name: vars
  labels:
    app: \${app_name}
data:
  cluster: \${cluster_name}
  region: \${region:=eu-west-1}
  escaped: $\${cluster_name}
  fromLater: \${shared}
  inlineWins: \${both}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: untouched
  annotations:
    kustomize.toolkit.fluxcd.io/substitute: disabled
data:
  raw: \${cluster_name}
`;
  const repoObjects: Record<string, JsonObject> = {
    'ConfigMap/flux-system/first': {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'first' },
      data: { shared: 'from-first', both: 'from-configmap', app_name: 'web' },
    },
    'Secret/flux-system/second': {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'second' },
      data: { shared: Buffer.from('from-second').toString('base64') },
    },
  };
  const findObject: FindObject = (kind, ns, name) => {
    const o = repoObjects[`${kind}/${ns}/${name}`];
    return o ? { object: o } : undefined;
  };
  const post = `  commonMetadata:
    labels:
      team: \${cluster_name}
    annotations:
      owner: platform
  postBuild:
    substitute:
      cluster_name: dev-1
      both: inline
    substituteFrom:
    - kind: ConfigMap
      name: first
    - kind: Secret
      name: second
    - kind: ConfigMap
      name: absent
      optional: true
`;
  const repo = writeRepo({
    'app/objects.yaml': objects,
    'app/deploy.yaml': deployment,
    'ks.yaml': fluxKs('app', './app', post),
    'ks-missing.yaml': fluxKs('app', './app', '  postBuild:\n    substituteFrom:\n    - kind: ConfigMap\n      name: absent\n'),
    'ks-novars.yaml': fluxKs('app', './app', '  postBuild:\n    substitute: {}\n'),
    'ks-always.yaml': fluxKs('app', './app', '  postBuild:\n    substituteStrategy: Always\n    substitute: {}\n'),
  });

  it('substitutes from ConfigMaps and Secrets in order (later wins), inline winning, with defaults and $$ escapes', () => {
    const r = build(repo, 'ks.yaml', findObject);
    assert.deepEqual(
      r.problems.filter((p) => p.severity === 'error'),
      [],
    );
    const vars = r.resources.find((x) => (x.object.metadata as JsonObject).name === 'vars')!.object;
    assert.deepEqual(vars.data, {
      cluster: 'dev-1',
      region: 'eu-west-1',
      escaped: '${cluster_name}',
      fromLater: 'from-second',
      inlineWins: 'inline',
    });
    assert.equal(((vars.metadata as JsonObject).labels as JsonObject).app, 'web');
  });

  it('leaves objects that opt out with kustomize.toolkit.fluxcd.io/substitute: disabled', () => {
    const r = build(repo, 'ks.yaml', findObject);
    const untouched = r.resources.find((x) => (x.object.metadata as JsonObject).name === 'untouched')!.object;
    assert.deepEqual(untouched.data, { raw: '${cluster_name}' });
  });

  it("sets commonMetadata on every object's metadata only (not selectors), after substitution", () => {
    const r = build(repo, 'ks.yaml', findObject);
    for (const res of r.resources) {
      const meta = res.object.metadata as JsonObject;
      assert.equal((meta.labels as JsonObject).team, '${cluster_name}', 'applied after substitution, so not substituted');
      assert.equal((meta.annotations as JsonObject).owner, 'platform');
      assert.equal(originAt(res, ['metadata', 'labels', 'team'])?.file, path.join(repo, 'ks.yaml'));
    }
    const web = r.resources.find((x) => x.object.kind === 'Deployment')!.object;
    assert.deepEqual(((web.spec as JsonObject).selector as JsonObject).matchLabels, { app: 'web' });
    assert.equal(
      (((web.spec as JsonObject).template as JsonObject).metadata as JsonObject).labels &&
        ((((web.spec as JsonObject).template as JsonObject).metadata as JsonObject).labels as JsonObject).team,
      undefined,
    );
  });

  it('fails on a missing substituteFrom source that is not optional, at its name', () => {
    const r = build(repo, 'ks-missing.yaml', findObject);
    const p = r.problems.find((x) => x.code === 'flux-substitute-from-missing');
    assert.ok(p);
    assert.equal(p.file, path.join(repo, 'ks-missing.yaml'));
  });

  it('skips substitution when no variable is defined (the default strategy): ${var} reaches the cluster as written', () => {
    const r = build(repo, 'ks-novars.yaml', findObject);
    const vars = r.resources.find((x) => (x.object.metadata as JsonObject).name === 'vars')!.object;
    assert.equal((vars.data as JsonObject).region, '${region:=eu-west-1}');
    // Without strict substitution (kustomize-controller before v1.9, or the feature gate off), Always fills defaults
    // and empties the rest...
    const always = build(repo, 'ks-always.yaml', findObject, { strictSubstitution: false });
    const substituted = always.resources.find((x) => (x.object.metadata as JsonObject).name === 'vars')!.object;
    assert.equal((substituted.data as JsonObject).region, 'eu-west-1', 'substituteStrategy: Always substitutes defaults anyway');
    // ...with strict substitution, the default since v1.9, ${cluster_name} (no value, no default) fails the build at its line.
    const strict = build(repo, 'ks-always.yaml', findObject);
    const unset = strict.problems.find((p) => p.code === 'flux-substitute-unset');
    assert.ok(unset);
    assert.match(unset.message, /variable not set \(strict mode\): "(app_name|cluster_name)"/);
    assert.equal((substituted.data as JsonObject).cluster, null, 'an unset variable becomes empty text, which YAML reads back as null');
  });
});

describe('flux build: objects taken from the folder preview render when the rewrite changes nothing', () => {
  const objects = `apiVersion: v1
kind: ConfigMap
metadata:
  name: zeta
data:
  cluster: \${cluster_name}
---
apiVersion: v1
kind: Namespace
metadata:
  name: alpha
`;
  const repo = writeRepo({
    'app/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - objects.yaml\n  - deploy.yaml\n',
    'app/objects.yaml': objects,
    'app/deploy.yaml': deployment,
    'plain.yaml': fluxKs('plain', './app'),
    'vars.yaml': fluxKs(
      'vars',
      './app',
      '  postBuild:\n    substitute:\n      cluster_name: dev-1\n  commonMetadata:\n    labels:\n      team: a\n',
    ),
  });

  for (const file of ['plain.yaml', 'vars.yaml']) {
    it(`gives what a build of its own gives, in Flux's order (${file})`, () => {
      const ks = fluxKustomization(repo, file);
      const folder = renderKustomization(path.join(repo, 'app'), { repoRoot: repo });
      const shared = renderFluxKustomization(ks, { repoRoot: repo, renderFolder: () => folder });
      const own = renderFluxKustomization(ks, { repoRoot: repo });
      assert.deepEqual(shared.problems, own.problems);
      assert.equal(emitDocuments(shared.resources.map((r) => r.object)), emitDocuments(own.resources.map((r) => r.object)));
      // --reorder none: the file's order (ConfigMap before Namespace), not kubectl's legacy order.
      assert.deepEqual(
        shared.resources.map((r) => r.object.kind),
        ['ConfigMap', 'Namespace', 'Deployment'],
      );
      assert.deepEqual(
        shared.resources.map((r) => JSON.stringify([...r.setBy])),
        own.resources.map((r) => JSON.stringify([...r.setBy])),
      );
      // Substitution and commonMetadata worked on copies: the preview of the folder still shows ${cluster_name}.
      assert.match(folder.yaml ?? '', /cluster: \$\{cluster_name\}/);
      assert.doesNotMatch(folder.yaml ?? '', /team: a/);
    });
  }

  it('builds on its own when the preview render fails (a root-only error Flux does not have)', () => {
    const outside = writeRepo({
      'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../shared/cm.yaml\n',
      'shared/cm.yaml': cm('shared'),
      'ks.yaml': fluxKs('app', './app'),
    });
    const ks = fluxKustomization(outside, 'ks.yaml');
    const folder = renderKustomization(path.join(outside, 'app'), { repoRoot: outside });
    assert.ok(
      folder.problems.some((p) => p.severity === 'error'),
      'kubectl kustomize refuses the file outside the folder',
    );
    const shared = renderFluxKustomization(ks, { repoRoot: outside, renderFolder: () => folder });
    assert.deepEqual(
      shared.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual(
      shared.resources.map((r) => (r.object.metadata as JsonObject).name),
      ['shared'],
    );
  });
});
