import * as assert from 'assert';
import { copiedManifest } from '../../../server/src/rules/copied-manifest';
import { makeFleet, type Fleet } from './harness';
import { fleetInfraFiles } from './overlayRenderFixtures';

const baseDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  labels:
    app: my-app
    tier: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/my-org/my-app:1.0.0
        env:
        - name: LOG_LEVEL
          value: info
      - name: proxy
        image: envoy:1.29
`;
const copiedDeployment = `# a copy of the base, edited for staging
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  labels:
    app: my-app
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/my-org/my-app:1.1.0
        env:
        - name: LOG_LEVEL
          value: debug
`;
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-app\nspec:\n  ports:\n  - port: 80\n';

function fleetFiles(staging: Record<string, string>, baseExtra: Record<string, string> = {}, baseResources = '- deployment.yaml\n'): Record<string, string> {
  return {
    'apps/base/my-app/kustomization.yaml': `resources:\n${baseResources}`,
    'apps/base/my-app/deployment.yaml': baseDeployment,
    ...baseExtra,
    'apps/production/kustomization.yaml': 'namespace: production\nresources:\n- ../base/my-app\n',
    ...staging,
  };
}

describe('rule copied-manifest', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('is clean on the fleet-infra seed', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(copiedManifest), []);
  });

  it("does not flag one cluster's bootstrap files that another cluster's folder also has", () => {
    const files = fleetInfraFiles();
    files['clusters/production/kustomization.yaml'] = 'resources:\n- flux-system\n- apps.yaml\n- infrastructure.yaml\n';
    files['clusters/staging/kustomization.yaml'] = 'resources:\n- flux-system\n- apps.yaml\n- infrastructure.yaml\n';
    fleet = makeFleet(files);
    assert.deepStrictEqual(fleet.check(copiedManifest), []);
  });

  it('does not flag an overlay that patches its base, nor the base listing its own files', () => {
    fleet = makeFleet(
      fleetFiles({
        'apps/staging/kustomization.yaml': 'namespace: staging\nresources:\n- ../base/my-app\npatches:\n- path: replicas.yaml\n',
        'apps/staging/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n',
      }),
    );
    assert.deepStrictEqual(fleet.check(copiedManifest), []);
  });

  it('offers no fix when including the base would add objects the overlay does not have', () => {
    fleet = makeFleet(
      fleetFiles(
        { 'apps/staging/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'apps/staging/deployment.yaml': copiedDeployment },
        { 'apps/base/my-app/service.yaml': service },
        '- deployment.yaml\n- service.yaml\n',
      ),
    );
    const [d] = fleet.check(copiedManifest);
    assert.ok(d);
    assert.strictEqual(d.fixes, undefined);
  });
});
