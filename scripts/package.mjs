#!/usr/bin/env node
// npm run package: builds the .vsix with @vscode/vsce from the bundles (no node_modules: esbuild already
// inlined every dependency), then prints what it contains and its size. What goes in is .vscodeignore's
// allow-list: bundles, manifest, README, LICENSE, grammars, icons, rule pages.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${manifest.name}-${manifest.version}.vsix`;
const vsce = (args) => spawnSync('npx', ['--no-install', 'vsce', ...args, '--no-dependencies'], { encoding: 'utf8' });

const listed = vsce(['ls']);
if (listed.status !== 0) {
  process.stderr.write(listed.stderr || listed.stdout);
  process.exit(1);
}
const built = vsce(['package', '--out', out, '--allow-missing-repository', '--no-rewrite-relative-links']);
if (built.status !== 0) {
  process.stderr.write(built.stdout + built.stderr);
  process.exit(1);
}
const files = listed.stdout.split('\n').filter(Boolean).sort();
console.log(`${out} contains ${files.length} files:`);
for (const file of files) console.log(`  ${file}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
const size = statSync(out).size;
console.log(`${out}: ${(size / 1024).toFixed(1)} KiB (${size} bytes)`);
