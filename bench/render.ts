// bench/render: the built-in renderer against `kubectl kustomize`, measured in the same run.
// For each target: warm in-process render (median of repeated renders after warm-up), a cold
// `fluxenv render` process, and a `kubectl kustomize` process; times, ratios and peak memory.
// Usage: npm run bench:render [-- --apps 200 --runs 5]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuildCache } from '../server/src/kustomize/buildCache';
import { CachingFileSystem, nodeFileSystem, overlayFileSystem } from '../server/src/kustomize/fs';
import { renderKustomization, type RenderOutput } from '../server/src/kustomize/render';

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const apps = opt('apps', 200);
const runs = opt('runs', 5);
/** In-process samples per column after each process run (so 2 x runs x this many per column). */
const SAMPLES_PER_RUN = 4;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Wall time and peak RSS (KiB, when /usr/bin/time is there) of a process. */
function runProcess(cmd: string, cmdArgs: string[]): { ms: number; peakKiB?: number; ok: boolean; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let peakKiB: number | undefined;
  if (timeBin) {
    const lines = (r.stderr ?? '').trim().split('\n');
    peakKiB = Number(lines[lines.length - 1]);
  }
  return { ms, peakKiB, ok: r.status === 0, stdout: r.stdout ?? '' };
}

interface Row {
  target: string;
  objects: number;
  warmMs: number;
  unchangedMs: number;
  uncachedMs: number;
  coldMs: number;
  kubectlMs: number;
  coldPeakMiB?: number;
  kubectlPeakMiB?: number;
  identical: boolean;
}

/** The kustomization text with one more common annotation (added to the field, or the field added). */
function withCommonAnnotation(text: string, key: string, value: string): string {
  const entry = `${key}: "${value}"`;
  const field = /^commonAnnotations:[ \t]*\n([ \t]+)/m.exec(text);
  if (field)
    return (
      text.slice(0, field.index) +
      `commonAnnotations:\n${field[1]}${entry}\n` +
      text.slice(field.index + 'commonAnnotations:'.length).replace(/^[ \t]*\n/, '')
    );
  return `${text.endsWith('\n') ? text : text + '\n'}commonAnnotations:\n  ${entry}\n`;
}

function bench(label: string, dir: string): Row {
  const first = renderKustomization(dir);
  if (first.yaml === undefined) {
    throw new Error(`${label}: render failed: ${first.problems.map((p) => p.message).join('; ')}`);
  }
  // Warm as in the language server: file texts, parsed files and folder builds kept between renders. Each
  // run first edits the target's own kustomization as an unsaved buffer: a common annotation gets a value
  // never used before, which every object of the output carries. So the folder itself is built again
  // every time, all its objects transformed and printed again (no cache may know that version); what it
  // includes is reused while unchanged.
  const cached = new CachingFileSystem(nodeFileSystem);
  const kustomizationFile = path.join(dir, 'kustomization.yaml');
  const original = fs.readFileSync(kustomizationFile, 'utf8');
  const cache = new BuildCache();
  let edits = 0;
  const editedText = (n: number) => withCommonAnnotation(original, 'bench.fluxenv.dev/edit', String(n));
  const edited = () => overlayFileSystem(cached, new Map([[kustomizationFile, editedText(++edits)]]));
  let lastEdited: RenderOutput | undefined;
  const columns: Array<{ render: () => RenderOutput; times: number[]; check: (out: RenderOutput) => boolean }> = [
    {
      render: () => (lastEdited = renderKustomization(dir, { fs: edited(), cache })),
      times: [],
      check: (out) => out.yaml !== undefined && out.yaml.includes(`bench.fluxenv.dev/edit: "${edits}"`),
    },
    { render: () => renderKustomization(dir, { fs: cached, cache }), times: [], check: (out) => out.yaml === first.yaml },
    { render: () => renderKustomization(dir, { fs: cached }), times: [], check: (out) => out.yaml === first.yaml },
  ];
  // Warm means the JIT has settled too: the first large target would otherwise pay for it in its warm column.
  for (const column of columns) for (let i = 0; i < 10; i++) column.render();
  const sample = (column: (typeof columns)[number]) => {
    const t0 = process.hrtime.bigint();
    const out = column.render();
    // Printing is part of the time: the check reads out.yaml inside the measurement.
    if (!column.check(out)) throw new Error(`${label}: a warm render printed something else than expected`);
    column.times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  // The in-process samples are spread between the process runs, in turns, so that both sides of each
  // ratio are measured over the same seconds: a host that slows down for a while slows both.
  const cold: ReturnType<typeof runProcess>[] = [];
  const kube: ReturnType<typeof runProcess>[] = [];
  for (let i = 0; i < runs; i++) {
    cold.push(runProcess(process.execPath, [path.join(repo, 'dist/cli.js'), 'render', dir]));
    for (let k = 0; k < SAMPLES_PER_RUN; k++) for (const column of columns) sample(column);
    kube.push(runProcess('kubectl', ['kustomize', dir]));
    for (let k = 0; k < SAMPLES_PER_RUN; k++) for (const column of columns) sample(column);
  }
  const [warmMs, unchangedMs, uncachedMs] = columns.map((c) => median(c.times));
  // The warm (cached) render of an edit must print what a render from the files alone prints.
  const fresh = renderKustomization(dir, { fs: overlayFileSystem(nodeFileSystem, new Map([[kustomizationFile, editedText(edits)]])) });
  if (fresh.yaml === undefined || fresh.yaml !== lastEdited?.yaml)
    throw new Error(`${label}: the warm render of an edit differs from a render without caches`);
  const peak = (xs: ReturnType<typeof runProcess>[]) => {
    const v = xs.map((x) => x.peakKiB ?? 0);
    return timeBin ? Math.max(...v) / 1024 : undefined;
  };
  return {
    target: label,
    objects: first.resources.length,
    warmMs,
    unchangedMs,
    uncachedMs,
    coldMs: median(cold.map((c) => c.ms)),
    kubectlMs: median(kube.map((k) => k.ms)),
    coldPeakMiB: peak(cold),
    kubectlPeakMiB: peak(kube),
    identical: kube[0].ok && kube[0].stdout === first.yaml,
  };
}

function main(): void {
  if (!fs.existsSync(path.join(repo, 'dist/cli.js'))) throw new Error('run `npm run build` first (npm run bench:render does)');
  if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) {
    throw new Error('kubectl is not on PATH: the benchmark compares with `kubectl kustomize`');
  }
  const seed = path.join(repo, 'test/parity/fixtures/seed-fleet');
  const targets: Array<[string, string]> = [
    ['seed apps/staging', path.join(seed, 'apps/staging')],
    ['seed apps/production', path.join(seed, 'apps/production')],
  ];
  const fleet = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-bench-'));
  // The generator is plain JavaScript so that other benchmarks and scripts share it.
  const gen = spawnSync(process.execPath, [path.join(repo, 'bench/generate-fleet.mjs'), fleet, String(apps)], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('fleet generation failed');
  for (const env of ['dev', 'staging', 'production']) targets.push([`fleet ${apps} apps ${env}`, path.join(fleet, 'apps', env)]);

  const rows = targets.map(([label, dir]) => bench(label, dir));
  fs.rmSync(fleet, { recursive: true, force: true });

  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (x: number | undefined, d = 1) => (x === undefined ? 'n/a' : x.toFixed(d));
  console.log(`\nbench/render  (median; warm = in process with the language server's caches (file texts, parsed files, folder builds,`);
  console.log(`              per-object transformer results), each run after an edit of the target's kustomization (a common`);
  console.log(`              annotation set to a new value), so the target is built and printed again: the target is judged`);
  console.log(`              on this column; unchanged = the same caches, the`);
  console.log(`              folder rendered again without any edit; no cache = file texts cached only, every folder built`);
  console.log(
    `              again; ${2 * runs * SAMPLES_PER_RUN} runs each after 10 warm-up renders, taken in turns between the ${runs} cold and ${runs} kubectl process runs)`,
  );
  console.log(
    `machine load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (on ${os.cpus().length} cores; numbers from a busy machine are noisy)`,
  );
  console.log(
    pad('target', 28) +
      pad('objects', 9) +
      pad('warm ms', 10) +
      pad('unchanged', 11) +
      pad('no cache', 11) +
      pad('cold ms', 10) +
      pad('kubectl ms', 12) +
      pad('kubectl/warm', 14) +
      pad('kubectl/cold', 14) +
      pad('cold MiB', 10) +
      pad('kubectl MiB', 13) +
      'same output',
  );
  for (const r of rows) {
    console.log(
      pad(r.target, 28) +
        pad(String(r.objects), 9) +
        pad(num(r.warmMs, 2), 10) +
        pad(num(r.unchangedMs, 2), 11) +
        pad(num(r.uncachedMs, 2), 11) +
        pad(num(r.coldMs), 10) +
        pad(num(r.kubectlMs), 12) +
        pad(num(r.kubectlMs / r.warmMs) + 'x', 14) +
        pad(num(r.kubectlMs / r.coldMs, 2) + 'x', 14) +
        pad(num(r.coldPeakMiB), 10) +
        pad(num(r.kubectlPeakMiB), 13) +
        (r.identical ? 'yes' : 'NO'),
    );
  }
  const mem = process.memoryUsage();
  console.log(
    `\nbenchmark process: rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
  console.log('targets: warm in-process >= 50x faster than kubectl; cold fluxenv render no slower than kubectl');
  const warmOk = rows.every((r) => r.kubectlMs / r.warmMs >= 50);
  const coldOk = rows.every((r) => r.coldMs <= r.kubectlMs);
  console.log(`warm target ${warmOk ? 'met' : 'NOT met'}; cold target ${coldOk ? 'met' : 'NOT met'}`);
}

main();
