// Offline expansion of Flux Operator's ResourceSet (fluxcd.controlplane.io/v1): the objects the operator
// would generate from the ResourceSet's inputs and templates, so the Kustomizations, HelmReleases and
// sources it creates join the Flux graph.
//
// Facts from controlplaneio-fluxcd/flux-operator, followed here:
// - Input sets (internal/inputs/combine.go, provider.go; api/v1/resourceset_types.go GetInputs): the
//   ResourceSet's own spec.inputs come first, then each ResourceSetInputProvider of spec.inputsFrom,
//   de-duplicated and sorted by namespace/name. Every input set gets `provider` ({apiVersion, kind, name,
//   namespace} of the object it came from), replacing any `provider` the user wrote. Inline inputs get no
//   `id`; providers export one (Static: adler32 of the object's UID, internal/controller/
//   resourcesetinputprovider_controller.go; offline we use adler32 of its name, as `flux-operator build
//   resourceset --inputs-from-provider` does, cmd/cli/build_resourceset.go).
// - inputsFrom by name or label selector, always a ResourceSetInputProvider in the ResourceSet's namespace
//   (apiVersion/kind are not consulted); an entry with neither fails the reconciliation.
// - Strategy (internal/inputs/flattener.go, permuter.go): Flatten concatenates; Permute takes the
//   cartesian product, each provider's set under the provider's name normalised by keys.go
//   (lowercase, spaces/punctuation to `_`, others dropped, `_` runs collapsed), with `id` = adler32 of
//   "name=index/name=index…"; providers without inputs are skipped unless includeEmptyProviders; more than
//   10000 permutations is an error.
// - Rendering (internal/builder/resourceset.go): each spec.resources entry is converted to YAML with
//   sigs.k8s.io/yaml (go-yaml v2's emitter) and that TEXT is the template, so quotes written in the source
//   are gone: `tag: "<< inputs.v >>"` with v "1.10" yields the number 1.1; `| quote` keeps it a string.
//   The output is read back as YAML 1.1 (`yes` is true). resourcesTemplate is one multi-document template
//   per input set; documents without apiVersion, kind or name are dropped. Delimiters `<<` `>>`,
//   missingkey=error, functions: slim-sprig + slugify, toYaml, inputs (see templateFunctions.ts).
// - Without any input set (no inputs, no inputsFrom) the templates run once with an empty input map. When
//   inputsFrom is set but every provider exports nothing, nothing is generated (the operator prunes all).
// - Objects annotated `fluxcd.controlplane.io/reconcile: disabled` are dropped; objects are de-duplicated
//   by group, kind, namespace and name, first wins (spec.resources before resourcesTemplate); in
//   spec.steps the same object in two steps is an error.
// - The operator does not default metadata.namespace of generated objects. It adds the labels
//   resourceset.fluxcd.controlplane.io/name and /namespace, then spec.commonMetadata (which wins).
import { isObject, splitApiVersion } from '../kustomize/resource';
import type { Json, JsonObject, Problem, Range } from '../kustomize/types';
import { parseYamlFile } from '../kustomize/yaml/parse';
import { emitYaml } from '../kustomize/yaml/emit';
import {
  GoNumber,
  executeTemplate,
  fromJson,
  parseTemplate,
  type GoMap,
  type GoValue,
  type ParsedTemplate,
  type TemplateError,
} from './goTemplate';
import type { FluxObjectPlace } from './objects';
import { RESOURCE_SET_FUNCTION_NAMES, adler32Id, resourceSetFunctions } from './templateFunctions';

export const RESOURCE_SET_GROUP = 'fluxcd.controlplane.io';
export const RESOURCE_SET_API_VERSION = 'fluxcd.controlplane.io/v1';
export const RECONCILE_ANNOTATION = 'fluxcd.controlplane.io/reconcile';
export const OWNER_NAME_LABEL = 'resourceset.fluxcd.controlplane.io/name';
export const OWNER_NAMESPACE_LABEL = 'resourceset.fluxcd.controlplane.io/namespace';
/** The operator's cap on Permute combinations (internal/inputs/permuter.go). */
export const MAX_PERMUTATIONS = 10000;

export interface ResourceSetLimits {
  /** Generated objects, over all input sets and steps. */
  maxObjects: number;
  /** Output of one template execution. */
  maxOutputBytes: number;
  /** Output of all template executions together. */
  maxTotalOutputBytes: number;
  /** Template evaluation steps, over all executions. */
  maxTotalSteps: number;
}

export const defaultResourceSetLimits: ResourceSetLimits = {
  maxObjects: 10000,
  maxOutputBytes: 1024 * 1024,
  maxTotalOutputBytes: 16 * 1024 * 1024,
  maxTotalSteps: 1_000_000,
};

export interface GeneratedObject {
  object: JsonObject;
  /** Index of the combined input set it was rendered with; absent when the ResourceSet has no inputs and its templates ran once. */
  inputIndex?: number;
  /** Index of the spec.resources entry, or of the document in the rendered resourcesTemplate. */
  resourceIndex: number;
  from: 'resources' | 'resourcesTemplate';
  /** spec.steps[].name when the ResourceSet has steps. */
  step?: string;
  /** Path of the template in the ResourceSet, e.g. ['spec', 'resources', 2] or ['spec', 'steps', 0, 'resourcesTemplate']. */
  templatePath: Array<string | number>;
}

export interface ResourceSetDependency {
  apiVersion: string;
  kind: string;
  name: string;
  /** As written: the operator does not default it for cluster-scoped kinds such as CustomResourceDefinition. */
  namespace?: string;
  ready: boolean;
  readyExpr?: string;
  path: Array<string | number>;
}

export interface ResourceSetExpansion {
  objects: GeneratedObject[];
  /** The combined input sets, in order, as the templates saw them under `inputs`. */
  inputs: JsonObject[];
  dependsOn: ResourceSetDependency[];
  problems: Problem[];
  /** Why the expansion is partial or differs from the cluster, in words for a hover or tree. */
  notes: string[];
}

export interface ExpandOptions {
  /** The ResourceSetInputProvider `name` in `namespace`, if the repository has it. */
  findInputProvider?: (namespace: string, name: string) => JsonObject | undefined;
  /** Every ResourceSetInputProvider of the repository in `namespace` (the selector is matched here). */
  listInputProviders?: (namespace: string) => JsonObject[];
  /** The namespace the ResourceSet lands in when metadata.namespace is empty (the applying Kustomization's). */
  defaultNamespace?: string;
  limits?: Partial<ResourceSetLimits>;
}

/** Whether the object is a ResourceSet this module expands. */
export function isResourceSet(object: JsonObject): boolean {
  return (
    object.kind === 'ResourceSet' &&
    typeof object.apiVersion === 'string' &&
    splitApiVersion(object.apiVersion).group === RESOURCE_SET_GROUP
  );
}

/** Input providers whose inputs the repository defines: only Static exports its spec.defaultValues without calling out. */
const STATIC_PROVIDER = 'Static';

interface Provider {
  kind: 'ResourceSet' | 'ResourceSetInputProvider';
  name: string;
  namespace: string;
  inputs: GoMap[];
}

class Expansion {
  readonly result: ResourceSetExpansion = { objects: [], inputs: [], dependsOn: [], problems: [], notes: [] };
  readonly limits: ResourceSetLimits;
  private stepsLeft: number;
  private bytesLeft: number;
  /** Set when a limit stopped the expansion: nothing more is rendered. */
  stopped = false;

  constructor(
    readonly resourceSet: JsonObject,
    readonly place: FluxObjectPlace,
    readonly name: string,
    readonly namespace: string,
    limits: Partial<ResourceSetLimits> | undefined,
  ) {
    this.limits = { ...defaultResourceSetLimits, ...(limits ?? {}) };
    this.stepsLeft = this.limits.maxTotalSteps;
    this.bytesLeft = this.limits.maxTotalOutputBytes;
  }

  rangeAt(path: ReadonlyArray<string | number>): Range | undefined {
    for (let p = [...path]; ; p = p.slice(0, -1)) {
      const range = this.place.rangeOf?.(p);
      if (range) return range;
      if (p.length === 0) return this.place.range;
    }
  }

  report(
    path: ReadonlyArray<string | number>,
    code: string,
    message: string,
    severity: 'error' | 'warning' = 'error',
    range = this.rangeAt(path),
  ): void {
    this.result.problems.push({
      code,
      severity,
      message: `ResourceSet ${this.namespace}/${this.name}: ${message}`,
      file: this.place.file,
      ...(range ? { range } : {}),
    });
  }

  note(text: string): void {
    if (!this.result.notes.includes(text)) this.result.notes.push(text);
  }

  /** Runs a parsed template within the expansion's remaining budget. */
  execute(template: ParsedTemplate, inputSet: GoMap): { output: string } | { error: TemplateError; limit?: boolean } {
    const out = executeTemplate(template, resourceSetFunctions(inputSet), {
      limits: { maxSteps: Math.max(1, this.stepsLeft), maxOutputBytes: Math.min(this.limits.maxOutputBytes, Math.max(1, this.bytesLeft)) },
    });
    if ('error' in out)
      return { error: out.error, limit: /evaluation steps|exceeds \d+ bytes|larger than an offline preview/.test(out.error.message) };
    this.stepsLeft -= out.steps;
    this.bytesLeft -= out.output.length;
    return out;
  }
}

/**
 * Expands a ResourceSet into the objects the operator would apply. Never throws: template errors, bad
 * inputs and exceeded limits are problems at the ResourceSet's fields; inputs that only exist in the
 * cluster (dynamic input providers) are notes, and the objects they would generate are missing.
 */
export function expandResourceSet(resourceSet: JsonObject, place: FluxObjectPlace, options: ExpandOptions = {}): ResourceSetExpansion {
  const metadata = isObject(resourceSet.metadata) ? resourceSet.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : (options.defaultNamespace ?? 'default');
  const ex = new Expansion(resourceSet, place, name, namespace, options.limits);
  const spec = isObject(resourceSet.spec) ? resourceSet.spec : {};
  ex.result.dependsOn = readDependsOn(ex, spec);

  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  if (typeof annotations[RECONCILE_ANNOTATION] === 'string' && annotations[RECONCILE_ANNOTATION].toLowerCase() === 'disabled') {
    ex.note(
      `reconciliation is disabled (${RECONCILE_ANNOTATION}: disabled): the operator leaves the objects it applied before as they are`,
    );
  }

  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  if (
    steps.length > 0 &&
    ((Array.isArray(spec.resources) && spec.resources.length > 0) ||
      (typeof spec.resourcesTemplate === 'string' && spec.resourcesTemplate !== ''))
  ) {
    ex.report(
      ['spec', 'steps'],
      'resourceset-steps-exclusive',
      'spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate: the operator builds nothing. Move the resources into a step.',
    );
    return ex.result;
  }

  // ValidateResourceSetSpec (internal/builder/resourceset.go): a step must have something to build.
  const emptyStep = steps.findIndex(
    (step) =>
      !isObject(step) ||
      ((!Array.isArray(step.resources) || step.resources.length === 0) &&
        (typeof step.resourcesTemplate !== 'string' || step.resourcesTemplate === '')),
  );
  if (emptyStep >= 0) {
    const stepName = isObject(steps[emptyStep]) ? String((steps[emptyStep] as JsonObject).name) : `#${emptyStep}`;
    ex.report(
      ['spec', 'steps', emptyStep],
      'resourceset-empty-step',
      `step "${stepName}": at least one of resources or resourcesTemplate must be set; the operator builds nothing.`,
    );
    return ex.result;
  }

  const combined = combineInputs(ex, spec, options);
  if (!combined) return ex.result;
  ex.result.inputs = combined.sets.map((set) => toJsonObject(set));
  const hasInputsFrom = Array.isArray(spec.inputsFrom) && spec.inputsFrom.length > 0;
  if (hasInputsFrom && combined.sets.length === 0) {
    // The operator reconciles an empty set (pruning everything) when the providers export nothing.
    if (!combined.partial)
      ex.note('the input providers export no inputs: the operator generates no objects (and prunes the ones it applied before)');
    return ex.result;
  }
  if (combined.partial && combined.permute) return ex.result;

  const units: Array<{ step?: string; path: Array<string | number>; body: JsonObject }> =
    steps.length > 0
      ? steps.map((s, i) => ({
          step: isObject(s) && typeof s.name === 'string' ? s.name : `#${i}`,
          path: ['spec', 'steps', i],
          body: isObject(s) ? s : {},
        }))
      : [{ path: ['spec'], body: spec }];
  const stepOfObject = new Map<string, string>();
  for (const unit of units) {
    if (ex.stopped) break;
    const built = buildUnit(ex, unit.body, unit.path, combined.sets, combined.none);
    for (const generated of built) {
      const key = objectKey(generated.object);
      if (unit.step !== undefined) {
        const previous = stepOfObject.get(key);
        if (previous !== undefined && previous !== unit.step) {
          ex.report(
            generated.templatePath,
            'resourceset-duplicate-in-steps',
            `${describeObject(generated.object)} in step "${unit.step}" is already defined in step "${previous}": the operator fails the build.`,
          );
          continue;
        }
        stepOfObject.set(key, unit.step);
      }
      ex.result.objects.push({ ...generated, ...(unit.step !== undefined ? { step: unit.step } : {}) });
    }
  }
  applyMetadata(ex, spec);
  return ex.result;
}

// ---------------------------------------------------------------------------------------------
// Inputs

interface CombinedInputs {
  sets: GoMap[];
  /** No input sets at all: the templates run once with an empty map (only without inputsFrom). */
  none: boolean;
  /** Some provider's inputs exist only in the cluster. */
  partial: boolean;
  permute: boolean;
}

function combineInputs(ex: Expansion, spec: JsonObject, options: ExpandOptions): CombinedInputs | undefined {
  const own: Provider = { kind: 'ResourceSet', name: ex.name, namespace: ex.namespace, inputs: [] };
  if (spec.inputs !== undefined && spec.inputs !== null && !Array.isArray(spec.inputs)) {
    ex.report(['spec', 'inputs'], 'resourceset-inputs-type', 'spec.inputs must be a list of input sets (mappings).');
    return undefined;
  }
  (Array.isArray(spec.inputs) ? spec.inputs : []).forEach((entry, i) => {
    if (!isObject(entry)) {
      ex.report(['spec', 'inputs', i], 'resourceset-inputs-type', `spec.inputs[${i}] must be a mapping of input names to values.`);
      return;
    }
    own.inputs.push(fromJson(entry) as GoMap);
  });

  const resolved = resolveProviders(ex, spec, options);
  if (!resolved) return undefined;
  const providers = [own, ...resolved.providers];
  for (const p of providers) {
    for (const set of p.inputs) set.set('provider', providerRef(p));
  }

  const strategyField = isObject(spec.inputStrategy) ? spec.inputStrategy : {};
  const strategy = typeof strategyField.name === 'string' && strategyField.name !== '' ? strategyField.name : 'Flatten';
  if (strategy === 'Flatten') {
    const sets = providers.flatMap((p) => p.inputs);
    return { sets, none: sets.length === 0 && !resolved.hasInputsFrom, partial: resolved.partial, permute: false };
  }
  if (strategy !== 'Permute') {
    ex.report(
      ['spec', 'inputStrategy', 'name'],
      'resourceset-input-strategy',
      `unknown input strategy '${strategy}': the operator stalls. Use Flatten or Permute.`,
    );
    return undefined;
  }
  if (resolved.partial) {
    ex.note(
      'the Permute strategy combines every input set with the ones that exist only in the cluster: the generated objects are not known offline',
    );
    return { sets: [], none: false, partial: true, permute: true };
  }
  const includeEmpty = strategyField.includeEmptyProviders === true;
  const scoped: Array<{ key: string; inputs: GoMap[] }> = [];
  let expected = 1;
  for (const p of providers) {
    if (!includeEmpty && p.inputs.length === 0) continue;
    expected = scoped.length === 0 ? p.inputs.length : expected * p.inputs.length;
    if (expected > MAX_PERMUTATIONS) {
      ex.report(
        ['spec', 'inputStrategy'],
        'resourceset-too-many-permutations',
        `adding ${p.kind} ${p.name} with ${p.inputs.length} inputs would exceed the maximum allowed permutations (${MAX_PERMUTATIONS}): the operator stalls. Filter the providers' inputs.`,
      );
      return undefined;
    }
    const key = normalizeKeyForTemplate(p.name);
    if (key === '') {
      ex.report(
        ['spec', 'inputsFrom'],
        'resourceset-permute-name',
        `the name of ${p.kind} '${p.name}' normalises to an empty key: the operator stalls.`,
      );
      return undefined;
    }
    scoped.push({ key, inputs: p.inputs });
  }
  // BuildResourceSet runs the templates once without inputs whenever the combination is empty.
  if (scoped.length === 0 || scoped.some((s) => s.inputs.length === 0))
    return { sets: [], none: !resolved.hasInputsFrom, partial: false, permute: true };
  const sets: GoMap[] = [];
  const indexes = scoped.map(() => 0);
  for (;;) {
    const set: GoMap = new Map();
    const idParts: string[] = [];
    scoped.forEach((s, i) => {
      set.set(s.key, s.inputs[indexes[i]]);
      idParts.push(`${s.key}=${indexes[i]}`);
    });
    set.set('id', adler32Id(idParts.join('/')));
    sets.push(set);
    let i = scoped.length - 1;
    while (i >= 0 && ++indexes[i] === scoped[i].inputs.length) indexes[i--] = 0;
    if (i < 0) break;
  }
  return { sets, none: false, partial: false, permute: true };
}

/** flux-operator's NormalizeKeyForTemplate (internal/inputs/keys.go). */
export function normalizeKeyForTemplate(key: string): string {
  let out = '';
  for (const ch of key.toLowerCase()) {
    if (/[\s\p{P}]/u.test(ch)) out += '_';
    else if (/[a-z0-9]/.test(ch)) out += ch;
  }
  return out
    .split('_')
    .filter((w) => w !== '')
    .join('_');
}

function providerRef(p: Provider): GoMap {
  return new Map<string, GoValue>([
    ['apiVersion', RESOURCE_SET_API_VERSION],
    ['kind', p.kind],
    ['name', p.name],
    ['namespace', p.namespace],
  ]);
}

function resolveProviders(
  ex: Expansion,
  spec: JsonObject,
  options: ExpandOptions,
): { providers: Provider[]; partial: boolean; hasInputsFrom: boolean } | undefined {
  const refs = Array.isArray(spec.inputsFrom) ? spec.inputsFrom : [];
  const found = new Map<string, JsonObject>();
  let partial = false;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const path = ['spec', 'inputsFrom', i];
    const refName = isObject(ref) && typeof ref.name === 'string' && ref.name !== '' ? ref.name : undefined;
    const selector = isObject(ref) && isObject(ref.selector) ? ref.selector : undefined;
    if (refName) {
      if (!options.findInputProvider) {
        partial = true;
        ex.note(`inputsFrom ResourceSetInputProvider ${ex.namespace}/${refName} cannot be looked up here: its inputs are missing`);
        continue;
      }
      const provider = options.findInputProvider(ex.namespace, refName);
      if (!provider) {
        partial = true;
        ex.report(
          [...path, 'name'],
          'resourceset-input-provider-missing',
          `no ResourceSetInputProvider ${ex.namespace}/${refName} in this repository: unless it is created some other way, the operator fails with "failed to get provider".`,
          'warning',
        );
        ex.note(`inputsFrom ResourceSetInputProvider ${ex.namespace}/${refName} is not in this repository: its inputs are missing`);
        continue;
      }
      found.set(refName, provider);
    } else if (selector) {
      const matcher = compileLabelSelector(selector);
      if (typeof matcher === 'string') {
        ex.report([...path, 'selector'], 'resourceset-input-selector', `invalid selector: ${matcher}`);
        return undefined;
      }
      if (!options.listInputProviders) {
        partial = true;
        ex.note(
          `inputsFrom selector ${describeSelector(selector)} cannot be matched here: the inputs of the providers it selects are missing`,
        );
        continue;
      }
      for (const provider of options.listInputProviders(ex.namespace)) {
        const meta = isObject(provider.metadata) ? provider.metadata : {};
        const labels = isObject(meta.labels) ? meta.labels : {};
        if (typeof meta.name === 'string' && matcher(labels)) found.set(meta.name, provider);
      }
    } else {
      ex.report(
        path,
        'resourceset-input-provider-ref',
        'input provider reference must have either name or selector set: the operator stalls.',
      );
      return undefined;
    }
  }
  const providers: Provider[] = [];
  // The operator sorts providers by GVK, namespace and name; all share the GVK and namespace here.
  for (const providerName of [...found.keys()].sort()) {
    const provider = found.get(providerName) as JsonObject;
    const providerSpec = isObject(provider.spec) ? provider.spec : {};
    const type = typeof providerSpec.type === 'string' ? providerSpec.type : '';
    const p: Provider = { kind: 'ResourceSetInputProvider', name: providerName, namespace: ex.namespace, inputs: [] };
    if (type === STATIC_PROVIDER) {
      const defaults = isObject(providerSpec.defaultValues) ? (fromJson(providerSpec.defaultValues) as GoMap) : new Map<string, GoValue>();
      // On the cluster the id is adler32 of the provider's UID, unknown offline.
      defaults.set('id', adler32Id(providerName));
      p.inputs.push(defaults);
      if (mentionsId(ex.resourceSet))
        ex.note(
          `inputs.id of the Static ResourceSetInputProvider ${ex.namespace}/${providerName} is computed from its UID on the cluster; shown here from its name, as flux-operator build resourceset does`,
        );
    } else {
      partial = true;
      ex.note(
        `inputsFrom ResourceSetInputProvider ${ex.namespace}/${providerName} is of type ${type || '(none)'}: its inputs exist only in the cluster`,
      );
    }
    providers.push(p);
  }
  return { providers, partial, hasInputsFrom: refs.length > 0 };
}

function mentionsId(resourceSet: JsonObject): boolean {
  return /\.id\b/.test(JSON.stringify(resourceSet.spec ?? {}));
}

/** A metav1.LabelSelector (matchLabels, matchExpressions) as a predicate over labels, or the reason it is invalid. */
export function compileLabelSelector(selector: JsonObject): ((labels: JsonObject) => boolean) | string {
  const tests: Array<(labels: JsonObject) => boolean> = [];
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(matchLabels)) tests.push((labels) => labels[key] === value);
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const expression of expressions) {
    if (!isObject(expression) || typeof expression.key !== 'string') return 'a matchExpressions entry needs a key';
    const key = expression.key;
    const values = Array.isArray(expression.values) ? expression.values.filter((v): v is string => typeof v === 'string') : [];
    switch (expression.operator) {
      case 'In':
        if (values.length === 0) return `values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty`;
        tests.push((labels) => typeof labels[key] === 'string' && values.includes(labels[key] as string));
        break;
      case 'NotIn':
        if (values.length === 0) return `values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty`;
        tests.push((labels) => !(typeof labels[key] === 'string' && values.includes(labels[key] as string)));
        break;
      case 'Exists':
        tests.push((labels) => key in labels);
        break;
      case 'DoesNotExist':
        tests.push((labels) => !(key in labels));
        break;
      default:
        return `"${String(expression.operator)}" is not a valid label selector operator`;
    }
  }
  return (labels) => tests.every((t) => t(labels));
}

function describeSelector(selector: JsonObject): string {
  return JSON.stringify(selector);
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** BuildResourceSet: spec.resources then resourcesTemplate of one step (or of the spec), for every input set. */
function buildUnit(
  ex: Expansion,
  body: JsonObject,
  path: Array<string | number>,
  sets: GoMap[],
  none: boolean,
): Array<Omit<GeneratedObject, 'step'>> {
  const out: Array<Omit<GeneratedObject, 'step'>> = [];
  const seen = new Set<string>();
  const add = (generated: Omit<GeneratedObject, 'step'>, dedup: boolean): void => {
    if (out.length + ex.result.objects.length >= ex.limits.maxObjects) {
      if (!ex.stopped)
        ex.report(path, 'resourceset-too-many-objects', `generates more than ${ex.limits.maxObjects} objects: the preview stops there.`);
      ex.stopped = true;
      return;
    }
    const key = objectKey(generated.object);
    if (dedup && seen.has(key)) return;
    seen.add(key);
    out.push(generated);
  };
  const runs: Array<{ set: GoMap; inputIndex?: number }> = none
    ? [{ set: new Map() }]
    : sets.map((set, inputIndex) => ({ set, inputIndex }));

  const resources = Array.isArray(body.resources) ? body.resources : [];
  resources.forEach((entry, resourceIndex) => {
    const templatePath = [...path, 'resources', resourceIndex];
    if (ex.stopped) return;
    if (!isObject(entry)) {
      ex.report(templatePath, 'resourceset-resource-type', `resources[${resourceIndex}] must be a Kubernetes object (a mapping).`);
      return;
    }
    // The operator templates the entry's YAML text, not its values (see the file comment).
    const parsed = parseTemplate(emitYaml(entry), RESOURCE_SET_FUNCTION_NAMES, { leftDelim: '<<', rightDelim: '>>' });
    if ('error' in parsed) {
      reportTemplateError(ex, templatePath, entry, `resources[${resourceIndex}]`, parsed.error, undefined);
      return;
    }
    for (const run of runs) {
      if (ex.stopped) return;
      const rendered = ex.execute(parsed.template, run.set);
      if ('error' in rendered) {
        reportTemplateError(ex, templatePath, entry, `resources[${resourceIndex}]`, rendered.error, run.inputIndex);
        if (rendered.limit) ex.stopped = true;
        return;
      }
      const object = readRenderedObject(ex, rendered.output, templatePath, `resources[${resourceIndex}]`, run.inputIndex);
      if (!object) return;
      if (!none && isExcluded(object)) continue;
      add(
        { object, ...(run.inputIndex !== undefined ? { inputIndex: run.inputIndex } : {}), resourceIndex, from: 'resources', templatePath },
        !none,
      );
    }
  });

  const templateText = body.resourcesTemplate;
  if (typeof templateText === 'string' && templateText !== '' && !ex.stopped) {
    const templatePath = [...path, 'resourcesTemplate'];
    const parsed = parseTemplate(templateText, RESOURCE_SET_FUNCTION_NAMES, { leftDelim: '<<', rightDelim: '>>' });
    if ('error' in parsed) {
      reportTemplateError(ex, templatePath, undefined, 'resourcesTemplate', parsed.error, undefined);
      return out;
    }
    for (const run of runs) {
      if (ex.stopped) break;
      const rendered = ex.execute(parsed.template, run.set);
      if ('error' in rendered) {
        reportTemplateError(ex, templatePath, undefined, 'resourcesTemplate', rendered.error, run.inputIndex);
        if (rendered.limit) ex.stopped = true;
        break;
      }
      readRenderedDocuments(ex, rendered.output, templatePath, run.inputIndex).forEach(({ object, documentIndex }) => {
        if (isExcluded(object)) return;
        add(
          {
            object,
            ...(run.inputIndex !== undefined ? { inputIndex: run.inputIndex } : {}),
            resourceIndex: documentIndex,
            from: 'resourcesTemplate',
            templatePath,
          },
          true,
        );
      });
    }
  } else if (templateText !== undefined && templateText !== null && typeof templateText !== 'string') {
    ex.report(
      [...path, 'resourcesTemplate'],
      'resourceset-template-type',
      'resourcesTemplate must be a string (use a block scalar: `resourcesTemplate: |`).',
    );
  }
  return out;
}

function inputLabel(inputIndex: number | undefined): string {
  return inputIndex === undefined ? '' : ` with input set ${inputIndex}`;
}

function reportTemplateError(
  ex: Expansion,
  templatePath: Array<string | number>,
  entry: JsonObject | undefined,
  what: string,
  error: TemplateError,
  inputIndex: number | undefined,
): void {
  // In spec.resources the template is the entry's YAML, not the file: point at the field holding the action.
  const fieldPath = entry && error.action ? pathContaining(entry, error.action) : undefined;
  const where = entry ? '' : ` (line ${error.line} of the template)`;
  const action = error.action ? ` at ${error.action.replace(/\s+/g, ' ')}` : '';
  const path = fieldPath ? [...templatePath, ...fieldPath] : templatePath;
  const range = entry ? ex.rangeAt(path) : templateLineRange(ex.rangeAt(templatePath), error.line);
  ex.report(
    path,
    'resourceset-template',
    `${what}${inputLabel(inputIndex)}${where}${action}: ${error.message}. The operator fails the whole build.`,
    'error',
    range,
  );
}

/**
 * The line of a resourcesTemplate block scalar (`resourcesTemplate: |`, the form the docs use) holding template
 * line `line`: content starts on the line after the header. A value on one line (quoted) keeps its whole range.
 */
function templateLineRange(valueRange: Range | undefined, line: number): Range | undefined {
  if (!valueRange || valueRange.end.line === valueRange.start.line) return valueRange;
  const fileLine = valueRange.start.line + line;
  if (fileLine > valueRange.end.line) return valueRange;
  // The whole line: we do not know the block's indentation, only where its lines are.
  return { start: { line: fileLine, character: 0 }, end: { line: fileLine + 1, character: 0 } };
}

/** The path of the first key or string value of `value` whose text contains `needle`. */
function pathContaining(value: Json, needle: string, path: Array<string | number> = []): Array<string | number> | undefined {
  if (typeof value === 'string') return value.includes(needle) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathContaining(value[i], needle, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes(needle)) return [...path, k];
      const found = pathContaining(v, needle, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** ssautil.ReadObject: the first YAML document of the rendered entry, read as sigs.k8s.io/yaml (YAML 1.1) does. */
function readRenderedObject(
  ex: Expansion,
  text: string,
  templatePath: Array<string | number>,
  what: string,
  inputIndex: number | undefined,
): JsonObject | undefined {
  const parsed = parseYamlFile(ex.place.file, text, undefined, { dialect: 'kustomization' });
  const failure = parsed.problems.find((p) => p.severity === 'error');
  if (failure) {
    ex.report(
      templatePath,
      'resourceset-rendered-yaml',
      `${what}${inputLabel(inputIndex)} renders invalid YAML (${failure.message}). The operator fails the whole build.${renderedExcerpt(text)}`,
    );
    return undefined;
  }
  const value = parsed.documents[0]?.value;
  if (!isObject(value)) {
    ex.report(
      templatePath,
      'resourceset-rendered-object',
      `${what}${inputLabel(inputIndex)} does not render a Kubernetes object. The operator fails the whole build.`,
    );
    return undefined;
  }
  if (typeof value.kind !== 'string' || value.kind === '' || typeof value.apiVersion !== 'string' || value.apiVersion === '') {
    ex.report(
      templatePath,
      'resourceset-rendered-object',
      `${what}${inputLabel(inputIndex)} renders an object without ${typeof value.kind !== 'string' || value.kind === '' ? 'kind' : 'apiVersion'}: the operator fails the whole build.`,
    );
    return undefined;
  }
  const meta = isObject(value.metadata) ? value.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') {
    // The build accepts it (ReadObject does not check names); applying it fails.
    ex.report(
      templatePath,
      'resourceset-rendered-object',
      `${what}${inputLabel(inputIndex)} renders ${value.kind} without metadata.name: the operator cannot apply it.`,
    );
    return undefined;
  }
  return value;
}

/** ssautil.ReadObjects: every document that has apiVersion, kind and metadata.name; Lists are unpacked; kustomize.config.k8s.io Kustomizations are dropped. */
function readRenderedDocuments(
  ex: Expansion,
  text: string,
  templatePath: Array<string | number>,
  inputIndex: number | undefined,
): Array<{ object: JsonObject; documentIndex: number }> {
  const parsed = parseYamlFile(ex.place.file, text, undefined, { dialect: 'kustomization' });
  const failure = parsed.problems.find((p) => p.severity === 'error');
  const out: Array<{ object: JsonObject; documentIndex: number }> = [];
  for (const document of parsed.documents) {
    // The operator stops at the first unreadable document.
    if (failure?.range && document.range.start.line >= failure.range.start.line) break;
    const value = document.value;
    if (!isObject(value)) continue;
    const items =
      value.kind !== undefined && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)
        ? value.items.filter(isObject)
        : [value];
    for (const item of items) {
      const meta = isObject(item.metadata) ? item.metadata : {};
      if (
        typeof item.kind !== 'string' ||
        item.kind === '' ||
        typeof item.apiVersion !== 'string' ||
        item.apiVersion === '' ||
        typeof meta.name !== 'string' ||
        meta.name === ''
      ) {
        if (Object.keys(item).length > 0) {
          ex.report(
            templatePath,
            'resourceset-rendered-dropped',
            `document ${document.index} of resourcesTemplate${inputLabel(inputIndex)} has no ${typeof item.apiVersion !== 'string' || item.apiVersion === '' ? 'apiVersion' : typeof item.kind !== 'string' || item.kind === '' ? 'kind' : 'metadata.name'}: the operator silently drops it.`,
            'warning',
          );
        }
        continue;
      }
      if (item.kind.toLowerCase() === 'kustomization' && item.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
      out.push({ object: item, documentIndex: document.index });
    }
  }
  if (failure) {
    ex.report(
      templatePath,
      'resourceset-rendered-yaml',
      `resourcesTemplate${inputLabel(inputIndex)} renders invalid YAML (${failure.message}). The operator fails the whole build.${renderedExcerpt(text, failure.range?.start.line)}`,
    );
  }
  return out;
}

/** A few lines of the rendered text around a YAML error, since the user never sees that text. */
function renderedExcerpt(text: string, line?: number): string {
  const lines = text.split('\n');
  const at = line ?? 0;
  const shown = lines.slice(Math.max(0, at - 2), at + 3).join('\n');
  return shown.trim() === '' ? '' : `\nRendered:\n${shown.length > 600 ? `${shown.slice(0, 600)}…` : shown}`;
}

function isExcluded(object: JsonObject): boolean {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  return annotations[RECONCILE_ANNOTATION] === 'disabled';
}

/** Group, kind, namespace and name: the operator's identity for de-duplication (the version is left out). */
function objectKey(object: JsonObject): string {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const { group } = splitApiVersion(typeof object.apiVersion === 'string' ? object.apiVersion : '');
  return [group, object.kind, meta.namespace ?? '', meta.name ?? ''].join('/');
}

function describeObject(object: JsonObject): string {
  const meta = isObject(object.metadata) ? object.metadata : {};
  return `${String(object.kind)}/${typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/` : ''}${String(meta.name)}`;
}

/** Owner labels, then spec.commonMetadata (ssautil.SetCommonMetadata: written keys win over the object's). */
function applyMetadata(ex: Expansion, spec: JsonObject): void {
  const common = isObject(spec.commonMetadata) ? spec.commonMetadata : {};
  const labels: Record<string, Json> = {
    [OWNER_NAME_LABEL]: ex.name,
    [OWNER_NAMESPACE_LABEL]: ex.namespace,
    ...(isObject(common.labels) ? common.labels : {}),
  };
  const annotations: Record<string, Json> = isObject(common.annotations) ? common.annotations : {};
  for (const generated of ex.result.objects) {
    const object = generated.object;
    const meta: JsonObject = isObject(object.metadata) ? { ...object.metadata } : {};
    meta.labels = { ...(isObject(meta.labels) ? meta.labels : {}), ...labels };
    if (Object.keys(annotations).length > 0) meta.annotations = { ...(isObject(meta.annotations) ? meta.annotations : {}), ...annotations };
    generated.object = { ...object, metadata: meta };
    if (isFluxNamespaced(object) && (typeof meta.namespace !== 'string' || meta.namespace === '')) {
      ex.report(
        generated.templatePath,
        'resourceset-object-namespace',
        `${describeObject(object)} has no metadata.namespace: the operator does not default it to the ResourceSet's namespace (${ex.namespace}). Set it in the template.`,
        'warning',
      );
    }
  }
}

const FLUX_GROUPS = new Set([
  'kustomize.toolkit.fluxcd.io',
  'source.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io',
  'source.extensions.fluxcd.io',
  RESOURCE_SET_GROUP,
]);

/** Flux's kinds are all namespaced; for other kinds we cannot tell offline whether a missing namespace matters. */
function isFluxNamespaced(object: JsonObject): boolean {
  const { group } = splitApiVersion(typeof object.apiVersion === 'string' ? object.apiVersion : '');
  return FLUX_GROUPS.has(group);
}

function readDependsOn(ex: Expansion, spec: JsonObject): ResourceSetDependency[] {
  const out: ResourceSetDependency[] = [];
  (Array.isArray(spec.dependsOn) ? spec.dependsOn : []).forEach((entry, i) => {
    const path = ['spec', 'dependsOn', i];
    if (!isObject(entry) || typeof entry.apiVersion !== 'string' || typeof entry.kind !== 'string' || typeof entry.name !== 'string') {
      ex.report(path, 'resourceset-depends-on', 'spec.dependsOn entries need apiVersion, kind and name.');
      return;
    }
    out.push({
      apiVersion: entry.apiVersion,
      kind: entry.kind,
      name: entry.name,
      ...(typeof entry.namespace === 'string' && entry.namespace !== '' ? { namespace: entry.namespace } : {}),
      ready: entry.ready === true,
      ...(typeof entry.readyExpr === 'string' ? { readyExpr: entry.readyExpr } : {}),
      path,
    });
  });
  return out;
}

function toJsonObject(set: GoMap): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of set) Object.defineProperty(out, k, { value: toJson(v), enumerable: true, writable: true, configurable: true });
  return out;
}

function toJson(value: GoValue): Json {
  if (value instanceof GoNumber) return value.value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) return toJsonObject(value);
  return value;
}
