// The seed article's fleet-infra must check clean for every Flux spec rule.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fluxSpecRules } from '../../../server/src/rules/index';
import { runRules } from '../../../server/src/rules/run';
import { makeFleet, type Fleet } from './harness';

const seed = path.resolve(__dirname, '../../fixtures/fleet-infra');

function readTree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) Object.assign(out, readTree(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

describe('Flux spec rules on the seed fleet-infra', () => {
  let fleet: Fleet;
  before(() => (fleet = makeFleet(readTree(seed))));
  after(() => fleet.dispose());

  for (const rule of fluxSpecRules) {
    it(`${rule.id} finds nothing`, () => {
      assert.deepStrictEqual(
        fleet.check(rule).map((d) => `${path.relative(fleet.root, d.file)}:${d.range.start.line + 1} ${d.message}`),
        [],
      );
    });
  }

  it('runs the whole group without a rule failure', () => {
    assert.deepStrictEqual(runRules(fleet.index, { rules: fluxSpecRules }).failures, []);
  });
});

describe('Flux spec rules on malformed Flux objects', () => {
  it('report findings and never fail', () => {
    const head = (kind: string, api: string, name: string) => `apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
    const fleet = makeFleet({
      'clusters/prod/a.yaml': `${head('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'a')}spec: [1, 2]\n`,
      'clusters/prod/b.yaml': `${head('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'b')}spec:\n  sourceRef: flux-system\n  path: 7\n  wait: [true]\n  healthChecks: {}\n  interval: {x: 1}\n  postBuild: null\n`,
      'clusters/prod/c.yaml': `${head('HelmRelease', 'helm.toolkit.fluxcd.io/v2', 'c')}spec:\n  chart: {spec: {sourceRef: {kind: 3}}}\n  chartRef: []\n  timeout: ''\n`,
      'clusters/prod/d.yaml': `${head('GitRepository', 'source.toolkit.fluxcd.io/v1', 'd')}spec:\n  ref: {branch: 5}\n---\n{a: [\n`,
      'clusters/prod/kustomization.yaml': `${head('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'e')}`,
    });
    try {
      const { diagnostics, failures } = runRules(fleet.index, { rules: fluxSpecRules });
      assert.deepStrictEqual(failures, []);
      const ids = new Set(diagnostics.map((d) => d.rule));
      for (const id of ['invalid-flux-object', 'invalid-duration', 'flux-kustomization-file-name']) assert.ok(ids.has(id), id);
    } finally {
      fleet.dispose();
    }
  });
});
