// Differential-suite helper: kubectl kustomize over the YAML text a transformer test gives our transformer.
import { parse } from 'yaml';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { kustomize, sortObjects } from '../kubectl-oracle';

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
