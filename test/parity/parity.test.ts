// The parity suite: every fixture under test/parity/fixtures is built by `kubectl kustomize` (the oracle,
// Kustomize v5.5.0) and by our renderer; outputs must be byte-identical, and where kustomize fails we must
// report an error Problem. See test/parity/README.md for the fixture format and the environment switches.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import { BuildCache } from '../../server/src/kustomize/buildCache';

const FIXTURES_DIR = path.join(__dirname, 'fixtures');
const RENDER_MODULE = process.env.PARITY_RENDER_MODULE
  ? path.resolve(process.env.PARITY_RENDER_MODULE)
  : path.join(__dirname, '..', '..', 'server', 'src', 'kustomize', 'render');
const ORACLE_ONLY = process.env.PARITY_ORACLE_ONLY === '1';
const FILTER = process.env.PARITY_FILTER;
const KUBECTL = process.env.PARITY_KUBECTL ?? 'kubectl';
const KUBECTL_TIMEOUT_MS = 20_000;
const KUBECTL_CONCURRENCY = 8;
const DIFF_CONTEXT_LINES = 3;
const DIFF_MAX_LINES = 40;

// The renderer's contract (server/src/kustomize/render.ts), repeated here so the runner typechecks and its
// oracle-only mode works before, and independently of, the renderer module.
interface RenderOptions {
  loadRestrictor: 'rootOnly' | 'none';
  reorder: 'legacy' | 'none';
  enableManagedByLabel: boolean;
  repoRoot?: string;
  cache?: BuildCache;
}
interface RenderProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file: string;
}
interface RenderOutput {
  yaml?: string;
  problems: RenderProblem[];
}
type RenderKustomization = (dir: string, options?: Partial<RenderOptions>) => RenderOutput;

type Expectation = 'success' | 'error';

interface BuildSpec {
  path: string;
  args?: string[];
  expect?: Expectation;
}

interface ParityConfig {
  builds?: Array<string | BuildSpec>;
  args?: string[];
  expect?: Expectation;
}

interface BuildTarget {
  fixture: string;
  fixtureDir: string;
  target: string;
  args: string[];
  expect: Expectation;
  /** Set when the fixture's parity.json or args cannot be understood: the test reports it instead of running. */
  configError?: string;
}

interface OracleResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function readParityConfig(fixtureDir: string): { config: ParityConfig; error?: string } {
  const file = path.join(fixtureDir, 'parity.json');
  if (!fs.existsSync(file)) return { config: {} };
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { config: {}, error: 'parity.json must hold a JSON object' };
    }
    return { config: parsed as ParityConfig };
  } catch (e) {
    return { config: {}, error: `parity.json is not valid JSON: ${(e as Error).message}` };
  }
}

function discoverTargets(): BuildTarget[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  const targets: BuildTarget[] = [];
  const fixtures = fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const fixture of fixtures) {
    const fixtureDir = path.join(FIXTURES_DIR, fixture);
    const { config, error } = readParityConfig(fixtureDir);
    const builds = config.builds && config.builds.length > 0 ? config.builds : ['.'];
    for (const build of builds) {
      const spec: BuildSpec = typeof build === 'string' ? { path: build } : build;
      const target: BuildTarget = {
        fixture,
        fixtureDir,
        target: spec.path,
        args: spec.args ?? config.args ?? [],
        expect: spec.expect ?? config.expect ?? 'success',
        configError: error,
      };
      if (FILTER && !targetTitle(target).includes(FILTER)) continue;
      targets.push(target);
    }
  }
  return targets;
}

/** Maps kubectl kustomize flags to the renderer's options; unknown flags are a fixture bug. */
function optionsFromArgs(args: readonly string[], fixtureDir: string): { options: Partial<RenderOptions>; error?: string } {
  const options: Partial<RenderOptions> = { repoRoot: fixtureDir };
  for (let i = 0; i < args.length; i++) {
    const [flag, inlineValue] = args[i].split(/=(.*)/s, 2);
    const takeValue = (): string | undefined => (inlineValue !== undefined ? inlineValue : args[++i]);
    switch (flag) {
      case '--load-restrictor': {
        const value = takeValue();
        if (value === 'LoadRestrictionsNone') options.loadRestrictor = 'none';
        else if (value === 'LoadRestrictionsRootOnly') options.loadRestrictor = 'rootOnly';
        else return { options, error: `unknown --load-restrictor value ${value}` };
        break;
      }
      case '--reorder': {
        const value = takeValue();
        if (value === 'legacy' || value === 'none') options.reorder = value;
        else return { options, error: `unknown --reorder value ${value}` };
        break;
      }
      case '--enable-managedby-label':
        options.enableManagedByLabel = inlineValue === undefined || inlineValue === 'true';
        break;
      default:
        return { options, error: `flag ${args[i]} is not supported by the parity runner` };
    }
  }
  return { options };
}

/** `<fixture>/<target>`, plus the flags when a fixture builds one target several ways. */
function targetTitle(t: BuildTarget): string {
  return `${t.fixture}/${t.target}${t.args.length > 0 ? ` [${t.args.join(' ')}]` : ''}`;
}

function kubectlAvailable(): boolean {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore', timeout: KUBECTL_TIMEOUT_MS });
    return true;
  } catch {
    return false;
  }
}

function runOracle(t: BuildTarget): Promise<OracleResult> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['kustomize', t.target, ...t.args],
      { cwd: t.fixtureDir, timeout: KUBECTL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

async function runAllOracles(targets: BuildTarget[]): Promise<Map<BuildTarget, OracleResult>> {
  const results = new Map<BuildTarget, OracleResult>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const t = targets[next++];
      results.set(t, await runOracle(t));
    }
  };
  await Promise.all(Array.from({ length: Math.min(KUBECTL_CONCURRENCY, targets.length) }, worker));
  return results;
}

/** The first region where the two outputs differ, as a small unified-style excerpt. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  let first = 0;
  while (first < want.length && first < got.length && want[first] === got[first]) first++;
  let wantEnd = want.length;
  let gotEnd = got.length;
  while (wantEnd > first && gotEnd > first && want[wantEnd - 1] === got[gotEnd - 1]) {
    wantEnd--;
    gotEnd--;
  }
  const from = Math.max(0, first - DIFF_CONTEXT_LINES);
  const lines = [`@@ first difference at line ${first + 1} (- kubectl kustomize, + ours) @@`];
  for (let i = from; i < first; i++) lines.push(`  ${want[i]}`);
  const removed = want.slice(first, wantEnd).map((l) => `- ${l}`);
  const added = got.slice(first, gotEnd).map((l) => `+ ${l}`);
  const half = Math.floor(DIFF_MAX_LINES / 2);
  lines.push(...removed.slice(0, half));
  if (removed.length > half) lines.push(`- ... (${removed.length - half} more lines)`);
  lines.push(...added.slice(0, half));
  if (added.length > half) lines.push(`+ ... (${added.length - half} more lines)`);
  for (let i = wantEnd; i < Math.min(want.length, wantEnd + DIFF_CONTEXT_LINES); i++) lines.push(`  ${want[i]}`);
  return lines.join('\n');
}

/** Quoted names and path-like words in kubectl's error: what a user would look for in our message. */
function salientTokens(stderr: string): string[] {
  // klog prints the error as err="..." with inner quotes escaped.
  const text = stderr.replace(/\\"/g, '"');
  const tokens = new Set<string>();
  for (const m of text.matchAll(/'([^'\s]{3,})'|"([^"\s]{3,})"|`([^`\s]{3,})`/g)) tokens.add(m[1] ?? m[2] ?? m[3]);
  for (const m of text.matchAll(/(?:^|[\s:'"])((?:\.{0,2}\/)?[\w.-]+(?:\/[\w.-]+)+|[\w.-]+\.ya?ml)/g)) {
    const base = path.basename(m[1]);
    if (base.length >= 3) tokens.add(base);
  }
  return [...tokens].filter((t) => !/^(error|failed|accumulating|resources|kustomize|v1|apps\/v1)$/i.test(t));
}

function loadRenderer(): { render?: RenderKustomization; error?: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(RENDER_MODULE) as { renderKustomization?: unknown };
    if (typeof mod.renderKustomization !== 'function') {
      return { error: `${RENDER_MODULE} does not export renderKustomization` };
    }
    return { render: mod.renderKustomization as RenderKustomization };
  } catch (e) {
    return { error: `cannot load the renderer (${RENDER_MODULE}): ${(e as Error).message.split('\n')[0]}` };
  }
}

const targets = discoverTargets();
const sharedBuildCache = new BuildCache();

describe('parity with kubectl kustomize', function () {
  let oracle = new Map<BuildTarget, OracleResult>();
  let render: RenderKustomization | undefined;
  let rendererError: string | undefined;
  const tally = { targets: 0, identical: 0, bothError: 0, mismatched: 0, oracleOk: 0, oracleError: 0 };
  const softNotes: string[] = [];
  let kubectlMissing = false;

  before(async function () {
    this.timeout(120_000);
    if (!kubectlAvailable()) {
      if (process.env.CI) {
        throw new Error(`PARITY FAILED: kubectl not found on PATH (${KUBECTL}); the parity suite needs it in CI`);
      }
      console.log('\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
      console.log('!!! PARITY SKIPPED: kubectl not found on PATH');
      console.log('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n');
      kubectlMissing = true;
      this.skip();
    }
    if (!ORACLE_ONLY) ({ render, error: rendererError } = loadRenderer());
    oracle = await runAllOracles(targets);
  });

  after(function () {
    if (kubectlMissing) {
      console.log(`\nparity: ${targets.length} targets SKIPPED (kubectl not found on PATH)`);
      return;
    }
    for (const note of softNotes) console.log(note);
    if (ORACLE_ONLY) {
      console.log(`\nparity (oracle only): ${tally.targets} targets, ${tally.oracleOk} kubectl ok, ${tally.oracleError} kubectl error`);
    } else {
      console.log(
        `\nparity: ${tally.targets} targets, ${tally.identical} byte-identical, ${tally.bothError} both-error, ` +
          `${tally.targets - tally.identical - tally.bothError} failing`,
      );
    }
  });

  it('has fixtures', function () {
    if (FILTER) this.skip();
    assert.ok(targets.length > 0, `no fixtures found under ${FIXTURES_DIR}`);
  });

  for (const t of targets) {
    it(targetTitle(t), function () {
      tally.targets++;
      if (t.configError) assert.fail(`${t.fixture}: ${t.configError}`);
      const { options, error: argsError } = optionsFromArgs(t.args, t.fixtureDir);
      if (argsError) assert.fail(`${t.fixture}: ${argsError}`);

      const want = oracle.get(t);
      assert.ok(want, 'kubectl did not run for this target');
      const kubectlFailed = want.exitCode !== 0;
      if (kubectlFailed) tally.oracleError++;
      else tally.oracleOk++;
      const oracleSummary = kubectlFailed ? `kubectl failed (exit ${want.exitCode}): ${want.stderr.trim()}` : 'kubectl succeeded';
      if (ORACLE_ONLY) console.log(`  [oracle] ${targetTitle(t)}: exit ${want.exitCode}${kubectlFailed ? ` ${want.stderr.trim()}` : ''}`);
      assert.equal(
        kubectlFailed ? 'error' : 'success',
        t.expect,
        `the fixture expects ${t.expect} but ${oracleSummary}; fix the fixture or its parity.json`,
      );
      if (ORACLE_ONLY) return;

      if (!render) assert.fail(rendererError ?? 'renderer not loaded');
      const dir = path.resolve(t.fixtureDir, t.target);
      let ours: RenderOutput;
      try {
        ours = render(dir, options);
      } catch (e) {
        assert.fail(`renderKustomization threw (errors must be values): ${(e as Error).stack ?? String(e)}`);
      }
      const ourErrors = ours.problems.filter((p) => p.severity === 'error');
      // The language server keeps folder builds between renders: with one cache shared by every target of
      // the suite (bases built for one fixture reused by the next), the first and the second render must
      // both say exactly what the render without a cache says.
      for (const pass of ['first', 'second']) {
        const cached: RenderOutput = render(dir, { ...options, cache: sharedBuildCache });
        assert.equal(cached.yaml, ours.yaml, `the ${pass} render with the build cache differs from the render without it`);
        assert.deepEqual(
          cached.problems.filter((p) => p.severity === 'error').map((p) => p.message),
          ourErrors.map((p) => p.message),
          `the ${pass} render with the build cache reports other errors`,
        );
      }

      if (kubectlFailed) {
        assert.ok(
          ourErrors.length > 0,
          `${oracleSummary}\nbut we reported no error Problem (yaml ${ours.yaml === undefined ? 'undefined' : 'rendered'})`,
        );
        tally.bothError++;
        const tokens = salientTokens(want.stderr);
        const said = ourErrors.map((p) => `${p.message} ${p.file}`).join('\n');
        const mentioned = tokens.filter((tok) => said.includes(tok));
        if (tokens.length > 0 && mentioned.length === 0) {
          softNotes.push(
            `  [soft] ${targetTitle(t)}: our error does not mention any of ${tokens.map((x) => `'${x}'`).join(', ')}\n` +
              `         kubectl: ${want.stderr.trim()}\n         ours:    ${ourErrors[0].message}`,
          );
        }
        return;
      }

      if (ours.yaml === undefined) {
        assert.fail(
          `kubectl succeeded but we failed:\n${ours.problems.map((p) => `  ${p.severity} ${p.code} ${p.file}: ${p.message}`).join('\n')}`,
        );
      }
      if (ours.yaml !== want.stdout) {
        assert.fail(`output differs from kubectl kustomize\n${firstDifference(want.stdout, ours.yaml)}`);
      }
      tally.identical++;
    });
  }
});
