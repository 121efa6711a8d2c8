#!/usr/bin/env node
// The one test command, and the way to run one suite or one file of it.
//
//   node scripts/test.mjs                 (npm test) build, typecheck, lint, format check, then every suite, in order,
//                                         with one closing line: `tests: N passed, N failed, N skipped`.
//   node scripts/test.mjs unit [git ...]  (npm run test:unit, test:git, ...) only those suites' mocha: no build,
//                                         typecheck or lint first, except the build a suite needs (lsp, vscode).
//   node scripts/test.mjs test/unit/kustomize/labels.test.ts [more files]
//   npm run test:unit -- test/unit/kustomize/labels.test.ts
//                                         only those files, with their suite's settings (the suite is read from the
//                                         path: test/<suite>/...). Plain mocha works too, without the suite's
//                                         settings: npx mocha -r tsx/cjs --extension ts test/unit/kustomize/labels.test.ts
//
// Suites by cost (what a test may use decides where it lives):
//   unit          in memory: no kubectl, no git, no other program (test/unit/inMemory.ts refuses them), no
//                 wall clock in assertions. Under 30 s.
//   differential  our renderer and the external renderer against the real `kubectl kustomize` (and stand-in
//                 binaries), test by test; needs kubectl (skips loudly without it, fails without it in CI).
//   parity        the fixture folders of test/parity rendered by us and by kubectl, byte for byte.
//   git           real git repositories (promotion, revert, history) and a stand-in gh on PATH.
//   hostile       hostile repositories: limits, budgets, cancellation.
//   fuzz          generated fleets through every entry point.
//   lsp           the built dist/ programs over their processes: the language server over stdio, the CLI.
//   vscode        the extension in a real VS Code (code-server + headless Chromium, installed on first use).
// Timing belongs in bench/ (npm run bench:*), never in a test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const mocha = (name) => ({ mocharc: `test/.mocharc.${name}.json` });
const suites = {
  unit: mocha('unit'),
  differential: mocha('differential'),
  parity: mocha('parity'),
  git: mocha('git'),
  hostile: mocha('hostile'),
  fuzz: mocha('fuzz'),
  lsp: { ...mocha('lsp'), needs: 'build' },
  // Real VS Code (code-server + headless Chromium), installed on first use by scripts/setup-vscode-server.sh.
  vscode: { command: ['bash', ['-c', 'bash scripts/setup-vscode-server.sh && node test/vscode/runTest.js']], needs: 'build' },
};
const steps = {
  build: ['npm', ['run', '--silent', 'build']],
  typecheck: ['npx', ['tsc', '-p', '.', '--noEmit']],
  lint: ['npx', ['eslint', '.']],
  format: ['npx', ['prettier', '--check', '.']],
};

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.ts') || a.endsWith('.js'));
const named = args.filter((a) => !files.includes(a));
for (const name of named)
  if (!suites[name]) {
    console.error(`unknown suite ${name} (suites: ${Object.keys(suites).join(', ')})`);
    process.exit(2);
  }
const suiteOfFile = (file) => {
  const m = /^(?:\.\/)?test\/([^/]+)\//.exec(file.split('\\').join('/'));
  return m && suites[m[1]]?.mocharc ? m[1] : undefined;
};
for (const file of files) {
  if (!suiteOfFile(file) || !existsSync(file)) {
    console.error(`not a test file of a mocha suite: ${file} (test/<suite>/...)`);
    process.exit(2);
  }
  if (named.length && !named.includes(suiteOfFile(file))) {
    console.error(`${file} is not in suite ${named.join(', ')}`);
    process.exit(2);
  }
}
const chosen = named.length ? named : files.length ? [...new Set(files.map(suiteOfFile))] : Object.keys(suites);
const everything = args.length === 0;

/** The suite's mocha command line: its mocharc's settings, with the given files instead of its spec when there are any. */
function mochaCommand(name) {
  const { mocharc } = suites[name];
  const mine = files.filter((f) => suiteOfFile(f) === name);
  if (mine.length === 0) return ['npx', ['mocha', '--config', mocharc]];
  const rc = JSON.parse(readFileSync(mocharc, 'utf8'));
  const flags = ['--no-config'];
  for (const r of rc.require ?? []) flags.push('--require', r);
  for (const e of rc.extension ?? []) flags.push('--extension', e);
  if (rc.timeout !== undefined) flags.push('--timeout', String(rc.timeout));
  flags.push('--reporter', 'spec');
  return ['npx', ['mocha', ...flags, ...mine]];
}

let passed = 0,
  failed = 0,
  skipped = 0;
const broken = [];
const run = (label, cmd, cmdArgs) => {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) broken.push(label);
};
if (everything) for (const [name, [cmd, cmdArgs]] of Object.entries(steps)) run(name, cmd, cmdArgs);
else if (chosen.some((name) => suites[name].needs === 'build')) run('build', ...steps.build);

for (const name of chosen) {
  const [cmd, cmdArgs] = suites[name].command ?? mochaCommand(name);
  console.log(`\n=== ${name} tests`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const count = (re) => {
    const m = re.exec(r.stdout ?? '');
    return m ? Number(m[1]) : 0;
  };
  // The extension-host runs print their own 'N passed, N failed, N skipped' line per session (their mocha
  // output is echoed too, so those lines, when present, are the count); mocha suites end with 'N passing'.
  const sessions = [...(r.stdout ?? '').matchAll(/^(\d+) passed, (\d+) failed, (\d+) skipped$/gm)];
  if (sessions.length > 0) {
    for (const m of sessions) {
      passed += Number(m[1]);
      failed += Number(m[2]);
      skipped += Number(m[3]);
    }
  } else {
    passed += count(/^\s*(\d+) passing/m);
    failed += count(/^\s*(\d+) failing/m);
    skipped += count(/^\s*(\d+) pending/m);
  }
  if (r.status !== 0) broken.push(`${name} tests`);
}
console.log(`\n${broken.length ? 'FAILED: ' + broken.join(', ') : 'all steps green'}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(broken.length ? 1 : 0);
