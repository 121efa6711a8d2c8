// The seed article's fleet-infra must check clean for every Flux spec rule.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fluxSpecRules } from '../../../server/src/rules/groups/fluxSpec';
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
      assert.deepStrictEqual(fleet.check(rule).map((d) => `${path.relative(fleet.root, d.file)}:${d.range.start.line + 1} ${d.message}`), []);
    });
  }

  it('runs the whole group without a rule failure', () => {
    assert.deepStrictEqual(runRules(fleet.index, { rules: fluxSpecRules }).failures, []);
  });
});
