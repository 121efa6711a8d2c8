import * as assert from 'assert';
import { remotePin, remoteResource } from '../../../server/src/rules/remote-resource';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet } from './overlayHelpers';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule remote-resource', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(remoteResource));

  it('does not trigger for local paths', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/my-app\n- ./missing\n') });
    assert.deepStrictEqual(fleet.check(remoteResource), []);
  });

  it('warns at each unpinned URL or git reference: no ref, a branch, a raw URL on master', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=main\n- github.com/org/repo/deploy\ncomponents:\n- git@github.com:org/repo.git//components/x\nbases:\n- "https://example.com/app.yaml"\nconfigMapGenerator:\n- name: dashboards\n  files:\n  - https://raw.githubusercontent.com/kubernetes/ingress-nginx/master/deploy/grafana/dashboards/nginx.json\n',
      ),
    });
    const found = fleet.check(remoteResource);
    assert.deepStrictEqual(
      found.map((d) => [d.range.start.line, d.severity]),
      [
        [4, 'warning'],
        [5, 'warning'],
        [7, 'warning'],
        [9, 'warning'],
        [13, 'warning'],
      ],
    );
    const [first] = found;
    assert.strictEqual(first.range.end.character, 2 + 'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=main'.length);
    assert.match(first.message, /follows branch main/);
    assert.match(first.message, /can change without a commit/);
    assert.match(first.message, /Pin it to a tag or commit/);
    assert.match(found[1].message, /default branch/);
    assert.match(found[3].message, /nothing that names a version or commit/);
    assert.match(found[4].message, /branch master/);
  });

  it('gives only a hint for remote bases pinned to a tag or commit (Flux fetches them; this editor does not)', () => {
    // Shapes from working fleets: flux2 install at a tag, CRDs from a release, a kustomize root at a chart tag.
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        [
          'resources:',
          '- ../base/my-app',
          '- github.com/fluxcd/flux2/manifests/install?ref=v0.31.4',
          '- github.com/kyverno/kyverno//config/crds?ref=kyverno-chart-v2.5.2',
          '- https://github.com/org/repo//deploy?ref=3f786850e387550fdab836ed7e6dc881de23001b',
          '- https://github.com/cert-manager/cert-manager/releases/download/v1.15.3/cert-manager.crds.yaml',
          '- https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.77.1/example/prometheus-operator-crd/monitoring.coreos.com_alertmanagers.yaml',
          '- https://raw.githubusercontent.com/bitnami-labs/sealed-secrets/refs/tags/v0.27.1/helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml',
          '- https://raw.githubusercontent.com/movetokube/postgres-operator/1.1.1/deploy/crds/db.movetokube.com_postgres_crd.yaml',
          '',
        ].join('\n'),
      ),
    });
    const found = fleet.check(remoteResource);
    assert.deepStrictEqual(
      found.map((d) => d.severity),
      Array(7).fill('hint'),
    );
    assert.match(found[0].message, /pinned to tag v0\.31\.4/);
    assert.match(found[0].message, /kustomize-controller fetches it/);
    assert.match(found[0].message, /missing from the render shown here/);
    assert.match(found[2].message, /pinned to commit 3f786850e387/);
    assert.match(found[5].message, /pinned to tag v0\.27\.1/);
  });

  it('reads the ref like kustomize: ref wins over version, refs/heads is a branch, releases/latest moves', () => {
    assert.deepStrictEqual(remotePin('github.com/org/repo//x?version=v1.0.0&ref=main'), { pinned: false, what: 'branch main' });
    assert.deepStrictEqual(remotePin('github.com/org/repo//x?version=v1.0.0'), { pinned: true, what: 'tag v1.0.0' });
    assert.deepStrictEqual(remotePin('https://raw.githubusercontent.com/o/r/refs/heads/main/a.yaml'), {
      pinned: false,
      what: 'branch main',
    });
    assert.strictEqual(remotePin('https://github.com/o/r/releases/latest/download/a.yaml').pinned, false);
    assert.strictEqual(remotePin('https://gitlab.com/o/r/-/raw/v2.1.0/a.yaml').pinned, true);
    assert.strictEqual(remotePin('https://example.com/charts/app-1.4.2/install.yaml').pinned, true);
  });
});
