// Reusing each object's transformer results between renders of a large overlay (transformMemo.ts): after
// every kind of edit, the render through the cache must print exactly what a render without any cache
// prints (which the parity suite holds equal to kubectl kustomize), and report the same errors.
import * as assert from 'assert';
import { BuildCache } from '../../../server/src/kustomize/buildCache';
import { memoryFileSystem, overlayFileSystem, type FileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';

const APPS = 80; // above the size where the build starts reusing per-object results

const name = (i: number) => `app-${String(i).padStart(3, '0')}`;

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name(i)}
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/example/${name(i)}:1.0.0
        - name: proxy
          image: ghcr.io/example/proxy:2.0.0
`;
}

const patch = (i: number, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name(i)}
spec:
  replicas: ${replicas}
${extra}`;

function fleet(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < APPS; i++) {
    files[`/repo/base/${name(i)}/kustomization.yaml`] = 'resources:\n  - deployment.yaml\n  - service.yaml\n';
    files[`/repo/base/${name(i)}/deployment.yaml`] = deployment(i);
    files[`/repo/base/${name(i)}/service.yaml`] =
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name(i)}\nspec:\n  selector:\n    app: ${name(i)}\n`;
    files[`/repo/dev/patches/${name(i)}.yaml`] = patch(i, 2);
  }
  files['/repo/dev/kustomization.yaml'] = `namespace: dev
commonAnnotations:
  team: platform
labels:
  - pairs:
      env: dev
resources:
${Array.from({ length: APPS }, (_, i) => `  - ../base/${name(i)}`).join('\n')}
patches:
${Array.from({ length: APPS }, (_, i) => `  - path: patches/${name(i)}.yaml`).join('\n')}
images:
  - name: ghcr.io/example/proxy
    newTag: 2.1.0
`;
  return files;
}

function errors(out: ReturnType<typeof renderKustomization>): string[] {
  return out.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.file} ${p.message}`);
}

describe('per-object reuse of transformer results in a large overlay', () => {
  const base = memoryFileSystem(fleet());
  const cache = new BuildCache();
  const same = (fs: FileSystem, what: string) => {
    const cached = renderKustomization('/repo/dev', { fs, repoRoot: '/repo', cache });
    const fresh = renderKustomization('/repo/dev', { fs, repoRoot: '/repo' });
    assert.deepStrictEqual(errors(cached), errors(fresh), `${what}: errors differ`);
    assert.strictEqual(cached.yaml, fresh.yaml, `${what}: output differs`);
    // Origins too: the preview's "set by" must point at the patch as it is now.
    const origins = (out: typeof fresh) => out.resources.map((r) => JSON.stringify([...r.setBy]));
    assert.deepStrictEqual(origins(cached), origins(fresh), `${what}: origins differ`);
    return fresh;
  };
  const edited = (files: Record<string, string>) => overlayFileSystem(base, new Map(Object.entries(files)));

  it('renders the same before and after edits of one patch, back and forth', () => {
    assert.match(same(base, 'first render').yaml ?? '', /replicas: 2/);
    const seven = edited({ '/repo/dev/patches/app-007.yaml': patch(7, 9) });
    assert.match(same(seven, 'value edited').yaml ?? '', /name: app-007\n {2}namespace: dev\nspec:\n {2}replicas: 9/);
    // Results are kept once the kustomization is the same as at the build before; the next edit reuses
    // every object's but those of the two objects whose patch differs from that build.
    const reusedBefore = cache.stats().reusedObjects;
    same(edited({ '/repo/dev/patches/app-008.yaml': patch(8, 7) }), 'another patch edited');
    assert.ok(cache.stats().reusedObjects - reusedBefore >= 2 * APPS - 2, JSON.stringify(cache.stats()));
    same(base, 'edit undone');
    same(seven, 'edit redone');
  });

  it('follows a patch that now names another object, one that adds a container, and two patches on one object', () => {
    same(edited({ '/repo/dev/patches/app-007.yaml': patch(8, 5) }), 'retargeted (app-008 now patched twice, app-007 not at all)');
    same(
      edited({
        '/repo/dev/patches/app-003.yaml': patch(
          3,
          2,
          '  template:\n    spec:\n      containers:\n        - name: extra\n          image: busybox\n',
        ),
      }),
      'container added',
    );
    same(edited({ '/repo/dev/patches/app-003.yaml': `${patch(3, 3)}---\n${patch(4, 4)}` }), 'one file patching two objects');
  });

  it('reports the same error for a patch that matches nothing or deletes its object', () => {
    const none = same(edited({ '/repo/dev/patches/app-010.yaml': patch(999, 2) }), 'no match');
    assert.ok(
      errors(none).some((e) => e.startsWith('patch-no-match')),
      errors(none).join('\n'),
    );
    same(edited({ '/repo/dev/patches/app-010.yaml': patch(10, 2, '$patch: delete\n') }), 'delete directive');
    same(base, 'back to the clean fleet');
  });

  it('follows patch entries that move (a comment above them), a patch path now naming an identical file, and a build without patches', () => {
    const kustomization = fleet()['/repo/dev/kustomization.yaml'];
    same(
      edited({ '/repo/dev/kustomization.yaml': kustomization.replace('patches:\n', 'patches:\n  # moved down one line\n') }),
      'patch entries one line lower',
    );
    // An inline patch records its place in the kustomization as the origin of what it sets.
    const inline = kustomization.replace('  - path: patches/app-009.yaml\n', `  - patch: |-\n${patch(9, 4).replace(/^/gm, '      ')}\n`);
    same(edited({ '/repo/dev/kustomization.yaml': inline }), 'an inline patch');
    same(
      edited({ '/repo/dev/kustomization.yaml': inline.replace('patches:\n', 'patches:\n  # moved down one line\n') }),
      'the inline patch one line lower',
    );
    same(
      edited({
        '/repo/dev/kustomization.yaml': kustomization.replace('patches/app-005.yaml', 'patches/copy-of-005.yaml'),
        '/repo/dev/patches/copy-of-005.yaml': patch(5, 2),
      }),
      'same patch text from another file',
    );
    // What patch-redundant renders: the same kustomization with its patches blanked out.
    const blanked = kustomization.replace(/patches:\n( {2}- path: .*\n)+/, (block) => block.replace(/[^\n]/g, ' '));
    same(edited({ '/repo/dev/kustomization.yaml': blanked }), 'patches blanked');
  });

  it('follows edits of the kustomization and of a base file', () => {
    same(
      edited({ '/repo/dev/kustomization.yaml': fleet()['/repo/dev/kustomization.yaml'].replace('namespace: dev', 'namespace: dev2') }),
      'namespace changed',
    );
    same(edited({ '/repo/base/app-020/deployment.yaml': deployment(20).replace('1.0.0', '1.0.1') }), 'base image changed');
    same(
      edited({ '/repo/dev/kustomization.yaml': fleet()['/repo/dev/kustomization.yaml'].replace('  - path: patches/app-011.yaml\n', '') }),
      'a patch entry removed',
    );
  });
});
