import * as assert from 'assert';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { labelsTransformer } from '../../../server/src/kustomize/transformers/labels';
import type { Origin } from '../../../server/src/kustomize/types';

const origin: Origin = { kind: 'transformer', step: 'labels[0]', file: '/k/kustomization.yaml' };

describe('labels transformer (unit)', () => {
  it('creates metadata.labels, sets the pairs, records the origin of each label', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    labelsTransformer([r], { pairs: { app: 'web', tier: 'fe' }, includeSelectors: false, includeTemplates: false, origin }, ctx);
    assert.deepStrictEqual((r.object.metadata as { labels: unknown }).labels, { app: 'web', tier: 'fe' });
    assert.strictEqual(originAt(r, ['metadata', 'labels', 'tier']), origin);
  });
  it('reports a selector that is not a map instead of throwing', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: 'app=web' } },
      { file: '/x.yaml', documentIndex: 0 },
    );
    labelsTransformer([r], { pairs: { a: 'b' }, includeSelectors: true, includeTemplates: false, origin }, ctx);
    assert.strictEqual(ctx.problems.length, 1);
    assert.strictEqual((r.object.spec as { selector: string }).selector, 'app=web');
  });
  it('an empty set of pairs changes nothing', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    labelsTransformer([r], { pairs: {}, includeSelectors: true, includeTemplates: false, legacyCommonLabels: true, origin }, ctx);
    assert.deepStrictEqual(r.object.metadata, { name: 'cm' });
  });
  it('reports conflicting field specs like kustomize', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    labelsTransformer(
      [r],
      { pairs: { a: 'b' }, includeSelectors: true, includeTemplates: false, fields: [{ path: 'metadata/labels', create: false }], origin },
      ctx,
    );
    assert.match(ctx.problems[0].message, /conflicting fieldspecs/);
  });
});
