// An environment overlay without a namespace, in two cases the rule can be sure of:
// - on a cluster that hosts several environments: its objects land in the default namespace next to the
//   other environments' (the seed's "not using namespaces to isolate environments on shared clusters"),
//   where they collide or, worse, quietly mix;
// - on any cluster, when every sibling overlay of the same base (the other environments) sets a namespace
//   and this one does not: the seed's real mistake, one overlay that forgot it, so its objects land in
//   `default` while the other environments' land in their own namespace. Silent when no sibling sets one
//   (the fleet does not isolate by namespace), or when the objects get a namespace anyway (the base sets
//   one, the objects name their own, the Flux Kustomization sets targetNamespace, an includer sets one).
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf } from '../flux/dependsOn';
import { resolveSpecPath } from '../flux/generate';
import { isFluxKustomization } from '../flux/objects';
import { findKustomizationFile, type Kustomization } from '../kustomize/kustomization';
import { isObject, resIdOf } from '../kustomize/resource';
import { isNamespaced } from '../kustomize/scope';
import { insertMapEntry } from '../kustomize/yaml/edit';
import { judgedEntries } from './support/kustomizationEntries';
import { environmentOfFolder, fleetKustomizations, relativePath, sharedClusters } from './support/overlayRenderSupport';
import type { Finding, Rule } from './rule';

function namespaceOf(k: Kustomization): string | undefined {
  const ns = k.fields.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : undefined;
}

/** The folders a kustomization lists in resources or bases (its bases), resolved. */
function baseFolders(index: FleetIndex, file: string): string[] {
  const out: string[] = [];
  for (const { entry, status } of judgedEntries(index, file)) {
    if (entry.field !== 'resources' && entry.field !== 'bases') continue;
    if (status.kind === 'ok' && status.entryKind === 'dir') out.push(status.absolute);
  }
  return out;
}

/** The namespace a sibling uses, with its environment's name replaced by this one's (`shop-dev` -> `shop-prod`). */
function suggestedNamespace(environment: string, sibling: { environment: string; namespace: string }): string {
  return sibling.namespace.includes(sibling.environment) ? sibling.namespace.split(sibling.environment).join(environment) : environment;
}

/**
 * Overlays that set no namespace while every sibling overlay of the same base does: environment overlays
 * (`apps/production`) that list the same base folder, each standing for another environment.
 */
function siblingFindings(index: FleetIndex, reported: Set<string>): Finding[] {
  const overlays = fleetKustomizations(index)
    .map((k) => ({ k, environment: environmentOfFolder(index, k.dir), bases: baseFolders(index, k.file) }))
    .filter((o): o is { k: Kustomization; environment: string; bases: string[] } => o.environment !== undefined && o.bases.length > 0);
  const byBase = new Map<string, typeof overlays>();
  for (const o of overlays) for (const base of o.bases) byBase.set(base, [...(byBase.get(base) ?? []), o]);
  // Folders whose includer sets a namespace, and Flux Kustomizations' targetNamespace: the objects get one there.
  const placedElsewhere = new Set<string>();
  for (const k of fleetKustomizations(index)) if (namespaceOf(k)) for (const base of baseFolders(index, k.file)) placedElsewhere.add(base);
  for (const { object } of index.fluxObjects().list) {
    if (isFluxKustomization(object) && object.targetNamespace) placedElsewhere.add(resolveSpecPath(index.root, object.path));
  }
  const findings: Finding[] = [];
  for (const o of overlays) {
    if (namespaceOf(o.k) || reported.has(o.k.file) || placedElsewhere.has(o.k.dir)) continue;
    for (const base of o.bases) {
      const siblings = (byBase.get(base) ?? []).filter((s) => s.k.dir !== o.k.dir && s.environment !== o.environment);
      if (siblings.length === 0 || !siblings.every((s) => namespaceOf(s.k) !== undefined)) continue;
      const baseKustomization = findKustomizationFile(index.fs, base);
      if (baseKustomization.found === 'one') {
        const bk = index.kustomization(baseKustomization.file).kustomization;
        if (bk && namespaceOf(bk)) continue;
      }
      // Only objects that would land in the default namespace need one.
      const unplaced = index
        .renderFolder(o.k.dir)
        .resources.some((r) => isNamespaced(resIdOf(r.object)) && !(isObject(r.object.metadata) && r.object.metadata.namespace));
      if (!unplaced) continue;
      const text = index.text(o.k.file);
      if (text === undefined) continue;
      const named = siblings.map((s) => ({
        environment: s.environment,
        namespace: namespaceOf(s.k)!,
        dir: s.k.dir,
        file: s.k.file,
        k: s.k,
      }));
      const suggestion = suggestedNamespace(o.environment, named[0]);
      const edit = insertMapEntry(o.k.file, text, o.k.document, [], 'namespace', suggestion);
      reported.add(o.k.file);
      findings.push({
        file: o.k.file,
        range: o.k.document.locate(['resources'], { key: true }) ??
          o.k.document.locate(['kind']) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Overlay ${relativePath(index, o.k.dir)} (${o.environment}) sets no namespace, while every other environment's overlay of ${relativePath(index, base)} does (${named.map((s) => `${relativePath(index, s.dir)}: ${s.namespace}`).join(', ')}): its objects without a namespace land in the default namespace instead of their own. Set namespace: ${suggestion} (and create that Namespace).`,
        related: named.map((s) => ({
          file: s.file,
          ...(s.k.document.locate(['namespace']) ? { range: s.k.document.locate(['namespace'])! } : {}),
          message: `${s.environment} sets namespace: ${s.namespace}`,
        })),
        fixes: edit ? [{ title: `Set namespace: ${suggestion}`, edits: [edit], preferred: true }] : undefined,
      });
      break;
    }
  }
  return findings;
}

export const namespaceMissing: Rule = {
  id: 'namespace-missing',
  severity: 'warning',
  category: 'overlay',
  description:
    'An environment overlay without namespace on a cluster that hosts several environments, or while every sibling overlay of its base sets one.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const { cluster, environments } of sharedClusters(index)) {
      if (isCancelled()) break;
      const render = index.renderEnvironment(cluster);
      const names = [...environments.keys()];
      for (const [environment, kustomizations] of environments) {
        for (const ks of kustomizations) {
          if (ks.targetNamespace) continue;
          // Only objects that would land in the default namespace need one; cluster-scoped kinds and
          // objects that name their own namespace are isolated already.
          const unplaced = render.objects.some(
            (o) =>
              o.appliedBy &&
              keyOf(o.appliedBy) === keyOf(ks) &&
              isNamespaced(resIdOf(o.object)) &&
              !(isObject(o.object.metadata) && o.object.metadata.namespace),
          );
          if (!unplaced) continue;
          const dir = resolveSpecPath(index.root, ks.path);
          const lookup = findKustomizationFile(index.fs, dir);
          const others = names.filter((n) => n !== environment).join(', ');
          const why = `cluster ${relativePath(index, cluster.dirs[0])} hosts environments ${environment} and ${others}, and its objects without a namespace all land in the default namespace together.`;
          if (lookup.found === 'one') {
            if (reported.has(lookup.file)) continue;
            const k = index.kustomization(lookup.file).kustomization;
            const text = index.text(lookup.file);
            if (!k || text === undefined || (typeof k.fields.namespace === 'string' && k.fields.namespace !== '')) continue;
            reported.add(lookup.file);
            const edit = insertMapEntry(lookup.file, text, k.document, [], 'namespace', environment);
            findings.push({
              file: lookup.file,
              range: k.document.locate(['resources'], { key: true }) ??
                k.document.locate(['kind']) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              message: `Overlay ${relativePath(index, dir)} sets no namespace, but ${why} Set namespace: ${environment} (and create that Namespace) to isolate the environment.`,
              fixes: edit ? [{ title: `Set namespace: ${environment}`, edits: [edit], preferred: true }] : undefined,
            });
          } else if (lookup.found === 'none') {
            const doc = index.parsed(ks.place.file)?.documents[ks.place.documentIndex];
            const text = index.text(ks.place.file);
            if (!doc || text === undefined || reported.has(`${ks.place.file}#${ks.place.documentIndex}`)) continue;
            reported.add(`${ks.place.file}#${ks.place.documentIndex}`);
            const edit = insertMapEntry(ks.place.file, text, doc, ['spec'], 'targetNamespace', environment);
            findings.push({
              file: ks.place.file,
              range: doc.locate(['spec', 'path']) ?? doc.locate(['spec'], { key: true }) ?? doc.range,
              message: `Kustomization ${ks.name} deploys ${path.posix.basename(dir)} without a namespace (no kustomization.yaml there, no spec.targetNamespace), but ${why} Set spec.targetNamespace: ${environment}.`,
              fixes: edit ? [{ title: `Set targetNamespace: ${environment}`, edits: [edit], preferred: true }] : undefined,
            });
          }
        }
      }
    }
    if (!isCancelled()) findings.push(...siblingFindings(index, reported));
    return findings;
  },
};
