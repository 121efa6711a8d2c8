import * as assert from 'assert';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { annotationsTransformer } from '../../../server/src/kustomize/transformers/annotations';
import type { Origin } from '../../../server/src/kustomize/types';

const origin: Origin = { kind: 'transformer', step: 'commonAnnotations', file: '/k/kustomization.yaml' };

describe('annotations transformer (unit)', () => {
  it('creates metadata.annotations and records the origin of each annotation', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    annotationsTransformer([r], { annotations: { owner: 'team-a' }, origin }, ctx);
    assert.deepStrictEqual((r.object.metadata as { annotations: unknown }).annotations, { owner: 'team-a' });
    assert.strictEqual(originAt(r, ['metadata', 'annotations', 'owner']), origin);
  });
  it('reports an annotations field that is not a map', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations: 'oops' } },
      { file: '/x.yaml', documentIndex: 0 },
    );
    annotationsTransformer([r], { annotations: { owner: 'team-a' }, origin }, ctx);
    assert.strictEqual(ctx.problems.length, 1);
  });
});
