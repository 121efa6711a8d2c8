#!/usr/bin/env node
// npm run package: builds the .vsix with @vscode/vsce from the bundles (no node_modules: esbuild already
// inlined every dependency), then prints what it contains and its size. What goes in is .vscodeignore's
// allow-list: bundles, manifest, README, CHANGELOG, LICENSE, grammars, icons, rule pages.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
// `node scripts/package.mjs [file.vsix]`: the package's path (default: <name>-<version>.vsix here).
const out = process.argv[2] ?? `${manifest.name}-${manifest.version}.vsix`;
const vsce = (args) => spawnSync('npx', ['--no-install', 'vsce', ...args, '--no-dependencies'], { encoding: 'utf8' });

const listed = vsce(['ls']);
if (listed.status !== 0) {
  process.stderr.write(listed.stderr || listed.stdout);
  process.exit(1);
}
// vsce's checks run: the manifest's repository makes README links and images absolute (the Marketplace and
// the extension page show them from the repository; the vsix stays small without the screenshots).
const built = vsce(['package', '--out', out]);
if (built.status !== 0) {
  process.stderr.write(built.stdout + built.stderr);
  process.exit(1);
}
const files = listed.stdout.split('\n').filter(Boolean).sort();
console.log(`${out} contains ${files.length} files:`);
for (const file of files) console.log(`  ${file}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
const size = statSync(out).size;
console.log(`${out}: ${(size / 1024).toFixed(1)} KiB (${size} bytes)`);
