// One fuzz campaign: N iterations from a run seed, each a fresh mutated fleet exercised end to end, with a
// summary (iterations, calls, crashes with the seed that replays them, slowest call, memory).
import { seedFleets } from './corpus';
import { exerciseFleet, type Finding } from './exercise';
import { iterationSeed, makeRng, mutateFleet } from './mutate';

export interface CampaignOptions {
  seed: number;
  iterations: number;
  /** Per-call time limit; a call over it is a finding. */
  callLimitMs: number;
  /** Stop early when the wall clock passes this (ms since epoch); the iterations run are reported. */
  deadline?: number;
  log?: (line: string) => void;
}

export interface CampaignFinding extends Finding {
  seed: number;
  iteration: number;
  fleet: string;
  mutations: string[];
}

export interface CampaignResult {
  iterations: number;
  calls: number;
  findings: CampaignFinding[];
  slowestCall: { call: string; ms: number; iteration: number };
  heapStartMB: number;
  heapPeakMB: number;
  heapEndMB: number;
  ms: number;
}

const MB = 1024 * 1024;

/** The fleet and mutations of one iteration, exactly as the campaign built them (for replaying a finding). */
export function iterationCase(
  seed: number,
  iteration: number,
): { fleet: string; files: Record<string, string>; log: string[]; focus: string | undefined; rng: ReturnType<typeof makeRng> } {
  const rng = makeRng(iterationSeed(seed, iteration));
  const fleets = seedFleets();
  // The two Flux fleets exercise the most code (dependsOn, environments, substitutions): favour them.
  const fleet = rng.chance(0.4) ? rng.pick(fleets.slice(0, 2)) : rng.pick(fleets);
  const mutated = mutateFleet(fleet.files, rng);
  return { fleet: fleet.name, ...mutated, rng };
}

export function runCampaign(options: CampaignOptions): CampaignResult {
  const t0 = performance.now();
  const heapStart = process.memoryUsage().heapUsed;
  const result: CampaignResult = {
    iterations: 0,
    calls: 0,
    findings: [],
    slowestCall: { call: '', ms: 0, iteration: -1 },
    heapStartMB: heapStart / MB,
    heapPeakMB: heapStart / MB,
    heapEndMB: 0,
    ms: 0,
  };
  for (let i = 0; i < options.iterations; i++) {
    if (options.deadline !== undefined && Date.now() > options.deadline) break;
    const c = iterationCase(options.seed, i);
    const report = exerciseFleet(c.files, c.focus, c.rng, options.callLimitMs);
    result.iterations++;
    result.calls += report.calls;
    if (report.slowestCall.ms > result.slowestCall.ms) result.slowestCall = { ...report.slowestCall, iteration: i };
    for (const f of report.findings) {
      const finding = { ...f, seed: options.seed, iteration: i, fleet: c.fleet, mutations: c.log };
      result.findings.push(finding);
      options.log?.(
        `FUZZ ${f.kind.toUpperCase()} seed=${options.seed} iteration=${i} fleet=${c.fleet} call=${f.call}\n  mutations: ${c.log.join('; ')}\n  ${f.detail.split('\n').slice(0, 6).join('\n  ')}`,
      );
    }
    if (i % 50 === 0) result.heapPeakMB = Math.max(result.heapPeakMB, process.memoryUsage().heapUsed / MB);
  }
  result.heapEndMB = process.memoryUsage().heapUsed / MB;
  result.heapPeakMB = Math.max(result.heapPeakMB, result.heapEndMB);
  result.ms = performance.now() - t0;
  return result;
}

export function summary(r: CampaignResult, seed: number): string {
  const crashes = r.findings.filter((f) => f.kind === 'crash').length;
  const slow = r.findings.filter((f) => f.kind === 'slow').length;
  return (
    `fuzz seed=${seed}: ${r.iterations} iterations, ${r.calls} calls in ${(r.ms / 1000).toFixed(1)} s; ` +
    `${crashes} crashes, ${slow} over the time limit; slowest call ${r.slowestCall.call} ${r.slowestCall.ms.toFixed(0)} ms (iteration ${r.slowestCall.iteration}); ` +
    `heap ${r.heapStartMB.toFixed(0)} -> peak ${r.heapPeakMB.toFixed(0)} -> ${r.heapEndMB.toFixed(0)} MB`
  );
}
