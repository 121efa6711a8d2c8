#!/usr/bin/env node
// npm start: the bundled sample fleet (examples/fleet-infra) in a real VS Code with this extension loaded.
// The local `code` when it is on PATH (as an extension under development); otherwise code-server from
// scripts/setup-vscode-server.sh, with the extension installed, served on loopback for a browser. Runs
// until Ctrl+C, then stops what it started.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FLEET = path.join(ROOT, 'examples', 'fleet-infra');

function hasLocalCode() {
  if (process.env.FLUX_ENV_START_BROWSER) return false;
  const probe = spawnSync('code', ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

async function withLocalCode() {
  console.log(`Opening ${path.relative(ROOT, FLEET)} in VS Code with the extension under development (${ROOT}).`);
  // --wait keeps this process alive (and Ctrl+C meaningful) while the window is open.
  const code = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${ROOT}`, FLEET], { stdio: 'inherit' });
  process.once('SIGINT', () => code.kill('SIGTERM'));
  code.on('exit', (status) => process.exit(status ?? 0));
}

async function withCodeServer() {
  const setup = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup-vscode-server.sh')], { stdio: 'inherit', cwd: ROOT });
  if (setup.status !== 0) {
    console.error('Installing code-server failed (scripts/setup-vscode-server.sh); see above.');
    process.exit(1);
  }
  const require = createRequire(import.meta.url);
  const { startCodeServer, missingPieces } = require('./vscode-harness.js');
  const missing = missingPieces().filter((m) => !/Chromium/.test(m)); // no headless browser needed: the user brings one
  if (missing.length) {
    console.error(missing.join('\n'));
    process.exit(1);
  }
  const server = await startCodeServer({ smokeDriver: false, installExtensions: [ROOT] });
  const url = `http://${server.authority}/?folder=${encodeURIComponent(FLEET)}`;
  console.log(`\nFlux Environments on the sample fleet, in VS Code (code-server) at:\n\n  ${url}\n\nPress Ctrl+C to stop. (logs: ${server.tmp})`);
  const stop = async () => {
    console.log('\nStopping code-server…');
    await server.stop({ keep: false });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Keeps the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

if (hasLocalCode()) await withLocalCode();
else await withCodeServer();
