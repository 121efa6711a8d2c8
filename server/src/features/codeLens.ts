// Code lenses on kustomization files and Flux Kustomizations: "Preview rendered", "Compare with <env>"
// (the next environment in promotion order, else the previous one) and the object/problem count of the
// render, which also opens the preview; on a HelmRelease, "Values in <env>" for each environment applying it. Arguments follow protocol.ts (RenderTarget, environment names).
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { Environment } from '../fleet/environments';
import type { FleetIndex } from '../fleet/fleetIndex';
import type { RenderTarget } from '../protocol';
import type { Range } from '../kustomize/types';
import { fileOfUri } from './cursor';
import { isKustomizationFile } from './definition';
import { fileUri } from './diagnostics';
import { fluxObjectsIn, kustomizationInClusters } from './targets';
import { releaseValuesTargets } from './valuesPreview';

type EnvironmentWithNeighbours = Environment & { neighbours: { next?: Environment; previous?: Environment } };

export const PREVIEW_COMMAND = 'fluxEnvironments.preview';
export const COMPARE_COMMAND = 'fluxEnvironments.compare';

export function codeLenses(index: FleetIndex, params: CodeLensParams): CodeLens[] {
  try {
    const file = fileOfUri(params.textDocument.uri);
    if (!file) return [];
    const out: CodeLens[] = [];
    if (isKustomizationFile(file)) {
      const doc = index.parsed(file)?.documents[0];
      const range = lensRange(doc?.range);
      const dir = file.slice(0, file.lastIndexOf('/'));
      const render = index.renderFolder(dir);
      const target: RenderTarget = { kind: 'folder', uri: fileUri(dir) };
      out.push(...lensesFor(range, target, render.resources.length, render.problems.length, environmentsReading(index, file)));
    }
    for (const found of fluxObjectsIn(index, file)) {
      if (found.object.kind !== 'Kustomization') continue;
      const doc = index.parsed(file)?.documents[found.documentIndex];
      const range = lensRange(doc?.range);
      // The cluster's render knows the ConfigMaps/Secrets substituteFrom reads; a lone render does not.
      const inCluster = kustomizationInClusters(index, file, found.documentIndex)[0];
      const result = inCluster?.view.kustomizations.get(inCluster.key)?.result ?? index.renderFluxKustomization(found);
      const target: RenderTarget = { kind: 'fluxKustomization', uri: fileUri(file), documentIndex: found.documentIndex };
      const envs = withNeighbours(index).filter((e) =>
        e.kustomizations.some((k) => k.place.file === file && k.place.documentIndex === found.documentIndex),
      );
      out.push(...lensesFor(range, target, result?.resources.length ?? 0, result?.problems.length ?? 0, envs));
    }
    for (const values of releaseValuesTargets(index, { uri: fileUri(file) })) {
      const doc = index.parsed(file)?.documents[values.target.documentIndex];
      out.push({
        range: lensRange(doc?.range),
        command: { title: `Values in ${values.environment}`, command: PREVIEW_COMMAND, arguments: [values.target] },
      });
    }
    return out;
  } catch {
    return [];
  }
}

function lensRange(range: Range | undefined): Range {
  const line = range?.start.line ?? 0;
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function lensesFor(range: Range, target: RenderTarget, objects: number, problems: number, envs: EnvironmentWithNeighbours[]): CodeLens[] {
  const lenses: CodeLens[] = [
    { range, command: { title: 'Preview rendered', command: PREVIEW_COMMAND, arguments: [target] } },
    {
      range,
      command: { title: `${plural(objects, 'object')}, ${plural(problems, 'problem')}`, command: PREVIEW_COMMAND, arguments: [target] },
    },
  ];
  const seen = new Set<string>();
  for (const env of envs) {
    const other = env.neighbours.next ?? env.neighbours.previous;
    if (!other || seen.has(`${env.name}\n${other.name}`)) continue;
    seen.add(`${env.name}\n${other.name}`);
    lenses.push({
      range,
      command: { title: `Compare ${env.name} with ${other.name}`, command: COMPARE_COMMAND, arguments: [env.name, other.name] },
    });
  }
  return lenses;
}

/** The environments whose render reads the file, each with its neighbours in promotion order. */
function environmentsReading(index: FleetIndex, file: string): EnvironmentWithNeighbours[] {
  return withNeighbours(index).filter((env) => index.renderEnvironment(env).filesRead.has(file));
}

function withNeighbours(index: FleetIndex): EnvironmentWithNeighbours[] {
  const envs = [...index.environments().environments].sort((a, b) => a.order - b.order);
  return envs.map((env, i) => ({ ...env, neighbours: { next: envs[i + 1], previous: envs[i - 1] } }));
}
