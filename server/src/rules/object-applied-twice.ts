// One object (same group, kind, namespace and name) applied by two Flux Kustomizations of one cluster:
// each reconcile overwrites the other's fields, and pruning either deletes the object from under the
// other (kustomize-controller owns what it applies through the kustomize.toolkit.fluxcd.io/name and
// /namespace labels it sets: docs/spec/v1/kustomizations.md, "Garbage collection"). Often a root without a
// kustomization.yaml that applies a folder a child Kustomization applies too.
import { keyOf } from '../flux/dependsOn';
import type { FluxKustomization } from '../flux/objects';
import { idString, resIdOf } from '../kustomize/resource';
import type { Finding, Rule } from './rule';

export const objectAppliedTwice: Rule = {
  id: 'object-applied-twice',
  severity: 'warning',
  category: 'flux',
  description: 'One object applied by two Flux Kustomizations of the same cluster; they overwrite and prune each other.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const env of index.environments().environments) {
      if (env.kind !== 'flux' || isCancelled()) continue;
      const first = new Map<string, { ks: FluxKustomization; file: string }>();
      for (const o of index.renderEnvironment(env).objects) {
        if (!o.appliedBy) continue;
        const id = idString(resIdOf(o.object));
        const seen = first.get(id);
        if (!seen) {
          first.set(id, { ks: o.appliedBy, file: o.resource.source.file });
          continue;
        }
        if (keyOf(seen.ks) === keyOf(o.appliedBy)) continue;
        const ks = o.appliedBy;
        const where = `${ks.place.file}#${ks.place.documentIndex}#${id}`;
        if (reported.has(where)) continue;
        reported.add(where);
        const range = ks.place.rangeOf?.(['spec', 'path']) ?? ks.place.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        findings.push({
          file: ks.place.file,
          range,
          message: `${id} (from ${o.resource.source.file === seen.file ? 'the same file' : 'another file'}) is applied by both Kustomization ${keyOf(seen.ks)} and ${keyOf(ks)} on cluster ${env.name}: each reconcile overwrites the other, and pruning either one deletes it from under the other. Keep it in one of them.`,
          related: [
            { file: seen.ks.place.file, ...(seen.ks.place.range ? { range: seen.ks.place.range } : {}), message: `Kustomization ${keyOf(seen.ks)} applies it too` },
            { file: o.resource.source.file, ...(o.resource.source.range ? { range: o.resource.source.range } : {}), message: 'the object' },
          ],
        });
      }
    }
    return findings;
  },
};
