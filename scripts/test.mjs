#!/usr/bin/env node
// The one test command: build, typecheck, lint, then every test suite, with one closing summary line.
// Usage: node scripts/test.mjs [suite ...]   (suites: unit, parity, lsp, vscode; default all)
import { spawnSync } from 'node:child_process';

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
