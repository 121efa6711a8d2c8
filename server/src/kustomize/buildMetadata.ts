// kustomize's `buildMetadata` written onto the built objects (api/krusty/kustomizer.go): the origin of each
// object (`originAnnotations`), the transformers that ran over it (`transformerAnnotations`), and the
// managed-by label (`managedByLabel`, or the --enable-managedby-label flag). Paths are relative to the
// folder built, as kustomize prints them.
import * as path from 'path';
import { isObject } from './resource';
import type { JsonObject, PluginIdentity, Resource } from './types';
import { emitYaml } from './yaml/emit';

/** kubectl v1.32's kustomize reports its version as "(devel)", and that is what its managed-by label says. */
export const MANAGED_BY_VALUE = 'kustomize-(devel)';

/** A config file and plugin identity as kustomize's origin YAML prints them, relative to the built folder. */
function configuredText(configuredIn: string, by: PluginIdentity, indent: string): string {
  let text = `${indent}${emitYaml({ configuredIn })}${indent}configuredBy:\n`;
  for (const key of ['apiVersion', 'kind', 'name', 'namespace'] as const) {
    const value = by[key];
    if (value !== undefined && value !== '') text += `${indent}  ${emitYaml({ [key]: value })}`;
  }
  return text;
}

function annotationsOf(r: Resource): JsonObject {
  const meta = isObject(r.object.metadata) ? r.object.metadata : (r.object.metadata = {});
  return isObject(meta.annotations) ? meta.annotations : (meta.annotations = {});
}

/** kustomize's `config.kubernetes.io/origin`: the file (relative to the built folder) or the generator that made the object. */
export function setOriginAnnotation(r: Resource, topDir: string): void {
  const rel = (file: string) => path.posix.relative(topDir, file) || '.';
  const generatedBy = r.source.generatedBy;
  const text = generatedBy
    ? configuredText(
        rel(generatedBy.file),
        generatedBy.configuredBy ?? {
          apiVersion: 'builtin',
          kind: generatedBy.step.startsWith('secretGenerator') ? 'SecretGenerator' : 'ConfigMapGenerator',
        },
        '',
      )
    : emitYaml({ path: rel(r.source.file) });
  annotationsOf(r)['config.kubernetes.io/origin'] = text;
}

/** kustomize's `alpha.config.kubernetes.io/transformations`: every transformer that ran over the object, in order. */
export function setTransformationsAnnotation(r: Resource, topDir: string): void {
  if (!r.transformations || r.transformations.length === 0) return;
  const rel = (file: string) => path.posix.relative(topDir, file) || '.';
  const text = r.transformations.map((t) => configuredText(rel(t.configuredIn), t.configuredBy, '  ').replace(/^ {2}/, '- ')).join('');
  annotationsOf(r)['alpha.config.kubernetes.io/transformations'] = text;
}

export function setManagedBy(o: JsonObject): void {
  if (!isObject(o.metadata)) o.metadata = {};
  const meta = o.metadata as JsonObject;
  if (!isObject(meta.labels)) meta.labels = {};
  (meta.labels as JsonObject)['app.kubernetes.io/managed-by'] = MANAGED_BY_VALUE;
}
