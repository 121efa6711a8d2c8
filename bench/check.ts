// bench/check: index + full rule check of a generated fleet (>= 2,000 YAML files, 3 environments on 2
// clusters): cold time, re-check time after one-line edits (median and p95 over 50 edits), peak memory,
// and, for comparison, `kubectl kustomize` run on every overlay of the same fleet in the same run.
// Usage: npm run bench:check [-- --apps 350 --edits 50]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../server/src/fleet/fleetIndex';
import { allRules, runRules } from '../server/src/rules/run';

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const apps = opt('apps', 350);
const edits = opt('edits', 50);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main(): Promise<void> {
  const fleet = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-bench-check-'));
  const gen = spawnSync(
    process.execPath,
    [
      path.join(repo, 'bench/generate-fleet.mjs'),
      fleet,
      String(apps),
      'dev,staging,production',
      'staging=dev+staging,production=production',
    ],
    { stdio: 'inherit' },
  );
  if (gen.status !== 0) throw new Error('fleet generation failed');
  const yamlFiles = spawnSync('find', [fleet, '-name', '*.yaml'], { encoding: 'utf8' }).stdout.trim().split('\n').length;

  const t0 = process.hrtime.bigint();
  const index = new FleetIndex(fleet);
  index.scan();
  const tScan = ms(t0);
  // As the language server does it: every stale render first (one folder at a time, cancellable), then
  // the rule catalogue, one rule at a time here so that the slowest rules can be named.
  const tp = process.hrtime.bigint();
  await index.prepareRenders(
    () => false,
    async () => undefined,
  );
  const tPrepare = ms(tp);
  const perRule: Array<[string, number]> = [];
  const cold = { diagnostics: [] as ReturnType<typeof runRules>['diagnostics'], failures: [] as ReturnType<typeof runRules>['failures'] };
  for (const rule of allRules()) {
    const tr = process.hrtime.bigint();
    const r = runRules(index, { rules: [rule] });
    perRule.push([rule.id, ms(tr)]);
    cold.diagnostics.push(...r.diagnostics);
    cold.failures.push(...r.failures);
  }
  const tCold = ms(t0);
  const envs = index.environments().environments.map((e) => `${e.name} (${e.kustomizations.length} Kustomizations)`);

  // One-line edits: a patch's replica count, cycling through apps and environments.
  const times: number[] = [];
  const envNames = ['dev', 'staging', 'production'];
  for (let i = 0; i < edits; i++) {
    const app = `app-${String((i * 7) % apps).padStart(4, '0')}`;
    const file = path.join(fleet, 'apps', envNames[i % 3], 'patches', `${app}.yaml`);
    const text = fs.readFileSync(file, 'utf8').replace(/replicas: \d+/, `replicas: ${10 + i}`);
    const t = process.hrtime.bigint();
    index.setBuffer(file, text);
    await index.prepareRenders(
      () => false,
      async () => undefined,
    );
    runRules(index);
    times.push(ms(t));
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;

  const overlays = [
    'apps/dev',
    'apps/staging',
    'apps/production',
    'infrastructure/dev',
    'infrastructure/staging',
    'infrastructure/production',
  ];
  const tk = process.hrtime.bigint();
  let kubectlOk = true;
  for (const o of overlays) {
    const r = spawnSync('kubectl', ['kustomize', path.join(fleet, o)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) kubectlOk = false;
  }
  const tKubectl = ms(tk);
  fs.rmSync(fleet, { recursive: true, force: true });

  console.log(
    `\nmachine load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores (numbers from a busy machine are noisy)`,
  );
  console.log(
    `\nbench/check  fleet: ${apps} apps x 3 environments on 2 clusters, ${yamlFiles} YAML files; environments: ${envs.join(', ')}`,
  );
  console.log(`  findings on the clean fleet:          ${cold.diagnostics.length} (${cold.failures.length} rule failures)`);
  console.log(`  scan:                                 ${tScan.toFixed(0)} ms`);
  console.log(`  renders before the rules:             ${tPrepare.toFixed(0)} ms (every kustomization folder and environment)`);
  console.log(
    `  slowest rules on the cold check:      ${perRule
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([id, t]) => `${id} ${t.toFixed(0)} ms`)
      .join(', ')}`,
  );
  console.log(`  cold index + full check:              ${tCold.toFixed(0)} ms   (target < 2000 ms: ${tCold < 2000 ? 'met' : 'NOT met'})`);
  console.log(
    `  re-check after a one-line edit:       median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms over ${edits} edits   (target p95 < 100 ms: ${percentile(times, 95) < 100 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  peak memory (rss):                    ${peakMiB.toFixed(0)} MiB   (target < 400 MiB: ${peakMiB < 400 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  kubectl kustomize on the ${overlays.length} overlays:  ${tKubectl.toFixed(0)} ms${kubectlOk ? '' : ' (some failed)'}  (renders only; no checks)`,
  );
}

void main();
