// bench/scale: how check, render and memory grow with the fleet. Generates the synthetic fleet at 1x, 4x
// and 16x (16x is ~30,000 YAML files), and for each size, in a fresh process so memory is its own: index
// (scan), full rule check, a render of every environment, and heap/RSS after. Prints each size and the
// ratio to 1x next to the size ratio; close-to-linear growth means the ratios track 4 and 16.
// Usage: npm run bench:scale [-- --apps 270 --sizes 1,4,16]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../server/src/fleet/fleetIndex';
import { runRules } from '../server/src/rules/run';

interface Measure {
  factor: number;
  apps: number;
  yamlFiles: number;
  scanMs: number;
  checkMs: number;
  renderMs: number;
  objects: number;
  heapMB: number;
  rssMB: number;
}

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

/** One size, measured in this process (the parent runs each size in a child). */
function measureOne(factor: number, apps: number): Measure {
  const fleet = fs.mkdtempSync(path.join(os.tmpdir(), `fluxenv-bench-scale-${factor}x-`));
  try {
    const gen = spawnSync(
      process.execPath,
      [
        path.join(repo, 'bench/generate-fleet.mjs'),
        fleet,
        String(apps),
        'dev,staging,production',
        'staging=dev+staging,production=production',
      ],
      { stdio: 'ignore' },
    );
    if (gen.status !== 0) throw new Error('fleet generation failed');
    global.gc?.();
    const t0 = performance.now();
    let index: FleetIndex | undefined = new FleetIndex(fleet);
    index.scan();
    const scanMs = performance.now() - t0;
    const t1 = performance.now();
    runRules(index);
    const checkMs = performance.now() - t1;
    const yamlFiles = index.yamlFiles().length;
    // The render below has an index of its own: keeping this one alive would measure the collector
    // working under two indexes' memory, not rendering.
    index = undefined;
    global.gc?.();
    // A render after a change, to time rendering on its own (the check above rendered with a warm parse cache too).
    const t2 = performance.now();
    let objects = 0;
    const fresh = new FleetIndex(fleet);
    fresh.scan();
    for (const env of fresh.environments().environments) objects += fresh.renderEnvironment(env).objects.length;
    const renderMs = performance.now() - t2;
    global.gc?.();
    const mem = process.memoryUsage();
    return { factor, apps, yamlFiles, scanMs, checkMs, renderMs, objects, heapMB: mem.heapUsed / 2 ** 20, rssMB: mem.rss / 2 ** 20 };
  } finally {
    fs.rmSync(fleet, { recursive: true, force: true });
  }
}

function main(): void {
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(measureOne(Number(args[1]), Number(args[2]))));
    return;
  }
  const baseApps = Number(opt('apps', '270'));
  const sizes = opt('sizes', '1,4,16').split(',').map(Number);
  const results: Measure[] = [];
  for (const factor of sizes) {
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        ...(__filename.endsWith('.ts') ? ['--import', 'tsx'] : []),
        __filename,
        '--child',
        String(factor),
        String(baseApps * factor),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (child.status !== 0) throw new Error(`the ${factor}x run failed`);
    const m = JSON.parse(child.stdout) as Measure;
    results.push(m);
    console.log(
      `${String(factor).padStart(3)}x  ${String(m.apps).padStart(5)} apps  ${String(m.yamlFiles).padStart(6)} YAML files  ` +
        `scan ${m.scanMs.toFixed(0).padStart(6)} ms  check ${m.checkMs.toFixed(0).padStart(7)} ms  render ${m.renderMs.toFixed(0).padStart(7)} ms (${m.objects} objects)  ` +
        `heap ${m.heapMB.toFixed(0).padStart(5)} MB  rss ${m.rssMB.toFixed(0).padStart(5)} MB`,
    );
  }
  const base = results[0];
  console.log('\ngrowth relative to the smallest size (linear = the files ratio):');
  for (const m of results.slice(1)) {
    const r = (a: number, b: number) => (a / b).toFixed(1).padStart(5);
    console.log(
      `${String(m.factor).padStart(3)}x  files x${r(m.yamlFiles, base.yamlFiles)}  scan x${r(m.scanMs, base.scanMs)}  check x${r(m.checkMs, base.checkMs)}  ` +
        `render x${r(m.renderMs, base.renderMs)}  heap x${r(m.heapMB, base.heapMB)}  rss x${r(m.rssMB, base.rssMB)}`,
    );
  }
  const worst = Math.max(
    ...results.slice(1).map((m) => Math.max(m.checkMs / base.checkMs, m.renderMs / base.renderMs) / (m.yamlFiles / base.yamlFiles)),
  );
  console.log(`\nworst time growth over linear: x${worst.toFixed(2)} (1.0 = exactly linear)`);
}

main();
