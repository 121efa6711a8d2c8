// Runs a benchmark the way the product runs: bundled by esbuild like dist/server.js and run by plain
// node, not through a TypeScript loader (whose own memory and start-up would be counted as ours).
// Usage: node scripts/bench.mjs <render|check|scale|homelab|complexity|diff> [benchmark arguments]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const [name, ...args] = process.argv.slice(2);
if (!['render', 'check', 'scale', 'homelab', 'complexity', 'diff'].includes(name ?? '')) {
  console.error('usage: node scripts/bench.mjs <render|check|scale|homelab|complexity|diff> [arguments]');
  process.exit(2);
}
// Written under .bench/ at the repository root, so that the bundle's __dirname/.. is the repository.
const outfile = path.join('.bench', `${name}.js`);
await esbuild.build({
  entryPoints: [`bench/${name}.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
