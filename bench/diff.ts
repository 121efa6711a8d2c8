// bench/diff: the rendered diff of the generated fleet (3 environments) between two commits that differ in
// one base file. Each measurement that says "cold" runs in a fresh process (nothing parsed or built yet):
//   - one full render: every environment of the fleet rendered once, from disk;
//   - the whole-fleet diff between the two commits, read from git objects (what `fluxenv diff` does);
//   - for comparison in the same run, what an external-binary pipeline does: both revisions extracted
//     (`git archive`) and `kubectl kustomize` run on every overlay of each;
// then, in one process, the editor's Rendered Changes after an unsaved edit (median and p95 over edits).
// Usage: npm run bench:diff [-- --apps 350 --edits 30]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffRenderedFleets } from '../server/src/features/renderedDiff';
import { openRevisionFleet } from '../server/src/features/revisionFleet';
import { renderedChanges, RevisionFleets } from '../server/src/features/revisionChanges';
import { FleetIndex } from '../server/src/fleet/fleetIndex';
import { BuildCache } from '../server/src/kustomize/buildCache';

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const str = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@example.com',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@example.com',
};
const git = (cwd: string, ...a: string[]) => {
  const r = spawnSync('git', a, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

/** One measurement in this (fresh) process, printed as JSON for the parent. */
async function measure(kind: string, fleet: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  if (kind === 'render') {
    const index = new FleetIndex(fleet);
    index.scan();
    let objects = 0;
    for (const env of index.environments().environments) objects += index.renderEnvironment(env).objects.length;
    console.log(JSON.stringify({ ms: ms(t0), objects }));
    return;
  }
  const cache = new BuildCache();
  const base = await openRevisionFleet(fleet, fleet, str('base')!, {}, cache);
  const head = await openRevisionFleet(fleet, fleet, str('head')!, {}, cache);
  if (!base.ok || !head.ok) throw new Error('revision not found');
  const diff = diffRenderedFleets(
    { index: base.value.index, label: 'base', commit: base.value.commit },
    { index: head.value.index, label: 'head', commit: head.value.commit },
  );
  const changed = diff.environments.map((e) => `${e.name} ${e.counts.changed}`).join(', ');
  console.log(JSON.stringify({ ms: ms(t0), changed, cache: cache.stats() }));
}

function fresh(kind: string, fleet: string, extra: string[] = []): { ms: number; [key: string]: unknown } {
  const r = spawnSync(process.execPath, ['--enable-source-maps', process.argv[1], '--measure', kind, '--fleet', fleet, ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`measure ${kind} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number };
}

async function main(): Promise<void> {
  const kind = str('measure');
  if (kind) return measure(kind, str('fleet')!);
  const apps = opt('apps', 350);
  const edits = opt('edits', 30);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-bench-diff-')));
  const fleet = path.join(tmp, 'fleet');
  const gen = spawnSync(process.execPath, [path.join(repo, 'bench/generate-fleet.mjs'), fleet, String(apps), 'dev,staging,production'], {
    stdio: 'ignore',
  });
  if (gen.status !== 0) throw new Error('fleet generation failed');
  fs.rmSync(path.join(fleet, '.git'), { recursive: true, force: true });
  git(fleet, 'init', '-q', '-b', 'main');
  git(fleet, 'add', '-A');
  git(fleet, 'commit', '-q', '-m', 'fleet');
  const baseCommit = git(fleet, 'rev-parse', 'HEAD');
  const changedFile = path.join(fleet, 'apps/base/app-0000/deployment.yaml');
  fs.writeFileSync(changedFile, fs.readFileSync(changedFile, 'utf8').replace('containerPort: 8080', 'containerPort: 8081'));
  git(fleet, 'commit', '-q', '-am', 'one base file');
  const headCommit = git(fleet, 'rev-parse', 'HEAD');
  const files = Number(git(fleet, 'ls-files').split('\n').length);

  const render = fresh('render', fleet);
  const diff = fresh('diff', fleet, ['--base', baseCommit, '--head', headCommit]);

  // The external-binary way, for comparison: extract both revisions, kubectl kustomize every overlay of each.
  const overlays = ['apps', 'infrastructure'].flatMap((area) => ['dev', 'staging', 'production'].map((env) => `${area}/${env}`));
  let kubectl: string;
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.status !== 0) kubectl = 'SKIPPED: kubectl not found, no comparison';
  else {
    const tk = process.hrtime.bigint();
    let ok = true;
    for (const commit of [baseCommit, headCommit]) {
      const out = path.join(tmp, commit.slice(0, 8));
      fs.mkdirSync(out);
      const archive = spawnSync('git', ['archive', commit], { cwd: fleet, env: GIT_ENV, maxBuffer: 1 << 30 });
      spawnSync('tar', ['-x', '-C', out], { input: archive.stdout });
      for (const o of overlays) if (spawnSync('kubectl', ['kustomize', path.join(out, o)], { maxBuffer: 1 << 30 }).status !== 0) ok = false;
    }
    kubectl = `${ms(tk).toFixed(0)} ms${ok ? '' : ' (some failed)'}`;
  }

  // The editor: the live fleet (disk + an unsaved buffer) against HEAD, as the Rendered Changes view asks.
  const live = new FleetIndex(fleet);
  live.scan();
  const fleets = new RevisionFleets();
  const tFirst = process.hrtime.bigint();
  await renderedChanges(live, fleets, {});
  const first = ms(tFirst);
  const patchFile = path.join(fleet, 'apps/staging/patches/app-0001.yaml');
  const patchText = fs.readFileSync(patchFile, 'utf8');
  const times: number[] = [];
  const renderTimes: number[] = [];
  let lastChanged = 0;
  for (let i = 0; i < edits; i++) {
    live.setBuffer(patchFile, patchText.replace(/replicas: \d+/, `replicas: ${10 + i}`));
    // What the language server does anyway after an edit (previews, rules): render what the edit reached.
    const tr = process.hrtime.bigint();
    for (const env of live.environments().environments) live.renderEnvironment(env);
    renderTimes.push(ms(tr));
    const te = process.hrtime.bigint();
    const result = await renderedChanges(live, fleets, {});
    times.push(ms(te));
    lastChanged = result.groups[0]?.environments.reduce((n, e) => n + e.counts.changed, 0) ?? 0;
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)}${value}`);
  console.log(`\nbench:diff  generated fleet: ${apps} apps, 3 environments, ${files} files; base and head differ in one base file`);
  line('one full render (cold, every environment):', `${render.ms.toFixed(0)} ms  (${String(render.objects)} objects)`);
  line('whole-fleet diff between the two commits (cold):', `${diff.ms.toFixed(0)} ms  (changed: ${String(diff.changed)})`);
  line('  of which beyond one full render (target < 1000 ms):', `${(diff.ms - render.ms).toFixed(0)} ms`);
  const stats = diff.cache as { hits: number; misses: number };
  line('  folder builds: built / reused from the other side:', `${stats.misses} / ${stats.hits}`);
  line('comparison: git archive + kubectl kustomize, both sides:', kubectl);
  line('Rendered Changes, first answer (renders both sides):', `${first.toFixed(0)} ms`);
  line(`re-render after an unsaved edit (the server does it anyway), median:`, `${percentile(renderTimes, 50).toFixed(0)} ms`);
  line(`then Rendered Changes (${edits} edits), median:`, `${percentile(times, 50).toFixed(0)} ms`);
  line('  p95 (target < 200 ms):', `${percentile(times, 95).toFixed(0)} ms  (objects changed after the last edit: ${lastChanged})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
