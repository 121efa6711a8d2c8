// A health check on an object the Kustomization does not apply never turns healthy: the controller
// waits until the timeout and reports the Kustomization (and everything depending on it) not ready.
import type { FleetIndex } from '../fleet/fleetIndex';
import type { NodeKey } from '../flux/dependsOn';
import type { FluxKustomization, ObjectRef } from '../flux/objects';
import { isObject, splitApiVersion } from '../kustomize/resource';
import { isNamespaced } from '../kustomize/scope';
import type { JsonObject } from '../kustomize/types';
import { nearestNames } from '../util/editDistance';
import { deleteLines, entryRange, insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import { appliersOf, clusterViews, documentOf, shortKey, uniqueFindings, type ClusterView } from './support/fluxClusters';
import type { Finding, Rule, TextEdit } from './rule';

interface Candidate {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

export const healthcheckUnknown: Rule = {
  id: 'healthcheck-unknown',
  severity: 'error',
  category: 'flux',
  description: 'healthChecks entry naming an object the Kustomization does not render, or a namespace on a cluster-scoped kind.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    for (const view of clusterViews(index)) {
      if (isCancelled()) break;
      for (const k of view.kustomizations.values()) {
        if (k.ks.healthChecks.length === 0) continue;
        const own = k.result.resources.map((r) => candidateOf(r.object)).filter((c): c is Candidate => c !== undefined);
        for (const ref of k.ks.healthChecks) {
          const finding = checkEntry(index, view, k.key, k.ks, ref, own);
          if (finding) findings.push(finding);
        }
      }
    }
    return uniqueFindings(findings);
  },
};

function candidateOf(o: JsonObject): Candidate | undefined {
  const meta = isObject(o.metadata) ? o.metadata : {};
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof meta.name !== 'string') return undefined;
  const { group, version } = splitApiVersion(o.apiVersion);
  // Applied without a namespace, a namespaced object lands in `default`.
  const namespace =
    typeof meta.namespace === 'string' && meta.namespace !== ''
      ? meta.namespace
      : isNamespaced({ group, version, kind: o.kind })
        ? 'default'
        : '';
  return { apiVersion: o.apiVersion, kind: o.kind, name: meta.name, namespace };
}

function matches(ref: ObjectRef, c: Candidate): boolean {
  if (c.kind !== ref.kind || c.name !== ref.name) return false;
  if (ref.apiVersion && splitApiVersion(ref.apiVersion).group !== splitApiVersion(c.apiVersion).group) return false;
  return !ref.namespaceWritten || c.namespace === ref.namespace;
}

function label(c: { kind: string; name: string; namespace: string }): string {
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
}

function checkEntry(
  index: FleetIndex,
  view: ClusterView,
  key: NodeKey,
  ks: FluxKustomization,
  ref: ObjectRef,
  own: Candidate[],
): Finding | undefined {
  const source = documentOf(index, ks.place);
  if (!source) return undefined;
  const file = ks.place.file;

  const apiVersion = ref.apiVersion ?? own.find((c) => c.kind === ref.kind)?.apiVersion;
  if (apiVersion && ref.namespaceWritten) {
    const { group, version } = splitApiVersion(apiVersion);
    if (!isNamespaced({ group, version, kind: ref.kind })) {
      const range = source.doc.locate([...ref.path, 'namespace']);
      const entry = entryRange(source.doc, [...ref.path, 'namespace']);
      if (!range) return undefined;
      return {
        file,
        range,
        message: `healthChecks: ${ref.kind} is cluster-scoped, but this entry gives it namespace "${ref.namespace}", so the check looks for an object that cannot exist. Remove the namespace.`,
        ...(entry ? { fixes: [{ title: 'Remove the namespace', edits: [deleteLines(file, source.text, entry)], preferred: true }] } : {}),
      };
    }
  }
  if (own.some((c) => matches(ref, c))) return undefined;

  // What the Kustomization applies through Kustomizations it applies, and what its HelmReleases install, is not visible here.
  for (const [otherKey, other] of view.kustomizations) {
    if (otherKey === key || !appliersOf(view, otherKey).includes(key)) continue;
    if (
      other.result.resources.some((r) => {
        const c = candidateOf(r.object);
        return c !== undefined && matches(ref, c);
      })
    )
      return undefined;
  }
  const releaseNamespaces = new Set(
    own
      .filter((c) => c.kind === 'HelmRelease')
      .flatMap((c) => {
        const hr = view.releases.get(`${c.namespace || 'default'}/${c.name}`)?.release;
        return hr ? [hr.targetNamespace ?? hr.namespace] : [];
      }),
  );
  if (
    !/\.toolkit\.fluxcd\.io\//.test(apiVersion ?? '') &&
    (!ref.namespaceWritten ? releaseNamespaces.size > 0 : releaseNamespaces.has(ref.namespace))
  )
    return undefined;

  const range = source.doc.locate([...ref.path, 'name']);
  if (!range) return undefined;
  const elsewhere = [...view.kustomizations.values()].find(
    (o) =>
      o.key !== key &&
      o.result.resources.some((r) => {
        const c = candidateOf(r.object);
        return c !== undefined && matches(ref, c);
      }),
  );
  const nearest = nearestObject(ks, ref, own);
  const edits = nearest ? editsTo(file, source, ref, nearest) : [];
  const wanted = label({ kind: ref.kind, name: ref.name, namespace: ref.namespaceWritten ? ref.namespace : '' });
  const hint = elsewhere
    ? ` It is applied by Kustomization "${shortKey(elsewhere.key, ks.namespace)}": check it there.`
    : nearest
      ? ` Did you mean ${label(nearest)}?`
      : ' Check a kind, name and namespace this Kustomization renders (after its targetNamespace and name prefix/suffix).';
  return {
    file,
    range,
    message: `healthChecks: ${wanted} is not applied by Kustomization "${ks.name}"; the check never passes and the Kustomization stays not ready until its timeout.${hint}`,
    ...(edits.length > 0 && nearest ? { fixes: [{ title: `Check ${label(nearest)}`, edits, preferred: true }] } : {}),
  };
}

/** The rendered object the entry most likely meant: moved by targetNamespace, renamed by prefix/suffix, a typo, or the wrong kind. */
function nearestObject(ks: FluxKustomization, ref: ObjectRef, own: Candidate[]): Candidate | undefined {
  const sameKind = own.filter((c) => c.kind === ref.kind);
  const preferNamespace = (list: Candidate[]) => list.find((c) => c.namespace === ref.namespace) ?? list[0];
  const byName = sameKind.filter((c) => c.name === ref.name);
  if (byName.length > 0) return preferNamespace(byName);
  const affixed = `${ks.namePrefix ?? ''}${ref.name}${ks.nameSuffix ?? ''}`;
  const renamed = sameKind.filter((c) => c.name === affixed);
  if (renamed.length > 0) return preferNamespace(renamed);
  const [near] = nearestNames(
    ref.name,
    sameKind.map((c) => c.name),
  );
  if (near !== undefined) return preferNamespace(sameKind.filter((c) => c.name === near));
  const otherKind = own.filter((c) => c.name === ref.name || c.name === affixed);
  return otherKind.length > 0 ? preferNamespace(otherKind) : undefined;
}

function editsTo(file: string, source: NonNullable<ReturnType<typeof documentOf>>, ref: ObjectRef, target: Candidate): TextEdit[] {
  const edits: TextEdit[] = [];
  const push = (e: TextEdit | undefined) => {
    if (e) edits.push(e);
  };
  if (target.name !== ref.name) push(replaceValue(file, source.doc, [...ref.path, 'name'], target.name));
  if (target.kind !== ref.kind) push(replaceValue(file, source.doc, [...ref.path, 'kind'], target.kind));
  if (ref.apiVersion && target.apiVersion !== ref.apiVersion)
    push(replaceValue(file, source.doc, [...ref.path, 'apiVersion'], target.apiVersion));
  if (target.namespace !== '' && (ref.namespaceWritten ? target.namespace !== ref.namespace : false))
    push(replaceValue(file, source.doc, [...ref.path, 'namespace'], target.namespace));
  if (target.namespace !== '' && !ref.namespaceWritten && target.namespace !== ref.namespace)
    push(insertMapEntry(file, source.text, source.doc, ref.path, 'namespace', target.namespace));
  return edits;
}
