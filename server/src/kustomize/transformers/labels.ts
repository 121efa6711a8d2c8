// `labels:` entries and legacy `commonLabels` (kustomize's LabelTransformer). An entry writes its
// pairs to metadata.labels, plus pod-template labels with includeTemplates, plus selectors and
// templates (the commonLabels table) with includeSelectors or for legacy commonLabels. Missing label
// maps are created where the table says so; selectors of Jobs, PDBs and NetworkPolicies only when present.
import { commonLabelsFieldSpecs, templateLabelsFieldSpecs } from '../builtinFieldSpecs';
import type { FieldSpec } from '../fieldspec';
import type { StepConfig, Transformer } from '../transformer';
import { setMapEntries } from './mapEntries';

export interface LabelsConfig extends StepConfig {
  pairs: Record<string, string>;
  includeSelectors: boolean;
  includeTemplates: boolean;
  fields?: FieldSpec[];
  legacyCommonLabels?: boolean;
  /** Field specs from `configurations:`/`crds:` files, added to the builtin commonLabels/templateLabels tables. */
  extraCommonLabels?: readonly FieldSpec[];
  extraTemplateLabels?: readonly FieldSpec[];
  /** A builtin LabelTransformer's own `fieldSpecs`: used as they are, instead of every table above. */
  pluginFieldSpecs?: readonly FieldSpec[];
}

const metadataLabels: FieldSpec = { path: 'metadata/labels', create: true };

/** kustomize's FsSlice merge: an equal spec (same path, selected GVK) is kept once; a differing `create` conflicts. */
function mergeSpecs(into: FieldSpec[], more: readonly FieldSpec[]): FieldSpec[] | 'conflict' {
  const out = into.slice();
  for (const spec of more) {
    const existing = out.find(
      (o) =>
        o.path === spec.path &&
        (!spec.group || spec.group === o.group) &&
        (!spec.version || spec.version === o.version) &&
        (!spec.kind || spec.kind === o.kind),
    );
    if (!existing) out.push(spec);
    else if (!!existing.create !== !!spec.create) return 'conflict';
  }
  return out;
}

function labelFieldSpecs(config: LabelsConfig): readonly FieldSpec[] | 'conflict' {
  if (config.pluginFieldSpecs) return config.pluginFieldSpecs;
  const common = [...commonLabelsFieldSpecs, ...(config.extraCommonLabels ?? [])];
  const templates = [...templateLabelsFieldSpecs, ...(config.extraTemplateLabels ?? [])];
  if (config.legacyCommonLabels) return common;
  const own = (config.fields ?? []).slice();
  if (config.includeSelectors) return mergeSpecs(own, common);
  const withTemplates = config.includeTemplates ? mergeSpecs(own, templates) : own;
  return withTemplates === 'conflict' ? withTemplates : mergeSpecs(withTemplates, [metadataLabels]);
}

export const labelsTransformer: Transformer<LabelsConfig> = (resources, config, ctx) => {
  if (Object.keys(config.pairs).length === 0) return resources;
  const specs = labelFieldSpecs(config);
  if (specs === 'conflict') {
    ctx.problems.push({
      code: 'conflicting-fieldspecs',
      severity: 'error',
      message: 'failed to merge labels: conflicting fieldspecs',
      file: config.origin.file,
      range: config.origin.range,
    });
    return resources;
  }
  setMapEntries(resources, specs, config.pairs, config.origin, 'labels', ctx);
  return resources;
};
