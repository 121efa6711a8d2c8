// Shared by labels and annotations: write string entries into the maps a field-spec table reaches,
// creating the maps where a spec says so, as kustomize's fsslice filter with a map setter does.
import { visitFieldSpecs, type FieldSpec } from '../fieldspec';
import { idString, isObject, recordOrigin, resIdOf, setField } from '../resource';
import type { TransformContext } from '../transformer';
import type { Origin, Resource } from '../types';

export function setMapEntries(
  resources: Resource[],
  specs: readonly FieldSpec[],
  entries: Record<string, string>,
  origin: Origin,
  what: 'labels' | 'annotations',
  ctx: TransformContext,
): void {
  const keys = Object.keys(entries).sort();
  for (const resource of resources) {
    if (Object.keys(resource.object).length === 0) continue;
    let failed = false;
    visitFieldSpecs(resource, specs, (slot) => {
      let map = slot.parent[slot.key];
      if (map === undefined || map === null) {
        map = {};
        slot.parent[slot.key] = map;
      }
      if (!isObject(map)) {
        if (!failed) {
          failed = true;
          ctx.problems.push({
            code: `${what}-not-a-map`,
            severity: 'error',
            message: `cannot set ${what} on ${idString(resIdOf(resource.object))}: ${slot.path.join('.')} is not a map`,
            file: resource.source.file,
            range: resource.source.range,
          });
        }
        return;
      }
      for (const key of keys) {
        setField(map, key, entries[key]);
        slot.path.push(key);
        recordOrigin(resource, slot.path, origin);
        slot.path.pop();
      }
    });
  }
}
