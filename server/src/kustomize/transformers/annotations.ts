// `commonAnnotations` (kustomize's AnnotationsTransformer): metadata.annotations of every object and
// the pod-template annotations of the workload kinds in the builtin table, created when missing.
import { commonAnnotationsFieldSpecs } from '../builtinFieldSpecs';
import type { FieldSpec } from '../fieldspec';
import type { StepConfig, Transformer } from '../transformer';
import { setMapEntries } from './mapEntries';

export interface AnnotationsConfig extends StepConfig {
  annotations: Record<string, string>;
  /** Field specs from `configurations:`/`crds:` files, added to the builtin table. */
  extraFieldSpecs?: readonly FieldSpec[];
  /** A builtin AnnotationsTransformer's own `fieldSpecs`: used instead of the builtin table. */
  pluginFieldSpecs?: readonly FieldSpec[];
}

export const annotationsTransformer: Transformer<AnnotationsConfig> = (resources, config, ctx) => {
  if (Object.keys(config.annotations).length === 0) return resources;
  const specs = config.pluginFieldSpecs ?? [...commonAnnotationsFieldSpecs, ...(config.extraFieldSpecs ?? [])];
  setMapEntries(resources, specs, config.annotations, config.origin, 'annotations', ctx);
  return resources;
};
