import * as assert from 'assert';
import { renderError } from '../../../server/src/rules/render-error';
import type { Fleet } from '../../unit/rules/harness';
import { baseFleet, DEPLOYMENT } from '../../unit/rules/overlayHelpers';
import { kubectlKustomize, requireKubectl } from '../rules/kubectl';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule render-error', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('reports a broken base once, at the duplicated object, though two overlays include it', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/base/my-app/kustomization.yaml': overlay('resources:\n- deployment.yaml\n- service.yaml\n- copy.yaml\n'),
      'apps/base/my-app/copy.yaml': `# a copy\n${DEPLOYMENT}`,
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n'),
      'apps/production/kustomization.yaml': overlay('resources:\n- ../base/my-app\n'),
    });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /may not add resource with an already registered id/);
    const found = fleet.check(renderError);
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.severity, 'error');
    assert.ok(d.file.endsWith('apps/base/my-app/copy.yaml'));
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 14 } }, "the copy's metadata.name");
    assert.match(d.message, /may not add resource with an already registered id: Deployment\.v1\.apps\/my-app/);
    assert.match(d.message, /Remove one of the two objects/);
    assert.ok(d.related?.[0].file.endsWith('deployment.yaml'));
  });

  it('reports a folder without kustomization at the entry that lists it, like kubectl', function () {
    requireKubectl(this);
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- ../plain\n'),
      'apps/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    assert.match(
      kubectlKustomize(fleet, 'apps/staging').error ?? '',
      /unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory/,
    );
    const [d] = fleet.check(renderError);
    assert.deepStrictEqual(d.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 10 } });
    assert.match(d.message, /Add a kustomization\.yaml to that folder/);
  });

  it('reports the root-only restriction on a file beside the folder, like kubectl', function () {
    requireKubectl(this);
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app/service.yaml\n') });
    assert.match(kubectlKustomize(fleet, 'apps/staging').error ?? '', /is not in or below/);
    const [d] = fleet.check(renderError);
    assert.strictEqual(d.range.start.line, 3);
    assert.strictEqual(d.severity, 'warning', 'Flux builds it; only kubectl refuses it');
    assert.match(d.message, /security; file .* is not in or below/);
  });

  it("does not build a kind: Component on its own: its replacements and patches work on the includer's objects", function () {
    requireKubectl(this);
    fleet = baseFleet({
      'components/host/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nreplacements:\n- source:\n    kind: ConfigMap\n    name: settings\n    fieldPath: data.host\n  targets:\n  - select:\n      kind: Deployment\n    fieldPaths:\n    - metadata.annotations.host\n    options:\n      create: true\n',
      'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- settings.yaml\ncomponents:\n- ../../components/host\n'),
      'apps/staging/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  host: example.com\n',
    });
    assert.match(kubectlKustomize(fleet, 'components/host').error ?? '', /nothing selected by ConfigMap/, 'alone, kustomize refuses it');
    assert.match(kubectlKustomize(fleet, 'apps/staging').yaml ?? '', /host: example\.com/, 'inside its includer it works');
    assert.deepStrictEqual(
      fleet.check(renderError).map((d) => d.message),
      [],
    );
  });
});
