// The Environments tree on three fleets of the layout corpus (test/fixtures/layouts: the flux-instance chart
// as values, an ArtifactGenerator monorepo, a hub and its spokes) opened as one multi-root workspace (runTest.js:
// a .code-workspace over temp copies). Each fleet's environments are under its workspace folder (two fleets
// have a staging and a production), in promotion order, each with its Flux Kustomizations as applied in
// dependsOn order and their objects; a root guessed from the layout says so; every tree item has its own id
// (VS Code refuses to draw a tree with two equal ids); an environment renders from its own fleet.
// test/unit/fleet/layouts.test.ts holds the same facts for `fluxenv environments`.
/* global describe, it, before */
const assert = require('assert');
const vscode = require('vscode');
const { waitFor, workbenchTexts } = require('./helpers');
const { api, documentText } = require('./sampleHelpers');

const FLEETS = ['flux-instance-values', 'artifact-generator', 'hub-and-spoke'];

/** What each layout's tree must show: environments in promotion order, Kustomization names in dependsOn order. */
const EXPECTED = {
  // One cluster, rooted by the flux-instance chart's values: a guess from the HelmRelease, so inferred.
  'flux-instance-values': {
    'flux-instance-values': {
      inferred: true,
      kustomizations: ['cert-manager', 'echo', 'cluster-apps', 'flux-operator', 'flux-instance', 'flux-system'],
    },
  },
  // Bootstrapped clusters (not inferred) whose Kustomizations build inside the ArtifactGenerator's ExternalArtifacts.
  'artifact-generator': {
    staging: { inferred: false, kustomizations: ['flux-system', 'infra-controllers', 'infra-configs', 'apps'] },
    production: { inferred: false, kustomizations: ['flux-system', 'infra-controllers', 'infra-configs', 'apps'] },
  },
  // The spokes are clusters only through the hub's spec.kubeConfig: inferred; the hub is bootstrapped.
  'hub-and-spoke': {
    staging: { inferred: true, kustomizations: ['infra-controllers', 'infra-configs', 'apps'] },
    hub: { inferred: false, kustomizations: ['flux-system'] },
    production: { inferred: true, kustomizations: ['infra-controllers', 'infra-configs', 'apps'] },
  },
};

function label(item) {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function tooltipText(item) {
  return typeof item.tooltip === 'string' ? item.tooltip : item.tooltip.value;
}

describe('Environments tree on a multi-root workspace of three fleets', function () {
  this.timeout(40000);
  let environments;
  let folders;

  before(async () => {
    assert.deepStrictEqual(
      (vscode.workspace.workspaceFolders || []).map((f) => f.name),
      FLEETS,
      'the session opened the .code-workspace',
    );
    ({ environments } = await api());
    folders = await waitFor(
      'the Environments tree to fill',
      () => environments.getChildren(),
      (nodes) => nodes.length > 0,
      15000,
    );
  });

  it('puts each fleet’s environments, in promotion order, under its workspace folder', async () => {
    assert.deepStrictEqual(
      folders.map((node) => label(environments.getTreeItem(node))),
      FLEETS,
    );
    for (const folder of folders) {
      const fleet = label(environments.getTreeItem(folder));
      const names = (await environments.getChildren(folder)).map((node) => label(environments.getTreeItem(node)));
      assert.deepStrictEqual(names, Object.keys(EXPECTED[fleet]), fleet);
    }
  });

  it('lists each environment’s own Kustomizations, every item with an id of its own', async () => {
    const ids = [];
    for (const folder of folders) {
      const fleet = label(environments.getTreeItem(folder));
      ids.push(environments.getTreeItem(folder).id);
      for (const environment of await environments.getChildren(folder)) {
        const name = label(environments.getTreeItem(environment));
        ids.push(environments.getTreeItem(environment).id);
        const kustomizations = await environments.getChildren(environment);
        assert.deepStrictEqual(
          kustomizations.map((node) => label(environments.getTreeItem(node))),
          EXPECTED[fleet][name].kustomizations,
          `${fleet} ${name}`,
        );
        ids.push(...kustomizations.map((node) => environments.getTreeItem(node).id));
      }
    }
    assert.strictEqual(new Set(ids).size, ids.length, `repeated ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
  });

  it('says so, in the description and the tooltip, when an environment’s root is inferred from the layout', async () => {
    for (const folder of folders) {
      const fleet = label(environments.getTreeItem(folder));
      for (const environment of await environments.getChildren(folder)) {
        const item = environments.getTreeItem(environment);
        const name = label(item);
        const { inferred, kustomizations } = EXPECTED[fleet][name];
        const where = `${fleet} ${name}`;
        assert.match(item.description, new RegExp(`^${kustomizations.length} Kustomizations?\\b`), where);
        assert.strictEqual(/root inferred/.test(item.description), inferred, `${where} description: ${item.description}`);
        assert.strictEqual(/inferred from the layout/.test(tooltipText(item)), inferred, `${where} tooltip: ${tooltipText(item)}`);
        assert.match(tooltipText(item), /Flux starts from:/, where);
      }
    }
  });

  it('expands every Kustomization to the objects it applies, grouped by kind; an object opens its file', async () => {
    for (const folder of folders) {
      for (const environment of await environments.getChildren(folder)) {
        for (const kustomization of await environments.getChildren(environment)) {
          const kinds = await environments.getChildren(kustomization);
          const where = `${environment.environment.name}/${kustomization.kustomization.name} of ${label(environments.getTreeItem(folder))}`;
          assert.ok(kinds.length > 0 && kinds.every((node) => node.type === 'kind'), `${where}: ${JSON.stringify(kinds)}`);
        }
      }
    }
    const [home] = await environments.getChildren(folders[0]);
    const kustomizations = await environments.getChildren(home);
    // flux-system: the Kustomization the flux-instance chart's values make, placed at the HelmRelease.
    const kinds = await environments.getChildren(kustomizations[kustomizations.length - 1]);
    const objects = await environments.getChildren(kinds[0]);
    assert.ok(objects.length > 0, `no objects under ${kinds[0].kind}`);
    const item = environments.getTreeItem(objects[0]);
    assert.strictEqual(item.command.command, 'fluxEnvironments.openLocation');
    await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
    assert.ok(vscode.window.activeTextEditor, 'the object’s defining file did not open');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says where spec.path points when it is inside an ExternalArtifact', async () => {
    const [staging] = await environments.getChildren(folders[FLEETS.indexOf('artifact-generator')]);
    const apps = (await environments.getChildren(staging)).find((node) => node.kustomization.name === 'apps');
    assert.match(tooltipText(environments.getTreeItem(apps)), /ExternalArtifact flux-system\/apps, which ArtifactGenerator/);
  });

  it('previews hub-and-spoke’s staging from hub-and-spoke, not from the other fleet with a staging', async () => {
    const hub = folders[FLEETS.indexOf('hub-and-spoke')];
    const [staging] = await environments.getChildren(hub);
    const uri = await vscode.commands.executeCommand('fluxEnvironments.preview', staging);
    const text = await documentText(uri, (t) => t.includes('# Kustomization:'), 'the staging preview');
    assert.match(text, /^# Kustomization: staging\/apps$/m);
    assert.doesNotMatch(text, /ExternalArtifact|# Kustomization: flux-system\/flux-system/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is drawn by VS Code: the view shows the three folders and their environments', async () => {
    await vscode.commands.executeCommand('fluxEnvironments.environments.focus');
    const rows = await waitFor(
      'the view to draw the tree',
      () => workbenchTexts('.part.sidebar .monaco-list-row'),
      (texts) =>
        FLEETS.every((fleet) => texts.some((row) => row.startsWith(fleet))) &&
        texts.filter((row) => row.startsWith('staging')).length === 2,
      15000,
    );
    assert.ok(
      rows.some((row) => row.startsWith('hub')),
      JSON.stringify(rows),
    );
  });
});
