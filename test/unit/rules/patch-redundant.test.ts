import * as assert from 'assert';
import * as path from 'path';
import type { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { overlayFileSystem } from '../../../server/src/kustomize/fs';
import type { Kustomization } from '../../../server/src/kustomize/kustomization';
import type { PatchConfig } from '../../../server/src/kustomize/patchApply';
import { renderKustomization } from '../../../server/src/kustomize/render';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { patchesTransformer } from '../../../server/src/kustomize/transformers/patches';
import { patchesJson6902Transformer } from '../../../server/src/kustomize/transformers/patchesJson6902';
import { patchesStrategicMergeTransformer } from '../../../server/src/kustomize/transformers/patchesStrategicMerge';
import type { Resource } from '../../../server/src/kustomize/types';
import { emitYaml } from '../../../server/src/kustomize/yaml/emit';
import { applyTextEdits, deleteLines, entryRange } from '../../../server/src/kustomize/yaml/edit';
import { PATCH_FIELDS, patchEntries, type PatchField } from '../../../server/src/rules/support/overlayRenderSupport';
import { patchRedundant } from '../../../server/src/rules/patch-redundant';
import { objectsBeforePatches } from '../../../server/src/rules/patch-target-missing';
import { screenEntry, screenPatches, type ScreenEntry } from '../../../server/src/rules/support/patchRedundancyScreen';
import type { TextEdit } from '../../../server/src/rules/rule';
import { makeFleet, type Fleet } from './harness';
import { fleetInfraFiles } from './overlayRenderFixtures';

const base = {
  'app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'app/base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n',
};
const samePatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n';
const realPatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 5\n';

describe('rule patch-redundant', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('is clean on the fleet-infra seed', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(patchRedundant), []);
  });

  it('flags a patch that a later patch overrides entirely (it changes nothing in the output)', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n- path: same.yaml\n',
      'app/prod/replicas.yaml': realPatch,
      'app/prod/same.yaml': samePatch,
    });
    assert.deepStrictEqual(
      fleet.check(patchRedundant).map((d) => d.range.start.line),
      [3],
    );
  });

  it('flags every redundant patch of a kustomization (checked together in one build)', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: same.yaml\n- path: replicas.yaml\n- path: image.yaml\n',
      'app/prod/same.yaml': samePatch,
      'app/prod/replicas.yaml': realPatch,
      'app/prod/image.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n',
    });
    assert.deepStrictEqual(
      fleet.check(patchRedundant).map((d) => d.range.start.line),
      [3, 5],
    );
  });

  it('does not flag a patch that changes a value', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n',
      'app/prod/replicas.yaml': realPatch,
    });
    assert.deepStrictEqual(fleet.check(patchRedundant), []);
  });

  it('does not flag a patch that matches nothing (patch-target-missing does)', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- target:\n    kind: Service\n  patch: |-\n    - op: add\n      path: /spec/x\n      value: 1\n',
    });
    assert.deepStrictEqual(fleet.check(patchRedundant), []);
  });

  it('removes the whole patches key when the only patch is redundant (inline JSON patch too)', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 2\nnamespace: prod\n',
    });
    const [d] = fleet.check(patchRedundant);
    assert.strictEqual(d.range.start.line, 3);
    fleet.apply(d.fixes![0]);
    assert.strictEqual(fleet.read('app/prod/kustomization.yaml'), 'resources:\n- ../base\nnamespace: prod\n');
    assert.deepStrictEqual(fleet.check(patchRedundant), []);
  });

  it('gives no finding for a kustomization that does not build', () => {
    fleet = makeFleet({
      'app/prod/kustomization.yaml': 'resources:\n- missing\npatches:\n- path: same.yaml\n',
      'app/prod/same.yaml': samePatch,
    });
    assert.deepStrictEqual(fleet.check(patchRedundant), []);
  });
});

// After an edit the rule re-screens only what the edit touched; these go through one index, edited in
// memory, so that what it kept from the previous check must be dropped exactly when it no longer holds.
describe('rule patch-redundant after edits', function () {
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  const edit = (rel: string, text: string) => fleet!.index.setBuffer(path.join(fleet!.root, rel), text);
  const lines = () => fleet!.check(patchRedundant).map((d) => d.range.start.line);

  it('reports a patch once an edit of its file makes it redundant, and clears it once an edit makes it matter again', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n',
      'app/prod/replicas.yaml': realPatch,
    });
    assert.deepStrictEqual(lines(), []);
    edit('app/prod/replicas.yaml', samePatch);
    assert.deepStrictEqual(lines(), [3]);
    edit('app/prod/replicas.yaml', realPatch);
    assert.deepStrictEqual(lines(), []);
  });

  it('follows edits of the base the patch applies to', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n',
      'app/prod/replicas.yaml': realPatch,
    });
    assert.deepStrictEqual(lines(), []);
    edit('app/base/deployment.yaml', base['app/base/deployment.yaml'].replace('replicas: 2', 'replicas: 5'));
    assert.deepStrictEqual(lines(), [3]);
    edit('app/base/deployment.yaml', base['app/base/deployment.yaml']);
    assert.deepStrictEqual(lines(), []);
  });

  it('follows an edit that makes a later patch override an earlier one, and one that stops it', () => {
    const other = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 7\n';
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n- path: other.yaml\n',
      'app/prod/replicas.yaml': realPatch,
      'app/prod/other.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  paused: true\n',
    });
    assert.deepStrictEqual(lines(), []);
    edit('app/prod/other.yaml', other);
    assert.deepStrictEqual(lines(), [3]);
    // The same two patches in the other order: now the other one is overridden.
    edit('app/prod/kustomization.yaml', 'resources:\n- ../base\npatches:\n- path: other.yaml\n- path: replicas.yaml\n');
    assert.deepStrictEqual(lines(), [3]);
    edit('app/prod/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  paused: true\n');
    assert.deepStrictEqual(lines(), []);
  });

  it('follows a change of the order of the patches of one object', () => {
    const paused = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  paused: true\n';
    const k = (...files: string[]) => `resources:\n- ../base\npatches:\n${files.map((f) => `- path: ${f}\n`).join('')}`;
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': k('same.yaml', 'replicas.yaml', 'paused.yaml'),
      'app/prod/same.yaml': samePatch,
      'app/prod/replicas.yaml': realPatch,
      'app/prod/paused.yaml': paused,
    });
    assert.deepStrictEqual(lines(), [3]);
    edit('app/prod/kustomization.yaml', k('paused.yaml', 'same.yaml', 'replicas.yaml'));
    assert.deepStrictEqual(lines(), [4]);
    // Now the patch repeating the base comes last and undoes the other one.
    edit('app/prod/kustomization.yaml', k('replicas.yaml', 'paused.yaml', 'same.yaml'));
    assert.deepStrictEqual(lines(), [3]);
    edit('app/prod/kustomization.yaml', k('replicas.yaml', 'paused.yaml'));
    assert.deepStrictEqual(lines(), []);
  });

  it('follows an edit of an inline JSON 6902 patch with a target', () => {
    const k = (value: number) =>
      `resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n    name: my-app\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: ${value}\n`;
    fleet = makeFleet({ ...base, 'app/prod/kustomization.yaml': k(3) });
    assert.deepStrictEqual(lines(), []);
    edit('app/prod/kustomization.yaml', k(2));
    assert.deepStrictEqual(lines(), [3]);
    edit('app/prod/kustomization.yaml', k(4));
    assert.deepStrictEqual(lines(), []);
  });

  it('gives no finding once a patch file edit makes the build fail, and finds it again once the build is mended', () => {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: same.yaml\n',
      'app/prod/same.yaml': samePatch,
    });
    assert.deepStrictEqual(lines(), [3]);
    edit('app/prod/same.yaml', samePatch.replace('name: my-app', 'name: no-such-app'));
    assert.deepStrictEqual(lines(), []);
    edit('app/prod/same.yaml', samePatch);
    assert.deepStrictEqual(lines(), [3]);
  });
});

// The screen finds each entry's targets among a few candidates and keeps its work between checks; it must
// give exactly what screening every entry on the whole list gives, on any mix of patch kinds and edits.
describe('patch-redundant screen against screening every entry on the whole list', function () {
  this.timeout(60_000);

  const TRANSFORMERS: Record<PatchField, (resources: Resource[], configs: PatchConfig[], ctx: TransformContext) => Resource[]> = {
    patchesStrategicMerge: patchesStrategicMergeTransformer,
    patches: patchesTransformer,
    patchesJson6902: patchesJson6902Transformer,
  };

  /** The screen as it was before it was kept between checks, on a fresh render without any cache. */
  function referenceScreen(index: FleetIndex, k: Kustomization, entries: readonly ScreenEntry[]): number[] {
    const text = index.text(k.file)!;
    const edits: TextEdit[] = [];
    for (const field of PATCH_FIELDS) {
      const range = entryRange(k.document, [field]);
      if (range && k.fields[field] !== undefined) edits.push(deleteLines(k.file, text, range));
    }
    const fs = overlayFileSystem(index.fs, new Map([[k.file, applyTextEdits(text, edits)]]));
    const before = renderKustomization(k.dir, { fs, repoRoot: index.root }).resources;
    const candidates: number[] = [];
    if (before.length === 0) return candidates;
    const ctx = (): TransformContext => ({ kustomizationFile: k.file, problems: [] });
    const touched = new Map<Resource, number[]>();
    const targets = entries.map((e, i) => {
      if (!e.config) return [];
      const c = ctx();
      const out = new Set(TRANSFORMERS[e.field](before, [e.config], c));
      if (c.problems.some((p) => p.severity === 'error')) return [];
      const hit = before.filter((r) => !out.has(r));
      for (const r of hit) touched.set(r, [...(touched.get(r) ?? []), i]);
      return hit;
    });
    const applyAll = (object: Resource, order: readonly number[]) => {
      let current = [object];
      for (const i of order) current = TRANSFORMERS[entries[i].field](current, [entries[i].config!], ctx());
      return current.map((r) => emitYaml(r.object)).join('---\n');
    };
    entries.forEach((_, i) => {
      if (targets[i].length === 0) return;
      const same = targets[i].every((r) => {
        const order = touched.get(r) ?? [];
        return (
          applyAll(r, order) ===
          applyAll(
            r,
            order.filter((j) => j !== i),
          )
        );
      });
      if (same) candidates.push(i);
    });
    return candidates;
  }

  function compare(fleet: Fleet, what: string): number[] {
    const file = path.join(fleet.root, 'app/prod/kustomization.yaml');
    const k = fleet.index.kustomization(file).kustomization!;
    const entries = patchEntries(k).map((e) => screenEntry(fleet.index, k, e));
    const screened = [...screenPatches(fleet.index, k.file, objectsBeforePatches(fleet.index, k), entries)].sort((a, b) => a - b);
    assert.deepStrictEqual(screened, referenceScreen(fleet.index, k, entries), `${what}\n${fleet.index.text(file)}`);
    return screened;
  }

  // A small deterministic generator (no timing, no randomness between runs).
  function generator(seed: number) {
    let state = seed >>> 0 || 1;
    const next = () => {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      return state / 2 ** 32;
    };
    return { int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] };
  }

  const deployment = (name: string, body: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${body}`;
  const baseFiles = (replicas: number) => ({
    'app/base/kustomization.yaml':
      'resources:\n- deployment.yaml\n- other.yaml\n- service.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - a=1\n',
    'app/base/deployment.yaml': deployment(
      'my-app',
      `  labels:\n    app: my-app\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        env:\n        - name: A\n          value: "1"\n        envFrom:\n        - configMapRef:\n            name: settings\n`,
    ),
    'app/base/other.yaml': deployment(
      'other',
      '  labels:\n    app: other\n    tier: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1\n',
    ),
    'app/base/service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-app\nspec:\n  selector:\n    app: my-app\n  ports:\n  - port: 80\n',
  });

  /** Strategic merge documents for the Deployment `name` (or every selected one when used with a target). */
  const documents = (g: ReturnType<typeof generator>, name: string): string =>
    g.pick([
      () => deployment(name, `spec:\n  replicas: ${1 + g.int(3)}\n`),
      () => deployment(name, `spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:${1 + g.int(2)}\n`),
      () => deployment(name, `  labels:\n    team: ${g.pick(['a', 'b'])}\n`),
      () =>
        deployment(
          name,
          `spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: A\n          value: "${1 + g.int(2)}"\n`,
        ),
      () =>
        deployment(name, `spec:\n  replicas: ${1 + g.int(3)}\n`) + '---\n' + deployment('other', `spec:\n  replicas: ${1 + g.int(2)}\n`),
      () => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "' + (1 + g.int(2)) + '"\n',
      () => 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my-app\n$patch: delete\n',
      () => deployment('no-such-app', 'spec:\n  replicas: 2\n'),
    ])();

  const jsonOps = (g: ReturnType<typeof generator>): string =>
    g.pick([
      () => `- op: replace\n  path: /spec/replicas\n  value: ${1 + g.int(3)}\n`,
      () => `- op: add\n  path: /metadata/annotations/x\n  value: ${g.pick(['y', 'z'])}\n`,
      () => '- op: remove\n  path: /spec/template/spec/containers/0/env\n',
      () => `- op: test\n  path: /spec/replicas\n  value: ${1 + g.int(3)}\n`,
    ])();

  const indent = (text: string, by: string) =>
    text
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => by + l)
      .join('\n') + '\n';

  interface Entry {
    field: PatchField;
    /** The list item, from its `- ` on. */
    item: string;
    file?: { name: string; text: string };
  }

  function entry(g: ReturnType<typeof generator>, n: number): Entry {
    const file = `p${n}.yaml`;
    return g.pick<() => Entry>([
      () => ({ field: 'patches', item: `- path: ${file}\n`, file: { name: file, text: documents(g, 'my-app') } }),
      () => ({ field: 'patches', item: '- patch: |-\n' + indent(documents(g, g.pick(['my-app', 'other'])), '    ') }),
      () => ({
        field: 'patches',
        item: `- path: ${file}\n  target:\n    kind: Deployment\n`,
        file: { name: file, text: deployment('any', `spec:\n  replicas: ${1 + g.int(3)}\n`) },
      }),
      () => ({
        field: 'patches',
        item: `- path: ${file}\n  target:\n    name: ${g.pick(['my-app', 'other', 'my-.*', 'no-such'])}\n`,
        file: {
          name: file,
          text: deployment('any', g.pick([`spec:\n  paused: ${g.pick(['true', 'false'])}\n`, `spec:\n  replicas: ${1 + g.int(3)}\n`])),
        },
      }),
      () => ({
        field: 'patches',
        item: `- path: ${file}\n  target:\n    labelSelector: app=other\n`,
        file: { name: file, text: deployment('any', `spec:\n  replicas: ${1 + g.int(2)}\n`) },
      }),
      () => ({
        field: 'patches',
        item: `- target:\n    kind: Deployment\n    name: ${g.pick(['my-app', 'other'])}\n  patch: |-\n` + indent(jsonOps(g), '    '),
      }),
      () => ({ field: 'patches', item: '- target:\n    kind: Deployment\n  patch: |-\n' + indent(jsonOps(g), '    ') }),
      () => ({
        field: 'patchesJson6902',
        item: `- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: other\n  path: ${file}\n`,
        file: { name: file, text: jsonOps(g) },
      }),
      () => ({ field: 'patchesStrategicMerge', item: `- ${file}\n`, file: { name: file, text: documents(g, 'my-app') } }),
      () => ({ field: 'patchesStrategicMerge', item: '- |-\n' + indent(documents(g, 'other'), '  ') }),
      () => ({
        field: 'patches',
        item: `- path: ${file}\n  target:\n    kind: Service\n    name: my-app\n  options:\n    allowNameChange: true\n`,
        file: { name: file, text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${g.pick(['my-app', 'my-svc'])}\n` },
      }),
      () => ({
        field: 'patches',
        item: `- path: ${file}\n  target:\n    kind: Deployment\n    name: other\n  options:\n    allowNameChange: true\n`,
        file: { name: file, text: deployment(g.pick(['my-app', 'other', 'renamed']), 'spec:\n  replicas: 1\n') },
      }),
      () => ({
        field: 'patches',
        item: `- path: ${file}\n  options:\n    allowNameChange: true\n`,
        file: {
          name: file,
          text: deployment('my-app', 'spec:\n  replicas: 2\n') + '---\n' + deployment('my-app', `spec:\n  replicas: ${1 + g.int(3)}\n`),
        },
      }),
    ])();
  }

  /** The fields besides the patches: namespace, labels, images. */
  function otherFields(g: ReturnType<typeof generator>): string {
    let text = '';
    if (g.int(2)) text += 'namespace: prod\n';
    if (g.int(3) === 0) text += 'commonLabels:\n  team: a\n';
    if (g.int(3) === 0) text += 'images:\n- name: app\n  newTag: "2"\n';
    return text;
  }

  function kustomizationText(others: string, entries: readonly Entry[]): string {
    let text = 'resources:\n- ../base\n' + others;
    for (const field of ['patches', 'patchesStrategicMerge', 'patchesJson6902'] as const) {
      const items = entries.filter((e) => e.field === field);
      if (items.length > 0) text += `${field}:\n${items.map((e) => e.item).join('')}`;
    }
    return text;
  }

  it('gives the same candidates on generated overlays, and after each of a series of edits', () => {
    let found = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const g = generator(seed * 7919);
      const entries = Array.from({ length: 1 + g.int(5) }, (_, n) => entry(g, n));
      let others = otherFields(g);
      const files: Record<string, string> = { ...baseFiles(2), 'app/prod/kustomization.yaml': kustomizationText(others, entries) };
      for (const e of entries) if (e.file) files[`app/prod/${e.file.name}`] = e.file.text;
      const fleet = makeFleet(files);
      try {
        found += compare(fleet, `seed ${seed}`).length;
        for (let step = 0; step < 4; step++) {
          const withFiles = entries.filter((e) => e.file);
          const kind = g.int(4);
          if (kind === 0 && withFiles.length > 0) {
            // Another text for one patch file, of the same kind (documents, or JSON operations).
            const e = g.pick(withFiles);
            const text =
              e.field === 'patchesJson6902'
                ? jsonOps(g)
                : e.file!.text.startsWith('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any')
                  ? deployment('any', `spec:\n  replicas: ${1 + g.int(3)}\n`)
                  : documents(g, 'my-app');
            fleet.index.setBuffer(path.join(fleet.root, 'app/prod', e.file!.name), text);
          } else if (kind === 1) {
            fleet.index.setBuffer(path.join(fleet.root, 'app/base/deployment.yaml'), baseFiles(1 + g.int(3))['app/base/deployment.yaml']);
          } else if (kind === 2) {
            // The same entries in another order: the objects before patches stay the same.
            const shuffled = entries
              .map((e) => ({ e, key: g.int(1000) }))
              .sort((a, b) => a.key - b.key)
              .map(({ e }) => e);
            fleet.index.setBuffer(path.join(fleet.root, 'app/prod/kustomization.yaml'), kustomizationText(others, shuffled));
          } else {
            others = otherFields(g);
            fleet.index.setBuffer(path.join(fleet.root, 'app/prod/kustomization.yaml'), kustomizationText(others, entries));
          }
          found += compare(fleet, `seed ${seed}, edit ${step}`).length;
        }
      } finally {
        fleet.dispose();
      }
    }
    // The generated overlays do hold redundant-looking patches, so the comparison is not of empty sets only.
    assert.ok(found > 20, `only ${found} candidates over all overlays`);
  });
});
