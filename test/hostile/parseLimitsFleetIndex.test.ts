// The index's own readers with the configured parse limits: the environments it discovers and the
// kustomization files it decodes for the rules. Needs FleetIndex to hand its limits to discoverEnvironments
// (`parseLimits: this.customParseLimits()` in environments()) and to readKustomization (in kustomization()).
import { strict as assert } from 'assert';
import { FUZZ_ROOT, memoryFleetIndex } from '../fuzz/exercise';
import { ks } from './fluxFixtures';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  x: "1"\n`;

describe('parse limits in the fleet index', () => {
  it('environments: a cluster file past the document limit yields only the Kustomizations before the limit', () => {
    const files = {
      'clusters/prod/flux.yaml': `${ks('apps', './apps')}---\n${ks('infrastructure', './infrastructure')}`,
      'apps/cm.yaml': cm('app'),
      'infrastructure/cm.yaml': cm('infra'),
    };
    const names = (settings = {}) =>
      memoryFleetIndex(files, settings)
        .environments()
        .environments.flatMap((e) => e.kustomizations.map((k) => `${e.name}/${k.name}`));
    assert.deepEqual(names().sort(), ['prod/apps', 'prod/infrastructure']);
    assert.deepEqual(names({ limits: { parse: { maxDocuments: 1 } } }), ['prod/apps']);
  });

  it('kustomization(): a kustomization file past the size limit is a yaml-limit problem, not decoded with the defaults', () => {
    const files = { 'app/kustomization.yaml': `resources:\n  - cm.yaml\n# ${'x'.repeat(300)}\n`, 'app/cm.yaml': cm('app') };
    const file = `${FUZZ_ROOT}/app/kustomization.yaml`;
    assert.ok(memoryFleetIndex(files).kustomization(file).kustomization);
    const limited = memoryFleetIndex(files, { limits: { parse: { maxFileBytes: 200 } } }).kustomization(file);
    assert.equal(limited.kustomization, undefined);
    const problem = limited.problems.find((p) => p.code === 'yaml-limit');
    assert.ok(problem, JSON.stringify(limited.problems));
    assert.match(problem.message, /larger than the 200 bytes allowed/);
  });
});
