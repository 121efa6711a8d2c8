// The kustomization `namespace:` field (kustomize's NamespaceTransformer with its builtin field specs).
// kubectl always overwrites (no unsetOnly), sets metadata.namespace on namespaced kinds only, renames
// `v1 Namespace` objects to the namespace, and for (Cluster)RoleBindings sets the namespace only on
// subjects named `default` (other ServiceAccount subjects follow later, through name references).
import { namespaceFieldSpecs } from '../builtinFieldSpecs';
import { visitFieldSpec, type FieldSlot, type FieldSpec } from '../fieldspec';
import { idString, isObject, recordOrigin, resIdOf } from '../resource';
import { isNamespaced } from '../scope';
import type { StepConfig, Transformer } from '../transformer';
import type { JsonObject, Problem, Resource } from '../types';

function isRoleBindingKind(kind: string): boolean {
  return kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
}

/** The table entries that are not handled by hand for this object (kustomize's "hacks"). */
function dataDrivenSpecs(object: JsonObject, table: readonly FieldSpec[]): FieldSpec[] {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  return table.filter((spec) => {
    if (spec.path === 'metadata/namespace') return false;
    // Only the core `v1 Namespace` is renamed; a custom kind called Namespace is left alone.
    if (spec.path === 'metadata/name' && object.apiVersion !== 'v1') return false;
    if (isRoleBindingKind(kind) && spec.kind === kind && spec.path === 'subjects/namespace') return false;
    return true;
  });
}

export interface NamespaceConfig extends StepConfig {
  namespace: string;
  /** Field specs from `configurations:` files, added to the builtin table. */
  extraFieldSpecs?: readonly FieldSpec[];
  /** A builtin NamespaceTransformer's own `fieldSpecs`: used instead of the builtin table. */
  pluginFieldSpecs?: readonly FieldSpec[];
  /** A builtin NamespaceTransformer's `unsetOnly`: fields that already hold a namespace keep it. */
  unsetOnly?: boolean;
  /** A builtin NamespaceTransformer's `setRoleBindingSubjects` (the kustomization field means `defaultOnly`). */
  roleBindingSubjects?: 'defaultOnly' | 'allServiceAccounts' | 'none';
}

export const namespaceTransformer: Transformer<NamespaceConfig> = (resources, config, ctx) => {
  const { namespace, origin } = config;
  if (namespace === '') return resources;
  const table = config.pluginFieldSpecs ?? [...namespaceFieldSpecs, ...(config.extraFieldSpecs ?? [])];
  const settable = (current: unknown) => !config.unsetOnly || current === undefined || current === null || current === '';
  // The specs that apply depend on the kind and on whether apiVersion is v1; an overlay has few of those.
  const specsByKind = new Map<string, FieldSpec[]>();
  for (const resource of resources) {
    const object = resource.object;
    if (Object.keys(object).length === 0) continue;
    const id = resIdOf(object);
    // kustomize stores the id even when it does not change: references resolve through it.
    resource.previousIds.push(id);
    if (isNamespaced(id) && settable(isObject(object.metadata) ? object.metadata.namespace : undefined)) {
      setNamespace(resource, ['metadata', 'namespace'], namespace, origin);
    }
    const fail = (message: string): void => {
      ctx.problems.push({
        code: 'namespace-not-scalar',
        severity: 'error',
        message,
        file: resource.source.file,
        range: resource.source.range,
      });
    };
    if (isRoleBindingKind(id.kind)) setSubjects(resource, namespace, origin, config.roleBindingSubjects ?? 'defaultOnly', settable, fail);
    const kindKey = `${object.apiVersion === 'v1'}\u0000${id.kind}`;
    let specs = specsByKind.get(kindKey);
    if (!specs) specsByKind.set(kindKey, (specs = dataDrivenSpecs(object, table)));
    const visit = (slot: FieldSlot): void => {
      const current = slot.parent[slot.key];
      if (isObject(current) || Array.isArray(current)) {
        fail(
          `namespace field specs must target scalar nodes: ${idString(resIdOf(object))} has a ${Array.isArray(current) ? 'list' : 'map'} at ${slot.path.join('.')}`,
        );
        return;
      }
      if (!settable(current)) return;
      slot.parent[slot.key] = namespace;
      recordOrigin(resource, slot.path, origin);
    };
    for (const spec of specs) visitFieldSpec(resource, spec, visit);
  }
  reportIdConflicts(resources, ctx.problems, ctx.kustomizationFile);
  return resources;
};

function setNamespace(resource: Resource, path: ['metadata', 'namespace'], namespace: string, origin: StepConfig['origin']): void {
  const object = resource.object;
  if (!isObject(object.metadata)) object.metadata = {};
  (object.metadata as JsonObject).namespace = namespace;
  recordOrigin(resource, path, origin);
}

function setSubjects(
  resource: Resource,
  namespace: string,
  origin: StepConfig['origin'],
  mode: NonNullable<NamespaceConfig['roleBindingSubjects']>,
  settable: (current: unknown) => boolean,
  fail: (message: string) => void,
): void {
  const subjects = resource.object.subjects;
  if (mode === 'none' || !Array.isArray(subjects)) return;
  subjects.forEach((subject, index) => {
    if (!isObject(subject)) return;
    if (mode === 'defaultOnly' ? subject.name !== 'default' : subject.kind !== 'ServiceAccount') return;
    if (isObject(subject.namespace) || Array.isArray(subject.namespace)) {
      fail(
        `setting namespace on (cluster)role binding subjects: subjects[${index}].namespace of ${idString(resIdOf(resource.object))} is not a scalar`,
      );
      return;
    }
    if (!settable(subject.namespace)) return;
    subject.namespace = namespace;
    recordOrigin(resource, ['subjects', index, 'namespace'], origin);
  });
}

function reportIdConflicts(resources: Resource[], problems: Problem[], file: string): void {
  const seen = new Map<string, Resource>();
  for (const resource of resources) {
    const id = resIdOf(resource.object);
    const key = `${id.group}|${id.version}|${id.kind}|${id.namespace}|${id.name}`;
    const clash = seen.get(key);
    if (clash) {
      problems.push({
        code: 'namespace-id-conflict',
        severity: 'error',
        message: `namespace transformation produces ID conflict: ${idString(id)} is produced by two objects`,
        file,
        related: [
          { file: clash.source.file, range: clash.source.range, message: 'first object with this id' },
          { file: resource.source.file, range: resource.source.range, message: 'second object with this id' },
        ],
      });
      return;
    }
    seen.set(key, resource);
  }
}
