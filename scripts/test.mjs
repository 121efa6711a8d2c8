#!/usr/bin/env node
// The one test command: build, typecheck, lint, then every test suite, with one closing summary line.
// Usage: node scripts/test.mjs [suite ...]   (suites: unit, parity; default all)
import { spawnSync } from 'node:child_process';

const suites = {
  unit: ['npx', ['mocha', '--config', 'test/.mocharc.unit.json']],
  parity: ['npx', ['mocha', '--config', 'test/.mocharc.parity.json']],
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
  passed += count(/^\s*(\d+) passing/m);
  failed += count(/^\s*(\d+) failing/m);
  skipped += count(/^\s*(\d+) pending/m);
  if (r.status !== 0) broken.push(`${name} tests`);
}
console.log(`\n${broken.length ? 'FAILED: ' + broken.join(', ') : 'all steps green'}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(broken.length ? 1 : 0);
