#!/usr/bin/env node
// Browser-driven end-to-end run of the extension in a real VS Code (code-server + Debian Chromium through
// Playwright), as a user would: open the sample fleet, open the Flux Environments view, run "Preview
// Rendered…" from the palette, see a diagnostic in the Problems panel, compare two environments, see what an
// unsaved edit changes in the Rendered Changes view. Each step saves the screenshot the README shows
// (docs/images/*.png). Exit code 0 when every step passed, else 1.
// The fleet is a temp copy (a git repository with one promotion, for the Promotions tree, and one mistake
// typed into an editor for the Problems panel): the sample itself is never touched.
// Usage: node test/e2e/screenshots.js   (npm run test:e2e builds and installs code-server first)
// Env: E2E_OUT (screenshot folder, default docs/images), VSCODE_TEST_KEEP=1 (keep code-server's logs).
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startCodeServer, launchBrowser, workbenchUrl, missingPieces } = require('../../scripts/vscode-harness');

const ROOT = path.resolve(__dirname, '..', '..');
const SAMPLE = [path.join(ROOT, 'examples', 'fleet-infra'), path.join(ROOT, 'test', 'fixtures', 'fleet-infra')].find((p) =>
  fs.existsSync(p),
);
const OUT = path.resolve(process.env.E2E_OUT || path.join(ROOT, 'docs', 'images'));
const VIEWPORT = { width: 1440, height: 900 };
const STEP_TIMEOUT_MS = 15000;
const STAGING_IMAGES = 'images:\n- name: ghcr.io/my-org/my-app\n  newTag: 1.1.0\n';

function git(cwd, ...args) {
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Pat Promoter',
    GIT_AUTHOR_EMAIL: 'pat@example.com',
    GIT_COMMITTER_NAME: 'Pat Promoter',
    GIT_COMMITTER_EMAIL: 'pat@example.com',
  };
  return execFileSync('git', args, { cwd, encoding: 'utf8', env }).trim();
}

/** The sample as a git repository where staging runs a newer my-app, promoted once (on a promote branch). */
function makeFleet(tmp) {
  const fleet = path.join(tmp, 'fleet-infra');
  fs.cpSync(SAMPLE, fleet, { recursive: true });
  // The sample's staging already runs the newer my-app; the test fixture's copy gets it here.
  const staging = path.join(fleet, 'apps', 'staging', 'kustomization.yaml');
  if (!/^images:/m.test(fs.readFileSync(staging, 'utf8'))) fs.appendFileSync(staging, STAGING_IMAGES);
  git(fleet, 'init', '-q', '-b', 'main');
  git(fleet, 'config', 'user.name', 'Pat Promoter');
  git(fleet, 'config', 'user.email', 'pat@example.com');
  git(fleet, 'add', '-A');
  git(fleet, 'commit', '-q', '-m', 'fleet');
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'promote', '--from', 'staging', '--to', 'production', '--yes', '--no-push'],
    { cwd: fleet, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } },
  );
  return fleet;
}

/** Types into the open quick input and clicks the row showing `text` (Enter would take whichever row ranks first). */
async function pickInQuickInput(page, text, typed = text) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(typed);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: typed.startsWith('>') ? 3000 : STEP_TIMEOUT_MS });
  await row.click();
}

/** Runs a command by its palette label, retrying while the extension is still registering it. */
async function runCommand(page, label) {
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.keyboard.press('F1');
    try {
      await pickInQuickInput(page, label, '>' + label);
      return;
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  throw new Error('command not found in the palette: ' + label);
}

async function openFile(page, relative) {
  await page.keyboard.press('Control+P');
  await pickInQuickInput(page, path.dirname(relative), relative);
  await page
    .locator('.tabs-container .tab', { hasText: path.basename(relative) })
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

async function main() {
  const missing = missingPieces();
  if (missing.length > 0) {
    console.error(`e2e: cannot run: ${missing.join('; ')}`);
    return 1;
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) {
    console.error('e2e: dist/extension.js is missing; run npm run build first');
    return 1;
  }
  fs.mkdirSync(OUT, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-e2e-'));
  const failures = [];
  let cs;
  let browser;
  try {
    const fleet = makeFleet(tmp);
    cs = await startCodeServer({
      smokeDriver: false,
      installExtensions: [ROOT],
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': false },
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: VIEWPORT });
    const shot = (name) => page.screenshot({ path: path.join(OUT, name) });
    const step = async (name, run) => {
      const started = Date.now();
      try {
        await run();
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failures.push(name);
        console.error(`FAIL ${name}: ${error && error.message ? error.message.split('\n')[0] : error}`);
        await page.screenshot({ path: path.join(tmp, `failed-${failures.length}.png`) }).catch(() => {});
      }
    };

    await step('open the fleet in VS Code', async () => {
      await page.goto(workbenchUrl(cs, { folder: fleet }));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await page.locator('.explorer-folders-view, .part.sidebar').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    });

    await step('open the Flux Environments view (trees.png)', async () => {
      await runCommand(page, 'Flux Environments: Show Environments');
      const sidebar = page.locator('.part.sidebar');
      await sidebar.locator('.monaco-list-row', { hasText: 'production' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      // Expand production to its Flux Kustomizations, and show the promotion made above.
      await sidebar.locator('.monaco-list-row', { hasText: 'production' }).first().click();
      await sidebar.locator('.monaco-list-row', { hasText: 'staging → production' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const promotion = sidebar.locator('.monaco-list-row', { hasText: 'staging → production' }).first();
      await promotion.locator('.monaco-tl-twistie').click(); // expand to what moved
      await sidebar.locator('.monaco-list-row', { hasText: '1.0.0 → 1.1.0' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await promotion.locator('.label-name').first().click(); // opens the commit
      await page.locator('.tabs-container .tab').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.waitForTimeout(800);
      await shot('trees.png');
    });

    await step('Preview Rendered… from the palette (preview.png)', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Flux Environments: Preview Rendered…');
      await pickInQuickInput(page, 'production');
      await page.locator('.tabs-container .tab', { hasText: 'production (environment)' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.editor-instance .view-lines', { hasText: 'apiVersion' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.waitForTimeout(800);
      await shot('preview.png');
    });

    await step('Compare Environments… staging with production (compare.png)', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Flux Environments: Compare Environments…');
      await pickInQuickInput(page, 'staging');
      await pickInQuickInput(page, 'production');
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.monaco-diff-editor .view-lines', { hasText: 'apiVersion' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.waitForTimeout(800);
      await shot('compare.png');
    });
    await step('a diagnostic in the Problems panel (problems.png)', async () => {
      await runCommand(page, 'View: Close All Editors');
      await openFile(page, 'apps/production/kustomization.yaml');
      // The mistake, typed like a user would: a resource file that does not exist (the buffer is never saved).
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type('7');
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('Escape'); // a suggestion widget would take the Enter
      await page.keyboard.press('Enter');
      await page.keyboard.insertText('- ingress.yaml');
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel
        .locator('.monaco-list-row', { hasText: "'ingress.yaml' in resources does not exist" })
        .first()
        .waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.waitForTimeout(500);
      await shot('problems.png');
    });
    await step("the Rendered Changes view after an unsaved edit, and an object's rendered diff (rendered-changes.png)", async () => {
      // The Problems step left its mistake unsaved in the active editor: revert it before closing.
      await runCommand(page, 'File: Revert File');
      await runCommand(page, 'View: Close All Editors');
      await openFile(page, 'apps/production/my-app-patch.yaml');
      // An unsaved edit, typed like a user would: production's replicas 5 -> 8.
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type('7');
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace');
      await page.keyboard.insertText('8');
      await runCommand(page, 'Flux Environments: Focus on Rendered Changes View');
      const sidebar = page.locator('.part.sidebar');
      const row = sidebar.locator('.monaco-list-row', { hasText: 'Deployment production/my-app' }).first();
      await row.waitFor({ timeout: STEP_TIMEOUT_MS });
      await row.click();
      await page.locator('.monaco-diff-editor .view-lines', { hasText: 'replicas' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.waitForTimeout(800);
      await shot('rendered-changes.png');
    });
  } catch (error) {
    failures.push(`setup: ${error && error.message ? error.message : error}`);
    console.error(`FAIL setup: ${error && error.stack ? error.stack : error}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    const keep = failures.length > 0 || !!process.env.VSCODE_TEST_KEEP;
    if (cs) await cs.stop({ keep });
    if (keep) console.error(`e2e: logs and failure screenshots kept in ${tmp}${cs ? ` and ${cs.tmp}` : ''}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    failures.length === 0
      ? `e2e: all steps passed; screenshots in ${path.relative(ROOT, OUT) || OUT}`
      : `e2e: ${failures.length} step(s) failed: ${failures.join('; ')}`,
  );
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
