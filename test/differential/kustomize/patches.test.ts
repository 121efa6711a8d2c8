import * as assert from 'assert';
import { makeResource } from '../../../server/src/kustomize/resource';
import type { Selector } from '../../../server/src/kustomize/select';
import type { TransformContext, Transformer } from '../../../server/src/kustomize/transformer';
import { patchesTransformer, type PatchConfig } from '../../../server/src/kustomize/transformers/patches';
import { patchesJson6902Transformer } from '../../../server/src/kustomize/transformers/patchesJson6902';
import { patchesStrategicMergeTransformer } from '../../../server/src/kustomize/transformers/patchesStrategicMerge';
import type { JsonObject, Problem, Resource } from '../../../server/src/kustomize/types';
import { kustomize, parseObjects, requireKubectl, sortObjects } from '../kubectl-oracle';
import { base, replicasPatch } from '../../unit/kustomize/patchesFixtures';

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

const transformers: Record<Field, Transformer<PatchConfig[]>> = {
  patches: patchesTransformer,
  patchesStrategicMerge: patchesStrategicMergeTransformer,
  patchesJson6902: patchesJson6902Transformer,
};

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

function runOurs(
  resourcesText: string,
  field: Field,
  entries: Entry[],
): { resources: Resource[]; objects: JsonObject[]; problems: Problem[] } {
  const ctx: TransformContext = { kustomizationFile: KUSTOMIZATION, problems: [] };
  const resources = transformers[field](resourcesOf(resourcesText), configsOf(field, entries), ctx);
  return { resources, objects: sortObjects(resources.map((r) => r.object)), problems: ctx.problems };
}

function kustomizationFor(field: Field, entries: Entry[]): string {
  const items = entries.map((e) => {
    if (field === 'patchesStrategicMerge') return `- ${JSON.stringify(e.path ?? e.patch)}`;
    const parts: string[] = [];
    if (e.path) parts.push(`path: ${e.path}`);
    else parts.push(`patch: ${JSON.stringify(e.patch)}`);
    if (e.target) parts.push(`target: ${JSON.stringify(e.target)}`);
    if (e.options) parts.push(`options: ${JSON.stringify(e.options)}`);
    return `- ${parts.join('\n  ')}`;
  });
  return `resources: [res.yaml]\n${field}:\n${items.join('\n')}\n`;
}

async function runKubectl(resourcesText: string, field: Field, entries: Entry[]): Promise<{ objects?: JsonObject[]; error?: string }> {
  const files: Record<string, string> = { 'res.yaml': resourcesText, 'kustomization.yaml': kustomizationFor(field, entries) };
  for (const e of entries) if (e.path && e.content !== undefined) files[e.path] = e.content;
  const out = await kustomize(files);
  return { objects: out.objects ? sortObjects(out.objects) : undefined, error: out.error };
}

interface Case {
  name: string;
  field?: Field;
  resources?: string;
  entries: Entry[];
  /** Expected problem code when kustomize fails. */
  fails?: string;
  /** Our message must appear in kubectl's error. */
  sameMessage?: boolean;
}

const cases: Case[] = [
  { name: 'SMP without target patches the object with its own kind and name', entries: [{ patch: replicasPatch('app', 3) }] },
  { name: 'SMP from a file', entries: [{ path: 'patch.yaml', content: replicasPatch('app', 4) }] },
  {
    name: 'multi-document SMP file patches each object by id',
    entries: [
      {
        path: 'patch.yaml',
        content: `${replicasPatch('app', 2)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  type: NodePort\n`,
      },
    ],
  },
  {
    name: 'SMP with a leading document marker',
    entries: [{ patch: `---\n${replicasPatch('app', 5)}` }],
  },
  { name: 'SMP matching no object fails', entries: [{ patch: replicasPatch('nothere', 3) }], fails: 'patch-no-match', sameMessage: true },
  {
    name: 'SMP without apiVersion matches nothing (kustomize compares the whole id)',
    entries: [{ patch: 'kind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 3\n' }],
    fails: 'patch-no-match',
    sameMessage: true,
  },
  {
    name: 'SMP with namespace default matches an object without namespace',
    entries: [{ patch: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n  namespace: default\nspec:\n  type: NodePort\n' }],
  },
  {
    name: 'SMP in another namespace than the object matches nothing',
    entries: [{ patch: replicasPatch('worker', 3, '\n  namespace: other') }],
    fails: 'patch-no-match',
    sameMessage: true,
  },
  { name: 'SMP naming the object namespace matches it', entries: [{ patch: replicasPatch('worker', 3, '\n  namespace: jobs') }] },
  {
    name: 'SMP with a target applies to every match and its own name is ignored',
    entries: [{ patch: replicasPatch('ignored', 7), target: { kind: 'Deployment' } }],
  },
  {
    name: 'SMP with a target matching nothing is not an error',
    entries: [{ patch: replicasPatch('app', 7), target: { kind: 'StatefulSet' } }],
  },
  { name: 'SMP with a regex name target', entries: [{ patch: replicasPatch('x', 2), target: { name: 'w.*' } }] },
  { name: 'SMP with a label selector target', entries: [{ patch: replicasPatch('x', 2), target: { labelSelector: 'tier=batch' } }] },
  {
    name: 'SMP changing the name without allowNameChange keeps the name',
    entries: [{ patch: replicasPatch('renamed', 3), target: { name: 'app', kind: 'Deployment' } }],
  },
  {
    name: 'allowNameChange renames',
    entries: [{ patch: replicasPatch('renamed', 3), target: { name: 'app', kind: 'Deployment' }, options: { allowNameChange: true } }],
  },
  {
    name: 'a kind change without allowKindChange keeps the kind; the target apiVersion wins',
    entries: [
      {
        patch: 'apiVersion: v9\nkind: StatefulSet\nmetadata:\n  name: app\nspec:\n  replicas: 2\n',
        target: { name: 'app', kind: 'Deployment' },
      },
    ],
  },
  {
    name: 'allowKindChange changes the kind',
    entries: [
      {
        patch: 'apiVersion: v9\nkind: StatefulSet\nmetadata:\n  name: app\nspec:\n  replicas: 2\n',
        target: { name: 'app', kind: 'Deployment' },
        options: { allowKindChange: true },
      },
    ],
  },
  {
    name: '$patch: delete removes the object',
    entries: [{ patch: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n$patch: delete\n' }],
  },
  {
    name: '$patch: delete with a target removes every match',
    entries: [{ patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\n$patch: delete\n', target: { kind: 'Deployment' } }],
  },
  {
    name: 'several SMP documents with a target are refused',
    entries: [{ patch: `${replicasPatch('app', 2)}---\n${replicasPatch('worker', 2)}`, target: { kind: 'Deployment' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'a comment-only patch qualifies as both SM and JSON',
    entries: [{ patch: '# nothing', target: { kind: 'Deployment' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'renaming two objects to one name fails on the duplicate id',
    resources: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    entries: [
      {
        patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\ndata: {x: "1"}\n',
        target: { kind: 'ConfigMap' },
        options: { allowNameChange: true },
      },
    ],
    fails: 'patch-failed',
    sameMessage: true,
  },
  {
    name: 'a patch without kind is neither SM nor JSON',
    entries: [{ patch: 'spec:\n  replicas: 4', target: { kind: 'Deployment' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'an empty patch file is an empty JSON patch: without target it fails',
    entries: [{ path: 'empty.yaml', content: '' }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'an empty patch file with a target changes nothing',
    entries: [{ path: 'empty.yaml', content: '', target: { kind: 'Service' } }],
  },
  {
    name: 'a blank patch file qualifies as both SM and JSON',
    entries: [{ path: 'blank.yaml', content: '\n# only a comment\n', target: { kind: 'Service' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'an empty map is no SMP, so kustomize decodes it as a JSON patch and fails',
    entries: [{ patch: '{}', target: { kind: 'Service' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  { name: 'an empty map patch whose target selects nothing passes', entries: [{ patch: '{}', target: { kind: 'StatefulSet' } }] },
  { name: 'an empty map document after an SMP document is ignored', entries: [{ patch: `${replicasPatch('app', 3)}---\n{}\n` }] },
  {
    name: 'JSON patch without target fails',
    entries: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 5' }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'JSON patch with a target',
    entries: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 5', target: { kind: 'Deployment', namespace: 'jobs' } }],
  },
  {
    name: 'JSON patch from a JSON file',
    entries: [
      { path: 'ops.json', content: '[{"op": "add", "path": "/spec/paused", "value": true}]', target: { name: 'app', kind: 'Deployment' } },
    ],
  },
  {
    name: 'JSON patch adds an annotation to an object without annotations',
    entries: [{ patch: '- {op: add, path: /metadata/annotations/team, value: blue}', target: { kind: 'Service' } }],
  },
  {
    name: 'annotation values a JSON patch sets become strings',
    entries: [
      { patch: '- {op: add, path: /metadata/annotations, value: {count: 5, enabled: true, ratio: 1.5}}', target: { kind: 'Service' } },
    ],
  },
  {
    name: 'an empty annotations map a JSON patch leaves disappears',
    entries: [{ patch: '- {op: add, path: /metadata/annotations, value: {}}', target: { kind: 'Service' } }],
  },
  {
    name: "JSON patch failing reports kustomize's message",
    entries: [{ patch: '- {op: remove, path: /spec/nothere}', target: { kind: 'Service' } }],
    fails: 'patch-failed',
    sameMessage: true,
  },
  {
    name: 'a JSON patch may rename; a later patch still finds the object by its first name',
    entries: [
      { patch: '- {op: replace, path: /metadata/name, value: renamed}', target: { name: 'app', kind: 'Deployment' } },
      { patch: '- {op: add, path: /spec/paused, value: true}', target: { name: 'app', kind: 'Deployment' } },
    ],
  },
  {
    name: 'patches apply in order: the last one wins',
    entries: [
      { patch: replicasPatch('app', 2) },
      { patch: '- {op: replace, path: /spec/replicas, value: 9}', target: { name: 'app', kind: 'Deployment' } },
      { patch: replicasPatch('app', 4) },
    ],
  },
  {
    name: 'an SMP merges containers by name',
    entries: [
      {
        patch:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:2\n      - name: side\n        image: busybox\n',
      },
    ],
  },
  {
    name: 'a malformed target regex fails',
    entries: [{ patch: replicasPatch('app', 2), target: { name: 'app-(' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  // Legacy fields.
  {
    name: 'patchesStrategicMerge: inline YAML and a file, applied by id',
    field: 'patchesStrategicMerge',
    entries: [
      { patch: replicasPatch('app', 6) },
      { path: 'delete.yaml', content: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n$patch: delete\n' },
    ],
  },
  {
    name: 'patchesStrategicMerge matching nothing fails',
    field: 'patchesStrategicMerge',
    entries: [{ patch: replicasPatch('nope', 6) }],
    fails: 'patch-no-match',
    sameMessage: true,
  },
  {
    name: 'patchesJson6902 with a target',
    field: 'patchesJson6902',
    entries: [
      {
        patch: '- op: replace\n  path: /spec/replicas\n  value: 2',
        target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'app' },
      },
    ],
  },
  {
    name: 'patchesJson6902 whose target matches nothing is not an error',
    field: 'patchesJson6902',
    entries: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 2', target: { kind: 'Deployment', name: 'nope' } }],
  },
  {
    name: 'patchesJson6902 target name is a regex',
    field: 'patchesJson6902',
    entries: [
      { path: 'ops.yaml', content: '- op: add\n  path: /spec/paused\n  value: true\n', target: { kind: 'Deployment', name: '.*' } },
    ],
  },
  {
    name: 'patchesJson6902 without target name fails',
    field: 'patchesJson6902',
    entries: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 2', target: { kind: 'Deployment' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
  {
    name: 'patchesJson6902 with a strategic-merge-shaped text fails to decode',
    field: 'patchesJson6902',
    entries: [{ patch: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n', target: { kind: 'Service', name: 'app' } }],
    fails: 'invalid-patch',
    sameMessage: true,
  },
];

describe('patch transformers', () => {
  describe('against kubectl kustomize', function () {
    const oracles = new Map<Case, { objects?: JsonObject[]; error?: string }>();
    before(async function () {
      this.timeout(20000);
      requireKubectl(this);
      // A few kubectl processes at a time: dozens at once only compete for the CPU.
      const queue = cases.slice();
      const worker = async () => {
        for (let c = queue.shift(); c; c = queue.shift())
          oracles.set(c, await runKubectl(c.resources ?? base, c.field ?? 'patches', c.entries));
      };
      await Promise.all(Array.from({ length: 6 }, worker));
    });

    for (const c of cases) {
      it(c.name, () => {
        const field = c.field ?? 'patches';
        const resources = c.resources ?? base;
        const oracle = oracles.get(c)!;
        const ours = runOurs(resources, field, c.entries);
        if (c.fails) {
          assert.ok(oracle.error, 'kubectl should fail');
          assert.strictEqual(ours.problems.length, 1, JSON.stringify(ours.problems));
          assert.strictEqual(ours.problems[0].code, c.fails);
          if (c.sameMessage) {
            const unescaped = oracle.error.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
            assert.ok(unescaped.includes(ours.problems[0].message), `kubectl: ${oracle.error}\nours: ${ours.problems[0].message}`);
          }
          return;
        }
        assert.ok(oracle.objects, oracle.error);
        assert.deepStrictEqual(
          ours.problems.filter((p) => p.severity === 'error'),
          [],
        );
        assert.deepStrictEqual(ours.objects, oracle.objects);
      });
    }
  });
});
