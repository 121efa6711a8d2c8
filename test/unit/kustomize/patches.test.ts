import * as assert from 'assert';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { Selector } from '../../../server/src/kustomize/select';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { patchesTransformer, type PatchConfig } from '../../../server/src/kustomize/transformers/patches';
import type { JsonObject, Resource } from '../../../server/src/kustomize/types';
import { parseObjects } from './objects';
import { base, replicasPatch } from './patchesFixtures';

const DIR = '/repo';
const KUSTOMIZATION = `${DIR}/kustomization.yaml`;

type Field = 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';

/** One entry of a patch field: inline text, or a file with its content. */
interface Entry {
  patch?: string;
  path?: string;
  content?: string;
  target?: Selector;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

function resourcesOf(text: string): Resource[] {
  return parseObjects(text).map((o, i) => makeResource(o, { file: `${DIR}/res.yaml`, documentIndex: i }));
}

function configsOf(field: Field, entries: Entry[]): PatchConfig[] {
  return entries.map((e, i) => ({
    text: e.patch ?? e.content ?? '',
    file: e.path ? `${DIR}/${e.path}` : KUSTOMIZATION,
    target: e.target,
    options: e.options,
    origin: { kind: 'patch', step: `${field}[${i}]`, file: KUSTOMIZATION },
  }));
}

describe('patch transformers', () => {
  describe('origins and problem places', () => {
    const ctx = (): TransformContext => ({ kustomizationFile: KUSTOMIZATION, problems: [] });

    it('records the patch file line of each value a strategic merge patch set', () => {
      const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 3\n';
      const [config] = configsOf('patches', [{ path: 'patch.yaml', content: text }]);
      const out = patchesTransformer(resourcesOf(base), [config], ctx());
      const origin = originAt(out[0], ['spec', 'replicas']);
      assert.strictEqual(origin?.kind, 'patch');
      assert.strictEqual(origin?.step, 'patches[0]');
      assert.strictEqual(origin?.file, `${DIR}/patch.yaml`);
      assert.strictEqual(origin?.range?.start.line, 5);
      assert.strictEqual(originAt(out[0], ['spec', 'template']), undefined, 'untouched values keep their source');
    });

    it('shifts ranges of inline patches by the line (and column) where the text starts', () => {
      const [config] = configsOf('patches', [{ patch: replicasPatch('app', 3) }]);
      config.lineOffset = 10;
      config.columnOffset = 4;
      const out = patchesTransformer(resourcesOf(base), [config], ctx());
      const origin = originAt(out[0], ['spec', 'replicas']);
      assert.strictEqual(origin?.file, KUSTOMIZATION);
      assert.deepStrictEqual(origin?.range?.start, { line: 15, character: 4 + 'replicas: '.length + 2 });
    });

    it('records the range of the JSON operation that set a value', () => {
      const [config] = configsOf('patches', [
        {
          patch: '- op: add\n  path: /spec/paused\n  value: true\n- op: replace\n  path: /spec/replicas\n  value: 2\n',
          target: { name: 'app', kind: 'Deployment' },
        },
      ]);
      config.lineOffset = 20;
      const out = patchesTransformer(resourcesOf(base), [config], ctx());
      assert.strictEqual(originAt(out[0], ['spec', 'paused'])?.range?.start.line, 20);
      assert.strictEqual(originAt(out[0], ['spec', 'replicas'])?.range?.start.line, 23);
    });

    it('places a failed JSON operation at the operation, and leaves the objects as they were', () => {
      const c = ctx();
      const input = resourcesOf(base);
      const [config] = configsOf('patches', [
        { patch: '- {op: add, path: /spec/paused, value: true}\n- {op: remove, path: /spec/nothere}\n', target: { kind: 'Service' } },
      ]);
      config.lineOffset = 7;
      const out = patchesTransformer(input, [config], c);
      assert.strictEqual(out, input);
      assert.strictEqual((input[2].object.spec as JsonObject).paused, undefined);
      assert.strictEqual(c.problems[0].code, 'patch-failed');
      assert.strictEqual(c.problems[0].file, KUSTOMIZATION);
      assert.strictEqual(c.problems[0].range?.start.line, 8);
    });

    it('places a patch that matches nothing at its document in the patch file', () => {
      const c = ctx();
      const text = `${replicasPatch('app', 2)}---\n${replicasPatch('nothere', 2)}`;
      patchesTransformer(resourcesOf(base), configsOf('patches', [{ path: 'p.yaml', content: text }]), c);
      assert.strictEqual(c.problems[0].code, 'patch-no-match');
      assert.strictEqual(c.problems[0].file, `${DIR}/p.yaml`);
      assert.strictEqual(c.problems[0].range?.start.line, 7);
      assert.strictEqual(
        c.problems[0].message,
        'no resource matches strategic merge patch "Deployment.v1.apps/nothere.[noNs]": no matches for Id Deployment.v1.apps/nothere.[noNs]; failed to find unique target for patch Deployment.v1.apps/nothere.[noNs]',
      );
    });

    it('places a malformed target at the kustomization entry', () => {
      const c = ctx();
      const [config] = configsOf('patches', [{ patch: replicasPatch('app', 2), target: { labelSelector: 'a in x' } }]);
      config.origin.range = { start: { line: 3, character: 2 }, end: { line: 6, character: 0 } };
      patchesTransformer(resourcesOf(base), [config], c);
      assert.strictEqual(c.problems[0].file, KUSTOMIZATION);
      assert.strictEqual(c.problems[0].range?.start.line, 3);
    });

    it('warns, at the entry, about a target that selects nothing (kustomize silently ignores it)', () => {
      const c = ctx();
      const [config] = configsOf('patches', [{ patch: '- {op: add, path: /x, value: 1}', target: { kind: 'StatefulSet' } }]);
      config.origin.range = { start: { line: 2, character: 2 }, end: { line: 4, character: 0 } };
      const input = resourcesOf(base);
      const out = patchesTransformer(input, [config], c);
      assert.deepStrictEqual(
        out.map((r) => r.object),
        input.map((r) => r.object),
      );
      assert.deepStrictEqual(
        c.problems.map((p) => [p.code, p.severity, p.file, p.range?.start.line]),
        [['patch-no-match', 'warning', KUSTOMIZATION, 2]],
      );
      assert.match(c.problems[0].message, /"StatefulSet\.\[noVer\]\.\[noGrp\]\/\[noName\]\.\[noNs\]:a=:l=" selects no resource/);
    });

    it('remembers the id before a rename so later selectors find the object by its first name', () => {
      const out = patchesTransformer(
        resourcesOf(base),
        configsOf('patches', [
          { patch: replicasPatch('renamed', 3), target: { name: 'app', kind: 'Deployment' }, options: { allowNameChange: true } },
        ]),
        ctx(),
      );
      assert.strictEqual((out[0].object.metadata as JsonObject).name, 'renamed');
      assert.deepStrictEqual(
        out[0].previousIds.map((id) => id.name),
        ['app'],
      );
    });

    it('does not change the resources it was given', () => {
      const input = resourcesOf(base);
      const before = JSON.stringify(input.map((r) => r.object));
      patchesTransformer(
        input,
        configsOf('patches', [{ patch: replicasPatch('app', 3) }, { patch: '- {op: add, path: /x, value: 1}', target: {} }]),
        ctx(),
      );
      assert.strictEqual(JSON.stringify(input.map((r) => r.object)), before);
    });
  });
});
