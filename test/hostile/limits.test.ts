// Limits are settings with sane defaults; hitting one is a diagnostic on the file, never a crash.
import { strict as assert } from 'assert';
import { defaultEngineLimits, resolveLimits } from '../../server/src/limits';
import { memoryFleetIndex } from '../fuzz/exercise';
import { checkRepo, makeHostileRepo } from './harness';

const configMaps = (n: number) => Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n');

describe('engine limits', () => {
  it('defaults apply; invalid settings (negative, fractional, text, Infinity) keep the default', () => {
    const limits = resolveLimits({ parse: { maxDocuments: 50, maxDepth: -1, maxAliasCount: 1.5 }, render: { maxObjectsPerRender: Infinity }, scan: 'x', bogus: 1 });
    assert.equal(limits.parse.maxDocuments, 50);
    assert.equal(limits.parse.maxDepth, defaultEngineLimits.parse.maxDepth);
    assert.equal(limits.parse.maxAliasCount, defaultEngineLimits.parse.maxAliasCount);
    assert.equal(limits.render.maxObjectsPerRender, defaultEngineLimits.render.maxObjectsPerRender);
    assert.deepEqual(limits.scan, defaultEngineLimits.scan);
    assert.deepEqual(resolveLimits(undefined), defaultEngineLimits);
  });

  it('objects per render: a render over the limit is cut and says so at the kustomization folder', () => {
    const index = memoryFleetIndex({ 'a/kustomization.yaml': 'resources:\n  - cms.yaml\n', 'a/cms.yaml': configMaps(30) }, { limits: { render: { maxObjectsPerRender: 10 } } });
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
    const repo = makeHostileRepo({ 'a/big.yaml': configMaps(100), 'a/small.yaml': configMaps(1), 'b/x.yaml': configMaps(1), 'c/y.yaml': configMaps(1) });
    try {
      const checked = checkRepo(repo, { limits: { scan: { maxFileBytes: 1024, maxFiles: 2 } } });
      assert.deepEqual(checked.index.yamlFiles(), [repo.file('a/small.yaml'), repo.file('b/x.yaml')]);
      const reasons = checked.index.skipped.map((s) => `${s.file.slice(repo.root.length)}: ${s.reason}`);
      assert.deepEqual(reasons, ['/a/big.yaml: larger than 1 KiB', ': more than 2 YAML files; the rest are not indexed']);
    } finally {
      repo.dispose();
    }
  });
});
