// The `patches:` field: each entry is a strategic merge patch (one or more documents) or a JSON 6902
// patch, from a file or inline, applied to its `target` selection or, for a strategic merge patch
// without target, to the object with the patch's own id. Entries apply in order; the first failure
// ends the step, as it ends a kustomize build.
import {
  PatchFailure,
  applyJsonToSelected,
  applyStrategicById,
  applyStrategicToSelected,
  goQuote,
  patchSource,
  problemAt,
  problemAtEntry,
  readPatch,
  targetMatchesNothing,
  type PatchConfig,
} from '../patchApply';
import { selectResources, selectorString } from '../select';
import type { Transformer } from '../transformer';
import type { Resource } from '../types';

export type { PatchConfig } from '../patchApply';

export const patchesTransformer: Transformer<PatchConfig[]> = (resources, configs, ctx) => {
  let current: Resource[] = resources;
  for (const config of configs) {
    const read = readPatch(config, ctx);
    if (read.kind === 'invalid') {
      ctx.problems.push(read.problem);
      return resources;
    }
    const options = { allowNameChange: !!config.options?.allowNameChange, allowKindChange: !!config.options?.allowKindChange };
    try {
      if (read.kind === 'strategic') {
        if (!config.target) {
          current = applyStrategicById(current, read.documents, config, options, (id, lookup) => `no resource matches strategic merge patch "${id}": ${lookup}`);
          continue;
        }
        if (read.documents.length > 1) {
          ctx.problems.push(
            problemAtEntry(
              config,
              'invalid-patch',
              `Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${patchSource(config, ctx)}`,
            ),
          );
          return resources;
        }
        const { selected, error } = selectResources(current, config.target);
        if (error !== undefined) {
          ctx.problems.push(problemAtEntry(config, 'invalid-patch', `unable to find patch target ${goQuote(selectorString(config.target))} in \`resources\`: ${error}`));
          return resources;
        }
        // A target that selects nothing is not an error in kustomize: the patch simply does nothing.
        if (selected.length === 0) ctx.problems.push(targetMatchesNothing(config, goQuote(selectorString(config.target))));
        if (read.documents.length === 1) current = applyStrategicToSelected(current, new Set(selected), read.documents[0], config, options);
        continue;
      }
      if (!config.target) {
        ctx.problems.push(problemAtEntry(config, 'invalid-patch', `must specify a target for JSON patch ${patchSource(config, ctx)}`));
        return resources;
      }
      const { selected, error } = selectResources(current, config.target);
      if (error !== undefined) {
        ctx.problems.push(problemAtEntry(config, 'invalid-patch', error));
        return resources;
      }
      if (selected.length === 0) ctx.problems.push(targetMatchesNothing(config, goQuote(selectorString(config.target))));
      if (read.decodeError && selected.length > 0) {
        ctx.problems.push(problemAt(config, 'invalid-patch', read.decodeError.message, read.decodeError.range));
        return resources;
      }
      current = applyJsonToSelected(current, new Set(selected), read.operations, config);
    } catch (e) {
      if (!(e instanceof PatchFailure)) throw e;
      ctx.problems.push(e.problem);
      return resources;
    }
  }
  return current;
};
