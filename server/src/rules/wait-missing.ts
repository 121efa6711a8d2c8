// A Flux Kustomization that neither waits nor health-checks is Ready as soon as its objects are applied:
// kustomize-controller skips the health check entirely when `wait` is false and `healthChecks` is empty
// (internal/controller/kustomization_controller.go, checkHealth; docs/spec/v1/kustomizations.md, "Wait" and
// "Health checks"), and dependsOn waits only for that Ready condition. So the advice matters only where
// something dependsOn the Kustomization, and it applies to many Kustomizations of a fleet at once: it is
// one finding per environment, at the first of them, listing the others as related places. Kustomizations
// that no environment reaches are judged per folder, against the dependsOn of the same folder only.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { buildDependsOnGraph, keyOf, type DependsOnGraph, type NodeKey } from '../flux/dependsOn';
import { isFluxKustomization, type FluxKustomization } from '../flux/objects';
import type { Range } from '../kustomize/types';
import { insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import { isBootstrapObject } from './support/fluxSpecHelpers';
import { fluxObjectsAsApplied } from './support/asApplied';
import { documentOf, shortKey } from './support/fluxClusters';
import type { Finding, Rule, TextEdit } from './rule';

interface NotWaiting {
  ks: FluxKustomization;
  key: NodeKey;
  /** Kustomizations of the same environment that dependOn it, as messages name them. */
  dependents: string[];
  /** `wait: false` is written (else wait is absent). */
  written: boolean;
  range: Range;
  edit?: TextEdit;
}

/** The Kustomizations of one environment (or folder) that others dependOn and that neither wait nor health-check. */
function notWaiting(index: FleetIndex, graph: DependsOnGraph): NotWaiting[] {
  const out: NotWaiting[] = [];
  for (const key of graph.order) {
    const ks = graph.nodes.get(key);
    if (!ks || ks.wait || ks.healthChecks.length > 0 || isBootstrapObject(ks)) continue;
    const dependents = graph.dependents.get(key) ?? [];
    if (dependents.length === 0) continue;
    const spec = ks.object.spec;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) continue;
    // A wait of the wrong type is invalid-flux-object's to report; inserting a second key would only add a duplicate.
    if (spec.wait !== undefined && spec.wait !== null && spec.wait !== false) continue;
    const source = documentOf(index, ks.place);
    if (!source) continue;
    const { doc, text } = source;
    const written = spec.wait === false && doc.locate(['spec', 'wait']) !== undefined;
    const range = (written ? doc.locate(['spec', 'wait']) : doc.locate(['spec'], { key: true })) ?? doc.range;
    const edit = written
      ? replaceValue(ks.place.file, doc, ['spec', 'wait'], 'true')
      : insertMapEntry(ks.place.file, text, doc, ['spec'], 'wait', 'true');
    out.push({ ks, key, dependents: dependents.map((d) => shortKey(d, ks.namespace)), written, range, edit });
  }
  return out;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

function describe(n: NotWaiting): string {
  return `${n.ks.name} (${n.written ? 'wait: false' : 'no wait'}; ${quoted(n.dependents)} ${n.dependents.length === 1 ? 'dependsOn' : 'dependOn'} it)`;
}

const WHY = 'without them kustomize-controller runs no health check and marks a Kustomization Ready as soon as its objects are applied';

export const waitMissing: Rule = {
  id: 'wait-missing',
  severity: 'info',
  category: 'flux',
  description: 'Kustomizations that others dependOn but that set neither wait: true nor healthChecks; reported once per environment.',
  check({ index, isCancelled }) {
    // One finding per distinct list: a fleet whose environments share these files reports them once.
    const byPlaces = new Map<string, { environments: string[]; list: NotWaiting[] }>();
    const placeOf = (p: { file: string; documentIndex: number }) => `${p.file}#${p.documentIndex}`;
    const add = (name: string, graph: DependsOnGraph) => {
      const list = notWaiting(index, graph);
      if (list.length === 0) return;
      const id = list.map((n) => placeOf(n.ks.place)).join('\n');
      const known = byPlaces.get(id);
      if (known) known.environments.push(name);
      else byPlaces.set(id, { environments: [name], list });
    };
    const reached = new Set<string>();
    // Every Kustomization each cluster applies, as applied (after its parent's patches), built or not.
    for (const env of index.environments().environments) {
      if (isCancelled()) break;
      if (!env.cluster) continue;
      const applied = [...env.cluster.nodes.values()].map((node) => node.kustomization);
      for (const ks of applied) reached.add(placeOf(ks.place));
      add(`environment ${env.name}`, buildDependsOnGraph(applied));
    }
    const byFolder = new Map<string, FluxKustomization[]>();
    for (const { object, cluster, appliedByNoCluster } of fluxObjectsAsApplied(index)) {
      if (cluster || appliedByNoCluster || !isFluxKustomization(object) || reached.has(placeOf(object.place))) continue;
      const dir = path.posix.dirname(object.place.file);
      byFolder.set(dir, [...(byFolder.get(dir) ?? []), object]);
    }
    for (const [dir, list] of byFolder) {
      if (isCancelled()) break;
      const unique = [...new Map(list.map((ks) => [keyOf(ks), ks])).values()];
      add(`folder ${path.posix.relative(index.root, dir) || '.'}`, buildDependsOnGraph(unique));
    }
    const findings: Finding[] = [];
    for (const { environments, list } of byPlaces.values()) {
      const [first, ...rest] = list;
      const where = environments.join(' and ');
      const edits = list.map((n) => n.edit);
      const fixes = edits.every((e): e is TextEdit => e !== undefined)
        ? [
            {
              title: list.length === 1 ? 'Set wait: true' : `Set wait: true on these ${list.length} Kustomizations`,
              edits,
              preferred: true,
            },
          ]
        : undefined;
      const message =
        list.length === 1
          ? `Kustomization ${first.ks.name} ${first.written ? 'sets wait: false and has no healthChecks' : 'sets neither wait: true nor healthChecks'}: ${WHY}, so ${quoted(first.dependents)} (which ${first.dependents.length === 1 ? 'dependsOn' : 'dependOn'} it) ${first.dependents.length === 1 ? 'starts' : 'start'} before its workloads are ready. Set wait: true (or list healthChecks).`
          : `In ${where}, ${list.length} Kustomizations that others dependOn set neither wait: true nor healthChecks: ${list.map(describe).join(', ')}. ${WHY[0].toUpperCase()}${WHY.slice(1)}, so their dependents start before their workloads are ready. Set wait: true on them (or list healthChecks).`;
      findings.push({
        file: first.ks.place.file,
        range: first.range,
        message,
        related: rest.map((n) => ({ file: n.ks.place.file, range: n.range, message: `Kustomization ${describe(n)}` })),
        fixes,
      });
    }
    return findings;
  },
};
