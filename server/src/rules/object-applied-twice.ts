// One object (same group, kind, namespace and name) applied by two Flux Kustomizations of one cluster:
// each reconcile overwrites the other's fields, and pruning either deletes the object from under the
// other (kustomize-controller owns what it applies through the kustomize.toolkit.fluxcd.io/name and
// /namespace labels it sets: docs/spec/v1/kustomizations.md, "Garbage collection"). Often a root without a
// kustomization.yaml that applies a folder a child Kustomization applies too.
import { keyOf } from '../flux/dependsOn';
import type { FluxKustomization } from '../flux/objects';
import type { Finding, Rule } from './rule';

export const objectAppliedTwice: Rule = {
  id: 'object-applied-twice',
  severity: 'warning',
  category: 'flux',
  description: 'One object applied by two Flux Kustomizations of the same cluster; they overwrite and prune each other.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    for (const env of index.environments().environments) {
      if (env.kind !== 'flux' || isCancelled()) continue;
      // One finding per pair of Kustomizations, listing what both apply (the render finds each object).
      const pairs = new Map<string, { ks: FluxKustomization; other: FluxKustomization; ids: string[]; files: Set<string> }>();
      for (const { id, first, second, resource } of index.renderEnvironment(env).appliedTwice) {
        const key = `${keyOf(second)}\u0000${keyOf(first)}`;
        const pair = pairs.get(key) ?? { ks: second, other: first, ids: [], files: new Set<string>() };
        pair.ids.push(id);
        pair.files.add(resource.source.file);
        pairs.set(key, pair);
      }
      for (const { ks, other, ids, files } of pairs.values()) {
        const range = ks.place.rangeOf?.(['spec', 'path']) ??
          ks.place.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        const shown = ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
        findings.push({
          file: ks.place.file,
          range,
          message: `${shown} ${ids.length === 1 ? 'is' : 'are'} applied by both Kustomization ${keyOf(other)} and ${keyOf(ks)} on cluster ${env.name}: each reconcile overwrites the other, and pruning either one deletes ${ids.length === 1 ? 'it' : 'them'} from under the other. Keep ${ids.length === 1 ? 'it' : 'them'} in one of them.`,
          related: [
            {
              file: other.place.file,
              ...(other.place.range ? { range: other.place.range } : {}),
              message: `Kustomization ${keyOf(other)} applies ${ids.length === 1 ? 'it' : 'them'} too`,
            },
            ...[...files].map((file) => ({ file, message: 'written here' })),
          ],
        });
      }
    }
    return findings;
  },
};
