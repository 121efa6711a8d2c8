import * as assert from 'assert';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { nameReferenceTransformer } from '../../../server/src/kustomize/transformers/nameReference';
import type { JsonObject, Origin } from '../../../server/src/kustomize/types';

const origin: Origin = { kind: 'transformer', step: 'name references', file: '/k/kustomization.yaml' };

describe('name reference transformer (unit)', () => {
  it('rewrites a reference to an object whose previous id had the referenced name, and records the origin', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const cm = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-abc' } }, { file: '/x.yaml', documentIndex: 0 });
    cm.previousIds.push({ group: '', version: 'v1', kind: 'ConfigMap', name: 'cm', namespace: '' });
    const pod = makeResource(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }] } },
      { file: '/x.yaml', documentIndex: 1 },
    );
    nameReferenceTransformer([cm, pod], { origin }, ctx);
    assert.deepStrictEqual(ctx.problems, []);
    const volumes = (pod.object.spec as { volumes: Array<{ configMap: { name: string } }> }).volumes;
    assert.strictEqual(volumes[0].configMap.name, 'cm-abc');
    assert.strictEqual(originAt(pod, ['spec', 'volumes', 0, 'configMap', 'name']), origin);
  });
  it('ignores objects that never changed name (no previous ids)', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const cm = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } }, { file: '/x.yaml', documentIndex: 0 });
    const pod: JsonObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }] },
    };
    nameReferenceTransformer([cm, makeResource(pod, { file: '/x.yaml', documentIndex: 1 })], { origin }, ctx);
    assert.strictEqual((pod.spec as { volumes: Array<{ configMap: { name: string } }> }).volumes[0].configMap.name, 'cm');
  });
});

describe('name references: extra back references (configurations / crds)', () => {
  it('follows a custom kind field listed in extraBackReferences', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const cm = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-values' } }, { file: '/x.yaml', documentIndex: 0 });
    cm.previousIds.push({ group: '', version: 'v1', kind: 'ConfigMap', name: 'values', namespace: '' });
    const release: JsonObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'app' },
      spec: { valuesFrom: [{ kind: 'ConfigMap', name: 'values' }] },
    };
    nameReferenceTransformer(
      [cm, makeResource(release, { file: '/x.yaml', documentIndex: 1 })],
      {
        origin,
        extraBackReferences: [{ kind: 'ConfigMap', version: 'v1', referrers: [{ path: 'spec/valuesFrom/name', kind: 'HelmRelease' }] }],
      },
      ctx,
    );
    assert.deepStrictEqual((release.spec as { valuesFrom: Array<{ name: string }> }).valuesFrom[0].name, 'p-values');
  });
});
