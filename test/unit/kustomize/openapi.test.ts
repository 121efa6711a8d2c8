import * as assert from 'assert';
import { BuildCache } from '../../../server/src/kustomize/buildCache';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';

const schema = `definitions:
  v1.Pipeline:
    x-kubernetes-group-version-kind:
    - {group: example.com, version: v1, kind: Pipeline}
    properties:
      spec:
        properties:
          steps:
            type: array
            x-kubernetes-patch-merge-key: name
            x-kubernetes-patch-strategy: merge
            items: {type: object}
`;

const files = {
  '/repo/base/kustomization.yaml': 'resources:\n- pipeline.yaml\nopenapi:\n  path: schema.yaml\n',
  '/repo/base/schema.yaml': schema,
  '/repo/base/pipeline.yaml':
    'apiVersion: example.com/v1\nkind: Pipeline\nmetadata:\n  name: build\nspec:\n  steps:\n  - name: compile\n    image: gcc\n  - name: test\n    image: tester\n',
  '/repo/overlay/kustomization.yaml': [
    'resources:',
    '- ../base',
    'patches:',
    '- patch: |-',
    '    apiVersion: example.com/v1',
    '    kind: Pipeline',
    '    metadata:',
    '      name: build',
    '    spec:',
    '      steps:',
    '      - name: compile',
    '        image: clang',
    '',
  ].join('\n'),
};

describe('openapi: a custom schema decides merge keys', () => {
  it('merges a custom resource list by the key a base schema names, also when the build cache is warm', () => {
    const cache = new BuildCache();
    for (const round of ['cold', 'warm']) {
      const out = renderKustomization('/repo/overlay', { fs: memoryFileSystem(files), repoRoot: '/repo', cache });
      assert.deepStrictEqual(
        out.problems.filter((p) => p.severity === 'error'),
        [],
        round,
      );
      assert.match(out.yaml!, /- image: clang\n {4}name: compile\n {2}- image: tester\n {4}name: test\n/, round);
    }
  });

  it('leaves the schema behind when the build ends: the next build replaces the list', () => {
    renderKustomization('/repo/overlay', { fs: memoryFileSystem(files), repoRoot: '/repo' });
    const withoutSchema = { ...files, '/repo/base/kustomization.yaml': 'resources:\n- pipeline.yaml\n' };
    const out = renderKustomization('/repo/overlay', { fs: memoryFileSystem(withoutSchema), repoRoot: '/repo' });
    assert.doesNotMatch(out.yaml!, /name: test/);
  });
});
