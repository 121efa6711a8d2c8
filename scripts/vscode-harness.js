#!/usr/bin/env node
// Runs VS Code extension tests and UI checks in a real VS Code (code-server 1.139.1 workbench + its Node
// extension host) driven by headless Chromium, because no desktop VS Code or Electron binary can be
// downloaded in CI. Install the pieces once with scripts/setup-vscode-server.sh.
//
// Way A (CLI). It accepts the arguments @vscode/test-electron's runTests passes, so this file can be its
// `vscodeExecutablePath` (keep it executable, with the shebang):
//   vscode-harness.js --extensionDevelopmentPath=EXT_DIR --extensionTestsPath=TESTS_MODULE [WORKSPACE_FOLDER]
//   exit code: 0 tests passed, 1 tests failed or the test module threw / could not load, 2 timeout, 3 harness error.
//   Other flags (--no-sandbox, --user-data-dir=..., --disable-extensions, ...) are accepted and ignored:
//   each run gets its own fresh user-data and extensions dirs.
// Way B (module): startCodeServer, launchBrowser, workbenchUrl, runCommand drive the real workbench.
// Way A tests can read what the workbench shows: helpers.js workbenchTexts(selector) (VSCODE_HARNESS_QUERY_DIR).
// Env: VSCODE_SERVER_DIR (install dir; default <repo>/.vscode-server-test), CHROMIUM (default /usr/bin/chromium),
//      VSCODE_TEST_TIMEOUT_MS (default 120000), VSCODE_TEST_VERBOSE=1 (echo the whole workbench console),
//      VSCODE_TEST_KEEP=1 (keep the run's temp dir even when it passed).
// Environment variables of this process reach the extension host and the processes it starts.
const { spawn } = require('child_process');
const { Buffer } = require('buffer');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const util = require('util');

const SERVER_DIR = process.env.VSCODE_SERVER_DIR || path.join(__dirname, '..', '.vscode-server-test');
const CODE_SERVER = path.join(SERVER_DIR, 'node_modules', 'code-server');
// code-server runs only on Node 24, which setup installed from the npm "node" package.
const NODE = path.join(SERVER_DIR, 'node_modules', '.bin', 'node');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// User settings that keep VS Code offline and quiet (no telemetry, marketplace, git, AI, schema downloads).
const SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.autofetch': false,
  'github.gitAuthentication': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'security.workspace.trust.enabled': false,
  // Tests edit fixture files in unsaved buffers; nothing may write them back.
  'files.autoSave': 'off',
  'files.hotExit': 'off',
};

/** What is missing for a run, in words a user can act on; empty when everything is installed. */
function missingPieces() {
  const missing = [];
  if (!fs.existsSync(path.join(CODE_SERVER, 'out', 'node', 'entry.js')) || !fs.existsSync(NODE)) {
    missing.push(`code-server is not installed in ${SERVER_DIR} (run: bash scripts/setup-vscode-server.sh)`);
  }
  if (!fs.existsSync(CHROMIUM)) missing.push(`no Chromium at ${CHROMIUM} (run: bash scripts/setup-vscode-server.sh, or set CHROMIUM)`);
  return missing;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHttp(url, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('code-server exited during startup');
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not come up within ${timeoutMs} ms: ${url}`);
}

// Cleanups for what this harness started (process groups, temp dirs), run on SIGINT/SIGTERM
// (runTests forwards Ctrl+C as SIGINT).
const running = new Set();

/**
 * Starts code-server on a free loopback port with a fresh user-data and extensions dir under $TMPDIR/vscode-e2e-*.
 * smokeDriver: needed for ?payload= (extension development + tests); it also suppresses notification toasts.
 * installExtensions: extension folders symlinked into the fresh --extensions-dir as <publisher>.<name>-<version>,
 *   which VS Code registers as installed when it first initialises that empty dir (Way B without the driver).
 */
async function startCodeServer({ env = {}, extraArgs = [], settings = {}, smokeDriver = true, installExtensions = [] } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-'));
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir);
  for (const extension of installExtensions) {
    const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
    const id = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
    fs.symlinkSync(path.resolve(extension), path.join(extensionsDir, id));
  }
  const userDir = path.join(tmp, 'user-data', 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  const port = await freePort();
  const server = spawn(
    NODE,
    [
      path.join(CODE_SERVER, 'out', 'node', 'entry.js'),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--config',
      path.join(tmp, 'config.yaml'), // else it writes ~/.config/code-server/config.yaml
      '--user-data-dir',
      path.join(tmp, 'user-data'),
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...extraArgs,
    ],
    {
      env: {
        ...process.env,
        EXTENSIONS_GALLERY: '{}', // no marketplace (code-server's default is open-vsx.org)
        // keep ~/.config, ~/.local/share/code-server and ~/.cache/Microsoft untouched
        XDG_CONFIG_HOME: path.join(tmp, 'xdg', 'config'),
        XDG_DATA_HOME: path.join(tmp, 'xdg', 'data'),
        XDG_CACHE_HOME: path.join(tmp, 'xdg', 'cache'),
        ...env, // inherited by the extension host and the language server it forks
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so stop() ends the server, extension host and language server
    },
  );
  let hasExited = false;
  const exited = new Promise((resolve) =>
    server.once('exit', () => {
      hasExited = true;
      resolve();
    }),
  );
  const log = fs.createWriteStream(path.join(tmp, 'server.log'));
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  const killGroup = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  const onInterrupt = () => {
    killGroup();
    console.error(`[vscode-harness] interrupted; logs kept in ${tmp}`);
  };
  running.add(onInterrupt);
  const authority = `127.0.0.1:${port}`;
  const handle = {
    tmp,
    port,
    authority,
    remoteUri: (p) => `vscode-remote://${authority}${path.resolve(p)}`,
    /** Stops the process group; keep=false deletes the run's temp dir (logs). */
    stop: async ({ keep = true } = {}) => {
      running.delete(onInterrupt);
      killGroup();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (!keep) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  try {
    await waitForHttp(`http://${authority}/healthz`, 30000, () => hasExited);
  } catch (error) {
    await handle.stop();
    throw new Error(`${error.message}; see ${path.join(tmp, 'server.log')}`);
  }
  return handle;
}

async function launchBrowser() {
  const { chromium } = require('playwright-core'); // never downloads a browser: we pass Debian's Chromium
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  const removeHome = () => fs.rmSync(home, { recursive: true, force: true });
  running.add(removeHome);
  browser.on('disconnected', () => {
    running.delete(removeHome);
    removeHome();
  });
  return browser;
}

/**
 * The workbench URL that opens `folder` and, through ?payload= (honoured only with the smoke-test driver),
 * loads an extension under development and/or runs an extensionTestsPath module. The payload values must be
 * vscode-remote:// URIs whose authority is exactly the page's host:port.
 */
function workbenchUrl(cs, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  const developmentPaths = [].concat(extensionDevelopmentPath || []);
  for (const p of developmentPaths) payload.push(['extensionDevelopmentPath', cs.remoteUri(p)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', cs.remoteUri(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  let url = `http://${cs.authority}/?payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
  if (folder) url += `&${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(path.resolve(folder))}`;
  return url;
}

/** Way B: runs a command by its palette label (F1), retrying while the extension is still registering it. */
async function runCommand(page, label, { attempts = 20 } = {}) {
  for (let i = 0; i < attempts; i++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill('>' + label);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    if (
      await row.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    ) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
  throw new Error('command not found in the palette: ' + label);
}

/** The env var naming the folder where the harness answers a test's workbench queries. */
const QUERY_DIR_ENV = 'VSCODE_HARNESS_QUERY_DIR';
// `[workbench-query] <id> <css selector, base64> [/workbench-query]`, logged by test/vscode/suite/helpers.js
// workbenchTexts(); base64 and an end mark because the forwarded console line may carry text around it.
const QUERY_LINE = /\[workbench-query\] ([a-z0-9-]+) ([A-Za-z0-9+/=]+) \[\/workbench-query\]/;

/** Writes `<id>.json`: the inner text of every element the selector matches now (written whole, then renamed). */
async function answerQuery(page, folder, id, selector) {
  let answer;
  try {
    answer = { texts: await page.locator(selector).allInnerTexts() };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  const file = path.join(folder, `${id}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
  fs.renameSync(`${file}.tmp`, file);
}

const WORKBENCH_NOISE =
  /^(Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[AccountPolicyGate\])/;
const START_MARKER = '--- extension tests start ---';
const END_MARKER = '--- extension tests end ---';

/**
 * Way A: runs an extensionTestsPath module (exports run(): Promise<void>) in the extension host and resolves
 * to the exit code. Only what the test module prints between its start/end markers is echoed, because the
 * smoke driver forwards the workbench's console and the extension host's console mixed together.
 */
async function runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, folder, env = {}, timeoutMs = 120000, verbose = false }) {
  // What the workbench shows (view welcome text, tree rows) is in the page, which extension tests cannot
  // read: a test logs a query line and reads the answer from a file in this folder (see answerQuery).
  const queries = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-queries-'));
  const cs = await startCodeServer({ env: { ...env, [QUERY_DIR_ENV]: queries } });
  let browser;
  let code = 3;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    let onExit;
    const exited = new Promise((resolve) => (onExit = resolve));
    const workbenchLog = fs.createWriteStream(path.join(cs.tmp, 'workbench.log'));
    let echo = verbose;
    // Both must be exposed before page.goto: the workbench looks for them while it starts.
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...args);
      workbenchLog.write(line + '\n');
      const query = QUERY_LINE.exec(line);
      if (query) {
        void answerQuery(page, queries, query[1], Buffer.from(query[2], 'base64').toString('utf8'));
        return;
      }
      if (line.includes(START_MARKER)) echo = true;
      if (echo && !WORKBENCH_NOISE.test(line)) console.log(line);
      if (line.includes(END_MARKER)) echo = verbose;
    });
    // Called once run() settled and the extension host ended: 0 = resolved, 1 = rejected, threw or did not load.
    await page.exposeFunction('codeAutomationExit', (exitCode) => onExit(exitCode));
    await page.goto(workbenchUrl(cs, { folder, extensionDevelopmentPath, extensionTestsPath }));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      console.error(`[vscode-harness] timed out after ${timeoutMs} ms; logs and timeout.png in ${cs.tmp}`);
      await page.screenshot({ path: path.join(cs.tmp, 'timeout.png') }).catch(() => {});
      code = 2;
    } else {
      code = outcome === 0 ? 0 : 1;
    }
    return code;
  } finally {
    if (browser) await browser.close().catch(() => {});
    // Failed runs keep server.log, workbench.log and user-data/logs/*/exthost1/remoteexthost.log.
    const keep = code !== 0 || !!process.env.VSCODE_TEST_KEEP;
    await cs.stop({ keep });
    fs.rmSync(queries, { recursive: true, force: true });
    if (keep) console.error(`[vscode-harness] logs kept in ${cs.tmp}`);
  }
}

function parseArgs(argv) {
  const developmentPaths = [];
  const positional = [];
  let testsPath;
  for (const arg of argv) {
    let m;
    if ((m = /^--extensionDevelopmentPath=(.*)$/.exec(arg))) developmentPaths.push(m[1]);
    else if ((m = /^--extensionTestsPath=(.*)$/.exec(arg))) testsPath = m[1];
    else if (!arg.startsWith('-')) positional.push(arg);
  }
  return { developmentPaths, testsPath, folder: positional[0] };
}

module.exports = { startCodeServer, launchBrowser, workbenchUrl, runCommand, runExtensionTests, missingPieces, SETTINGS };

if (require.main === module) {
  const { developmentPaths, testsPath, folder } = parseArgs(process.argv.slice(2));
  if (!developmentPaths.length || !testsPath) {
    console.error('usage: vscode-harness.js --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE [FOLDER]');
    process.exit(3);
  }
  const missing = missingPieces();
  if (missing.length) {
    for (const m of missing) console.error('[vscode-harness] ' + m);
    process.exit(3);
  }
  const stopAll = (signal) => {
    for (const cleanup of running) cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  const started = Date.now();
  runExtensionTests({
    extensionDevelopmentPath: developmentPaths,
    extensionTestsPath: path.resolve(testsPath),
    folder,
    timeoutMs: Number(process.env.VSCODE_TEST_TIMEOUT_MS || 120000),
    verbose: !!process.env.VSCODE_TEST_VERBOSE,
  }).then(
    (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`[vscode-harness] exit code ${code} after ${seconds} s`);
      process.exit(code);
    },
    (error) => {
      console.error('[vscode-harness] error:', error && error.message ? error.message : error);
      process.exit(3);
    },
  );
}
