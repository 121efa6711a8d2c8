// `commonAnnotations` (kustomize's AnnotationsTransformer): metadata.annotations of every object and
// the pod-template annotations of the workload kinds in the builtin table, created when missing.
import { commonAnnotationsFieldSpecs } from '../builtinFieldSpecs';
import type { StepConfig, Transformer } from '../transformer';
import { setMapEntries } from './mapEntries';

export const annotationsTransformer: Transformer<{ annotations: Record<string, string> } & StepConfig> = (resources, config, ctx) => {
  if (Object.keys(config.annotations).length === 0) return resources;
  setMapEntries(resources, commonAnnotationsFieldSpecs, config.annotations, config.origin, 'annotations', ctx);
  return resources;
};
