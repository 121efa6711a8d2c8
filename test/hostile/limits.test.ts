// Limits are settings with sane defaults; hitting one is a diagnostic on the file, never a crash.
import { strict as assert } from 'assert';
import { defaultEngineLimits, resolveLimits } from '../../server/src/fleet/limits';
import { memoryFleetIndex } from '../fuzz/exercise';
import { checkRepo, makeHostileRepo } from './harness';

const configMaps = (n: number) =>
  Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n');

describe('engine limits', () => {
  it('defaults apply; invalid settings (negative, fractional, text, Infinity) keep the default', () => {
    const limits = resolveLimits({
      parse: { maxDocuments: 50, maxDepth: -1, maxAliasCount: 1.5 },
      render: { maxObjectsPerRender: Infinity },
      scan: 'x',
      bogus: 1,
    });
    assert.equal(limits.parse.maxDocuments, 50);
    assert.equal(limits.parse.maxDepth, defaultEngineLimits.parse.maxDepth);
    assert.equal(limits.parse.maxAliasCount, defaultEngineLimits.parse.maxAliasCount);
    assert.equal(limits.render.maxObjectsPerRender, defaultEngineLimits.render.maxObjectsPerRender);
    assert.deepEqual(limits.scan, defaultEngineLimits.scan);
    assert.deepEqual(resolveLimits(undefined), defaultEngineLimits);
  });

  it('objects per render: a render over the limit is cut and says so at the kustomization folder', () => {
    const index = memoryFleetIndex(
      { 'a/kustomization.yaml': 'resources:\n  - cms.yaml\n', 'a/cms.yaml': configMaps(30) },
      { limits: { render: { maxObjectsPerRender: 10 } } },
    );
    const render = index.renderFolder('/fuzz/repo/a');
    assert.equal(render.resources.length, 10);
    const problem = render.problems.find((p) => p.code === 'render-limit');
    assert.ok(problem, JSON.stringify(render.problems));
    assert.equal(problem.file, '/fuzz/repo/a');
    assert.match(problem.message, /30 objects, more than the 10 allowed/);
  });

  it('documents per file, through the index: a yaml-limit problem at the first document over', () => {
    const index = memoryFleetIndex({ 'a/cms.yaml': configMaps(30) }, { limits: { parse: { maxDocuments: 20 } } });
    const parsed = index.parsed('/fuzz/repo/a/cms.yaml')!;
    assert.equal(parsed.documents.length, 20);
    const problem = parsed.problems.find((p) => p.code === 'yaml-limit');
    assert.ok(problem);
    assert.equal(problem.range?.start.line, 20 * 5 - 1); // the '---' opening the 21st document
  });

  it('file size and file count of the scan: files over the limit are listed as skipped with the reason', () => {
    const repo = makeHostileRepo({
      'a/big.yaml': configMaps(100),
      'a/small.yaml': configMaps(1),
      'b/x.yaml': configMaps(1),
      'c/y.yaml': configMaps(1),
    });
    try {
      const checked = checkRepo(repo, { limits: { scan: { maxFileBytes: 1024, maxFiles: 2 } } });
      assert.deepEqual(checked.index.yamlFiles(), [repo.file('a/small.yaml'), repo.file('b/x.yaml')]);
      const reasons = checked.index.skipped.map((s) => `${s.file.slice(repo.root.length)}: ${s.reason}`);
      assert.deepEqual(reasons, [
        '/a/big.yaml: larger than 1 KiB (setting fluxEnvironments.limits.scan.maxFileBytes)',
        ': more than 2 YAML files; the rest are not indexed (setting fluxEnvironments.limits.scan.maxFiles)',
      ]);
    } finally {
      repo.dispose();
    }
  });

  describe('parse limits reach every file a render parses', () => {
    const deep = (levels: number) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: "1"\nextra: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
    const limits = { parse: { maxDepth: 20 } };

    it('a resource nested deeper than the configured depth: yaml-limit on that file, with the configured number', () => {
      const index = memoryFleetIndex({ 'a/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'a/cm.yaml': deep(30) }, { limits });
      const render = index.renderFolder('/fuzz/repo/a');
      const problem = render.problems.find((p) => p.code === 'yaml-limit');
      assert.ok(problem, JSON.stringify(render.problems));
      assert.equal(problem.file, '/fuzz/repo/a/cm.yaml');
      assert.match(problem.message, /nested deeper than 20 levels/);
      assert.equal(render.yaml, undefined);
      // The defaults still take the same file.
      assert.ok(
        memoryFleetIndex({ 'a/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'a/cm.yaml': deep(30) }).renderFolder('/fuzz/repo/a').yaml,
      );
    });

    it('a patch file and an inline patch', () => {
      const patch = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nextra: ${'['.repeat(30)}${']'.repeat(30)}\n`;
      const base = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n`;
      const fromFile = memoryFleetIndex(
        { 'a/kustomization.yaml': 'resources:\n  - cm.yaml\npatches:\n  - path: p.yaml\n', 'a/cm.yaml': base, 'a/p.yaml': patch },
        { limits },
      );
      const fileRender = fromFile.renderFolder('/fuzz/repo/a');
      assert.equal(fileRender.yaml, undefined);
      assert.ok(JSON.stringify(fileRender.problems).includes('nested deeper than 20 levels'), JSON.stringify(fileRender.problems));
      const inline = `resources:\n  - cm.yaml\npatchesStrategicMerge:\n  - |-\n${patch
        .split('\n')
        .map((l) => '    ' + l)
        .join('\n')}\n`;
      const inlineRender = memoryFleetIndex({ 'a/kustomization.yaml': inline, 'a/cm.yaml': base }, { limits }).renderFolder('/fuzz/repo/a');
      assert.equal(inlineRender.yaml, undefined);
      assert.ok(JSON.stringify(inlineRender.problems).includes('nested deeper than 20 levels'), JSON.stringify(inlineRender.problems));
    });

    it('the kustomization file itself (size)', () => {
      const k = `resources:\n  - cm.yaml\n# ${'x'.repeat(300)}\n`;
      const render = memoryFleetIndex(
        { 'a/kustomization.yaml': k, 'a/cm.yaml': deep(1) },
        { limits: { parse: { maxFileBytes: 200 } } },
      ).renderFolder('/fuzz/repo/a');
      const problem = render.problems.find((p) => p.code === 'yaml-limit');
      assert.ok(problem, JSON.stringify(render.problems));
      assert.equal(problem.file, '/fuzz/repo/a/kustomization.yaml');
      assert.match(problem.message, /larger than the 200 bytes allowed/);
    });

    it('a Flux Kustomization build', () => {
      const ks =
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 1m\n  path: ./app\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n';
      const index = memoryFleetIndex({ 'clusters/prod/app.yaml': ks, 'app/cm.yaml': deep(30) }, { limits });
      const indexed = index.fluxObjects().list.find((o) => o.object.kind === 'Kustomization');
      assert.ok(indexed);
      const result = index.renderFluxKustomization(indexed);
      assert.ok(result);
      assert.ok(JSON.stringify(result.problems).includes('nested deeper than 20 levels'), JSON.stringify(result.problems));
    });
  });
});
