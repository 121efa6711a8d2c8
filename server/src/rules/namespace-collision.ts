// Two environments on one cluster rendering the same namespaced object: on the cluster there is only
// one, and the Kustomization applied last wins, so one environment silently runs the other's config.
import { keyOf } from '../flux/dependsOn';
import type { FluxKustomization } from '../flux/objects';
import { isObject, resIdOf } from '../kustomize/resource';
import { isNamespaced } from '../kustomize/scope';
import type { Range } from '../kustomize/types';
import type { FleetIndex } from '../fleet/fleetIndex';
import { relativePath, sharedClusters } from './support/overlayRenderSupport';
import type { Finding, Rule } from './rule';

function placeOf(index: FleetIndex, ks: FluxKustomization): Range | undefined {
  const doc = index.parsed(ks.place.file)?.documents[ks.place.documentIndex];
  return doc?.locate(['spec', 'targetNamespace']) ?? doc?.locate(['spec', 'path']) ?? ks.place.range;
}

export const namespaceCollision: Rule = {
  id: 'namespace-collision',
  severity: 'error',
  category: 'overlay',
  description: 'Two environments on one cluster render the same namespaced object.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    for (const { cluster, environments } of sharedClusters(index)) {
      if (isCancelled()) break;
      const environmentOf = new Map<string, string>();
      for (const [name, list] of environments) for (const ks of list) environmentOf.set(keyOf(ks), name);
      const first = new Map<string, { environment: string; ks: FluxKustomization }>();
      // One finding per pair of Kustomizations, listing what they both render.
      const pairs = new Map<string, { a: FluxKustomization; b: FluxKustomization; envA: string; envB: string; ids: string[] }>();
      for (const o of index.renderEnvironment(cluster).objects) {
        const ks = o.appliedBy;
        const environment = ks && environmentOf.get(keyOf(ks));
        if (!ks || environment === undefined) continue;
        const id = resIdOf(o.object);
        if (!isNamespaced(id)) continue;
        const namespace =
          isObject(o.object.metadata) && typeof o.object.metadata.namespace === 'string' && o.object.metadata.namespace !== ''
            ? o.object.metadata.namespace
            : 'default';
        const key = `${id.group}/${id.kind}/${namespace}/${id.name}`;
        const seen = first.get(key);
        if (!seen) {
          first.set(key, { environment, ks });
          continue;
        }
        if (seen.environment === environment) continue;
        const pairKey = `${keyOf(seen.ks)}|${keyOf(ks)}`;
        const pair = pairs.get(pairKey) ?? { a: seen.ks, b: ks, envA: seen.environment, envB: environment, ids: [] };
        pair.ids.push(`${id.kind} ${namespace}/${id.name}`);
        pairs.set(pairKey, pair);
      }
      for (const { a, b, envA, envB, ids } of pairs.values()) {
        const shown = ids.slice(0, 3).join(', ') + (ids.length > 3 ? ` and ${ids.length - 3} more` : '');
        findings.push({
          file: b.place.file,
          range: placeOf(index, b) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `Environments ${envA} (Kustomization ${a.name}) and ${envB} (Kustomization ${b.name}) both render ${shown} into cluster ${relativePath(index, cluster.dirs[0])}: there is one object on the cluster and the last apply wins. Give each environment its own namespace (namespace: in the overlay, or spec.targetNamespace).`,
          related: [
            {
              file: a.place.file,
              ...(placeOf(index, a) ? { range: placeOf(index, a)! } : {}),
              message: `environment ${envA} renders the same object${ids.length > 1 ? 's' : ''} here`,
            },
          ],
        });
      }
    }
    return findings;
  },
};
