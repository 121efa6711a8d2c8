// The Environments tree in a real VS Code on a layout of the corpus (test/fixtures/layouts), one window per
// layout (runTest.js opens a temp copy and names it in FLUX_ENV_TEST_LAYOUT): the environments Flux implies,
// each one's Flux Kustomizations as applied in dependsOn order, their objects, and roots that are guesses
// from the layout saying so. test/unit/fleet/layouts.test.ts holds the same facts for `fluxenv environments`.
/* global describe, it, before */
const assert = require('assert');
const vscode = require('vscode');
const { waitFor } = require('./helpers');
const { api } = require('./sampleHelpers');

const LAYOUT = process.env.FLUX_ENV_TEST_LAYOUT;

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

describe(`Environments tree on the ${LAYOUT} layout`, function () {
  this.timeout(40000);
  const expected = EXPECTED[LAYOUT];
  let environments;
  let roots;

  before(async () => {
    assert.ok(expected, `FLUX_ENV_TEST_LAYOUT names no known layout: ${JSON.stringify(LAYOUT)}`);
    ({ environments } = await api());
    roots = await waitFor(
      'the Environments tree to fill',
      () => environments.getChildren(),
      (nodes) => nodes.length > 0,
      15000,
    );
  });

  it('lists the environments Flux implies, in promotion order', () => {
    assert.deepStrictEqual(
      roots.map((node) => label(environments.getTreeItem(node))),
      Object.keys(expected),
    );
  });

  it('lists each environment’s Flux Kustomizations as applied, in dependsOn order', async () => {
    for (const node of roots) {
      const name = label(environments.getTreeItem(node));
      const children = await environments.getChildren(node);
      assert.deepStrictEqual(
        children.map((child) => label(environments.getTreeItem(child))),
        expected[name].kustomizations,
        name,
      );
      const item = environments.getTreeItem(node);
      const count = expected[name].kustomizations.length;
      assert.match(item.description, new RegExp(`^${count} Kustomizations?\\b`), name);
    }
  });

  it('says so, in the description and the tooltip, when an environment’s root is inferred from the layout', () => {
    for (const node of roots) {
      const item = environments.getTreeItem(node);
      const name = label(item);
      const { inferred } = expected[name];
      assert.strictEqual(/root inferred/.test(item.description), inferred, `${name} description: ${item.description}`);
      assert.strictEqual(/inferred from the layout/.test(tooltipText(item)), inferred, `${name} tooltip: ${tooltipText(item)}`);
      assert.match(tooltipText(item), /Flux starts from:/, name);
    }
  });

  it('expands every Kustomization to the objects it applies, grouped by kind; an object opens its file', async () => {
    for (const environment of roots) {
      for (const kustomization of await environments.getChildren(environment)) {
        const kinds = await environments.getChildren(kustomization);
        const where = `${label(environments.getTreeItem(environment))}/${kustomization.kustomization.name}`;
        assert.ok(kinds.length > 0 && kinds.every((node) => node.type === 'kind'), `${where}: ${JSON.stringify(kinds)}`);
      }
    }
    const last = roots[roots.length - 1];
    const kustomizations = await environments.getChildren(last);
    const kinds = await environments.getChildren(kustomizations[kustomizations.length - 1]);
    const objects = await environments.getChildren(kinds[0]);
    assert.ok(objects.length > 0, `no objects under ${kinds[0].kind}`);
    const item = environments.getTreeItem(objects[0]);
    assert.strictEqual(item.command.command, 'fluxEnvironments.openLocation');
    await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
    assert.ok(vscode.window.activeTextEditor, 'the object’s defining file did not open');
  });

  if (LAYOUT === 'artifact-generator') {
    it('says where spec.path points when it is inside an ExternalArtifact', async () => {
      const [staging] = roots;
      const apps = (await environments.getChildren(staging)).find((node) => node.kustomization.name === 'apps');
      assert.match(tooltipText(environments.getTreeItem(apps)), /ExternalArtifact flux-system\/apps, which ArtifactGenerator/);
    });
  }
});
