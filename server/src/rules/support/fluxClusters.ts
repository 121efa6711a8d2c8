// What the Flux graph rules share about one cluster (a Flux environment): the Kustomizations its
// render reaches with what each renders, who applies whom, the dependsOn graphs of Kustomizations
// and of HelmReleases, and where a field of any of them is written. Built from the index's cached
// environment render and remembered per render, so five rules cost one pass.
import type { EnvironmentRender, RenderedObject } from '../../fleet/environmentRender';
import type { FleetIndex } from '../../fleet/fleetIndex';
import type { FluxBuildResult } from '../../flux/build';
import { dependsOnGraphOf, dependsOnPath, keyOf, type DependsOnGraph, type NodeKey } from '../../flux/dependsOn';
import { readRenderedFluxObject, type FluxKustomization, type FluxObjectPlace, type HelmRelease } from '../../flux/objects';
import type { ParsedDocument } from '../../kustomize/yaml/parse';
import type { Range } from '../../kustomize/types';
import { getPath } from '../../kustomize/resource';
import { appendListItem, insertMapEntry } from '../../kustomize/yaml/edit';
import type { Finding, TextEdit } from '../rule';

export interface ClusterKustomization {
  ks: FluxKustomization;
  key: NodeKey;
  result: FluxBuildResult;
}

export interface ClusterHelmRelease {
  release: HelmRelease;
  key: NodeKey;
  rendered: RenderedObject;
}

export interface ClusterView {
  name: string;
  render: EnvironmentRender;
  kustomizations: Map<NodeKey, ClusterKustomization>;
  graph: DependsOnGraph;
  releases: Map<NodeKey, ClusterHelmRelease>;
  releaseGraph: DependsOnGraph<HelmRelease>;
  /** Kustomization key -> the Kustomization whose render holds it (it is applied before it exists). */
  appliedBy: Map<NodeKey, NodeKey>;
}

const views = new WeakMap<EnvironmentRender, ClusterView>();

/** One view per environment of the fleet (overlay environments have HelmReleases but no Kustomizations). */
export function clusterViews(index: FleetIndex): ClusterView[] {
  const out: ClusterView[] = [];
  for (const env of index.environments().environments) {
    const render = index.renderEnvironment(env);
    let view = views.get(render);
    if (!view) views.set(render, (view = buildView(env.name, render)));
    out.push(view);
  }
  return out;
}

function buildView(name: string, render: EnvironmentRender): ClusterView {
  const kustomizations = new Map<NodeKey, ClusterKustomization>();
  for (const { kustomization: ks, result } of render.kustomizations) {
    const key = keyOf(ks);
    if (!kustomizations.has(key)) kustomizations.set(key, { ks, key, result });
  }
  const appliedBy = new Map<NodeKey, NodeKey>();
  for (const { key, result } of kustomizations.values()) {
    for (const r of result.resources) {
      const o = r.object;
      if (o.kind !== 'Kustomization' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
        continue;
      const meta = o.metadata;
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) continue;
      const childKey = `${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${String(meta.name)}`;
      if (childKey !== key && !appliedBy.has(childKey)) appliedBy.set(childKey, key);
    }
  }
  const releases = new Map<NodeKey, ClusterHelmRelease>();
  for (const rendered of render.objects) {
    if (rendered.object.kind !== 'HelmRelease') continue;
    const src = rendered.resource.source;
    // Once per rendered object: after an edit, the HelmReleases of the Kustomizations it did not touch are the same objects.
    const read = readRenderedFluxObject(rendered.object, () => ({
      file: src.file,
      documentIndex: src.documentIndex,
      ...(src.range ? { range: src.range } : {}),
    }));
    if (read.value?.kind !== 'HelmRelease') continue;
    const key = keyOf(read.value);
    if (!releases.has(key)) releases.set(key, { release: read.value, key, rendered });
  }
  return {
    name,
    render,
    kustomizations,
    graph: dependsOnGraphOf([...kustomizations.values()].map((k) => k.ks)),
    releases,
    releaseGraph: dependsOnGraphOf([...releases.values()].map((r) => r.release)),
    appliedBy,
  };
}

/** The Kustomizations that apply `key`, nearest first (bounded: a loop of appliers ends the walk). */
export function appliersOf(view: ClusterView, key: NodeKey): NodeKey[] {
  const out: NodeKey[] = [];
  const seen = new Set<NodeKey>([key]);
  for (let k = view.appliedBy.get(key); k !== undefined && !seen.has(k); k = view.appliedBy.get(k)) {
    seen.add(k);
    out.push(k);
  }
  return out;
}

/**
 * Whether `from` is sure to come after `to`: a dependsOn chain leads there, or to one of the
 * Kustomizations that apply `to` (they wait for what they apply), or `to` applies `from`. A Kustomization
 * that applies `from` counts as `from` here: `from` exists on the cluster only once its applier has run,
 * which is after everything the applier depends on (the root Kustomization of a home-lab depending on its
 * shared repositories, say).
 */
export function waitsFor(view: ClusterView, from: NodeKey, to: NodeKey): boolean {
  if (from === to) return true;
  const fromAppliers = appliersOf(view, from);
  if (fromAppliers.includes(to)) return true;
  for (const waiter of [from, ...fromAppliers])
    for (const target of [to, ...appliersOf(view, to)]) if (waiter !== target && dependsOnPath(view.graph, waiter, target)) return true;
  return false;
}

/** The parsed document an object was read from, when it is still in the file. */
export function documentOf(
  index: FleetIndex,
  place: Pick<FluxObjectPlace, 'file' | 'documentIndex'>,
): { doc: ParsedDocument; text: string } | undefined {
  if (place.documentIndex < 0) return undefined;
  const text = index.text(place.file);
  const doc = index.parsed(place.file)?.documents[place.documentIndex];
  return doc && text !== undefined ? { doc, text } : undefined;
}

/** The range of the value (or key) at `path` in the document an object was read from. */
export function rangeIn(
  index: FleetIndex,
  place: Pick<FluxObjectPlace, 'file' | 'documentIndex'>,
  path: ReadonlyArray<string | number>,
  key = false,
): Range | undefined {
  return documentOf(index, place)?.doc.locate(path, key ? { key: true } : undefined);
}

/** `name` when it is in `namespace`, else `namespace/name`: how messages name a Kustomization. */
export function shortKey(key: NodeKey, namespace: string): string {
  return key.startsWith(namespace + '/') ? key.slice(namespace.length + 1) : key;
}

/** Drops findings repeated because one file belongs to several clusters. */
export function uniqueFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${f.file}\n${f.range.start.line}:${f.range.start.character}\n${f.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The edit adding `provider` to a Kustomization's dependsOn: a new list item, or the dependsOn list itself. */
export function addDependsOnEdit(
  ks: FluxKustomization,
  source: { doc: ParsedDocument; text: string },
  provider: NodeKey,
): TextEdit | undefined {
  const ns = provider.slice(0, provider.indexOf('/'));
  const name = provider.slice(provider.indexOf('/') + 1);
  const lines = ns === ks.namespace ? [`name: ${name}`] : [`name: ${name}`, `namespace: ${ns}`];
  const written = getPath(source.doc.value, ['spec', 'dependsOn']);
  if (Array.isArray(written)) return appendListItem(ks.place.file, source.text, source.doc, ['spec', 'dependsOn'], lines.join('\n') + '\n');
  if (written !== undefined) return undefined;
  return insertMapEntry(
    ks.place.file,
    source.text,
    source.doc,
    ['spec'],
    'dependsOn',
    lines.map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n') + '\n',
  );
}
