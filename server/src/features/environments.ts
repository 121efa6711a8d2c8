// The Environments tree's data: each environment of each workspace index in promotion order, its Flux
// Kustomizations in dependsOn order, and how many problems (errors and warnings) sit in the files each
// reads, counted from the diagnostics the server already has (problemCounts: the same definition for the
// whole fleet). Reads cached renders only.
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf } from '../flux/dependsOn';
import type { FluxBuildResult } from '../flux/build';
import type { FluxKustomization } from '../flux/objects';
import type { Range } from '../kustomize/types';
import type { EnvironmentSummary, FluxKustomizationSummary } from '../protocol';
import { shortKey } from '../rules/support/fluxClusters';
import type { Diagnostic } from '../rules/run';
import { contains } from './cursor';
import { fileUri } from './diagnostics';
import { indexList, ZERO_RANGE, type Indexes } from './renderedText';

export interface EnvironmentsParams {
  /** Current diagnostics of the indexes (runRules); problems are counted from them. */
  diagnostics?: readonly Diagnostic[];
}

export function environmentSummaries(indexes: Indexes, params: EnvironmentsParams = {}): EnvironmentSummary[] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of params.diagnostics ?? []) {
    if (d.severity !== 'error' && d.severity !== 'warning') continue;
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const out: EnvironmentSummary[] = [];
  for (const index of indexList(indexes)) {
    try {
      out.push(...summariesOf(index, byFile));
    } catch {
      // One broken workspace folder must not empty the tree of the others.
    }
  }
  return out;
}

/** The files an environment reads: what its render read, and the files defining its Kustomizations. */
function filesReadBy(index: FleetIndex, env: ReturnType<FleetIndex['environments']>['environments'][number]): Set<string> {
  const files = new Set(index.renderEnvironment(env).filesRead);
  env.kustomizations.forEach((k) => files.add(k.place.file));
  return files;
}

/**
 * The one problem count shown everywhere (status bar, view badge, tree items): errors and warnings in the
 * files the environments read, each counted once however many environments read its file. `elsewhere`
 * counts the errors and warnings of other files (the Problems panel shows them; the count does not).
 */
export function problemCounts(
  indexes: Indexes,
  diagnostics: readonly Diagnostic[],
): { errors: number; warnings: number; elsewhere: number } {
  const read = new Set<string>();
  for (const index of indexList(indexes)) {
    try {
      for (const env of index.environments().environments) for (const file of filesReadBy(index, env)) read.add(file);
    } catch {
      // As in the tree: one broken workspace folder counts nothing rather than failing the others.
    }
  }
  const counts = { errors: 0, warnings: 0, elsewhere: 0 };
  for (const d of diagnostics) {
    if (d.severity !== 'error' && d.severity !== 'warning') continue;
    if (!read.has(d.file)) counts.elsewhere++;
    else if (d.severity === 'error') counts.errors++;
    else counts.warnings++;
  }
  return counts;
}

function summariesOf(index: FleetIndex, byFile: Map<string, Diagnostic[]>): EnvironmentSummary[] {
  return index.environments().environments.map((env) => {
    const render = index.renderEnvironment(env);
    const files = filesReadBy(index, env);
    const kustomizations: FluxKustomizationSummary[] = [];
    const listed = new Set<string>();
    const rendered: Array<{ ks: FluxKustomization; result?: FluxBuildResult }> = render.kustomizations.map(({ kustomization, result }) => ({
      ks: kustomization,
      result,
    }));
    // Kustomizations found in the cluster folder but not reached by the render still belong to the tree.
    const renderedKeys = new Set(rendered.map((r) => keyOf(r.ks)));
    for (const ks of env.kustomizations)
      if (!renderedKeys.has(keyOf(ks))) {
        renderedKeys.add(keyOf(ks));
        rendered.push({ ks });
      }
    for (const { ks, result } of rendered) {
      if (listed.has(keyOf(ks))) continue;
      listed.add(keyOf(ks));
      kustomizations.push(summaryOf(ks, result, byFile, env.cluster?.nodes.get(keyOf(ks))?.source.note));
    }
    let problemCount = 0;
    for (const file of files) problemCount += byFile.get(file)?.length ?? 0;
    return {
      name: env.name,
      kind: env.kind,
      order: env.order,
      folders: [...env.dirs],
      workspaceFolder: fileUri(index.root),
      ...(env.roots
        ? {
            roots: env.roots.map((r) => ({
              description: r.description,
              inferred: r.inferred,
              location: { uri: fileUri(r.file), range: ZERO_RANGE },
            })),
          }
        : {}),
      kustomizations,
      problemCount,
    };
  });
}

function summaryOf(
  ks: FluxKustomization,
  result: FluxBuildResult | undefined,
  byFile: Map<string, Diagnostic[]>,
  sourceNote: string | undefined,
): FluxKustomizationSummary {
  const own = ks.place.range;
  let problemCount = countIn(byFile.get(ks.place.file), own);
  for (const file of result?.filesRead ?? []) if (file !== ks.place.file) problemCount += byFile.get(file)?.length ?? 0;
  return {
    name: ks.name,
    namespace: ks.namespace,
    location: { uri: fileUri(ks.place.file), range: ks.place.rangeOf?.(['metadata', 'name']) ?? own ?? ZERO_RANGE },
    target: { kind: 'fluxKustomization', uri: fileUri(ks.place.file), documentIndex: ks.place.documentIndex },
    ...(ks.path !== undefined ? { path: ks.path } : {}),
    dependsOn: ks.dependsOn.map((ref) => shortKey(keyOf(ref), ks.namespace)),
    ...(ks.prune !== undefined ? { prune: ks.prune } : {}),
    wait: ks.wait,
    healthChecks: ks.healthChecks.length,
    suspend: ks.suspend,
    problemCount,
    ...(sourceNote ? { sourceNote } : {}),
  };
}

/** Diagnostics of the Kustomization's own document only: its file may hold other Kustomizations. */
function countIn(list: Diagnostic[] | undefined, range: Range | undefined): number {
  if (!list) return 0;
  return range ? list.filter((d) => contains(range, d.range.start)).length : list.length;
}
