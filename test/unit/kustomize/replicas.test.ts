import * as assert from 'assert';
import { replicasTransformer } from '../../../server/src/kustomize/transformers/replicas';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { runOurs } from './transformer-harness';

describe('replicas', () => {
  it('matches an earlier name (before a prefix) and records the origin', () => {
    const out = runOurs(replicasTransformer, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p-web}\n', {
      replicas: [{ name: 'web', count: 2 }],
    });
    assert.strictEqual(out.problems.length, 1, 'current name only: no match');
    const r = out.resources[0];
    r.previousIds.push({ group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: '' });
    const ctx = { kustomizationFile: '/repo/kustomization.yaml', problems: [] };
    replicasTransformer(
      [r],
      { replicas: [{ name: 'web', count: 2 }], origin: { kind: 'transformer', step: 'replicas', file: '/repo/kustomization.yaml' } },
      ctx,
    );
    assert.deepStrictEqual(ctx.problems, []);
    assert.strictEqual((r.object.spec as JsonObject).replicas, 2);
    assert.strictEqual(r.setBy.get('spec/replicas')?.step, 'replicas[web]');
  });
  it('honours extra field specs', () => {
    const out = runOurs(replicasTransformer, 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec: {size: 1}\n', {
      replicas: [{ name: 't', count: 3 }],
      fieldSpecs: [{ kind: 'Thing', path: 'spec/size' }],
    });
    assert.deepStrictEqual(out.problems, []);
    assert.strictEqual((out.objects[0].spec as JsonObject).size, 3);
  });
});
