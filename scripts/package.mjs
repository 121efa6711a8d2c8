#!/usr/bin/env node
// npm run package: builds the .vsix with @vscode/vsce from the bundles (no node_modules: esbuild already
// inlined every dependency), then prints what it contains and its size. What goes in is .vscodeignore's
// allow-list: bundles, manifest, README, CHANGELOG, LICENSE, grammars, icons, rule pages, and what README links to.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
// `node scripts/package.mjs [file.vsix]`: the package's path (default: <name>-<version>.vsix here).
const out = process.argv[2] ?? `${manifest.name}-${manifest.version}.vsix`;
const vsce = (args) => spawnSync('npx', ['--no-install', 'vsce', ...args, '--no-dependencies'], { encoding: 'utf8' });

/**
 * README's and CHANGELOG's relative links and images that name no file of the package. There is no public
 * repository to make them absolute (package.json has no `repository`), so they must resolve inside the
 * installed extension, where VS Code's extension page reads them.
 */
function brokenRelativeLinks(packaged) {
  const broken = [];
  for (const page of ['README.md', 'CHANGELOG.md']) {
    const text = readFileSync(page, 'utf8');
    for (const match of text.matchAll(/\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc="([^"]+)"/g)) {
      const target = match[1] ?? match[2];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const file = target.split('#')[0];
      if (!packaged.has(file.replace(/^\.\//, ''))) broken.push(`${page}: ${target}`);
    }
  }
  return broken;
}

const listed = vsce(['ls']);
if (listed.status !== 0) {
  process.stderr.write(listed.stderr || listed.stdout);
  process.exit(1);
}
const files = listed.stdout.split('\n').filter(Boolean).sort();
const broken = brokenRelativeLinks(new Set(files));
if (broken.length > 0) {
  process.stderr.write(
    `links that would be broken in the package (ship the file in .vscodeignore, or fix the link):\n  ${broken.join('\n  ')}\n`,
  );
  process.exit(1);
}
// vsce's checks run. The project has no public repository yet, so the manifest names none (a guessed URL would
// send users to a page that does not exist): --allow-missing-repository says that is on purpose, and
// --no-rewrite-relative-links keeps README's links relative to the package, which ships what they name
// (checked above) instead of vsce making them absolute URLs of a repository. With a public repository, set
// `repository`, `bugs` and `homepage` and drop both flags.
const built = vsce(['package', '--out', out, '--allow-missing-repository', '--no-rewrite-relative-links']);
if (built.status !== 0) {
  process.stderr.write(built.stdout + built.stderr);
  process.exit(1);
}
console.log(`${out} contains ${files.length} files:`);
for (const file of files) console.log(`  ${file}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
const size = statSync(out).size;
console.log(`${out}: ${(size / 1024).toFixed(1)} KiB (${size} bytes)`);
