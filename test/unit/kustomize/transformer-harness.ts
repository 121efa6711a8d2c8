// Test helper: runs one of our transformers over the objects of a YAML text, the way the build
// would hand them over, and runs kubectl kustomize over the same text with the same field.
import { parse } from 'yaml';
import { makeResource } from '../../../server/src/kustomize/resource';
import type { Transformer, TransformContext, StepConfig } from '../../../server/src/kustomize/transformer';
import type { JsonObject, Problem, Resource } from '../../../server/src/kustomize/types';
import { kustomize, parseObjects, sortObjects } from './kubectl-oracle';

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

/** kubectl kustomize over `resources: [res.yaml]` plus `field` (YAML text of the kustomization field). */
export interface KubectlRun {
  objects?: JsonObject[];
  error?: string;
  config: JsonObject;
}

export async function runKubectl(yamlText: string, field: string): Promise<KubectlRun> {
  const out = await kustomize({ 'res.yaml': yamlText, 'kustomization.yaml': `resources: [res.yaml]\n${field}\n` });
  return { objects: out.objects ? sortObjects(out.objects) : undefined, error: out.error, config: parse(field) as JsonObject };
}

/** Runs kubectl for every field text at once; results by field text. */
export async function runKubectlAll(yamlText: string | ((field: string) => string), fields: string[]): Promise<Map<string, KubectlRun>> {
  const input = typeof yamlText === 'string' ? () => yamlText : yamlText;
  const runs = await Promise.all(fields.map((f) => runKubectl(input(f), f)));
  return new Map(fields.map((f, i) => [f, runs[i]]));
}
