// Builtin plugin configs: the objects listed in a kustomization's `transformers:`, `generators:` and
// `validators:` (files, folders of them, or inline YAML) that say `apiVersion: builtin`. Each kind is the
// transformer or generator the kustomization fields already run, configured by the object instead: a
// LabelTransformer is the labels transformer with the config's own fieldSpecs, and so on. Anything else is
// an external plugin, which kubectl refuses ("external plugins disabled"), and so do we.
// Behaviour from kustomize v5.5: api/internal/plugins/loader/loader.go (what is builtin),
// api/internal/plugins/builtinhelpers/builtins.go (the kinds), api/internal/builtins/*.go (each Config),
// api/internal/target/kusttarget.go (transformers after the kustomization's own, validators must not change).
import type { FieldSpec } from './fieldspec';
import { isObject, resIdOf } from './resource';
import { stringRecord } from './kustomization';
import type { TransformContext } from './transformer';
import type { Json, JsonObject, Origin, Range, Resource } from './types';
import { annotationsTransformer } from './transformers/annotations';
import { hashSuffixTransformer } from './transformers/hashSuffix';
import { imagesTransformer } from './transformers/images';
import { labelsTransformer } from './transformers/labels';
import { namespaceTransformer, type NamespaceConfig } from './transformers/namespace';
import { patchesTransformer, type PatchConfig } from './transformers/patches';
import { patchesJson6902Transformer } from './transformers/patchesJson6902';
import { patchesStrategicMergeTransformer } from './transformers/patchesStrategicMerge';
import { prefixSuffixTransformer } from './transformers/prefixSuffix';
import { replacementsTransformer } from './transformers/replacements';
import { replicasTransformer } from './transformers/replicas';

/** One plugin config object, and where it was written (its file, or the kustomization for inline YAML). */
export interface PluginConfig {
  object: JsonObject;
  origin: Origin;
}

/** What running a plugin asks of the build: reporting, and reading the files a config names (relative to the kustomization). */
export interface PluginHost {
  readonly failed: boolean;
  error(code: string, message: string, file: string, range?: Range): void;
  readRelative(rel: string, at: Origin): { text: string; file: string } | undefined;
  /** `replacements` entries, with `- path:` entries read. */
  replacementEntries(entries: Json[], at: Origin): JsonObject[];
}

const TRANSFORMER_KINDS = [
  'AnnotationsTransformer',
  'HashTransformer',
  'ImageTagTransformer',
  'LabelTransformer',
  'NamespaceTransformer',
  'PatchJson6902Transformer',
  'PatchStrategicMergeTransformer',
  'PatchTransformer',
  'PrefixSuffixTransformer',
  'PrefixTransformer',
  'SuffixTransformer',
  'ReplacementTransformer',
  'ReplicaCountTransformer',
  'ValueAddTransformer',
] as const;

const GENERATOR_KINDS = ['ConfigMapGenerator', 'SecretGenerator', 'IAMPolicyGenerator', 'HelmChartInflationGenerator'] as const;

/** kustomize's ResId text for a plugin config, as its messages print it (`Kind.builtin.[noGrp]/name.[noNs]`). */
function orgIdText(object: JsonObject): string {
  const id = resIdOf(object);
  return `${id.kind}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}/${id.name}.${id.namespace || '[noNs]'}`;
}

/** Why kustomize would not load this config as a builtin plugin of the wanted sort; undefined when it would. */
export function pluginLoadError(object: JsonObject, as: 'transformer' | 'generator'): string | undefined {
  const kind = stringValue(object.kind);
  if (object.apiVersion !== 'builtin') {
    return `external plugins disabled; unable to load external plugin '${kind}': only builtin plugins (apiVersion: builtin) are run`;
  }
  const isTransformer = (TRANSFORMER_KINDS as readonly string[]).includes(kind);
  const isGenerator = (GENERATOR_KINDS as readonly string[]).includes(kind);
  if (!isTransformer && !isGenerator) return `unable to load builtin ${kind}.builtin.[noGrp]`;
  if (as === 'transformer' && !isTransformer) return `plugin ${orgIdText(object)} not a transformer`;
  if (as === 'generator' && !isGenerator) return `plugin ${orgIdText(object)} not a generator`;
  return undefined;
}

/** A scalar as the text kustomize reads from it (`suffix: -1` is the suffix "-1"). */
function stringValue(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' ? String(value) : '';
}

function fieldSpecsOf(value: Json | undefined): FieldSpec[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((v) => ({
    group: typeof v.group === 'string' ? v.group : undefined,
    version: typeof v.version === 'string' ? v.version : undefined,
    kind: typeof v.kind === 'string' ? v.kind : undefined,
    path: typeof v.path === 'string' ? v.path : '',
    create: v.create === true,
  }));
}

function selectorOf(value: Json | undefined): PatchConfig['target'] {
  return isObject(value) ? (stringRecord(value) as PatchConfig['target']) : undefined;
}

/** Runs one builtin transformer config over `resources` (after pluginLoadError said it is one). */
export function runTransformerPlugin(resources: Resource[], config: PluginConfig, host: PluginHost, ctx: TransformContext): Resource[] {
  const o = config.object;
  const origin = config.origin;
  const fail = (message: string) => {
    host.error('plugin-config', `plugin ${orgIdText(o)} fails configuration: ${message}`, origin.file, origin.range);
    return resources;
  };
  switch (o.kind) {
    case 'AnnotationsTransformer': {
      const annotations = isObject(o.annotations) ? stringRecord(o.annotations) : {};
      return annotationsTransformer(resources, { annotations, pluginFieldSpecs: fieldSpecsOf(o.fieldSpecs), origin }, ctx);
    }
    case 'LabelTransformer': {
      const pairs = isObject(o.labels) ? stringRecord(o.labels) : {};
      return labelsTransformer(
        resources,
        { pairs, includeSelectors: false, includeTemplates: false, pluginFieldSpecs: fieldSpecsOf(o.fieldSpecs), origin },
        ctx,
      );
    }
    case 'NamespaceTransformer': {
      const namespace = isObject(o.metadata) ? stringValue(o.metadata.namespace) : '';
      const mode = o.setRoleBindingSubjects ?? '';
      if (mode !== '' && mode !== 'defaultOnly' && mode !== 'allServiceAccounts' && mode !== 'none') {
        return fail(
          `invalid value "${String(mode)}" for setRoleBindingSubjects: must be one of "defaultOnly", "none" or "allServiceAccounts"`,
        );
      }
      return namespaceTransformer(
        resources,
        {
          namespace,
          pluginFieldSpecs: fieldSpecsOf(o.fieldSpecs),
          unsetOnly: o.unsetOnly === true,
          roleBindingSubjects: (mode || 'defaultOnly') as NamespaceConfig['roleBindingSubjects'],
          origin,
        },
        ctx,
      );
    }
    case 'PrefixSuffixTransformer':
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      if (o.kind !== 'PrefixSuffixTransformer' && !Array.isArray(o.fieldSpecs)) return fail('fieldSpecs is not expected to be nil');
      const prefix = o.kind === 'SuffixTransformer' ? '' : stringValue(o.prefix);
      const suffix = o.kind === 'PrefixTransformer' ? '' : stringValue(o.suffix);
      return prefixSuffixTransformer(resources, { prefix, suffix, pluginFieldSpecs: fieldSpecsOf(o.fieldSpecs), origin }, ctx);
    }
    case 'ImageTagTransformer': {
      const imageTag = isObject(o.imageTag) ? o.imageTag : {};
      return imagesTransformer(resources, { images: [imageTag], fieldSpecs: fieldSpecsOf(o.fieldSpecs), origin }, ctx);
    }
    case 'ReplicaCountTransformer': {
      const replica = isObject(o.replica) ? o.replica : {};
      return replicasTransformer(resources, { replicas: [replica], pluginFieldSpecs: fieldSpecsOf(o.fieldSpecs), origin }, ctx);
    }
    case 'HashTransformer':
      return hashSuffixTransformer(resources, { origin }, ctx);
    case 'PatchTransformer': {
      const patch = stringValue(o.patch).trim();
      const path = stringValue(o.path);
      if (patch === '' && path === '') return fail('must specify one of patch and path');
      if (patch !== '' && path !== '') return fail("patch and path can't be set at the same time");
      const options = isObject(o.options)
        ? { allowNameChange: o.options.allowNameChange === true, allowKindChange: o.options.allowKindChange === true }
        : undefined;
      const text = patch !== '' ? { text: patch, file: origin.file } : host.readRelative(path, origin);
      if (!text) return resources;
      return patchesTransformer(resources, [{ ...text, target: selectorOf(o.target), options, origin }], ctx);
    }
    case 'PatchStrategicMergeTransformer': {
      const paths = Array.isArray(o.paths) ? o.paths.filter((p): p is string => typeof p === 'string') : [];
      const inline = stringValue(o.patches);
      if (paths.length === 0 && inline === '') return fail('empty file path and empty patch content');
      const configs: PatchConfig[] = [];
      for (const p of paths) {
        const read = host.readRelative(p, origin);
        if (!read) return resources;
        configs.push({ ...read, origin });
      }
      if (inline !== '') configs.push({ text: inline, file: origin.file, origin });
      return patchesStrategicMergeTransformer(resources, configs, ctx);
    }
    case 'PatchJson6902Transformer': {
      const path = stringValue(o.path);
      const jsonOp = stringValue(o.jsonOp);
      if (path !== '' && jsonOp !== '') return fail('must specify a file path or jsonOp, not both');
      const text = path !== '' ? host.readRelative(path, origin) : { text: jsonOp, file: origin.file };
      if (!text) return resources;
      return patchesJson6902Transformer(resources, [{ ...text, target: selectorOf(o.target), origin }], ctx);
    }
    case 'ReplacementTransformer': {
      const entries = Array.isArray(o.replacements) ? o.replacements : [];
      for (const e of entries) {
        if (isObject(e) && typeof e.path === 'string' && e.path !== '' && (e.source !== undefined || e.targets !== undefined)) {
          return fail('cannot specify both path and inline replacement');
        }
      }
      const replacements = host.replacementEntries(entries, origin);
      if (host.failed) return resources;
      return replacementsTransformer(resources, { replacements, origin: { ...origin, kind: 'replacement' } }, ctx);
    }
    default:
      // ValueAddTransformer: builtin, but not part of what kubectl's kustomize documents or Flux uses.
      host.error(
        'unsupported-plugin',
        `builtin ${stringValue(o.kind)} is not supported by the built-in renderer; choose an external renderer in settings for this kustomization`,
        origin.file,
        origin.range,
      );
      return resources;
  }
}

/** What a builtin generator config asks for: the same arguments as a configMapGenerator/secretGenerator entry. */
export function generatorArguments(
  config: PluginConfig,
): { field: 'configMapGenerator' | 'secretGenerator'; args: JsonObject } | { helmChart: JsonObject } | { unsupported: string } {
  const o = config.object;
  const meta = isObject(o.metadata) ? o.metadata : {};
  if (o.kind === 'HelmChartInflationGenerator') return { helmChart: o };
  if (o.kind !== 'ConfigMapGenerator' && o.kind !== 'SecretGenerator') return { unsupported: stringValue(o.kind) };
  const args: JsonObject = {};
  for (const [key, value] of Object.entries(o)) if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') args[key] = value;
  // The config's own name and namespace fields win; metadata's fill in for them (the plugin's Config).
  if (stringValue(args.name) === '') args.name = stringValue(meta.name);
  if (stringValue(args.namespace) === '') args.namespace = stringValue(meta.namespace);
  return { field: o.kind === 'ConfigMapGenerator' ? 'configMapGenerator' : 'secretGenerator', args };
}

/**
 * The first difference a validator made, or undefined: validators must leave every object as it was
 * (but for the `validated-by` label they may add), or the build fails.
 */
export function validatorChange(before: readonly Resource[], after: readonly Resource[]): string | undefined {
  if (before.length !== after.length) return `the validator changed the number of objects from ${before.length} to ${after.length}`;
  for (let i = 0; i < before.length; i++) {
    const a = JSON.stringify(before[i].object, bigintText);
    const b = JSON.stringify(withoutValidatedBy(after[i].object), bigintText);
    if (a !== b) {
      const id = resIdOf(before[i].object);
      return `nodes unequal: ${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name} was changed`;
    }
  }
  return undefined;
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function withoutValidatedBy(object: JsonObject): JsonObject {
  const meta = object.metadata;
  if (!isObject(meta) || !isObject(meta.labels) || !('validated-by' in meta.labels)) return object;
  const labels = { ...meta.labels };
  delete labels['validated-by'];
  const metadata: JsonObject = { ...meta, labels };
  if (Object.keys(labels).length === 0) delete metadata.labels;
  return { ...object, metadata };
}
