import * as assert from 'assert';
import { parseLabelSelector, replacementsTransformer, splitFieldPath } from '../../../server/src/kustomize/transformers/replacements';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { runOurs } from './transformer-harness';

describe('replacements', () => {
  describe('unit', () => {
    it('splits field paths at dots outside brackets', () => {
      assert.deepStrictEqual(splitFieldPath('a.[name=x.y].b.[c.d/e].0'), ['a', '[name=x.y]', 'b', 'c.d/e', '0']);
    });
    it('parses label selectors', () => {
      assert.deepStrictEqual(parseLabelSelector('a=b, c in (x, y),!d'), [
        { key: 'a', op: 'in', values: ['b'] },
        { key: 'c', op: 'in', values: ['x', 'y'] },
        { key: 'd', op: 'notexists', values: [] },
      ]);
      assert.ok('error' in parseLabelSelector('a=b=c'));
    });
    it('matches targets by an earlier name and records the replacement as origin', () => {
      const text =
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: src}\ndata: {v: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: p-dst}\ndata: {v: "0"}\n';
      const config = {
        replacements: [
          {
            source: { kind: 'ConfigMap', name: 'src', fieldPath: 'data.v' },
            targets: [{ select: { name: 'dst' }, fieldPaths: ['data.v'] }],
          },
        ],
      };
      const before = runOurs(replacementsTransformer, text, config);
      const resources = before.resources;
      assert.strictEqual((resources[1].object.data as JsonObject).v, '0');
      const ctx = { kustomizationFile: '/repo/kustomization.yaml', problems: [] };
      resources[1].previousIds.push({ group: '', version: 'v1', kind: 'ConfigMap', name: 'dst', namespace: '' });
      replacementsTransformer(
        resources,
        { ...config, origin: { kind: 'replacement', step: 'replacements', file: '/repo/kustomization.yaml' } },
        ctx,
      );
      assert.deepStrictEqual(ctx.problems, []);
      assert.strictEqual((resources[1].object.data as JsonObject).v, '1');
      assert.strictEqual(resources[1].setBy.get('data/v')?.step, 'replacements[0]');
      assert.strictEqual(resources[1].setBy.get('data/v')?.kind, 'replacement');
    });
    it('stops on hostile paths without hanging', () => {
      const deep = Array.from({ length: 5000 }, () => 'a').join('.');
      const out = runOurs(replacementsTransformer, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: src}\n', {
        replacements: [
          { source: { kind: 'ConfigMap' }, targets: [{ select: { kind: 'ConfigMap' }, fieldPaths: [deep], options: { create: true } }] },
        ],
      });
      assert.ok(out.problems.length <= 1);
    });
  });
});
