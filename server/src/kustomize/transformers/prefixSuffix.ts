// `namePrefix` / `nameSuffix`: kustomize's PrefixTransformer then SuffixTransformer. Each renames
// metadata.name of every object except CRDs, APIServices and Namespaces, remembers the old id (for
// name references) and the affix itself (to pick between objects that once shared a name).
import { namePrefixFieldSpecs, nameSuffixFieldSpecs, prefixSuffixSkippedKinds } from '../builtinFieldSpecs';
import { fieldSpecMatches, visitFieldSpecs, type FieldSpec } from '../fieldspec';
import { recordOrigin, resIdOf, splitApiVersion } from '../resource';
import type { StepConfig, Transformer } from '../transformer';
import type { Origin, Resource } from '../types';

/** The group and kind the object was loaded with: kustomize decides skipping on the original id. */
function originalGroupKind(resource: Resource): { group: string; kind: string } {
  const apiVersion = typeof resource.object.apiVersion === 'string' ? resource.object.apiVersion : '';
  const first = resource.previousIds[0];
  return { group: splitApiVersion(apiVersion).group, kind: first ? first.kind : resIdOf(resource.object).kind };
}

function isSkipped(resource: Resource): boolean {
  const { group, kind } = originalGroupKind(resource);
  return prefixSuffixSkippedKinds.some((skip) => skip.kind === kind && (skip.group === undefined || skip.group === group));
}

function affixNames(
  resources: Resource[],
  affix: string,
  specs: readonly FieldSpec[],
  where: 'prefixes' | 'suffixes',
  origin: Origin,
): void {
  for (const resource of resources) {
    if (isSkipped(resource)) continue;
    // Only a metadata/name spec renames the object (a plugin config may list other fields only).
    if (specs.some((spec) => spec.path === 'metadata/name' && fieldSpecMatches(spec, resource.object))) {
      const affixes = (resource.nameAffixes ??= { prefixes: [], suffixes: [] });
      affixes[where].push(affix);
      resource.previousIds.push(resIdOf(resource.object));
    }
    visitFieldSpecs(resource, specs, (slot) => {
      const value = slot.parent[slot.key];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'bigint') return;
      slot.parent[slot.key] = where === 'prefixes' ? `${affix}${String(value)}` : `${String(value)}${affix}`;
      recordOrigin(resource, slot.path, origin);
    });
  }
}

export interface PrefixSuffixConfig extends StepConfig {
  prefix: string;
  suffix: string;
  /** Field specs from `configurations:`/`crds:` files, added to the builtin tables. */
  extraPrefixSpecs?: readonly FieldSpec[];
  extraSuffixSpecs?: readonly FieldSpec[];
  /** A builtin Prefix/Suffix(Transformer)'s own `fieldSpecs`: used instead of the builtin tables, for both. */
  pluginFieldSpecs?: readonly FieldSpec[];
}

export const prefixSuffixTransformer: Transformer<PrefixSuffixConfig> = (resources, config) => {
  const prefixSpecs = config.pluginFieldSpecs ?? [...namePrefixFieldSpecs, ...(config.extraPrefixSpecs ?? [])];
  const suffixSpecs = config.pluginFieldSpecs ?? [...nameSuffixFieldSpecs, ...(config.extraSuffixSpecs ?? [])];
  if (config.prefix !== '') affixNames(resources, config.prefix, prefixSpecs, 'prefixes', config.origin);
  if (config.suffix !== '') affixNames(resources, config.suffix, suffixSpecs, 'suffixes', config.origin);
  return resources;
};
