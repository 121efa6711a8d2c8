import * as assert from 'assert';
import { makeResource } from '../../../server/src/kustomize/resource';
import { compileSelector, selectResources, type Selector } from '../../../server/src/kustomize/select';
import type { JsonObject, Resource } from '../../../server/src/kustomize/types';
import { kustomize, parseObjects, requireKubectl } from '../kubectl-oracle';

const objectsYaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: app-a, labels: {tier: web, env: prod}, annotations: {note: hello, count: "3"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-b, namespace: default, labels: {tier: db, weight: "10"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: xapp-c, namespace: shop, labels: {env: dev, empty: ""}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: app-role, labels: {tier: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-a, namespace: shop}
`;

function resources(): Resource[] {
  return parseObjects(objectsYaml).map((o, i) => makeResource(o, { file: '/objects.yaml', documentIndex: i }));
}

function names(sel: Selector): string[] {
  const { selected, error } = selectResources(resources(), sel);
  assert.strictEqual(error, undefined);
  return selected.map((r) => `${r.object.kind}/${(r.object.metadata as JsonObject).name}`).sort();
}

describe('patch target selectors', () => {
  describe('against kubectl kustomize', function () {
    before(function () {
      requireKubectl(this);
    });

    const selectors: Selector[] = [
      { name: 'app-.*' },
      { name: 'app-a|xapp-c', kind: 'ConfigMap' },
      { namespace: 'default' },
      { namespace: 'shop', kind: 'Deployment' },
      { kind: '(Deployment|ClusterRole)' },
      { group: 'rbac.authorization.k8s.io' },
      { version: 'v1', group: '' },
      { labelSelector: 'tier!=web' },
      { labelSelector: 'tier,!env' },
      { labelSelector: 'weight>5' },
      { labelSelector: 'empty=' },
      { annotationSelector: 'count in (3,4)' },
    ];
    for (const sel of selectors) {
      it(`selects what kustomize selects for ${JSON.stringify(sel)}`, async () => {
        const target = Object.entries(sel)
          .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
          .join('\n');
        const oracle = await kustomize({
          'objects.yaml': objectsYaml,
          'kustomization.yaml': `resources: [objects.yaml]\npatches:\n- target:\n${target}\n  patch: |-\n    - {op: add, path: /metadata/hit, value: "1"}\n`,
        });
        assert.ok(oracle.objects, oracle.error);
        const hit = oracle.objects
          .filter((o) => (o.metadata as JsonObject).hit === '1')
          .map((o) => `${o.kind}/${(o.metadata as JsonObject).name}`)
          .sort();
        assert.deepStrictEqual(names(sel), hit);
      });
    }

    it('both reject a malformed label selector', async () => {
      const oracle = await kustomize({
        'objects.yaml': objectsYaml,
        'kustomization.yaml': `resources: [objects.yaml]\npatches:\n- target: {labelSelector: "tier in web"}\n  patch: |-\n    - {op: add, path: /metadata/hit, value: "1"}\n`,
      });
      const ours = compileSelector({ labelSelector: 'tier in web' }).error;
      assert.ok(oracle.error?.includes(ours!), `${oracle.error} !~ ${ours}`);
    });
  });
});
