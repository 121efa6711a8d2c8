// The transformer steps of one kustomization, in the order kustomize runs them (kustomize v5.5's
// api/internal/target/kusttarget_configplugin.go, whose transformer list this table follows): each row names
// the kustomization fields it reads and the transformer it runs. Reading the table tells what runs and in
// what order; adding a transformer is one row. The build (build.ts) runs the rows over the objects a
// kustomization accumulated, generated and took from its components; hash suffixes, name references, vars
// and sorting run once, at the top (buildKustomization), not per kustomization.
import { fieldRange, listField, stringMapField, stringRecord, type Kustomization } from './kustomization';
import { cloneResource, isObject } from './resource';
import type { TransformContext } from './transformer';
import type { CustomFieldSpecs } from './transformerConfig';
import type { Json, JsonObject, Origin, Range, Resource, TransformationRecord } from './types';
import { runTransformerPlugin, validatorChange, type PluginConfig, type PluginHost } from './builtinPlugins';
import { annotationsTransformer } from './transformers/annotations';
import { imagesTransformer } from './transformers/images';
import { labelsTransformer } from './transformers/labels';
import { namespaceTransformer } from './transformers/namespace';
import { patchesTransformer, type PatchConfig } from './transformers/patches';
import { patchesJson6902Transformer } from './transformers/patchesJson6902';
import { patchesStrategicMergeTransformer } from './transformers/patchesStrategicMerge';
import { prefixSuffixTransformer } from './transformers/prefixSuffix';
import { replacementsTransformer } from './transformers/replacements';
import { replicasTransformer } from './transformers/replicas';

/** What a step asks of the build running it: reporting, origins, and the patch and replacement files it reads. */
export interface StepHost {
  /** Whether the build has reported an error (by this step or an earlier one). */
  readonly failed: boolean;
  error(code: string, message: string, file: string, range?: Range): void;
  origin(k: Kustomization, kind: Origin['kind'], step: string, pathInFile: ReadonlyArray<string | number>): Origin;
  patchConfig(k: Kustomization, field: 'patches' | 'patchesJson6902', value: Json, index: number): PatchConfig[];
  legacyStrategicMergeConfig(k: Kustomization, value: Json, index: number): PatchConfig[];
  replacementEntries(k: Kustomization): JsonObject[];
  /** The builtin plugin configs of `transformers:` or `validators:`, loaded when the kustomization was entered. */
  pluginConfigs(k: Kustomization, field: 'transformers' | 'validators'): readonly PluginConfig[];
  /** What the plugins ask of the build (files they name, relative to the kustomization). */
  pluginHost(k: Kustomization): PluginHost;
}

export interface StepInput {
  kustomization: Kustomization;
  /** Field specs from `configurations:` and `crds:`, the kustomization's and its resources'. */
  specs: CustomFieldSpecs;
  context: TransformContext;
  build: StepHost;
  /** An incremental run over some objects only (incremental.ts): the `patches` entries that apply to them. */
  onlyPatches?: ReadonlySet<number>;
  /** Record on each object the transformers that ran (`buildMetadata: [transformerAnnotations]`). */
  recordTransformations?: boolean;
}

export interface TransformerStep {
  /** The kustomization fields the step reads. */
  fields: readonly string[];
  /** The transformer it runs (server/src/kustomize/transformers/). */
  transformer: string;
  /**
   * Whether the step changes each object on its own, so that an object's result can be reused while its
   * inputs are unchanged (incremental.ts). `patches` does only when each patch names one object, which
   * incremental.ts checks entry by entry.
   */
  perObject: boolean;
  /** Whether the build stops after this step when an error has been reported, as kustomize aborts there. */
  stopsOnError: boolean;
  /** The objects after the step; `undefined` when the kustomization does not configure it (nothing ran). */
  run(resources: Resource[], input: StepInput): Resource[] | undefined;
  /**
   * The kustomize plugin instances the step stands for, in order, as transformerAnnotations print them
   * (kustomize makes one per `patches`, `labels`, `images`, `replicas` and `patchesJson6902` entry).
   */
  records(input: StepInput): TransformationRecord[];
}

/** `count` records of a builtin transformer configured by the kustomization file. */
function builtin(input: StepInput, kind: string, count = 1): TransformationRecord[] {
  const record: TransformationRecord = { configuredIn: input.kustomization.file, configuredBy: { apiVersion: 'builtin', kind } };
  return Array.from({ length: count }, () => record);
}

export const TRANSFORMER_STEPS: readonly TransformerStep[] = [
  {
    fields: ['patchesStrategicMerge'],
    transformer: 'patchesStrategicMerge',
    perObject: false,
    stopsOnError: true,
    records: (input) => builtin(input, 'PatchStrategicMergeTransformer'),
    run(resources, { kustomization: k, context, build }) {
      const entries = listField(k, 'patchesStrategicMerge');
      if (entries.length === 0) return undefined;
      const configs = entries.flatMap((e) => build.legacyStrategicMergeConfig(k, e.value, e.index));
      return patchesStrategicMergeTransformer(resources, configs, context);
    },
  },
  {
    fields: ['patches'],
    transformer: 'patches',
    perObject: true,
    stopsOnError: true,
    records: (input) => builtin(input, 'PatchTransformer', listField(input.kustomization, 'patches').length),
    run(resources, { kustomization: k, context, build, onlyPatches }) {
      const entries = listField(k, 'patches').filter((e) => !onlyPatches || onlyPatches.has(e.index));
      if (entries.length === 0) return undefined;
      const configs = entries.flatMap((e) => build.patchConfig(k, 'patches', e.value, e.index));
      if (build.failed) return resources;
      return patchesTransformer(resources, configs, context);
    },
  },
  {
    fields: ['namespace'],
    transformer: 'namespace',
    perObject: true,
    stopsOnError: false,
    records: (input) => builtin(input, 'NamespaceTransformer'),
    run(resources, { kustomization: k, specs, context, build }) {
      const namespace = k.fields.namespace;
      if (typeof namespace !== 'string' || namespace === '') return undefined;
      return namespaceTransformer(
        resources,
        { namespace, extraFieldSpecs: specs.namespace, origin: build.origin(k, 'transformer', 'namespace', ['namespace']) },
        context,
      );
    },
  },
  {
    fields: ['namePrefix', 'nameSuffix'],
    transformer: 'prefixSuffix',
    perObject: true,
    stopsOnError: false,
    records: (input) => [
      ...(input.kustomization.fields.namePrefix ? builtin(input, 'PrefixTransformer') : []),
      ...(input.kustomization.fields.nameSuffix ? builtin(input, 'SuffixTransformer') : []),
    ],
    run(resources, { kustomization: k, specs, context, build }) {
      const prefix = typeof k.fields.namePrefix === 'string' ? k.fields.namePrefix : '';
      const suffix = typeof k.fields.nameSuffix === 'string' ? k.fields.nameSuffix : '';
      if (prefix === '' && suffix === '') return undefined;
      // The origin names the field that is set, the prefix when both are.
      const field = prefix ? 'namePrefix' : 'nameSuffix';
      return prefixSuffixTransformer(
        resources,
        {
          prefix,
          suffix,
          extraPrefixSpecs: specs.namePrefix,
          extraSuffixSpecs: specs.nameSuffix,
          origin: build.origin(k, 'transformer', field, [field]),
        },
        context,
      );
    },
  },
  {
    fields: ['labels'],
    transformer: 'labels',
    perObject: true,
    stopsOnError: false,
    // kustomize's LabelTransformer configurator makes one instance per entry and always one for
    // commonLabels, even empty; that one is the commonLabels row's record when that row runs.
    records: (input) =>
      builtin(
        input,
        'LabelTransformer',
        listField(input.kustomization, 'labels').filter((e) => isObject(e.value)).length +
          (Object.keys(stringMapField(input.kustomization, 'commonLabels') ?? {}).length === 0 ? 1 : 0),
      ),
    run(resources, { kustomization: k, specs, context, build }) {
      const entries = listField(k, 'labels');
      if (entries.length === 0) return undefined;
      for (const entry of entries) {
        if (!isObject(entry.value)) {
          build.error('invalid-kustomization', 'labels entries must be maps with pairs', k.file, fieldRange(k, ['labels', entry.index]));
          continue;
        }
        const pairs = isObject(entry.value.pairs) ? stringRecord(entry.value.pairs) : {};
        resources = labelsTransformer(
          resources,
          {
            pairs,
            includeSelectors: entry.value.includeSelectors === true,
            includeTemplates: entry.value.includeTemplates === true,
            fields: Array.isArray(entry.value.fields) ? (entry.value.fields.filter(isObject) as never) : undefined,
            extraCommonLabels: specs.commonLabels,
            extraTemplateLabels: specs.templateLabels,
            origin: build.origin(k, 'transformer', `labels[${entry.index}]`, ['labels', entry.index]),
          },
          context,
        );
      }
      return resources;
    },
  },
  {
    fields: ['commonLabels'],
    transformer: 'labels',
    perObject: true,
    stopsOnError: false,
    records: (input) => builtin(input, 'LabelTransformer'),
    run(resources, { kustomization: k, specs, context, build }) {
      const commonLabels = stringMapField(k, 'commonLabels');
      if (!commonLabels || Object.keys(commonLabels).length === 0) return undefined;
      return labelsTransformer(
        resources,
        {
          pairs: commonLabels,
          includeSelectors: true,
          includeTemplates: true,
          legacyCommonLabels: true,
          extraCommonLabels: specs.commonLabels,
          origin: build.origin(k, 'transformer', 'commonLabels', ['commonLabels']),
        },
        context,
      );
    },
  },
  {
    fields: ['commonAnnotations'],
    transformer: 'annotations',
    perObject: true,
    stopsOnError: false,
    records: (input) => builtin(input, 'AnnotationsTransformer'),
    run(resources, { kustomization: k, specs, context, build }) {
      const commonAnnotations = stringMapField(k, 'commonAnnotations');
      if (!commonAnnotations || Object.keys(commonAnnotations).length === 0) return undefined;
      return annotationsTransformer(
        resources,
        {
          annotations: commonAnnotations,
          extraFieldSpecs: specs.commonAnnotations,
          origin: build.origin(k, 'transformer', 'commonAnnotations', ['commonAnnotations']),
        },
        context,
      );
    },
  },
  {
    fields: ['patchesJson6902'],
    transformer: 'patchesJson6902',
    perObject: false,
    stopsOnError: true,
    records: (input) => builtin(input, 'PatchJson6902Transformer', listField(input.kustomization, 'patchesJson6902').length),
    run(resources, { kustomization: k, context, build }) {
      const entries = listField(k, 'patchesJson6902');
      if (entries.length === 0) return undefined;
      const configs = entries.flatMap((e) => build.patchConfig(k, 'patchesJson6902', e.value, e.index));
      if (build.failed) return resources;
      return patchesJson6902Transformer(resources, configs, context);
    },
  },
  {
    fields: ['replicas'],
    transformer: 'replicas',
    perObject: false,
    stopsOnError: false,
    records: (input) =>
      builtin(input, 'ReplicaCountTransformer', listField(input.kustomization, 'replicas').filter((e) => isObject(e.value)).length),
    run(resources, { kustomization: k, specs, context, build }) {
      const replicas = listField(k, 'replicas')
        .map((e) => e.value)
        .filter(isObject);
      if (replicas.length === 0) return undefined;
      return replicasTransformer(
        resources,
        { replicas, fieldSpecs: specs.replicas, origin: build.origin(k, 'transformer', 'replicas', ['replicas']) },
        context,
      );
    },
  },
  {
    fields: ['images', 'imageTags'],
    transformer: 'images',
    perObject: true,
    stopsOnError: false,
    records: (input) =>
      builtin(
        input,
        'ImageTagTransformer',
        [...listField(input.kustomization, 'images'), ...listField(input.kustomization, 'imageTags')].filter((e) => isObject(e.value))
          .length,
      ),
    run(resources, { kustomization: k, specs, context, build }) {
      const images = [...listField(k, 'images'), ...listField(k, 'imageTags')].map((e) => e.value).filter(isObject);
      if (images.length === 0) return undefined;
      return imagesTransformer(
        resources,
        { images, fieldSpecs: specs.images, origin: build.origin(k, 'transformer', 'images', ['images']) },
        context,
      );
    },
  },
  {
    fields: ['replacements'],
    transformer: 'replacements',
    perObject: false,
    stopsOnError: false,
    records: (input) => builtin(input, 'ReplacementTransformer'),
    run(resources, { kustomization: k, context, build }) {
      const replacements = build.replacementEntries(k);
      if (replacements.length === 0) return undefined;
      return replacementsTransformer(
        resources,
        { replacements, origin: build.origin(k, 'replacement', 'replacements', ['replacements']) },
        context,
      );
    },
  },
  {
    // Builtin plugin configs, after the kustomization's own transformers, in the order they are listed.
    fields: ['transformers'],
    transformer: 'builtinPlugins',
    perObject: false,
    stopsOnError: true,
    records: (input) =>
      input.build.pluginConfigs(input.kustomization, 'transformers').map((c) => ({
        configuredIn: c.origin.file,
        configuredBy: c.origin.configuredBy ?? { apiVersion: 'builtin', kind: String(c.object.kind) },
      })),
    run(resources, { kustomization: k, context, build }) {
      const configs = build.pluginConfigs(k, 'transformers');
      if (configs.length === 0) return undefined;
      const host = build.pluginHost(k);
      for (const config of configs) {
        resources = runTransformerPlugin(resources, config, host, context);
        if (build.failed) return resources;
      }
      return resources;
    },
  },
  {
    // Validators run like transformers over a copy, and fail the build when they changed anything.
    fields: ['validators'],
    transformer: 'builtinPlugins',
    perObject: false,
    stopsOnError: true,
    // Validators are not transformations of the output.
    records: () => [],
    run(resources, { kustomization: k, context, build }) {
      const configs = build.pluginConfigs(k, 'validators');
      if (configs.length === 0) return undefined;
      const host = build.pluginHost(k);
      for (const config of configs) {
        const after = runTransformerPlugin(resources.map(cloneResource), config, host, { ...context, ownsResources: true });
        if (build.failed) return resources;
        const change = validatorChange(resources, after);
        if (change) {
          build.error(
            'validator-changed-objects',
            `validator shouldn't modify the resource map: ${change}`,
            config.origin.file,
            config.origin.range,
          );
          return resources;
        }
      }
      return resources;
    },
  },
];

/** The kustomization's transformer steps, in order, over `resources`; stops where kustomize would abort. */
export function runTransformerSteps(resources: Resource[], input: StepInput): Resource[] {
  for (const step of TRANSFORMER_STEPS) {
    const out = step.run(resources, input);
    if (out === undefined) continue;
    resources = out;
    if (input.recordTransformations) {
      const records = step.records(input);
      if (records.length > 0) for (const r of resources) (r.transformations ??= []).push(...records);
    }
    if (step.stopsOnError && input.build.failed) return resources;
  }
  return resources;
}
