import { strict as assert } from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { environmentSummaries, problemCounts } from '../../../server/src/features/environments';
import { preview } from '../../../server/src/features/preview';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import type { Diagnostic } from '../../../server/src/rules/run';
import { copyFleetInfra, type FleetCopy } from './fleetInfraCopy';
import { makeFeatureFleet } from './harness';

describe('features/environments', () => {
  let fleet: FleetCopy;
  before(() => (fleet = copyFleetInfra()));
  after(() => fleet.dispose());

  const at = (rel: string, line: number, severity: Diagnostic['severity'] = 'warning'): Diagnostic => ({
    file: `${fleet.root}/${rel}`,
    range: { start: { line, character: 0 }, end: { line, character: 1 } },
    message: 'something',
    rule: 'test-rule',
    severity,
  });

  it('lists environments in promotion order with their Kustomizations in dependsOn order', () => {
    const envs = environmentSummaries(fleet.index);
    assert.deepEqual(
      envs.map((e) => [e.name, e.kind, e.order]),
      [
        ['staging', 'flux', 0],
        ['production', 'flux', 1],
      ],
    );
    assert.deepEqual(envs[0].folders, [`${fleet.root}/clusters/staging`]);
    assert.deepEqual(
      envs[1].kustomizations.map((k) => k.name),
      ['flux-system', 'infrastructure', 'apps'],
    );
    const apps = envs[1].kustomizations[2];
    assert.deepEqual(
      { ...apps, location: undefined },
      {
        name: 'apps',
        namespace: 'flux-system',
        location: undefined,
        // The client previews it with this target as it is: it never reads the file to find the document.
        target: { kind: 'fluxKustomization', uri: `file://${fleet.root}/clusters/production/apps.yaml`, documentIndex: 0 },
        path: './apps/production',
        dependsOn: ['infrastructure'],
        prune: true,
        wait: true,
        healthChecks: 0,
        suspend: false,
        problemCount: 0,
      },
    );
    assert.equal(apps.location.uri, `file://${fleet.root}/clusters/production/apps.yaml`);
    assert.equal(apps.location.range.start.line, 4);
    assert.equal(envs[0].problemCount, 0);
  });

  it('counts errors and warnings in the files each environment and Kustomization reads', () => {
    const diagnostics = [
      at('apps/staging/my-app-patch.yaml', 5),
      at('apps/base/my-app/deployment.yaml', 6, 'error'),
      at('apps/base/my-app/deployment.yaml', 7, 'info'),
      at('clusters/staging/apps.yaml', 8),
      at('clusters/production/flux-system/gotk-sync.yaml', 20),
    ];
    const [staging, production] = environmentSummaries(fleet.index, { diagnostics });
    assert.equal(staging.problemCount, 3);
    assert.equal(production.problemCount, 2);
    const count = (env: typeof staging, name: string) => env.kustomizations.find((k) => k.name === name)?.problemCount;
    assert.equal(count(staging, 'apps'), 3);
    assert.equal(count(staging, 'infrastructure'), 0);
    // gotk-sync.yaml holds a GitRepository (document 1) and the flux-system Kustomization (document 2).
    assert.equal(count(production, 'flux-system'), 1);
    assert.equal(count(production, 'apps'), 1);
  });

  it('the fleet count (status bar, view badge) counts each error and warning once, only in files the environments read', () => {
    const diagnostics = [
      at('apps/staging/my-app-patch.yaml', 5),
      at('apps/base/my-app/deployment.yaml', 6, 'error'), // read by both environments: one problem, not two
      at('apps/base/my-app/deployment.yaml', 7, 'info'),
      at('clusters/staging/apps.yaml', 8),
      at('scratch/kustomization.yaml', 0, 'error'), // no environment reads it
    ];
    assert.deepEqual(problemCounts(fleet.index, diagnostics), { errors: 1, warnings: 2, elsewhere: 1 });
    const [staging, production] = environmentSummaries(fleet.index, { diagnostics });
    // The tree's per-environment counts use the same definition, so none exceeds the fleet count.
    assert.deepEqual([staging.problemCount, production.problemCount], [3, 1]);
  });

  it('summarises several workspace indexes, overlay repositories included', () => {
    const overlays = makeFeatureFleet({
      'base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n',
      'overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\n',
    });
    try {
      const envs = environmentSummaries([fleet.index, overlays.index]);
      assert.deepEqual(
        envs.map((e) => `${e.name}:${e.kind}`),
        ['staging:flux', 'production:flux', 'dev:overlay', 'prod:overlay'],
      );
      assert.deepEqual(envs[3].kustomizations, []);
    } finally {
      overlays.dispose();
    }
  });

  // The tree expands a Kustomization by rendering its target; a Kustomization no document spells out (a
  // FluxInstance's sync, or the flux-instance chart's values) is placed at what makes it, and renders from there.
  for (const [layout, key] of [
    ['flux-instance-values', 'flux-system/flux-system'],
    ['flux-instance', 'flux-system/flux-system'],
  ] as const) {
    it(`${layout}: every Kustomization of the tree renders from its target, ${key} (made by a FluxInstance) included`, () => {
      const index = new FleetIndex(path.resolve(__dirname, '../../fixtures/layouts', layout));
      index.scan();
      for (const env of environmentSummaries(index)) {
        for (const ks of env.kustomizations) {
          const result = preview(index, { target: ks.target });
          assert.doesNotMatch(result.yaml, /Nothing to render here/, `${env.name} ${ks.namespace}/${ks.name}`);
          assert.equal(result.title, `Kustomization ${ks.namespace}/${ks.name} (rendered)`);
        }
        assert.ok(
          env.kustomizations.some((ks) => `${ks.namespace}/${ks.name}` === key),
          env.name,
        );
      }
    });
  }
  it('two fleets with a staging each (multi-root): each summary names its workspace folder, which renders its own', () => {
    const open = (layout: string) => {
      const index = new FleetIndex(path.resolve(__dirname, '../../fixtures/layouts', layout));
      index.scan();
      return index;
    };
    const indexes = [open('artifact-generator'), open('hub-and-spoke')];
    const staging = environmentSummaries(indexes).filter((e) => e.name === 'staging');
    assert.deepEqual(
      staging.map((e) => e.workspaceFolder),
      indexes.map((index) => pathToFileURL(index.root).toString()),
    );
    const hub = preview(indexes, { target: { kind: 'environment', name: 'staging', workspaceFolder: staging[1].workspaceFolder } });
    assert.match(hub.yaml, /^# Kustomization: staging\/apps$/m);
    assert.doesNotMatch(hub.yaml, /# Kustomization: flux-system\/flux-system/);
    // Without a folder, the first fleet that has the name answers (as before multi-root).
    assert.match(preview(indexes, { target: { kind: 'environment', name: 'staging' } }).yaml, /# Kustomization: flux-system\/flux-system/);
  });
});
