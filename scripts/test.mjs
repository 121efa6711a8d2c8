#!/usr/bin/env node
// The one test command: build, typecheck, lint, then every test suite, with one closing summary line.
// Usage: node scripts/test.mjs [suite ...]   (suites: unit, parity, lsp, vscode; default all)
//        node scripts/test.mjs <test file ...>   (builds, then runs those files only, with their suite's options)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const suites = {
  unit: ['npx', ['mocha', '--config', 'test/.mocharc.unit.json']],
  parity: ['npx', ['mocha', '--config', 'test/.mocharc.parity.json']],
  hostile: ['npx', ['mocha', '--config', 'test/.mocharc.hostile.json']],
  fuzz: ['npx', ['mocha', '--config', 'test/.mocharc.fuzz.json']],
  lsp: ['npx', ['mocha', '--config', 'test/.mocharc.lsp.json']],
  // Real VS Code (code-server + headless Chromium), installed on first use by scripts/setup-vscode-server.sh.
  vscode: ['bash', ['-c', 'bash scripts/setup-vscode-server.sh && node test/vscode/runTest.js']],
};
const steps = [
  ['build', 'npm', ['run', '--silent', 'build']],
  ['typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']],
  ['lint', 'npx', ['eslint', '.']],
];
const wanted = process.argv.slice(2);

// Test files: mocha adds a config's `spec` to the files named on its command line, so a file is run with
// the options of its suite's .mocharc (require, extension, timeout) but without the config itself.
const files = wanted.filter((a) => /\.test\.(ts|js)$/.test(a));
if (files.length > 0) {
  if (files.length !== wanted.length) { console.error('give either suite names or test files, not both'); process.exit(2); }
  const suiteOf = (file) => /^test\/([^/]+)\//.exec(path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/'))?.[1];
  for (const file of files) if (!existsSync(file) || !existsSync(`test/.mocharc.${suiteOf(file)}.json`)) { console.error(`not a test file of a mocha suite: ${file}`); process.exit(2); }
  const suite = suiteOf(files[0]);
  if (files.some((f) => suiteOf(f) !== suite)) { console.error('the files must belong to one suite (test/<suite>/...)'); process.exit(2); }
  const config = JSON.parse(readFileSync(`test/.mocharc.${suite}.json`, 'utf8'));
  const options = [...(config.require ?? []).flatMap((r) => ['--require', r]), ...(config.extension ?? []).flatMap((e) => ['--extension', e]), '--timeout', String(config.timeout ?? 20000), '--reporter', 'spec'];
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  const run = spawnSync('npx', ['mocha', '--no-config', ...options, ...files], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const chosen = wanted.length ? wanted : Object.keys(suites);
for (const name of chosen) if (!suites[name]) { console.error(`unknown suite ${name}`); process.exit(2); }

let passed = 0, failed = 0, skipped = 0, broken = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) { broken.push(name); }
}
for (const name of chosen) {
  const [cmd, args] = suites[name];
  console.log(`\n=== ${name} tests`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  const count = (re) => { const m = re.exec(r.stdout ?? ''); return m ? Number(m[1]) : 0; };
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
