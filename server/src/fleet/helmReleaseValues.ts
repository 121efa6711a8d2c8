// Every HelmRelease an environment applies, as applied (after its Flux Kustomization's patches and
// substitution), with the values helm-controller would install its chart with (flux/helmValues.ts). The
// ConfigMaps and Secrets `valuesFrom` names are looked up among the objects the same environment applies,
// so generated ones count under the names the render gives them (hash suffixes included, when a
// `configurations:` nameReference or a Flux Kustomization rewrote the reference). Objects that other
// objects make on the cluster (an ExternalSecret's or a SealedSecret's Secret) are known by their maker.
// Remembered per environment render, so rules, previews and the CLI share one computation.
import { computeHelmReleaseValues, type HelmValuesResult } from '../flux/helmValues';
import { readRenderedFluxObject, type HelmRelease } from '../flux/objects';
import { isObject } from '../kustomize/resource';
import type { JsonObject } from '../kustomize/types';
import type { FoundObject } from '../flux/substitute';
import type { EnvironmentRender, RenderedObject } from './environmentRender';

export interface ReleaseValues {
  release: HelmRelease;
  /** The HelmRelease as the environment applies it. */
  rendered: RenderedObject;
  values: HelmValuesResult;
}

const byRender = new WeakMap<EnvironmentRender, ReleaseValues[]>();

function metadataOf(object: JsonObject): JsonObject {
  return isObject(object.metadata) ? object.metadata : {};
}

function namespaceOf(object: JsonObject): string {
  const ns = metadataOf(object).namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function nameOf(object: JsonObject): string {
  const name = metadataOf(object).name;
  return typeof name === 'string' ? name : '';
}

/** The name and kind of what an object makes on the cluster besides itself, if it is a known maker. */
function madeBy(object: JsonObject): { kind: 'Secret' | 'ConfigMap'; name: string } | undefined {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const spec = isObject(object.spec) ? object.spec : {};
  // external-secrets.io: spec.target.name, defaulting to the ExternalSecret's name.
  if (object.kind === 'ExternalSecret' && apiVersion.startsWith('external-secrets.io/')) {
    const target = isObject(spec.target) ? spec.target : {};
    return { kind: 'Secret', name: typeof target.name === 'string' && target.name ? target.name : nameOf(object) };
  }
  // bitnami.com SealedSecret: the Secret takes the SealedSecret's name.
  if (object.kind === 'SealedSecret' && apiVersion.startsWith('bitnami.com/')) return { kind: 'Secret', name: nameOf(object) };
  return undefined;
}

export function helmReleaseValues(render: EnvironmentRender): ReleaseValues[] {
  const known = byRender.get(render);
  if (known) return known;
  const objects = new Map<string, RenderedObject>();
  const makers = new Map<string, string>();
  const keyFor = (kind: string, namespace: string, name: string) => `${kind}\u0000${namespace}\u0000${name}`;
  for (const rendered of render.objects) {
    const o = rendered.object;
    if (o.kind === 'ConfigMap' || o.kind === 'Secret') {
      const key = keyFor(o.kind, namespaceOf(o), nameOf(o));
      if (!objects.has(key)) objects.set(key, rendered);
    }
    const made = madeBy(o);
    if (made) makers.set(keyFor(made.kind, namespaceOf(o), made.name), `${o.kind} ${namespaceOf(o)}/${nameOf(o)}`);
  }
  const findObject = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string): FoundObject | undefined => {
    const rendered = objects.get(keyFor(kind, namespace, name));
    if (!rendered) return undefined;
    const source = rendered.resource.source;
    return { object: rendered.object, file: source.file, ...(source.range ? { range: source.range } : {}) };
  };
  const producerOf = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => makers.get(keyFor(kind, namespace, name));
  const out: ReleaseValues[] = [];
  for (const rendered of render.objects) {
    if (rendered.object.kind !== 'HelmRelease') continue;
    const source = rendered.resource.source;
    const read = readRenderedFluxObject(rendered.object, () => ({
      file: source.file,
      documentIndex: source.documentIndex,
      ...(source.range ? { range: source.range } : {}),
    }));
    if (read.value?.kind !== 'HelmRelease') continue;
    out.push({ release: read.value, rendered, values: computeHelmReleaseValues(read.value, { findObject, producerOf }) });
  }
  byRender.set(render, out);
  return out;
}

/** The ConfigMaps/Secrets of the environment, in a namespace, whose name is `name` plus a kustomize hash suffix. */
export function hashSuffixedNames(render: EnvironmentRender, kind: 'ConfigMap' | 'Secret', namespace: string, name: string): string[] {
  const suffixed = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]{10}$`);
  return render.objects
    .filter((o) => o.object.kind === kind && namespaceOf(o.object) === namespace && suffixed.test(nameOf(o.object)))
    .map((o) => nameOf(o.object));
}

/** The releases `[namespace/]name` names (without a namespace, every release of that name). */
export function findReleases(render: EnvironmentRender, wanted: string): ReleaseValues[] {
  const slash = wanted.indexOf('/');
  const namespace = slash >= 0 ? wanted.slice(0, slash) : undefined;
  const name = slash >= 0 ? wanted.slice(slash + 1) : wanted;
  return helmReleaseValues(render).filter((r) => r.release.name === name && (namespace === undefined || r.release.namespace === namespace));
}
