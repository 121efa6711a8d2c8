// In a real VS Code on a temp fleet repository with a bare origin (made by runTest.js, see promoteWorkspace.js):
// "Promote to Production…" end to end, the questions answered by stubbing the window's prompts, then the git
// result read with git plumbing and the Promotions tree; a declined run and an untrusted run change nothing.
/* global describe, it, before, afterEach */
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const { EXTENSION_ID, waitFor } = require('./helpers');

const PROPOSED_SCHEME = 'flux-environments-promotion';

function git(...args) {
  const [folder] = vscode.workspace.workspaceFolders || [];
  return execFileSync('git', args, { cwd: folder.uri.fsPath, encoding: 'utf8' }).trim();
}

/** Every ref and the status of the work tree: what "changes nothing" compares. */
function repositoryState() {
  return {
    refs: git('for-each-ref', '--format=%(refname) %(objectname)'),
    status: git('status', '--porcelain'),
    head: git('symbolic-ref', 'HEAD'),
  };
}

/** Replaces window prompts with scripted answers; `restore()` puts the originals back. */
function stubPrompts(answers) {
  const calls = { quickPicks: [], information: [], warnings: [], errors: [] };
  const originals = {
    showQuickPick: vscode.window.showQuickPick,
    showInformationMessage: vscode.window.showInformationMessage,
    showWarningMessage: vscode.window.showWarningMessage,
    showErrorMessage: vscode.window.showErrorMessage,
  };
  vscode.window.showQuickPick = async (items, options) => {
    const list = await items;
    calls.quickPicks.push({ title: options && options.title, items: list.map((i) => `${i.label}: ${i.description || ''}`) });
    return options && options.canPickMany ? list.filter((i) => i.picked) : list[0];
  };
  const answer =
    (kind) =>
    async (message, ...rest) => {
      const buttons = rest.filter((r) => typeof r === 'string');
      calls[kind].push({ message, buttons, modal: typeof rest[0] === 'object' && rest[0] !== null && rest[0].modal === true });
      return answers(message, buttons);
    };
  vscode.window.showInformationMessage = answer('information');
  vscode.window.showWarningMessage = answer('warnings');
  vscode.window.showErrorMessage = answer('errors');
  return { calls, restore: () => Object.assign(vscode.window, originals) };
}

function promotionTabs() {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSED_SCHEME)
    .map((t) => t.input.modified.path);
}

describe('Promote to Production… in VS Code', function () {
  this.timeout(60000);
  let stub;
  /** The promotion commit, kept once its branch is deleted (the pushed copy is what gets merged). */
  let promotedCommit;
  afterEach(() => stub && stub.restore());

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor(
      'the extension to activate',
      () => extension.isActive,
      (active) => active === true,
      30000,
    );
    await waitFor(
      'the Promotions tree to load',
      () => vscode.commands.executeCommand('fluxEnvironments.promotions.snapshot'),
      (items) => Array.isArray(items) && items.length === 1,
      30000,
    );
  });

  it('a declined confirmation changes nothing (after showing the changes and the diff of every edited file)', async () => {
    const before = repositoryState();
    stub = stubPrompts(() => undefined); // Escape on every question
    await vscode.commands.executeCommand('fluxEnvironments.promoteToProduction');
    assert.deepEqual(
      stub.calls.quickPicks.map((q) => q.items.sort()),
      [['cert-manager: 1.14.x → 1.15.x', 'my-app: 1.0.0 → 1.1.0']],
    );
    assert.deepEqual(promotionTabs().sort(), ['/apps/production/kustomization.yaml', '/infrastructure/production/kustomization.yaml']);
    assert.deepEqual(
      stub.calls.information.filter((c) => c.modal).map((c) => c.message),
      ['Promote staging → production?'],
    );
    assert.deepEqual(repositoryState(), before);
  });

  it('promotes staging to production on a pushed promote branch with trailers, and the Promotions tree lists it', async () => {
    const main = git('rev-parse', 'main');
    stub = stubPrompts((message, buttons) => (buttons.includes('Promote') ? 'Promote' : buttons.includes('Push') ? 'Push' : undefined));
    await vscode.commands.executeCommand('fluxEnvironments.promoteToProduction');
    const branches = git('for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/').split('\n').filter(Boolean);
    assert.equal(branches.length, 1, `promote branches: ${branches.join(', ')}; prompts: ${JSON.stringify(stub.calls)}`);
    assert.match(branches[0], /^promote\/production\/\d{8}-\d{6}$/);
    const commit = git('rev-parse', branches[0]);
    assert.equal(git('rev-parse', `${commit}^`), main, 'the promotion starts from main');
    assert.equal(git('rev-parse', 'main'), main, 'main did not move');
    assert.equal(git('symbolic-ref', '--short', 'HEAD'), 'main', 'the checkout stays on main');
    assert.equal(git('status', '--porcelain'), '', 'the work tree is untouched');
    assert.equal(
      git('diff-tree', '--no-commit-id', '--name-only', '-r', commit),
      'apps/production/kustomization.yaml\ninfrastructure/production/kustomization.yaml',
    );
    const trailers = git('log', '-1', '--format=%(trailers:only,unfold)', commit).split('\n').filter(Boolean);
    assert.deepEqual(trailers, [
      'Promotion: staging -> production',
      `Promoted-From-Commit: ${main}`,
      'Promoted: my-app 1.0.0 -> 1.1.0',
      'Promoted: cert-manager 1.14.x -> 1.15.x',
    ]);
    assert.match(git('show', `${commit}:apps/production/kustomization.yaml`), /newTag: 1\.1\.0/);
    const origin = git('remote', 'get-url', 'origin');
    assert.equal(
      execFileSync('git', ['rev-parse', `refs/heads/${branches[0]}`], { cwd: origin, encoding: 'utf8' }).trim(),
      commit,
      'pushed to origin',
    );
    const result = stub.calls.information.find((c) => !c.modal && /Committed/.test(c.message));
    assert.ok(result, `no result message: ${JSON.stringify(stub.calls.information)}`);
    assert.match(result.message, new RegExp(`on the new branch ${branches[0].replace(/\//g, '\\/')}`));
    // The push question names the remote; the "proposed" diffs close once the commit has landed.
    assert.deepEqual(
      stub.calls.information.filter((c) => c.buttons.includes('Push')).map((c) => c.message),
      ['Push the promotion branch to origin?'],
    );
    assert.deepEqual(promotionTabs(), []);

    const items = await waitFor(
      'the Promotions tree to list the promotion',
      () => vscode.commands.executeCommand('fluxEnvironments.promotions.snapshot'),
      (list) => list.some((i) => i.commit === commit),
    );
    assert.equal(items.length, 1);
    assert.equal(items[0].label, 'staging → production');
    assert.equal(items[0].contextValue, 'promotion');
    assert.match(items[0].description, /^Pat Promoter, /);
  });

  it('shows what the promotion changed in production, rendered: before the commit on the left, at it on the right', async () => {
    const [branch] = git('for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/').split('\n').filter(Boolean);
    const commit = git('rev-parse', branch);
    const pair = await vscode.commands.executeCommand('fluxEnvironments.showPromotionChanges', {
      kind: 'promotion',
      entry: { target: 'production', commit },
    });
    assert.deepEqual(pair, { environment: 'production', revision: `${commit}^`, headRevision: commit });
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab && tab.input instanceof vscode.TabInputTextDiff, 'no diff editor opened');
    const read = (uri, description) =>
      waitFor(
        description,
        async () => (await vscode.workspace.openTextDocument(uri)).getText(),
        (t) => t.includes('kind: Deployment'),
      );
    assert.match(await read(tab.input.original, 'production before the promotion'), /image: ghcr\.io\/my-org\/my-app:1\.0\.0/);
    assert.match(await read(tab.input.modified, 'production at the promotion'), /image: ghcr\.io\/my-org\/my-app:1\.1\.0/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses to revert a promotion that was never merged, before any question, naming its branch', async () => {
    const before = repositoryState();
    stub = stubPrompts(() => undefined);
    await vscode.commands.executeCommand('fluxEnvironments.revertPromotion');
    assert.deepEqual(stub.calls.warnings, [], 'no "Revert?" question');
    assert.equal(stub.calls.errors.length, 1, JSON.stringify(stub.calls));
    assert.match(
      stub.calls.errors[0].message,
      /^The promotion [0-9a-f]{12} was never merged into main, so there is nothing to revert there\. It is on promote\/production\/\d{8}-\d{6}\./,
    );
    assert.deepEqual(stub.calls.errors[0].buttons, ['Delete Branch'], 'it offers to delete the branch (declined here)');
    assert.deepEqual(repositoryState(), before);
  });

  it('deletes the unmerged promotion’s local branch when the offer is taken, and says what stays', async () => {
    const [branch] = git('for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/').split('\n').filter(Boolean);
    promotedCommit = git('rev-parse', branch);
    const origin = git('remote', 'get-url', 'origin');
    const main = git('rev-parse', 'main');
    stub = stubPrompts((message, buttons) => (buttons.includes('Delete Branch') ? 'Delete Branch' : undefined));
    await vscode.commands.executeCommand('fluxEnvironments.revertPromotion');
    assert.deepEqual(stub.calls.warnings, [], 'no "Revert?" question');
    assert.deepEqual(
      stub.calls.errors.map((c) => c.buttons),
      [['Delete Branch']],
    );
    assert.equal(git('for-each-ref', 'refs/heads/promote/'), '', 'the local promote branch is gone');
    assert.equal(git('rev-parse', 'main'), main, 'main did not move');
    assert.equal(git('status', '--porcelain'), '', 'the work tree is untouched');
    assert.equal(
      execFileSync('git', ['rev-parse', `refs/heads/${branch}`], { cwd: origin, encoding: 'utf8' }).trim(),
      promotedCommit,
      'the pushed copy stays on origin',
    );
    const told = stub.calls.information.map((c) => c.message).join('\n');
    assert.match(
      told,
      new RegExp(`^Deleted the branch ${branch.replace(/\//g, '\\/')} \\(it was ${promotedCommit.slice(0, 12)}\\)\\. .*pushed copy`, 'm'),
    );
    await waitFor(
      'the Promotions tree to drop the deleted promotion',
      () => vscode.commands.executeCommand('fluxEnvironments.promotions.snapshot'),
      (list) => Array.isArray(list) && !list.some((i) => i.commit === promotedCommit),
    );
  });

  it('previews a revert as a read-only diff, not an untitled buffer; declining changes nothing', async () => {
    // The promotion's pull request is merged (from the pushed copy): main now holds it, so it can be reverted.
    git('merge', '-q', '--ff-only', promotedCommit);
    await vscode.commands.executeCommand('fluxEnvironments.refreshPromotions');
    await waitFor(
      'the Promotions tree to list the merged promotion',
      () => vscode.commands.executeCommand('fluxEnvironments.promotions.snapshot'),
      (list) => Array.isArray(list) && list.some((i) => i.commit === promotedCommit),
    );
    const before = repositoryState();
    stub = stubPrompts(() => undefined); // picks the first promotion, then Escape on "Revert?"
    await vscode.commands.executeCommand('fluxEnvironments.revertPromotion');
    assert.match(stub.calls.warnings.map((c) => c.message).join('\n'), /^Revert the promotion staging → production/m);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no revert preview is shown');
    assert.equal(editor.document.uri.scheme, PROPOSED_SCHEME);
    assert.equal(editor.document.languageId, 'diff');
    assert.match(editor.document.getText(), /^-.*newTag: 1\.1\.0/m);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled), 'an untitled buffer was opened');
    assert.deepEqual(repositoryState(), before);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('in an untrusted workspace it asks nothing and changes nothing', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
    try {
      Object.defineProperty(vscode.workspace, 'isTrusted', { get: () => false, configurable: true });
    } catch {
      this.skip(); // the API object cannot be patched here; the server's own refusal is unit-tested
    }
    try {
      const before = repositoryState();
      stub = stubPrompts(() => undefined);
      await vscode.commands.executeCommand('fluxEnvironments.promoteToProduction');
      await vscode.commands.executeCommand('fluxEnvironments.revertPromotion');
      assert.deepEqual(stub.calls.quickPicks, []);
      assert.equal(stub.calls.warnings.length, 2);
      assert.match(stub.calls.warnings[0].message, /untrusted folder/);
      assert.deepEqual(repositoryState(), before);
    } finally {
      if (descriptor) Object.defineProperty(vscode.workspace, 'isTrusted', descriptor);
    }
  });
});
