// A sourceRef/chartRef naming no source the cluster has: the controller waits for an artifact that never
// comes, and nothing is applied or released. Judged per cluster of the Flux graph, where sources created
// by Flux itself (a bootstrap's or a FluxInstance's sync source, an ArtifactGenerator's ExternalArtifacts)
// are known. In a fleet without known clusters, objects are judged against every source written in the
// repository; in one with clusters, an object none of them applies is not judged (nothing waits for it).
import type { IndexedFluxObject } from '../fleet/fleetIndex';
import type { ClusterGraph } from '../fleet/fluxGraph';
import { fluxObjectsAsApplied } from './support/asApplied';
import { enumAt } from '../flux/api';
import { FLUX_KINDS, isFluxSource, type FluxObject, type ObjectRef } from '../flux/objects';
import { nearestNames } from '../util/editDistance';
import { insertMapEntry } from '../kustomize/yaml/edit';
import { documentOfObject, quotedLike, textAt, type ObjectDocument } from './support/fluxSpecHelpers';
import type { Finding, Fix, Rule } from './rule';

interface CheckedRef {
  ref: ObjectRef;
  /** The field's name in messages. */
  field: string;
  /** The kinds the CRD allows here; undefined when it lists none (then any kind is left alone). */
  kinds: readonly string[] | undefined;
}

/**
 * The kinds a reference field may name, from the enum in Flux's CRD for the referrer's version (so
 * `ExternalArtifact` is accepted wherever Flux accepts it). A version Flux no longer serves is
 * checked against the newest one: its own list is gone with it.
 */
function allowedKinds(referrer: FluxObject, path: ReadonlyArray<string | number>): readonly string[] | undefined {
  return enumAt(referrer.kind, referrer.version, path) ?? enumAt(referrer.kind, FLUX_KINDS[referrer.kind].versions[0], path);
}

function refsOf(o: FluxObject): CheckedRef[] {
  const out: CheckedRef[] = [];
  const checked = (ref: ObjectRef, field: string): CheckedRef => ({ ref, field, kinds: allowedKinds(o, [...ref.path, 'kind']) });
  if (o.kind === 'Kustomization' && o.sourceRef) out.push(checked(o.sourceRef, 'spec.sourceRef'));
  if (o.kind === 'HelmChart' && o.sourceRef) out.push(checked(o.sourceRef, 'spec.sourceRef'));
  if (o.kind === 'HelmRelease') {
    if (o.chart?.sourceRef) out.push(checked(o.chart.sourceRef, 'spec.chart.spec.sourceRef'));
    if (o.chartRef) out.push(checked(o.chartRef, 'spec.chartRef'));
  }
  return out;
}

interface KnownSource {
  kind: string;
  name: string;
  /** Undefined when the file does not say: kustomize or the applying Kustomization decides. */
  namespace?: string;
}

export const sourceRefUnknown: Rule = {
  id: 'sourceref-unknown',
  severity: 'warning',
  category: 'flux',
  description: 'sourceRef or chartRef naming no source defined in the repository.',
  check({ index }) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    // Objects nothing applies are judged against every source written in the repository.
    const written: KnownSource[] = index
      .fluxObjects()
      .list.map((o) => o.object)
      .filter(isFluxSource)
      .map((s) => ({ kind: s.kind, name: s.name, ...(s.namespaceWritten ? { namespace: s.namespace } : {}) }));
    // ...and every source a cluster has, those Flux creates itself included (a FluxInstance's sync source).
    for (const env of index.environments().environments) if (env.cluster) written.push(...sourcesOf(env.cluster));
    const perCluster = new Map<ClusterGraph, KnownSource[]>();
    for (const applied of fluxObjectsAsApplied(index)) {
      // Nothing applies it: no controller waits for its source.
      if (applied.appliedByNoCluster) continue;
      const cluster = applied.cluster;
      let sources = written;
      if (cluster) {
        sources = perCluster.get(cluster) ?? [];
        if (!perCluster.has(cluster)) perCluster.set(cluster, (sources = sourcesOf(cluster)));
      }
      for (const checked of refsOf(applied.object)) {
        if (
          cluster &&
          checked.ref.kind === 'ExternalArtifact' &&
          (cluster.externalArtifacts.has(`${checked.ref.namespace}/${checked.ref.name}`) ||
            cluster.externalArtifacts.has(`${checked.ref.namespace}/*`))
        )
          continue;
        const finding = checkRef(applied, checked, sources, () => documentOfObject(index, applied), cluster?.name);
        if (!finding) continue;
        const key = `${finding.file}:${finding.range.start.line}:${finding.range.start.character}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push(finding);
      }
    }
    return findings;
  },
};

/** The sources a cluster has (created by its roots, or applied in its tree), and its ExternalArtifacts. */
function sourcesOf(cluster: ClusterGraph): KnownSource[] {
  const out: KnownSource[] = cluster.sources.map((k) => ({ kind: k.source.kind, name: k.source.name, namespace: k.source.namespace }));
  for (const key of cluster.externalArtifacts) {
    const [namespace, name] = key.split('/');
    if (name !== '*') out.push({ kind: 'ExternalArtifact', name, namespace });
  }
  return out;
}

function checkRef(
  indexed: IndexedFluxObject,
  checked: CheckedRef,
  sources: KnownSource[],
  locate: () => ObjectDocument | undefined,
  cluster?: string,
): Finding | undefined {
  const { ref, field } = checked;
  // Without a list from the CRD every kind is a valid one; whether the source exists is still checked.
  const kinds = checked.kinds ?? [ref.kind];
  const referrer = indexed.object;
  // The referrer's namespace is only known when written; otherwise any namespace may be the one it lands in.
  const namespace = ref.namespaceWritten || referrer.namespaceWritten ? ref.namespace : undefined;
  const inNamespace = (s: KnownSource) => namespace === undefined || s.namespace === undefined || s.namespace === namespace;
  if (kinds.includes(ref.kind) && sources.some((s) => s.kind === ref.kind && s.name === ref.name && inNamespace(s))) return undefined;
  const located = locate();
  if (!located) return undefined;
  const { doc, text } = located;
  const file = indexed.file;
  const what = `${referrer.kind} ${referrer.name}`;
  const where = cluster !== undefined ? `in cluster ${cluster}` : 'in the repository';
  const consequence =
    referrer.kind === 'Kustomization'
      ? 'the Kustomization waits for an artifact that never comes and applies nothing'
      : 'no chart is ever fetched, so nothing is released';
  const replaceAt = (path: Array<string | number>, value: string, title: string): Fix | undefined => {
    const range = doc.locate(path);
    return range ? { title, edits: [{ file, range, newText: quotedLike(textAt(text, range), value) }], preferred: true } : undefined;
  };
  const fixes = (...f: Array<Fix | undefined>) => {
    const defined = f.filter((x): x is Fix => x !== undefined);
    return defined.length > 0 ? defined : undefined;
  };

  if (!kinds.includes(ref.kind)) {
    const sameName = sources.find((s) => s.name === ref.name && kinds.includes(s.kind) && inNamespace(s));
    const suggestion = sameName?.kind ?? nearestNames(ref.kind, kinds, { maxDistance: 6, limit: 1 })[0];
    return {
      file,
      range: doc.locate([...ref.path, 'kind']) ?? doc.locate(ref.path) ?? doc.range,
      message: `${what}: ${field}.kind ${ref.kind} is not a kind it can use; it takes ${kinds.join(', ')}. ${suggestion ? `Use ${suggestion}${sameName ? ` (${sameName.kind} ${ref.name} is defined)` : ''}.` : 'Fix the kind.'}`,
      fixes: suggestion ? fixes(replaceAt([...ref.path, 'kind'], suggestion, `Change kind to ${suggestion}`)) : undefined,
    };
  }
  const otherKind = sources.find((s) => s.name === ref.name && s.kind !== ref.kind && kinds.includes(s.kind) && inNamespace(s));
  if (otherKind) {
    return {
      file,
      range: doc.locate([...ref.path, 'kind']) ?? doc.range,
      message: `${what}: ${field} names ${ref.kind} ${ref.name}, which is not defined ${where}, but ${otherKind.kind} ${ref.name} is; as written ${consequence}. Change the kind to ${otherKind.kind}.`,
      fixes: fixes(replaceAt([...ref.path, 'kind'], otherKind.kind, `Change kind to ${otherKind.kind}`)),
    };
  }
  const elsewhere = sources.find(
    (s) => s.kind === ref.kind && s.name === ref.name && s.namespace !== undefined && s.namespace !== namespace,
  );
  if (elsewhere?.namespace !== undefined) {
    const ns = elsewhere.namespace;
    const insert = ref.namespaceWritten ? undefined : insertMapEntry(file, text, doc, ref.path, 'namespace', ns);
    return {
      file,
      range: (ref.namespaceWritten ? doc.locate([...ref.path, 'namespace']) : doc.locate([...ref.path, 'name'])) ?? doc.range,
      message: `${what}: ${field} looks for ${ref.kind} ${ref.name} in namespace ${ref.namespace}, but it is defined in namespace ${ns}; as written ${consequence}. Set ${field}.namespace: ${ns}.`,
      fixes: ref.namespaceWritten
        ? fixes(replaceAt([...ref.path, 'namespace'], ns, `Set namespace to ${ns}`))
        : insert
          ? [{ title: `Set namespace: ${ns}`, edits: [insert], preferred: true }]
          : undefined,
    };
  }
  const names = nearestNames(
    ref.name,
    sources.filter((s) => s.kind === ref.kind && inNamespace(s)).map((s) => s.name),
  );
  return {
    file,
    range: doc.locate([...ref.path, 'name']) ?? doc.range,
    message: `${what}: ${field} names ${ref.kind} ${ref.name}${namespace ? ` in namespace ${namespace}` : ''}, which is not defined ${where}; ${consequence}. ${names.length > 0 ? `Did you mean ${names.map((n) => `"${n}"`).join(' or ')}?` : `Define the ${ref.kind}, or fix the name.`}`,
    fixes: fixes(
      ...names.map((n, i) => {
        const fix = replaceAt([...ref.path, 'name'], n, `Change to ${n}`);
        return fix ? { ...fix, preferred: i === 0 } : undefined;
      }),
    ),
  };
}
