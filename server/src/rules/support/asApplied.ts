// The Flux objects of a fleet as Flux applies them, for rules: every object each cluster of the Flux graph
// applies (after its parent Kustomization's patches and substitution, fleet/fluxGraph.ts), with that
// cluster; then the objects no cluster applies, read from their files. A rule that judges a field a
// parent may set (prune, sourceRef, path...) reads it here, never from the child's file alone. Files a
// build reads as patches, or a kustomization lists as patches, are not objects.
import type { FleetIndex, IndexedFluxObject } from '../../fleet/fleetIndex';
import type { ClusterGraph } from '../../fleet/fluxGraph';
import { readRenderedFluxObject } from '../../flux/objects';
import { filesUsedAsPatches } from './kustomizationEntries';

export interface AppliedFluxObject extends IndexedFluxObject {
  /** The cluster that applies it; undefined when nothing in the repository applies it. */
  cluster?: ClusterGraph;
  /**
   * Set when the fleet's clusters are known (roots were found) and none of them applies this object: a file
   * left out of every overlay on purpose (a disabled app), a template, or applied by something outside the
   * repository. Rules about a field a parent Kustomization may set (prune, wait) cannot judge it, and a
   * consequence that needs it applied ("waits for a source") does not happen: they stay silent on it.
   */
  appliedByNoCluster?: true;
}

/** Per discovery: several rules ask on every check, and a discovery is replaced whenever what it read changes. */
const byDiscovery = new WeakMap<object, AppliedFluxObject[]>();

export function fluxObjectsAsApplied(index: FleetIndex): AppliedFluxObject[] {
  const discovery = index.environments();
  const known = byDiscovery.get(discovery);
  if (known) return known;
  const out: AppliedFluxObject[] = [];
  const seen = new Set<string>();
  for (const env of discovery.environments) {
    const cluster = env.cluster;
    if (!cluster) continue;
    for (const node of cluster.nodes.values()) {
      const ks = node.kustomization;
      out.push({ object: ks, file: ks.place.file, documentIndex: ks.place.documentIndex, cluster });
      seen.add(`${ks.place.file}#${ks.place.documentIndex}`);
    }
    for (const o of index.renderEnvironment(env).objects) {
      if (o.object.kind === 'Kustomization') continue;
      const source = o.resource.source;
      const read = readRenderedFluxObject(o.object, () => ({
        file: source.file,
        documentIndex: source.documentIndex,
        ...(source.range ? { range: source.range } : {}),
      }));
      if (!read.value) continue;
      out.push({ object: read.value, file: source.file, documentIndex: source.documentIndex, cluster });
      seen.add(`${source.file}#${source.documentIndex}`);
    }
  }
  // A file a build read but took no object from is a patch or a generator's input (a Kustomization
  // fragment patched into a tenant's), not an object of its own.
  const read = discovery.graph?.filesRead;
  // So is a file some kustomization lists as a patch (a component's `memcached-values.yaml` setting only
  // values), where no build of a cluster read it.
  const clustersKnown = (discovery.graph?.clusters.length ?? 0) > 0;
  const patches = filesUsedAsPatches(index);
  for (const o of index.fluxObjects().list)
    if (!seen.has(`${o.file}#${o.documentIndex}`) && !read?.has(o.file) && !patches.has(o.file))
      out.push(clustersKnown ? { ...o, appliedByNoCluster: true } : o);
  byDiscovery.set(discovery, out);
  return out;
}
