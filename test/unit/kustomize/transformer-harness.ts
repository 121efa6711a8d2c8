// Test helper: runs one of our transformers over the objects of a YAML text, the way the build
// would hand them over (test/differential/kustomize/transformer-kubectl.ts runs kubectl on the same text).
import { makeResource } from '../../../server/src/kustomize/resource';
import type { Transformer, TransformContext, StepConfig } from '../../../server/src/kustomize/transformer';
import type { JsonObject, Problem, Resource } from '../../../server/src/kustomize/types';
import { parseObjects, sortObjects } from './objects';

export const FILE = '/repo/kustomization.yaml';

export function resourcesOf(yamlText: string): Resource[] {
  return parseObjects(yamlText).map((o, i) => makeResource(o, { file: '/repo/res.yaml', documentIndex: i }));
}

export function runOurs<C extends StepConfig>(
  transformer: Transformer<C>,
  yamlText: string,
  config: Omit<C, 'origin'>,
): { objects: JsonObject[]; resources: Resource[]; problems: Problem[] } {
  const ctx: TransformContext = { kustomizationFile: FILE, problems: [] };
  const origin = { kind: 'transformer' as const, step: 'test', file: FILE };
  const resources = transformer(resourcesOf(yamlText), { ...config, origin } as C, ctx);
  return { objects: sortObjects(resources.map((r) => r.object)), resources, problems: ctx.problems };
}
