import * as assert from 'assert';
import { applyJsonPatch, parseJsonPatch } from '../../../server/src/kustomize/merge/jsonpatch';
import type { Json } from '../../../server/src/kustomize/types';
import { kustomize, parseObjects, requireKubectl } from '../kubectl-oracle';

function ops(text: string) {
  const parsed = parseJsonPatch(text);
  assert.ok(parsed.operations, `not a JSON patch: ${parsed.error}`);
  return parsed.operations;
}

function apply(doc: Json, text: string) {
  return applyJsonPatch(doc, ops(text));
}

describe('JSON 6902 patches', () => {
  describe('against kubectl kustomize', function () {
    before(function () {
      requireKubectl(this);
    });

    const base = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {tier: web}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: nginx
        args: [a, b, c]
`;
    const cases: Array<[string, string]> = [
      [
        'add, append and insert into lists',
        '- {op: add, path: /spec/template/spec/containers/-, value: {name: side, image: busybox}}\n- {op: add, path: /spec/template/spec/containers/0/args/1, value: x}',
      ],
      [
        'replace a missing key, remove, negative index',
        '- {op: replace, path: /spec/paused, value: true}\n- {op: remove, path: /spec/replicas}\n- {op: add, path: /spec/template/spec/containers/0/args/-1, value: z}',
      ],
      [
        'move and copy, copy from a missing key',
        '- {op: move, from: /spec/replicas, path: /spec/replicasMoved}\n- {op: copy, from: /metadata/labels, path: /spec/labelsCopy}\n- {op: copy, from: /spec/nope, path: /spec/x}',
      ],
      ['path without a leading slash', '- {op: add, path: spec/top, value: 1}'],
      [
        'YAML 1.1 values',
        '- {op: add, path: /spec/a, value: yes}\n- {op: add, path: /spec/b, value: 0777}\n- {op: add, path: /spec/c, value: off}\n- {op: add, path: /spec/d, value: 1:20}\n- {op: add, path: /spec/e, value: 2001-01-01}',
      ],
      ['JSON text', '[{"op": "test", "path": "/spec/replicas", "value": 1}, {"op": "replace", "path": "/spec/replicas", "value": 4}]'],
      ['escapes', '- {op: add, path: /metadata/labels/a~1b, value: "1"}\n- {op: add, path: /spec/c~0d, value: 2}'],
    ];
    for (const [name, patch] of cases) {
      it(name, async () => {
        const oracle = await kustomize({
          'base.yaml': base,
          'patch.yaml': patch,
          'kustomization.yaml': 'resources: [base.yaml]\npatches:\n- path: patch.yaml\n  target: {kind: Deployment}\n',
        });
        assert.ok(oracle.objects, oracle.error);
        const ours = apply(parseObjects(base)[0], patch);
        assert.deepStrictEqual(ours.result, oracle.objects[0]);
      });
    }

    const failing: Array<[string, string]> = [
      ['remove of a missing key', '- {op: remove, path: /spec/nothere}'],
      ['add under a missing parent', '- {op: add, path: /spec/a/b, value: 1}'],
      ['failed test', '- {op: test, path: /spec/replicas, value: 2}'],
      ['index out of range', '- {op: remove, path: /spec/template/spec/containers/3}'],
      ['unknown op', '- {op: frob, path: /spec/x}'],
    ];
    for (const [name, patch] of failing) {
      it(`fails with kustomize's message: ${name}`, async () => {
        const oracle = await kustomize({
          'base.yaml': base,
          'patch.yaml': patch,
          'kustomization.yaml': 'resources: [base.yaml]\npatches:\n- path: patch.yaml\n  target: {kind: Deployment}\n',
        });
        assert.ok(oracle.error, 'kubectl should fail');
        const ours = apply(parseObjects(base)[0], patch);
        assert.ok(ours.failure);
        assert.ok(oracle.error.includes(ours.failure.message.replace(/"/g, '\\"')), `${oracle.error}\n !~ ${ours.failure.message}`);
      });
    }
  });
});
