// The one shape every transformer has: resources in, resources out, with problems reported to the
// context instead of thrown. A transformer records, through `recordOrigin`, each value it sets.
import type { Origin, Problem, Resource } from './types';

export interface TransformContext {
  /** The kustomization file whose field configured this step. */
  kustomizationFile: string;
  /** Problems found; a step that kustomize would abort on reports an error here and returns its input. */
  problems: Problem[];
  /**
   * The build owns the objects it passes (copies of what caches hold): steps may change them in place
   * instead of copying first. A failing step may then leave an object half changed; the build fails anyway.
   */
  ownsResources?: boolean;
}

export type Transformer<Config> = (resources: Resource[], config: Config, ctx: TransformContext) => Resource[];

/** Every transformer's config carries the origin of the kustomization field that asked for it. */
export interface StepConfig {
  origin: Origin;
}
