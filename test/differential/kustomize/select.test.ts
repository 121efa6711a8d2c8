import * as assert from 'assert';
import { compileSelector, type Selector } from '../../../server/src/kustomize/select';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { kustomize, requireKubectl } from '../kubectl-oracle';
import { names, objectsYaml } from '../../unit/kustomize/selectFixtures';

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
