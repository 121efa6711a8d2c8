import * as assert from 'assert';
import { copiedManifest } from '../../../server/src/rules/copied-manifest';
import { makeFleet, type Fleet } from './harness';
import { fleetInfraFiles } from './overlayRenderFixtures';
import { baseDeployment, copiedDeployment, service, fleetFiles } from './copiedManifestFixtures';

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

  it('never compares templated names: the namespace.yaml placeholder `_`, ${VAR}, << inputs.x >>, {{ .x }}', () => {
    // Home-lab layout (onedr0p, buroa): each app folder's namespace.yaml is `name: _`, renamed by the
    // kustomization's `namespace:`; a shared component and a bootstrap base carry the same placeholder.
    const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
    const files: Record<string, string> = {
      'components/namespace/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- namespace.yaml\n',
      'components/namespace/namespace.yaml': namespace('_'),
      'bootstrap/external-secrets/kustomization.yaml': 'namespace: external-secrets\nresources:\n- namespace.yaml\n',
      'bootstrap/external-secrets/namespace.yaml': namespace('_'),
      'bootstrap/kustomization.yaml': 'resources:\n- external-secrets\n',
      'apps/base/tenant/kustomization.yaml': 'resources:\n- namespace.yaml\n',
      'apps/base/tenant/namespace.yaml':
        namespace('${TENANT}') + '---\n' + namespace('<< inputs.name >>') + '---\n' + namespace('{{ .app_name }}'),
      'apps/team-a/kustomization.yaml': 'resources:\n- ../base/tenant\n',
    };
    for (const app of ['networking', 'cert-manager', 'o11y']) {
      files[`kubernetes/apps/${app}/kustomization.yaml`] = `namespace: ${app}\nresources:\n- ./namespace.yaml\n`;
      files[`kubernetes/apps/${app}/namespace.yaml`] = namespace('_');
    }
    files['apps/team-b/kustomization.yaml'] = 'resources:\n- namespace.yaml\n';
    files['apps/team-b/namespace.yaml'] =
      namespace('${TENANT}') + '---\n' + namespace('<< inputs.name >>') + '---\n' + namespace('{{ .app_name }}');
    files['kubernetes/kustomization.yaml'] = 'resources:\n- apps/networking\n- apps/cert-manager\n- apps/o11y\n';
    fleet = makeFleet(files);
    assert.deepStrictEqual(
      fleet.check(copiedManifest).map((d) => d.message),
      [],
    );
  });

  it("does not flag equal objects in folders that are not an environment's overlay: sibling apps, two clusters' own folders", () => {
    // artazar/flux2-general: each app folder has the same netpol HelmRelease, each cluster its own flux-system
    // (gotk-components.yaml written by flux bootstrap) and rbac, and the clusters are named demo-000/demo-001.
    const netpol =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: default-namespace-network-policies\nspec:\n  interval: 1h\n';
    const controller =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: helm-controller\n  namespace: flux-system\nspec:\n  replicas: 1\n';
    const files: Record<string, string> = {};
    for (const app of ['auth', 'data-processor']) {
      files[`apps/${app}/kustomization.yaml`] = 'resources:\n- netpol.yaml\n- deployment.yaml\n';
      files[`apps/${app}/netpol.yaml`] = netpol;
      files[`apps/${app}/deployment.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n`;
    }
    for (const cluster of ['demo-000', 'demo-001']) {
      files[`clusters/${cluster}/kustomization.yaml`] = 'resources:\n- flux-system\n- apps/auth/dev\n';
      files[`clusters/${cluster}/flux-system/kustomization.yaml`] = 'resources:\n- gotk-components.yaml\n';
      files[`clusters/${cluster}/flux-system/gotk-components.yaml`] = controller;
      files[`clusters/${cluster}/apps/auth/dev/kustomization.yaml`] = `namespace: auth-dev\nresources:\n- ../../../../../apps/auth\n`;
    }
    // A folder whose name only contains an environment-like word is no environment's overlay either.
    files['infra/storage/local-path-storage/kustomization.yaml'] = 'resources:\n- netpol.yaml\n';
    files['infra/storage/local-path-storage/netpol.yaml'] = netpol;
    fleet = makeFleet(files);
    assert.deepStrictEqual(
      fleet.check(copiedManifest).map((d) => d.message),
      [],
    );
  });

  it("flags a copy in one cluster's overlay of a base that the other cluster's overlay includes (clusters/<env>/apps)", () => {
    fleet = makeFleet({
      'deploy/apps/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'deploy/apps/deployment.yaml': baseDeployment,
      'clusters/production/apps/kustomization.yaml': 'resources:\n- ../../../deploy/apps\n',
      'clusters/staging/apps/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'clusters/staging/apps/deployment.yaml': copiedDeployment,
    });
    const [d, ...rest] = fleet.check(copiedManifest);
    assert.deepStrictEqual(rest, []);
    assert.ok(d.file.endsWith('clusters/staging/apps/kustomization.yaml'));
    assert.match(d.message, /full copy of Deployment my-app, which base deploy\/apps renders/);
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
