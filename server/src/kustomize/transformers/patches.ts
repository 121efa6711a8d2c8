// The `patches:` field: each entry is a strategic merge patch (one or more documents) or a JSON 6902
// patch, from a file or inline, applied to its `target` selection or, for a strategic merge patch
// without target, to the object with the patch's own id. Entries apply in order; the first failure
// ends the step, as it ends a kustomize build.
import {
  applyJsonToSelected,
  applyStrategicById,
  applyStrategicToSelected,
  goQuote,
  PatchTargetIndex,
  patchSource,
  problemAt,
  problemAtEntry,
  readPatch,
  targetMatchesNothing,
  type PatchConfig,
  type PatchOutcome,
} from '../patchApply';
import { selectResources, selectorString } from '../select';
import type { Transformer, TransformContext } from '../transformer';
import type { Resource } from '../types';

export type { PatchConfig } from '../patchApply';

export const patchesTransformer: Transformer<PatchConfig[]> = (resources, configs, ctx) => {
  const working = new WorkingResources(resources);
  for (const config of configs) {
    const outcome = applyEntry(working, config, ctx);
    if (outcome.problem) {
      ctx.problems.push(outcome.problem);
      return resources;
    }
    working.replaceWith(outcome.resources);
  }
  return working.current;
};

/**
 * The resources between entries. Patches by id (one per object in a large overlay) change a copy of
 * their own in place, found through an index, instead of scanning and copying the list per patch.
 */
class WorkingResources {
  private owned?: { index: PatchTargetIndex };

  constructor(public current: Resource[]) {}

  /** The current list as a copy this transformer may change, with its index. */
  ownedTargets(): { resources: Resource[]; index: PatchTargetIndex } {
    if (!this.owned) {
      // Never the caller's array: a failing entry leaves it as it was.
      this.current = this.current.slice();
      this.owned = { index: new PatchTargetIndex(this.current) };
    }
    return { resources: this.current, index: this.owned.index };
  }

  replaceWith(next: Resource[]): void {
    if (next === this.current) return;
    this.current = next;
    this.owned = undefined;
  }
}

function applyEntry(working: WorkingResources, config: PatchConfig, ctx: TransformContext): PatchOutcome {
  const resources = working.current;
  const read = readPatch(config, ctx);
  if (read.kind === 'invalid') return { problem: read.problem };
  const target = config.target;
  if (read.kind === 'strategic') {
    const options = {
      allowNameChange: !!config.options?.allowNameChange,
      allowKindChange: !!config.options?.allowKindChange,
      inPlace: ctx.ownsResources === true,
    };
    if (!target) {
      const owned = working.ownedTargets();
      const describe = (id: string, lookup: string) => `no resource matches strategic merge patch "${id}": ${lookup}`;
      return applyStrategicById(owned.resources, read.documents, config, options, describe, { index: owned.index });
    }
    if (read.documents.length > 1) {
      const message = `Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${patchSource(config, ctx)}`;
      return { problem: problemAtEntry(config, 'invalid-patch', message) };
    }
    const { selected, error } = selectResources(resources, target);
    if (error !== undefined) {
      return {
        problem: problemAtEntry(
          config,
          'invalid-patch',
          `unable to find patch target ${goQuote(selectorString(target))} in \`resources\`: ${error}`,
        ),
      };
    }
    // A target that selects nothing is not an error in kustomize: the patch simply does nothing.
    if (selected.length === 0) ctx.problems.push(targetMatchesNothing(config, goQuote(selectorString(target))));
    return applyStrategicToSelected(resources, new Set(selected), read.documents[0], config, options);
  }
  if (!target)
    return { problem: problemAtEntry(config, 'invalid-patch', `must specify a target for JSON patch ${patchSource(config, ctx)}`) };
  const { selected, error } = selectResources(resources, target);
  if (error !== undefined) return { problem: problemAtEntry(config, 'invalid-patch', error) };
  if (selected.length === 0) ctx.problems.push(targetMatchesNothing(config, goQuote(selectorString(target))));
  if (read.decodeError && selected.length > 0)
    return { problem: problemAt(config, 'invalid-patch', read.decodeError.message, read.decodeError.range) };
  return applyJsonToSelected(resources, new Set(selected), read.operations, config);
}
