// The legacy `patchesStrategicMerge:` field: each entry is a file or inline YAML holding one or more
// strategic merge patches, each applied to the one object with the patch's own id. There is no
// target; a patch that finds no object fails the build.
import { applyStrategicById, patchSource, problemAt, readStrategicPatch, type PatchConfig } from '../patchApply';
import type { Transformer } from '../transformer';
import type { Resource } from '../types';

export const patchesStrategicMergeTransformer: Transformer<PatchConfig[]> = (resources, configs, ctx) => {
  let current: Resource[] = resources;
  for (const config of configs) {
    const read = readStrategicPatch(config);
    if (!read.documents) {
      ctx.problems.push(
        problemAt(
          config,
          'invalid-patch',
          `unable to parse strategic merge patch from ${patchSource(config, ctx)}: ${read.error?.message ?? ''}`,
          read.error?.range,
        ),
      );
      return resources;
    }
    if (read.documents.length === 0) {
      ctx.problems.push(problemAt(config, 'invalid-patch', `patch appears to be empty; ${patchSource(config, ctx)}`));
      return resources;
    }
    const outcome = applyStrategicById(
      current,
      read.documents,
      config,
      { allowNameChange: false, allowKindChange: false, inPlace: ctx.ownsResources === true },
      (_id, lookup) => lookup,
    );
    if (outcome.problem) {
      ctx.problems.push(outcome.problem);
      return resources;
    }
    current = outcome.resources;
  }
  return current;
};
