// An environment overlay without a namespace on a cluster that hosts several environments: its objects
// land in the default namespace next to the other environments' (the seed's "not using namespaces to
// isolate environments on shared clusters"), where they collide or, worse, quietly mix.
import * as path from 'path';
import { keyOf } from '../flux/dependsOn';
import { resolveSpecPath } from '../flux/generate';
import { findKustomizationFile } from '../kustomize/kustomization';
import { isObject, resIdOf } from '../kustomize/resource';
import { isNamespaced } from '../kustomize/scope';
import { insertMapEntry } from '../kustomize/yaml/edit';
import { relativePath, sharedClusters } from './support/overlayRenderSupport';
import type { Finding, Rule } from './rule';

export const namespaceMissing: Rule = {
  id: 'namespace-missing',
  severity: 'warning',
  category: 'overlay',
  description: 'An environment overlay without namespace on a cluster that hosts several environments.',
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
          const unplaced = render.objects.some((o) => o.appliedBy && keyOf(o.appliedBy) === keyOf(ks) && isNamespaced(resIdOf(o.object)) && !(isObject(o.object.metadata) && o.object.metadata.namespace));
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
              range: k.document.locate(['resources'], { key: true }) ?? k.document.locate(['kind']) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
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
    return findings;
  },
};
