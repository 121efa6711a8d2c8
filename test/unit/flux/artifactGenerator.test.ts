// What an ArtifactGenerator's ExternalArtifacts hold, read through this repository's files: the copy
// rules of fluxcd/source-watcher (internal/builder/builder.go), and a Kustomization rendered inside one.
import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { readArtifactGenerator, type ArtifactTree } from '../../../server/src/flux/artifactGenerator';
import { renderFluxKustomization } from '../../../server/src/flux/build';
import { readFluxObject, type FluxKustomization } from '../../../server/src/flux/objects';
import { memoryFileSystem, type FileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';
import type { JsonObject } from '../../../server/src/kustomize/types';

const REPO = '/repo';
const place = { file: `${REPO}/clusters/staging/artifacts.yaml`, documentIndex: 0 };

/** A monorepo shaped like Flux's own example: apps (base + one overlay per cluster) and infrastructure. */
const monorepo: Record<string, string> = {
  '/repo/.git/HEAD': 'ref: refs/heads/main\n',
  '/repo/README.md': '# fleet\n',
  '/repo/apps/base/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
  '/repo/apps/base/web/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
  '/repo/apps/base/web/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
  '/repo/apps/base/web/README.md': 'notes\n',
  '/repo/apps/staging/kustomization.yaml': 'namespace: web-staging\nresources:\n  - ../base/web\npatches:\n  - path: replicas.yaml\n',
  '/repo/apps/staging/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
  '/repo/apps/production/kustomization.yaml': 'namespace: web\nresources:\n  - ../base/web\n',
  '/repo/infrastructure/controllers/kustomization.yaml': 'resources:\n  - cert-manager.yaml\n',
  '/repo/infrastructure/controllers/cert-manager.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n',
  '/repo/infrastructure/controllers/testdata/broken.yaml': 'not: [valid\n',
  '/repo/infrastructure/configs/issuer.yaml': 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n',
};

/** This repository is the GitRepository flux-system/flux-system; any other source is somewhere else. */
function thisRepo(kind: string, namespace: string, name: string): string | undefined {
  return kind === 'GitRepository' && namespace === 'flux-system' && name === 'flux-system' ? REPO : undefined;
}

function generate(yaml: string, files: Record<string, string> = monorepo, sourceRoot = thisRepo) {
  const fs = memoryFileSystem(files);
  return readArtifactGenerator(parse(yaml) as JsonObject, place, { fs, repoRoot: REPO, sourceRoot });
}

function artifact(result: ReturnType<typeof generate>, name: string): ArtifactTree {
  const found = result.artifacts.find((a) => a.name === name);
  assert.ok(found, `artifact ${name} in ${result.artifacts.map((a) => a.name).join(', ')}`);
  return found;
}

/** Every file of the tree (relative to its root) with the repository file it shows. */
function listing(tree: ArtifactTree): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const walk = (dir: string) => {
    for (const name of tree.fs.readDir(dir)) {
      const p = `${dir}/${name}`;
      if (tree.fs.kind(p) === 'dir') walk(p);
      else out[p.slice(tree.root.length + 1)] = tree.toReal(p);
    }
  };
  walk(tree.root);
  return out;
}

function generator(artifacts: string, sources = '    - alias: monorepo\n      kind: GitRepository\n      name: flux-system\n'): string {
  return `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: flux-system
  namespace: flux-system
spec:
  sources:
${sources}  artifacts:
${artifacts}`;
}

describe('flux/artifactGenerator', () => {
  it("splits a monorepo into apps and infrastructure artifacts, as in Flux's own example", () => {
    const result = generate(
      generator(`    - name: infrastructure
      originRevision: "@monorepo"
      copy:
        - from: "@monorepo/infrastructure/**"
          to: "@artifact/"
    - name: apps
      originRevision: "@monorepo"
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/base/"
        - from: "@monorepo/apps/staging/**"
          to: "@artifact/staging/"
`),
    );
    assert.deepEqual(result.problems, []);
    const apps = artifact(result, 'apps');
    assert.equal(apps.namespace, 'flux-system', "an ExternalArtifact lands in its generator's namespace");
    assert.equal(apps.root, '/repo/.flux-artifacts/flux-system/apps/@artifact');
    assert.deepEqual(listing(apps), {
      'base/web/README.md': '/repo/apps/base/web/README.md',
      'base/web/deployment.yaml': '/repo/apps/base/web/deployment.yaml',
      'base/web/kustomization.yaml': '/repo/apps/base/web/kustomization.yaml',
      'base/web/service.yaml': '/repo/apps/base/web/service.yaml',
      'staging/kustomization.yaml': '/repo/apps/staging/kustomization.yaml',
      'staging/replicas.yaml': '/repo/apps/staging/replicas.yaml',
    });
    assert.equal(apps.fs.kind(`${apps.root}/production`), undefined, "the production overlay is not copied into this cluster's artifact");
    assert.deepEqual(apps.fs.readDir(apps.root), ['base', 'staging']);
    assert.equal(apps.fs.readFile(`${apps.root}/staging/replicas.yaml`), monorepo['/repo/apps/staging/replicas.yaml']);
    assert.equal(apps.toReal(`${apps.root}/base/web`), '/repo/apps/base/web', 'a copied folder leads back to the repository folder');

    const infrastructure = artifact(result, 'infrastructure');
    assert.deepEqual(infrastructure.fs.readDir(infrastructure.root), ['configs', 'controllers']);
    assert.equal(infrastructure.toReal(`${infrastructure.root}/configs/issuer.yaml`), '/repo/infrastructure/configs/issuer.yaml');
    assert.deepEqual([...infrastructure.problems, ...infrastructure.notes], []);
  });

  it('never reads outside the artifact: the rest of the repository is not in it', () => {
    const apps = artifact(
      generate(generator('    - name: apps\n      copy:\n        - from: "@monorepo/apps/staging/**"\n          to: "@artifact/"\n')),
      'apps',
    );
    assert.equal(apps.fs.readFile('/repo/apps/base/web/deployment.yaml'), undefined);
    assert.equal(apps.fs.kind(`${apps.root}/../infrastructure`), undefined);
    assert.equal(apps.toReal('/repo/apps/staging/kustomization.yaml'), undefined);
  });

  it('copies a folder named without a glob as a sub-folder of the destination, with or without slashes', () => {
    const apps = artifact(
      generate(
        generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/base"
          to: "@artifact/shared"
        - from: "@monorepo/infrastructure/configs/"
          to: "@artifact/shared/"
        - from: "@monorepo/"
          to: "@artifact/everything/"
`),
      ),
      'apps',
    );
    assert.deepEqual(apps.problems, []);
    assert.equal(apps.toReal(`${apps.root}/shared/base/web/service.yaml`), '/repo/apps/base/web/service.yaml');
    assert.equal(apps.toReal(`${apps.root}/shared/configs/issuer.yaml`), '/repo/infrastructure/configs/issuer.yaml');
    assert.equal(
      apps.toReal(`${apps.root}/everything/apps/production/kustomization.yaml`),
      '/repo/apps/production/kustomization.yaml',
      '`@src/` copies the whole source',
    );
    assert.deepEqual(
      apps.fs.readDir(`${apps.root}/everything`),
      ['README.md', 'apps', 'infrastructure'],
      'the source holds no .git folder',
    );
  });

  it('places a single file at the destination path, or by its name in a destination folder', () => {
    const apps = artifact(
      generate(
        generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/staging/replicas.yaml"
          to: "@artifact/patches/replicas-staging.yaml"
        - from: "@monorepo/apps/staging/kustomization.yaml"
          to: "@artifact/overlay/"
        - from: "@monorepo/infrastructure/configs/issuer.yaml"
          to: "@artifact/patches"
`),
      ),
      'apps',
    );
    assert.deepEqual(
      listing(apps),
      {
        'overlay/kustomization.yaml': '/repo/apps/staging/kustomization.yaml',
        'patches/issuer.yaml': '/repo/infrastructure/configs/issuer.yaml',
        'patches/replicas-staging.yaml': '/repo/apps/staging/replicas.yaml',
      },
      'a destination that is already a folder takes the file by its name, like cp',
    );
  });

  it("keeps the matched path under the destination for globs other than dir/** (the builder, not the spec's example)", () => {
    const apps = artifact(
      generate(
        generator('    - name: apps\n      copy:\n        - from: "@monorepo/apps/base/web/*.yaml"\n          to: "@artifact/web/"\n'),
      ),
      'apps',
    );
    assert.deepEqual(Object.keys(listing(apps)), [
      'web/apps/base/web/deployment.yaml',
      'web/apps/base/web/kustomization.yaml',
      'web/apps/base/web/service.yaml',
    ]);
  });

  it("treats ** in `from` as Go's fs.Glob does: one level, each matched folder copied whole", () => {
    const result = generate(
      generator('    - name: apps\n      copy:\n        - from: "@monorepo/apps/**/kustomization.yaml"\n          to: "@artifact/"\n'),
    );
    const apps = artifact(result, 'apps');
    // apps/base/web/kustomization.yaml is two folders down: Go's `**` is a `*`, so it is not matched.
    assert.deepEqual(Object.keys(listing(apps)), ['apps/production/kustomization.yaml', 'apps/staging/kustomization.yaml']);
  });

  it('leaves out what exclude matches: by file name at any depth, from the source root, or below the selected root', () => {
    const result = generate(
      generator(`    - name: infrastructure
      copy:
        - from: "@monorepo/infrastructure/**"
          to: "@artifact/"
          exclude: ["*.md", "**/testdata/**", "configs/**"]
        - from: "@monorepo/apps/**"
          to: "@artifact/apps/"
          exclude: ["*.md", "apps/production/**"]
`),
    );
    const infrastructure = artifact(result, 'infrastructure');
    assert.deepEqual(infrastructure.problems, []);
    assert.deepEqual(Object.keys(listing(infrastructure)), [
      'apps/base/web/deployment.yaml',
      'apps/base/web/kustomization.yaml',
      'apps/base/web/service.yaml',
      'apps/staging/kustomization.yaml',
      'apps/staging/replicas.yaml',
      'controllers/cert-manager.yaml',
      'controllers/kustomization.yaml',
    ]);
    assert.equal(infrastructure.fs.kind(`${infrastructure.root}/controllers/testdata`), undefined, 'an excluded folder is skipped whole');
  });

  it("copies only what the GitRepository's own artifact holds: .sourceignore and source-controller's default ignores apply", () => {
    const files = {
      ...monorepo,
      // Flux's example keeps only the manifest folders in the artifact.
      '/repo/.sourceignore': '/*\n!/apps/\n!/infrastructure/\n',
      '/repo/apps/base/web/.sourceignore': 'notes/\n',
      '/repo/apps/base/web/notes/todo.yaml': 'a: 1\n',
      '/repo/apps/base/web/logo.png': 'PNG',
      '/repo/scripts/validate.sh': 'echo\n',
    };
    const result = generate(
      generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/"
        - from: "@monorepo/scripts/validate.sh"
          to: "@artifact/"
`),
      files,
    );
    const apps = artifact(result, 'apps');
    assert.deepEqual(apps.fs.readDir(`${apps.root}/web`), [
      '.sourceignore',
      'README.md',
      'deployment.yaml',
      'kustomization.yaml',
      'service.yaml',
    ]);
    assert.deepEqual(
      apps.problems.map((p) => p.code),
      ['artifact-copy-missing'],
      'scripts/ is not in the source artifact, so the copy fails on the cluster',
    );
  });

  it('lets later copies overwrite earlier files while folders merge', () => {
    const files = {
      ...monorepo,
      '/repo/overrides/web/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: { tier: front }\n',
      '/repo/overrides/web/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
    };
    const apps = artifact(
      generate(
        generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/"
        - from: "@monorepo/overrides/**"
          to: "@artifact/"
`),
        files,
      ),
      'apps',
    );
    assert.equal(apps.toReal(`${apps.root}/web/service.yaml`), '/repo/overrides/web/service.yaml', 'the later copy wins');
    assert.equal(apps.fs.readFile(`${apps.root}/web/service.yaml`), files['/repo/overrides/web/service.yaml']);
    assert.equal(
      apps.toReal(`${apps.root}/web/deployment.yaml`),
      '/repo/apps/base/web/deployment.yaml',
      'files only the first copy has stay',
    );
    assert.deepEqual(apps.fs.readDir(`${apps.root}/web`), [
      'README.md',
      'deployment.yaml',
      'extra.yaml',
      'kustomization.yaml',
      'service.yaml',
    ]);
  });

  it('merges YAML files with strategy Merge like Helm values, and maps the result to the last file merged', () => {
    const files = {
      ...monorepo,
      '/repo/charts/web/values.yaml': 'image:\n  repository: web\n  tag: "1.0"\nports: [80, 443]\nreplicas: 1\n',
      '/repo/charts/web/Chart.yaml': 'name: web\nversion: 1.0.0\n',
      '/repo/env/prod/values.yaml': 'image:\n  tag: "2.0"\nports: [8443]\n',
    };
    const chart = artifact(
      generate(
        generator(`    - name: web-chart
      copy:
        - from: "@monorepo/charts/"
          to: "@artifact/"
        - from: "@monorepo/env/prod/values.yaml"
          to: "@artifact/charts/web/values.yaml"
          strategy: Merge
`),
        files,
      ),
      'web-chart',
    );
    assert.deepEqual(chart.problems, []);
    const merged = chart.fs.readFile(`${chart.root}/charts/web/values.yaml`);
    assert.deepEqual(
      parse(merged!),
      { image: { repository: 'web', tag: '2.0' }, ports: [8443], replicas: 1 },
      'maps merge, lists are replaced',
    );
    assert.equal(chart.toReal(`${chart.root}/charts/web/values.yaml`), '/repo/env/prod/values.yaml');
    assert.equal(chart.toReal(`${chart.root}/charts/web/Chart.yaml`), '/repo/charts/web/Chart.yaml');
  });

  it('notes a source that is not this repository and shows none of its files', () => {
    const result = generate(
      generator(
        `    - name: apps
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/"
        - from: "@vendor/deploy/**"
          to: "@artifact/vendor/"
`,
        '    - alias: monorepo\n      kind: GitRepository\n      name: flux-system\n    - alias: vendor\n      kind: OCIRepository\n      name: vendor-manifests\n',
      ),
    );
    const apps = artifact(result, 'apps');
    assert.deepEqual(apps.problems, [], 'what is not here is not an error');
    assert.deepEqual(apps.notes, [
      "source OCIRepository flux-system/vendor-manifests (@vendor) is not this repository: what artifact 'apps' copies from it is not here and is left out.",
    ]);
    assert.deepEqual(apps.fs.readDir(apps.root), ['web']);
  });

  it('reports what makes the controller fail the build, at the copy operation', () => {
    const result = generate(
      generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/nothing-here/**"
          to: "@artifact/"
        - from: "@monorepo/apps/missing.yaml"
          to: "@artifact/"
        - from: "@other/apps/**"
          to: "@artifact/"
        - from: "@monorepo/apps/base/web/*.md"
          to: "@artifact/"
          exclude: ["README.md"]
        - from: "@monorepo/releases/*.tgz"
          to: "@artifact/"
          strategy: Extract
    - name: apps
      copy:
        - from: "@monorepo/apps/**"
          to: "@artifact/"
`),
    );
    assert.deepEqual(
      result.problems.map((p) => p.code),
      ['artifact-name-duplicate'],
    );
    assert.deepEqual(
      artifact(result, 'apps').problems.map((p) => [p.code, p.severity]),
      [
        ['artifact-copy-no-match', 'error'],
        ['artifact-copy-missing', 'error'],
        ['artifact-alias-unknown', 'error'],
        ['artifact-copy-all-excluded', 'error'],
        ['artifact-extract-offline', 'warning'],
      ],
    );
    assert.match(artifact(result, 'apps').problems[0].message, /no files match pattern 'apps\/nothing-here\/\*\*' in source 'monorepo'/);
  });

  it('makes one artifact per folder a pathPattern matches, named from lower-cased captures, copying from the folder as written', () => {
    const files = {
      ...monorepo,
      '/repo/teams/Payments/envs/prod/kustomization.yaml': 'resources: []\n',
      '/repo/teams/Payments/envs/dev/kustomization.yaml': 'resources: []\n',
      '/repo/teams/search/envs/prod/kustomization.yaml': 'resources: []\n',
      '/repo/teams/search/README.md': 'not a folder\n',
      '/repo/teams/search/envs/prod/deep/er/x.yaml': 'a: 1\n',
    };
    const result = generate(
      `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata: { name: teams, namespace: flux-system }
spec:
  sources:
    - { alias: monorepo, kind: GitRepository, name: flux-system }
  pathPattern: "@monorepo/teams/{team}/envs/{env}"
  artifacts:
    - name: "{team}-{env}"
      copy:
        - from: "@monorepo/teams/{team}/envs/{env}/**"
          to: "@artifact/"
`,
      files,
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.artifacts.map((a) => [a.name, a.labels]),
      [
        ['payments-dev', { team: 'payments', env: 'dev' }],
        ['payments-prod', { team: 'payments', env: 'prod' }],
        ['search-prod', { team: 'search', env: 'prod' }],
      ],
    );
    const paymentsProd = artifact(result, 'payments-prod');
    assert.equal(paymentsProd.toReal(`${paymentsProd.root}/kustomization.yaml`), '/repo/teams/Payments/envs/prod/kustomization.yaml');
    assert.deepEqual(paymentsProd.problems, []);
  });

  it('matches exclude patterns with doublestar: {a,b} alternatives, [!x] classes; and reports a pattern the controller rejects', () => {
    const result = generate(
      generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/"
          exclude: ["{README.md,service.yaml}", "web/[!k]*.yaml"]
        - from: "@monorepo/apps/[staging"
          to: "@artifact/"
`),
    );
    const apps = artifact(result, 'apps');
    assert.deepEqual(Object.keys(listing(apps)), ['web/kustomization.yaml']);
    assert.deepEqual(
      apps.problems.map((p) => p.code),
      ['artifact-copy-bad-pattern'],
    );
  });

  it('renders an overlay inside the artifact whose ../base resolves inside it, mapping every object back to the repository', () => {
    const apps = artifact(
      generate(
        generator(`    - name: apps
      copy:
        - from: "@monorepo/apps/base/**"
          to: "@artifact/base/"
        - from: "@monorepo/apps/staging/**"
          to: "@artifact/staging/"
`),
      ),
      'apps',
    );
    // kustomize-controller builds with the artifact as its whole world: nothing outside it can be read.
    const output = renderKustomization(`${apps.root}/staging`, { fs: apps.fs, repoRoot: apps.root, loadRestrictor: 'none' });
    assert.deepEqual(output.problems, []);
    assert.deepEqual(
      output.resources.map((r) => [r.object.kind, (r.object.metadata as JsonObject).namespace, apps.toReal(r.source.file)]),
      [
        ['Service', 'web-staging', '/repo/apps/base/web/service.yaml'],
        ['Deployment', 'web-staging', '/repo/apps/base/web/deployment.yaml'],
      ],
    );
    const deployment = output.resources.find((r) => r.object.kind === 'Deployment')!;
    assert.equal((deployment.object.spec as JsonObject).replicas, 2, "the overlay's patch applies");
    assert.ok(
      [...output.filesRead].every((f) => f.startsWith(apps.root + '/')),
      'every file read is a path in the artifact',
    );
    assert.ok([...output.filesRead].map((f) => apps.toReal(f)).includes('/repo/apps/staging/replicas.yaml'));
  });

  it('builds Flux Kustomizations whose sourceRef is the ExternalArtifact, spec.path relative to the artifact, generated kustomization included', () => {
    const result = generate(
      generator(`    - name: infrastructure
      copy:
        - from: "@monorepo/infrastructure/**"
          to: "@artifact/"
          exclude: ["**/testdata/**"]
`),
    );
    const infrastructure = artifact(result, 'infrastructure');
    const kustomization = (path: string) =>
      readFluxObject(
        parse(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: infra, namespace: flux-system }
spec:
  sourceRef: { kind: ExternalArtifact, name: infrastructure }
  path: ${path}
  targetNamespace: infra
  prune: true
`) as JsonObject,
        { file: '/repo/clusters/staging/infrastructure.yaml', documentIndex: 0 },
      ).value as FluxKustomization;
    // ./configs has no kustomization.yaml: the controller generates one listing the artifact's YAML files.
    const configs = renderFluxKustomization(kustomization('./configs'), { fs: infrastructure.fs, repoRoot: infrastructure.root });
    assert.deepEqual(configs.problems, []);
    assert.deepEqual(
      configs.resources.map((r) => [r.object.kind, infrastructure.toReal(r.source.file)]),
      [['ClusterIssuer', '/repo/infrastructure/configs/issuer.yaml']],
    );
    const controllers = renderFluxKustomization(kustomization('./controllers'), { fs: infrastructure.fs, repoRoot: infrastructure.root });
    assert.deepEqual(controllers.problems, []);
    assert.deepEqual(
      controllers.resources.map((r) => [r.object.kind, infrastructure.toReal(r.source.file)]),
      [['Namespace', '/repo/infrastructure/controllers/cert-manager.yaml']],
    );
    const missing = renderFluxKustomization(kustomization('./infrastructure/configs'), {
      fs: infrastructure.fs,
      repoRoot: infrastructure.root,
    });
    assert.deepEqual(
      missing.problems.map((p) => p.code),
      ['flux-path-not-found'],
      'spec.path is relative to the artifact, not to the repository',
    );
  });

  it('fails the build like Flux when an overlay reaches outside the artifact', () => {
    const apps = artifact(
      generate(
        generator('    - name: apps\n      copy:\n        - from: "@monorepo/apps/staging/**"\n          to: "@artifact/staging/"\n'),
      ),
      'apps',
    );
    const output = renderKustomization(`${apps.root}/staging`, { fs: apps.fs, repoRoot: apps.root, loadRestrictor: 'none' });
    assert.ok(
      output.problems.some((p) => p.severity === 'error' && p.message.includes('../base/web')),
      output.problems.map((p) => p.message).join('\n'),
    );
  });

  it('reads the tree lazily: a copied folder is listed only when asked', () => {
    const files: Record<string, string> = { ...monorepo };
    for (let i = 0; i < 2000; i++) files[`/repo/apps/base/bulk/f${i}.yaml`] = 'a: 1\n';
    const base = memoryFileSystem(files);
    const readDirs: string[] = [];
    const counting: FileSystem = { ...base, readDir: (d) => (readDirs.push(d), base.readDir(d)) };
    const result = readArtifactGenerator(
      parse(generator('    - name: apps\n      copy:\n        - from: "@monorepo/apps/**"\n          to: "@artifact/"\n')) as JsonObject,
      place,
      { fs: counting, repoRoot: REPO, sourceRoot: thisRepo },
    );
    assert.deepEqual(readDirs, ['/repo/apps'], 'building the tree reads only the folder the glob lists');
    const apps = artifact(result, 'apps');
    assert.equal(apps.toReal(`${apps.root}/base/bulk/f1999.yaml`), '/repo/apps/base/bulk/f1999.yaml');
    assert.deepEqual(readDirs, ['/repo/apps'], 'a file is found without listing its folder');
  });
});
