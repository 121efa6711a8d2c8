// The configured parse limits reach the files read outside a render too: the environments' cluster files,
// the ConfigMaps and Secrets a Flux Kustomization substitutes from, .fluxenv.yaml and the kustomization
// entries the rules check. A file past a limit is read no further than the limit, as in a render, instead
// of being parsed again with the defaults.
import { strict as assert } from 'assert';
import { discoverEnvironments } from '../../server/src/fleet/environments';
import { memoryFileSystem } from '../../server/src/kustomize/fs';
import { readRepoPromotionConfig } from '../../server/src/promote/strategy';
import { runRules } from '../../server/src/rules/run';
import { FUZZ_ROOT, memoryFleetIndex } from '../fuzz/exercise';
import { ks } from './fluxFixtures';

const cm = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: flux-system\ndata:\n  ${data}\n`;
/** A value nested `levels` deep in flow style: past a small maxDepth, readable with the default one. */
const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('parse limits outside renders', () => {
  it('environments: a cluster file with more documents than allowed yields only the Kustomizations before the limit', () => {
    const abs = (rel: string) => `/repo/${rel}`;
    const texts: Record<string, string> = {
      [abs('clusters/prod/flux.yaml')]: `${ks('apps', './apps')}---\n${ks('infrastructure', './infrastructure')}`,
      [abs('apps/cm.yaml')]: cm('app', 'x: "1"'),
      [abs('infrastructure/cm.yaml')]: cm('infra', 'x: "1"'),
    };
    const files = Object.keys(texts).sort();
    const fs = memoryFileSystem(texts);
    const names = (parseLimits?: { maxDocuments: number }) =>
      discoverEnvironments({ repoRoot: '/repo', files, fs, ...(parseLimits ? { parseLimits } : {}) }).environments.flatMap((e) =>
        e.kustomizations.map((k) => `${e.name}/${k.name}`),
      );
    assert.deepEqual(names().sort(), ['prod/apps', 'prod/infrastructure']);
    assert.deepEqual(names({ maxDocuments: 1 }), ['prod/apps']);
  });

  it('substituteFrom: a ConfigMap past the limit is not found (the controller would fail), instead of read with the defaults', () => {
    const files = {
      'clusters/prod/apps.yaml': ks(
        'apps',
        './apps',
        '  postBuild:\n    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n',
      ),
      'apps/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  cluster: \${cluster_name}\n`,
      // Read only as a repository object (no Kustomization applies it), after another document.
      'vars/vars.yaml': `${cm('other', 'y: "2"')}---\n${cm('cluster-vars', 'cluster_name: prod-eu')}`,
    };
    const render = (settings = {}) => {
      const index = memoryFleetIndex(files, settings);
      const env = index.environment('prod');
      assert.ok(env, 'the prod environment');
      return index.renderEnvironment(env);
    };
    const ok = render();
    assert.deepEqual(ok.objects.find((o) => (o.object.metadata as { name: string }).name === 'app')?.object.data, { cluster: 'prod-eu' });
    const limited = render({ limits: { parse: { maxDocuments: 1 } } });
    const missing = limited.problems.find((p) => p.code === 'flux-substitute-from-missing');
    assert.ok(missing, JSON.stringify(limited.problems));
    assert.match(missing.message, /no ConfigMap "cluster-vars"/);
  });

  it('.fluxenv.yaml past the limit: a yaml-limit problem on it, and its rule settings are not applied', () => {
    const files = {
      '.fluxenv.yaml': `rules:\n  prune-disabled: off\nnote: ${nested(12)}\n`,
      'clusters/prod/apps.yaml': ks('apps', './apps').replace('prune: true', 'prune: false'),
      'apps/cm.yaml': cm('app', 'x: "1"'),
    };
    const defaults = runRules(memoryFleetIndex(files));
    assert.deepEqual(defaults.configProblems, []);
    assert.ok(!defaults.diagnostics.some((d) => d.rule === 'prune-disabled'), 'the file turns the rule off');
    const limited = runRules(memoryFleetIndex(files, { limits: { parse: { maxDepth: 8 } } }));
    const problem = limited.configProblems.find((p) => p.code === 'yaml-limit');
    assert.ok(problem, JSON.stringify(limited.configProblems));
    assert.equal(problem.file, `${FUZZ_ROOT}/.fluxenv.yaml`);
    assert.match(problem.message, /nested deeper than 8 levels/);
    assert.ok(
      limited.diagnostics.some((d) => d.rule === 'prune-disabled'),
      'a file that is not read turns nothing off',
    );
  });

  it('.fluxenv.yaml past the limit: its promotion strategy is not read', () => {
    const files = { '.fluxenv.yaml': `promotion:\n  strategy: tag\nnote: ${nested(12)}\n`, 'apps/cm.yaml': cm('app', 'x: "1"') };
    assert.equal(readRepoPromotionConfig(memoryFleetIndex(files)).strategy, 'tag');
    assert.equal(readRepoPromotionConfig(memoryFleetIndex(files, { limits: { parse: { maxDepth: 8 } } })).strategy, undefined);
  });

  it("kustomization entries: a kustomization file past the limit is the render's yaml-limit error, not a missing-path finding read with the defaults", () => {
    const files = { 'app/kustomization.yaml': `resources:\n  - gone.yaml\n# ${'x'.repeat(300)}\n` };
    const defaults = runRules(memoryFleetIndex(files));
    assert.ok(
      defaults.diagnostics.some((d) => d.rule === 'missing-path' && d.message.includes('gone.yaml')),
      JSON.stringify(defaults.diagnostics),
    );
    const limited = runRules(memoryFleetIndex(files, { limits: { parse: { maxFileBytes: 200 } } }));
    assert.deepEqual(
      limited.diagnostics.filter((d) => d.rule === 'missing-path'),
      [],
    );
    const limit = limited.diagnostics.find((d) => d.rule === 'render-error' && d.file === `${FUZZ_ROOT}/app/kustomization.yaml`);
    assert.ok(limit, JSON.stringify(limited.diagnostics));
    assert.match(limit.message, /larger than the 200 bytes allowed/);
  });
});
