// The CI fuzz budget: fixed seeds, 2,000 iterations in all. Each iteration mutates a small fixture fleet
// in memory and runs index + environments + renders + check + every editor feature. It passes when
// nothing throws out of the API, every call answers within its limit and memory stays bounded; any
// finding is printed with the seed and iteration that replay it (`npx tsx test/fuzz/run.ts --seed S --replay I`).
// FUZZ_SEEDS=1,2 FUZZ_ITERATIONS=5000 widen the run.
import { strict as assert } from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import { runCampaign, summary, type CampaignResult } from './campaign';

const SEEDS = (process.env.FUZZ_SEEDS ?? '20240601,7,1337,424242').split(',').map(Number);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 2000);
const CALL_LIMIT_MS = 2000;
/** Hang guard for the whole budget (the suite must finish in under 3 minutes on 2 cores). */
const BUDGET_MS = 170_000;
/** Memory still held after a full collection at the end, over what was held at the start. */
const MAX_RETAINED_GROWTH_MB = 150;
const MAX_HEAP_PEAK_MB = 1500;

/** A full garbage collection, so that retained memory is measured, not garbage not yet collected. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function retainedMB(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('fuzz: mutated fleets never crash, hang or grow memory', function () {
  this.timeout(BUDGET_MS + 20_000);
  const results: CampaignResult[] = [];
  const deadline = Date.now() + BUDGET_MS;
  let retainedAtStart = 0;
  before(() => (retainedAtStart = retainedMB()));

  for (const [i, seed] of SEEDS.entries()) {
    const iterations =
      Math.ceil(ITERATIONS / SEEDS.length) + (i === 0 ? ITERATIONS - Math.ceil(ITERATIONS / SEEDS.length) * SEEDS.length : 0);
    it(`seed ${seed}: ${iterations} iterations`, () => {
      const result = runCampaign({ seed, iterations, callLimitMs: CALL_LIMIT_MS, deadline, log: (line) => console.log(line) });
      results.push(result);
      console.log(`      ${summary(result, seed)}`);
      const crashes = result.findings.filter((f) => f.kind === 'crash');
      assert.deepEqual(
        crashes.map((f) => `seed=${f.seed} iteration=${f.iteration} ${f.call}: ${f.detail.split('\n')[0]}`),
        [],
        'exceptions escaped the API',
      );
      const slow = result.findings.filter((f) => f.kind === 'slow');
      assert.deepEqual(
        slow.map((f) => `seed=${f.seed} iteration=${f.iteration} ${f.call} ${f.detail}`),
        [],
        'calls over their time limit',
      );
      assert.equal(result.iterations, iterations, `the time budget ran out after ${result.iterations} of ${iterations} iterations`);
      assert.ok(result.heapPeakMB < MAX_HEAP_PEAK_MB, `heap peaked at ${result.heapPeakMB.toFixed(0)} MB`);
    });
  }

  it(`ran at least ${ITERATIONS} iterations and memory did not accumulate`, () => {
    const total = results.reduce((n, r) => n + r.iterations, 0);
    console.log(`      fuzz total: ${total} iterations, ${results.reduce((n, r) => n + r.findings.length, 0)} findings`);
    assert.ok(total >= ITERATIONS, `only ${total} iterations ran`);
    const retainedAtEnd = retainedMB();
    console.log(
      `      heap retained after a full collection: ${retainedAtStart.toFixed(0)} MB before, ${retainedAtEnd.toFixed(0)} MB after`,
    );
    assert.ok(
      retainedAtEnd - retainedAtStart < MAX_RETAINED_GROWTH_MB,
      `retained heap grew from ${retainedAtStart.toFixed(0)} to ${retainedAtEnd.toFixed(0)} MB`,
    );
  });
});
