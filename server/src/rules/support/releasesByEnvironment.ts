// What the HelmRelease rules share: every HelmRelease of every environment with its merged values
// (fleet/helmReleaseValues.ts), and one finding per place however many environments share it (a base
// HelmRelease both overlays apply), naming the environments where it holds.
import type { FleetIndex } from '../../fleet/fleetIndex';
import { helmReleaseValues, type ReleaseValues } from '../../fleet/helmReleaseValues';
import type { EnvironmentRender } from '../../fleet/environmentRender';
import type { Range } from '../../kustomize/types';
import type { Finding } from '../rule';
import { rangeIn } from './fluxClusters';

export interface ReleaseInEnvironment extends ReleaseValues {
  environment: string;
  render: EnvironmentRender;
}

export function releasesByEnvironment(index: FleetIndex): ReleaseInEnvironment[] {
  const out: ReleaseInEnvironment[] = [];
  for (const env of index.environments().environments) {
    const render = index.renderEnvironment(env);
    for (const r of helmReleaseValues(render)) out.push({ ...r, environment: env.name, render });
  }
  return out;
}

/** The range of a field of the release in the file it was read from (its whole document when the field is not there). */
export function releaseRange(index: FleetIndex, r: ReleaseValues, path: ReadonlyArray<string | number>): Range | undefined {
  const place = r.release.place;
  return rangeIn(index, place, path) ?? place.range;
}

/** Findings keyed by place and message; each says which environments it holds in. */
export class FindingsByPlace {
  private readonly byKey = new Map<string, { finding: Omit<Finding, 'message'>; message: (envs: string) => string; envs: string[] }>();

  add(finding: Omit<Finding, 'message'>, key: string, environment: string, message: (environments: string) => string): void {
    const full = `${finding.file}:${finding.range.start.line}:${finding.range.start.character}:${key}`;
    const known = this.byKey.get(full);
    if (known) {
      if (!known.envs.includes(environment)) known.envs.push(environment);
      return;
    }
    this.byKey.set(full, { finding, message, envs: [environment] });
  }

  findings(): Finding[] {
    return [...this.byKey.values()].map(({ finding, message, envs }) => ({
      ...finding,
      message: message(envs.length === 1 ? `environment ${envs[0]}` : `environments ${envs.join(', ')}`),
    }));
  }
}
