// The legacy `patchesJson6902:` field: JSON 6902 operations (a JSON list, or YAML) applied to every
// object its `target` selects. The target must name an object (kustomize refuses a target without
// name); like `patches`, a target that selects nothing is not an error (we warn).
import { parseJsonPatchCached } from '../merge/jsonpatch';
import { applyJsonToSelected, goQuote, problemAt, problemAtEntry, targetMatchesNothing, type PatchConfig } from '../patchApply';
import { selectResources, selectorString } from '../select';
import type { Transformer } from '../transformer';
import type { Resource } from '../types';

export const patchesJson6902Transformer: Transformer<PatchConfig[]> = (resources, configs, ctx) => {
  let current: Resource[] = resources;
  for (const config of configs) {
    if (!config.target || !config.target.name) {
      ctx.problems.push(problemAtEntry(config, 'invalid-patch', 'must specify the target name'));
      return resources;
    }
    if (config.text.trim() === '') {
      ctx.problems.push(problemAtEntry(config, 'invalid-patch', 'empty file path and empty jsonOp'));
      return resources;
    }
    const parsed = parseJsonPatchCached(config.text);
    if (!parsed.operations) {
      ctx.problems.push(
        problemAt(
          config,
          'invalid-patch',
          `decoding ${parsed.decoderInput ?? config.text}: ${parsed.error ?? 'not a JSON 6902 patch'}`,
          parsed.range,
        ),
      );
      return resources;
    }
    if (parsed.operations.length === 0) {
      ctx.problems.push(problemAt(config, 'invalid-patch', `patch appears to be empty; JsonOp=${config.text.trim()}`, parsed.range));
      return resources;
    }
    const { selected, error } = selectResources(current, config.target);
    if (error !== undefined) {
      ctx.problems.push(problemAtEntry(config, 'invalid-patch', error));
      return resources;
    }
    if (selected.length === 0) ctx.problems.push(targetMatchesNothing(config, goQuote(selectorString(config.target))));
    const outcome = applyJsonToSelected(current, new Set(selected), parsed.operations, config);
    if (outcome.problem) {
      ctx.problems.push(outcome.problem);
      return resources;
    }
    current = outcome.resources;
  }
  return current;
};
