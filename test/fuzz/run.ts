// The long fuzz run: `npx tsx test/fuzz/run.ts [--seed N] [--iterations N] [--minutes M] [--call-limit-ms N]`
// (random seed by default, printed first so a run can be repeated), or replay one iteration with
// `--seed N --replay I`, which prints its mutations and fleet and runs it again.
import { iterationCase, runCampaign, summary } from './campaign';
import { exerciseFleet } from './exercise';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seed = Number(opt('seed') ?? Math.floor(Math.random() * 2 ** 31));
const callLimitMs = Number(opt('call-limit-ms') ?? 5000);
const replay = opt('replay');

if (replay !== undefined) {
  const c = iterationCase(seed, Number(replay));
  console.log(`replay seed=${seed} iteration=${replay} fleet=${c.fleet}\nmutations: ${c.log.join('; ')}\nfocus: ${c.focus}`);
  for (const [file, text] of Object.entries(c.files))
    console.log(`--- ${file}\n${text.length > 4000 ? text.slice(0, 4000) + '\n[...]' : text}`);
  const report = exerciseFleet(c.files, c.focus, c.rng, callLimitMs);
  for (const f of report.findings) console.log(`${f.kind} in ${f.call}: ${f.detail}`);
  console.log(`${report.calls} calls, slowest ${report.slowestCall.call} ${report.slowestCall.ms.toFixed(0)} ms`);
  process.exit(report.findings.length ? 1 : 0);
}

const iterations = Number(opt('iterations') ?? 1_000_000);
const minutes = Number(opt('minutes') ?? 10);
console.log(`fuzz: seed ${seed} (repeat with --seed ${seed}), up to ${iterations} iterations or ${minutes} minutes`);
const result = runCampaign({ seed, iterations, callLimitMs, deadline: Date.now() + minutes * 60_000, log: (l) => console.log(l) });
console.log(summary(result, seed));
process.exit(result.findings.length ? 1 : 0);
