// Where each rendered value comes from, through a whole build: the preview's hover and go-to-definition stand on this.
import * as assert from 'assert';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';
import { getPath, originAt } from '../../../server/src/kustomize/resource';
import type { Resource } from '../../../server/src/kustomize/types';

const files = {
  '/repo/base/kustomization.yaml': 'resources:\n- deployment.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - MODE=fast\n',
  '/repo/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/org/web:1.0.0
        envFrom:
        - configMapRef:
            name: settings
`,
  '/repo/prod/kustomization.yaml': `namespace: prod
resources:
- ../base
patches:
- path: patch.yaml
images:
- name: ghcr.io/org/web
  newTag: 1.1.0
`,
  '/repo/prod/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n',
};

function render(): Resource[] {
  const out = renderKustomization('/repo/prod', { fs: memoryFileSystem(files), repoRoot: '/repo' });
  assert.ok(out.yaml, JSON.stringify(out.problems));
  return out.resources;
}

describe('origins through a build', () => {
  const resources = render();
  const deployment = resources.find((r) => r.object.kind === 'Deployment')!;
  const configMap = resources.find((r) => r.object.kind === 'ConfigMap')!;

  it('a value a patch set points at the line of the patch that set it', () => {
    const o = originAt(deployment, ['spec', 'replicas'])!;
    assert.strictEqual(o.kind, 'patch');
    assert.strictEqual(o.file, '/repo/prod/patch.yaml');
    assert.strictEqual(o.range?.start.line, 5);
  });

  it('a value a transformer set points at the kustomization field', () => {
    const image = originAt(deployment, ['spec', 'template', 'spec', 'containers', 0, 'image'])!;
    assert.strictEqual(image.kind, 'transformer');
    assert.strictEqual(image.file, '/repo/prod/kustomization.yaml');
    const ns = originAt(deployment, ['metadata', 'namespace'])!;
    assert.strictEqual(ns.step, 'namespace');
    assert.strictEqual(ns.range?.start.line, 0);
  });

  it('a value nobody changed comes from the base file the object was read from', () => {
    assert.strictEqual(originAt(deployment, ['spec', 'template', 'spec', 'containers', 0, 'name']), undefined);
    assert.strictEqual(deployment.source.file, '/repo/base/deployment.yaml');
    assert.strictEqual(deployment.source.documentIndex, 0);
  });

  it('a generated object names its generator, and the rewritten reference names the hash step', () => {
    assert.strictEqual(configMap.source.generatedBy?.step, 'configMapGenerator[0]');
    assert.strictEqual(configMap.source.generatedBy?.file, '/repo/base/kustomization.yaml');
    const refPath = ['spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name'];
    assert.strictEqual(originAt(deployment, refPath)?.kind, 'transformer');
    assert.match(String(getPath(deployment.object, refPath)), /^settings-[a-z0-9]{10}$/);
  });
});
