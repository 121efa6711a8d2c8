// Bundles the three entry points: the VS Code client, the language server and the fluxenv CLI.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};
const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // The executable runs `render` from its own small bundle and loads dist/fluxenv.js for the other commands.
  { entryPoints: ['server/src/cli/entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./fluxenv.js'] },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/fluxenv.js' },
];
import { existsSync } from 'node:fs';
const present = builds.filter((b) => existsSync(b.entryPoints[0]));
if (watch) {
  for (const b of present) (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(present.map((b) => esbuild.build({ ...common, ...b })));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
