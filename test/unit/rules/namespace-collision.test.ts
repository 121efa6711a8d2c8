import * as assert from 'assert';
import * as path from 'path';
import { namespaceCollision } from '../../../server/src/rules/namespace-collision';
import { makeFleet, type Fleet } from './harness';
import { fleetInfraFiles, fluxKs, sharedClusterFleet } from './overlayRenderFixtures';

describe('rule namespace-collision', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('is clean on the fleet-infra seed', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(namespaceCollision), []);
  });

  it('does not trigger when the environments use different namespaces', () => {
    fleet = makeFleet(sharedClusterFleet('namespace: staging\nresources:\n- ../base\n', 'namespace: production\nresources:\n- ../base\n'));
    assert.deepStrictEqual(fleet.check(namespaceCollision), []);
  });

  it('does not trigger for the same object in environments on different clusters', () => {
    const files = sharedClusterFleet('resources:\n- ../base\n', 'resources:\n- ../base\n');
    delete files['clusters/shared/apps-staging.yaml'];
    delete files['clusters/shared/apps-production.yaml'];
    files['clusters/staging/apps.yaml'] = fluxKs('apps', './apps/staging');
    files['clusters/production/apps.yaml'] = fluxKs('apps', './apps/production');
    fleet = makeFleet(files);
    assert.deepStrictEqual(fleet.check(namespaceCollision), []);
  });

  it('flags two environments rendering the same object into one namespace, with the other side as related', () => {
    fleet = makeFleet(sharedClusterFleet('resources:\n- ../base\n', 'namespace: default\nresources:\n- ../base\n'));
    const [d, ...rest] = fleet.check(namespaceCollision);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'error');
    assert.match(
      d.message,
      /Environments (staging|production) .* both render Deployment default\/my-app into cluster clusters\/shared.*own namespace/,
    );
    // The finding sits on one Kustomization's spec.path; related info points at the other's.
    const files = [d.file, d.related![0].file].map((f) => path.relative(fleet!.root, f)).sort();
    assert.deepStrictEqual(files, ['clusters/shared/apps-production.yaml', 'clusters/shared/apps-staging.yaml']);
    assert.deepStrictEqual(d.range, {
      start: { line: 11, character: 8 },
      end: { line: 11, character: d.file.endsWith('staging.yaml') ? 22 : 25 },
    });
  });

  it('points at targetNamespace when both Kustomizations set the same one', () => {
    const files = sharedClusterFleet('resources:\n- ../base\n', 'resources:\n- ../base\n');
    files['clusters/shared/apps-staging.yaml'] = fluxKs('apps-staging', './apps/staging', '  targetNamespace: apps\n');
    files['clusters/shared/apps-production.yaml'] = fluxKs('apps-production', './apps/production', '  targetNamespace: apps\n');
    fleet = makeFleet(files);
    const [d] = fleet.check(namespaceCollision);
    assert.strictEqual(d.range.start.line, 12);
    assert.match(d.message, /Deployment apps\/my-app/);
  });
});
