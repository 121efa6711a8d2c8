// Incremental planning: what an earlier build of the same overlay can lend this one. In a large overlay
// whose transformer steps work object by object (buildSteps.ts: no cross-object step, every patch a
// strategic merge patch naming exactly one object), each object's result depends only on the object, the
// kustomization's other fields and the patches that apply to it; the plan gives each object the key its
// result is remembered under (transformMemo.ts), so after an edit of one patch only the object it patches
// is transformed again. build.ts runs the plan; this file only decides it.
import { PatchTargetIndex, readPatch } from './patchApply';
import { blankFields, fieldRange, listField, type Kustomization } from './kustomization';
import type { LoadRestrictor } from './loader';
import { isObject, resIdOf } from './resource';
import { TRANSFORMER_STEPS } from './buildSteps';
import type { TransformContext } from './transformer';
import type { TransformMemo } from './transformMemo';
import type { CustomFieldSpecs } from './transformerConfig';
import type { Json, Problem, Resource } from './types';
import type { PatchConfig } from './transformers/patches';

/** Below this many objects a kustomization's transformers cost less than working out what to reuse. */
export const INCREMENTAL_MIN_OBJECTS = 64;

export interface IncrementalPlan {
  memo: TransformMemo;
  /** Per object (same order as the resources), the key its result is remembered under; none without an identity. */
  keys: Array<string | undefined>;
  /** The `patches` entries (indexes) that apply to each object. */
  patchesOf: Map<Resource, number[]>;
}

/** What planning asks of the build: its problems (restored when a trial read reports one) and its reads. */
export interface PlanningHost {
  problems: Problem[];
  loadRestrictor: LoadRestrictor;
  /** The kustomization file's text, as the build's file system has it. */
  kustomizationText(): string | undefined;
  /** The memo of this kustomization folder's transformer results. */
  transformMemo(): TransformMemo;
  patchConfig(field: 'patches', value: Json, index: number): PatchConfig[];
}

/**
 * Whether the kustomization's transformers work object by object, and if so each object's memo key and
 * patches; `undefined` when the whole list must be transformed together (or is too small to be worth it).
 */
export function planIncremental(
  k: Kustomization,
  resources: Resource[],
  specs: CustomFieldSpecs,
  host: PlanningHost,
): IncrementalPlan | undefined {
  if (resources.length < INCREMENTAL_MIN_OBJECTS) return undefined;
  for (const step of TRANSFORMER_STEPS) {
    if (!step.perObject && step.fields.some((field) => k.fields[field] !== undefined)) return undefined;
  }
  const text = host.kustomizationText();
  if (text === undefined) return undefined;
  const memo = host.transformMemo();
  // Keyed without the patches themselves (each object's key names its own): the kustomization's other
  // fields decide every object's result, and a build without patches (a rule's what-if) shares them.
  const token = memo.tokenOf(
    `${k.file}\u0000${host.loadRestrictor}\u0000${JSON.stringify(specs)}\u0000${blankFields(text, k, ['patches'])}`,
  );
  // A kustomization version not built lately has no results to reuse and will keep none: plain run.
  if (!memo.worthKeeping(token)) return undefined;
  const patchesOf = new Map<Resource, number[]>();
  const patchTexts: string[] = [];
  const entries = listField(k, 'patches');
  if (entries.length > 0) {
    const index = new PatchTargetIndex(resources);
    const scratch: TransformContext = { kustomizationFile: k.file, problems: [] };
    for (const entry of entries) {
      const v = entry.value;
      if (!isObject(v) || v.target !== undefined || v.options !== undefined) return undefined;
      const before = host.problems.length;
      const [config] = host.patchConfig('patches', v, entry.index);
      if (host.problems.length > before) {
        host.problems.length = before;
        return undefined;
      }
      // `$patch: delete`/`replace` change the list itself; leave such overlays to the full run.
      if (!config || config.text.includes('$patch')) return undefined;
      const read = readPatch(config, scratch);
      if (read.kind !== 'strategic') return undefined;
      for (const doc of read.documents) {
        const matches = index.withAnyId(resIdOf(doc.value));
        if (matches.length !== 1) return undefined;
        const list = patchesOf.get(matches[0]);
        if (list) {
          if (list[list.length - 1] !== entry.index) list.push(entry.index);
        } else patchesOf.set(matches[0], [entry.index]);
      }
      // The entry's place and file are part of what it records as the origin of the values it sets.
      const at = fieldRange(k, ['patches', entry.index]);
      patchTexts[entry.index] =
        `${config.file}\u0001${at ? `${at.start.line}:${at.start.character}-${at.end.line}:${at.end.character}` : ''}\u0001${config.text}`;
    }
  }
  const keys = resources.map((r) => {
    if (!r.identity) return undefined;
    const patches = patchesOf.get(r);
    return patches ? `${token}\u0000${patches.map((p) => `${p}\u0001${patchTexts[p]}`).join('\u0000')}` : String(token);
  });
  return { memo, keys, patchesOf };
}
