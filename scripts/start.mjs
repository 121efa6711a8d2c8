#!/usr/bin/env node
// npm start: the bundled sample fleet (examples/fleet-infra) in a real VS Code with this extension loaded.
// The sample is copied to a temp folder and made a git repository (one commit), so a promotion from staging
// (which runs a newer my-app) to production works out of the box and commits there, never into this clone.
// The local `code` when it is on PATH (as an extension under development); otherwise code-server from
// scripts/setup-vscode-server.sh, with the extension installed, served on loopback for a browser. Runs
// until Ctrl+C, SIGTERM or SIGHUP (the terminal closed), then stops what it started.
// `node scripts/start.mjs --prepare-only [--into <folder>]` makes the copy (in <folder>/fleet-infra, replacing
// it, when given), prints its folder and exits: .vscode/launch.json uses it to run F5 on .sample/fleet-infra.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(ROOT, 'examples', 'fleet-infra');
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function git(cwd, ...args) {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${(run.stderr || run.stdout || String(run.error)).trim()}`);
  return run.stdout.trim();
}

/** A copy of the sample fleet (in a new temp folder, or `into`), as a git repository with one commit on main. */
function copySample(into) {
  const fleet = path.join(into ? path.resolve(into) : fs.mkdtempSync(path.join(os.tmpdir(), 'flux-environments-sample-')), 'fleet-infra');
  fs.rmSync(fleet, { recursive: true, force: true });
  fs.cpSync(SAMPLE, fleet, { recursive: true });
  git(fleet, 'init', '-q', '-b', 'main');
  // Promotions commit here: an identity for this repository only when git has none configured.
  if (spawnSync('git', ['config', 'user.email'], { cwd: fleet }).status !== 0) {
    git(fleet, 'config', 'user.name', 'Flux Environments sample');
    git(fleet, 'config', 'user.email', 'sample@flux-environments.invalid');
  }
  git(fleet, 'add', '-A');
  git(fleet, 'commit', '-q', '-m', 'Sample fleet: staging runs my-app 1.1.0, production 1.0.0');
  return fleet;
}

function describeCopy(fleet) {
  return `The sample fleet is a git repository at ${fleet} (a copy: promotions commit there, not in ${ROOT}).\nIt stays after you stop; delete it when you are done.`;
}

/** Runs `stop` once on Ctrl+C, SIGTERM or SIGHUP. */
function onStop(stop) {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    });
  }
}

function hasLocalCode() {
  if (process.env.FLUX_ENV_START_BROWSER) return false;
  const probe = spawnSync('code', ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

async function withLocalCode(fleet) {
  console.log(`Opening the sample fleet in VS Code with the extension under development (${ROOT}).\n${describeCopy(fleet)}`);
  // --wait keeps this process alive (and the stop signals meaningful) while the window is open.
  const code = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${ROOT}`, fleet], { stdio: 'inherit' });
  onStop(() => code.kill('SIGTERM'));
  code.on('exit', (status) => process.exit(status ?? 0));
}

async function withCodeServer(fleet) {
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
  const url = `http://${server.authority}/?folder=${encodeURIComponent(fleet)}`;
  console.log(
    `\nFlux Environments on the sample fleet, in VS Code (code-server) at:\n\n  ${url}\n\n${describeCopy(fleet)}\nPress Ctrl+C to stop. (logs: ${server.tmp})`,
  );
  onStop(async (signal) => {
    // After SIGHUP the terminal is gone: writing to it could fail, so only the stop itself matters.
    if (signal !== 'SIGHUP') console.log('\nStopping code-server…');
    await server.stop({ keep: false });
    process.exit(0);
  });
  // Keeps the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

const into = process.argv.indexOf('--into');
const fleet = copySample(into >= 0 ? process.argv[into + 1] : undefined);
if (process.argv.includes('--prepare-only')) console.log(fleet);
else if (hasLocalCode()) await withLocalCode(fleet);
else await withCodeServer(fleet);
