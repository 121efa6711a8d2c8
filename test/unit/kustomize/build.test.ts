import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';
import type { Problem } from '../../../server/src/kustomize/types';

const deployment = (name: string, image = 'nginx:1.0') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: app
        image: ${image}
`;

function render(files: Record<string, string>, dir = '/repo', opts: { loadRestrictor?: 'rootOnly' | 'none' } = {}) {
  return renderKustomization(dir, { fs: memoryFileSystem(files), repoRoot: '/repo', ...opts });
}

function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

describe('build', () => {
  it('renders a base through an overlay with a namespace', () => {
    const out = render(
      {
        '/repo/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
        '/repo/base/deployment.yaml': deployment('web'),
        '/repo/overlay/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\n',
      },
      '/repo/overlay',
    );
    assert.deepStrictEqual(errorsOf(out.problems), []);
    assert.match(out.yaml!, /namespace: prod/);
    assert.deepStrictEqual([...out.filesRead].sort(), [
      '/repo/base/deployment.yaml',
      '/repo/base/kustomization.yaml',
      '/repo/overlay/kustomization.yaml',
    ]);
  });

  it('reports a missing resource at its entry in the kustomization', () => {
    const out = render({
      '/repo/kustomization.yaml': 'resources:\n- deployment.yaml\n- missing.yaml\n',
      '/repo/deployment.yaml': deployment('web'),
    });
    assert.strictEqual(out.yaml, undefined);
    const [p] = errorsOf(out.problems);
    assert.strictEqual(p.code, 'missing-path');
    assert.strictEqual(p.file, '/repo/kustomization.yaml');
    assert.strictEqual(p.range?.start.line, 2);
  });

  it('refuses an include cycle with a clear error instead of recursing', () => {
    const out = render(
      {
        '/repo/a/kustomization.yaml': 'resources:\n- ../b\n',
        '/repo/b/kustomization.yaml': 'resources:\n- ../a\n',
      },
      '/repo/a',
    );
    assert.strictEqual(out.yaml, undefined);
    assert.ok(
      errorsOf(out.problems).some((p) => p.code === 'include-cycle'),
      JSON.stringify(out.problems),
    );
  });

  it('refuses a folder that includes itself', () => {
    const out = render({ '/repo/kustomization.yaml': 'resources:\n- .\n' });
    assert.ok(errorsOf(out.problems).some((p) => p.code === 'include-cycle'));
  });

  it('never reads a path outside the repository, even without the root-only restriction', () => {
    const files = {
      '/repo/kustomization.yaml': 'resources:\n- ../outside/secret.yaml\n',
      '/outside/secret.yaml': deployment('stolen'),
    };
    const out = render(files, '/repo', { loadRestrictor: 'none' });
    assert.strictEqual(out.yaml, undefined);
    assert.strictEqual(errorsOf(out.problems)[0].code, 'path-outside-repo');
    assert.ok(!out.filesRead.has('/outside/secret.yaml'));
  });

  it('keeps loose files inside the kustomization root unless the restriction is lifted', () => {
    const files = {
      '/repo/shared/deployment.yaml': deployment('web'),
      '/repo/app/kustomization.yaml': 'resources:\n- ../shared/deployment.yaml\n',
    };
    assert.strictEqual(errorsOf(render(files, '/repo/app').problems)[0].code, 'path-outside-root');
    const lifted = render(files, '/repo/app', { loadRestrictor: 'none' });
    assert.deepStrictEqual(errorsOf(lifted.problems), []);
    assert.match(lifted.yaml!, /name: web/);
  });

  it('reports remote bases without fetching them', () => {
    for (const ref of [
      'https://github.com/org/repo//deploy?ref=v1',
      'github.com/org/repo/deploy?ref=v1',
      'git@github.com:org/repo.git',
      'ssh://git@example.com/repo.git',
      'file:///etc/passwd',
    ]) {
      const out = render({ '/repo/kustomization.yaml': `resources:\n- ${JSON.stringify(ref)}\n` });
      assert.strictEqual(errorsOf(out.problems)[0]?.code, 'remote-resource', ref);
    }
  });

  it('reports two objects with the same id, pointing at both', () => {
    const out = render({
      '/repo/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n',
      '/repo/a.yaml': deployment('web'),
      '/repo/b.yaml': deployment('web'),
    });
    const [p] = errorsOf(out.problems);
    assert.strictEqual(p.code, 'duplicate-resource');
    assert.strictEqual(p.file, '/repo/b.yaml');
    assert.strictEqual(p.related?.[0].file, '/repo/a.yaml');
  });

  it('refuses a Component in resources and a Kustomization in components', () => {
    const component = render(
      {
        '/repo/c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: c-\n',
        '/repo/app/kustomization.yaml': 'resources:\n- ../c\n',
      },
      '/repo/app',
    );
    assert.strictEqual(errorsOf(component.problems)[0].code, 'component-kind');
    const kust = render(
      {
        '/repo/c/kustomization.yaml': 'resources: []\nnamePrefix: x-\n',
        '/repo/app/kustomization.yaml': 'components:\n- ../c\n',
      },
      '/repo/app',
    );
    assert.strictEqual(errorsOf(kust.problems)[0].code, 'component-kind');
  });

  it('reports an unknown kustomization field at its key', () => {
    const out = render({ '/repo/kustomization.yaml': 'resources: []\nnamePrefx: x-\n' });
    const [p] = errorsOf(out.problems);
    assert.strictEqual(p.code, 'unknown-field');
    assert.match(p.message, /namePrefx/);
    assert.strictEqual(p.range?.start.line, 1);
  });

  it('records where each object came from', () => {
    const out = render({
      '/repo/kustomization.yaml': 'resources:\n- all.yaml\n',
      '/repo/all.yaml': deployment('a') + '---\n' + deployment('b'),
    });
    const b = out.resources.find((r) => (r.object.metadata as { name: string }).name === 'b')!;
    assert.strictEqual(b.source.file, '/repo/all.yaml');
    assert.strictEqual(b.source.documentIndex, 1);
    assert.strictEqual(b.source.range?.start.line, 11);
  });

  it('does not follow a symbolic link that leaves the repository', function () {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-build-'));
    try {
      const repo = path.join(tmp, 'repo');
      fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
      fs.mkdirSync(path.join(tmp, 'outside'));
      fs.writeFileSync(path.join(tmp, 'outside', 'd.yaml'), deployment('outside'));
      fs.symlinkSync(path.join(tmp, 'outside', 'd.yaml'), path.join(repo, 'd.yaml'));
      fs.writeFileSync(path.join(repo, 'kustomization.yaml'), 'resources:\n- d.yaml\n');
      const out = renderKustomization(repo, { loadRestrictor: 'none' });
      assert.strictEqual(out.yaml, undefined);
      assert.strictEqual(errorsOf(out.problems)[0].code, 'path-outside-repo');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
