// A Flux Kustomization applied without `prune: true` leaves objects on the cluster after they leave Git.
// Judged as Flux applies it, after its parent's patches (fleet/fluxGraph.ts).
import { insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import type { Finding, Rule } from './rule';
import { fluxObjectsAsApplied } from './support/asApplied';

export const pruneDisabled: Rule = {
  id: 'prune-disabled',
  severity: 'warning',
  category: 'flux',
  description: 'Flux Kustomization without prune: true; objects removed from Git stay on the cluster.',
  check({ index, checking }) {
    const findings: Finding[] = [];
    const judged = new Set<string>();
    // prune as Flux applies the Kustomization: a parent's spec.patches often sets it for every child.
    for (const { object: ks, file, documentIndex } of fluxObjectsAsApplied(index)) {
      checking?.(file);
      if (ks.kind !== 'Kustomization' || ks.prune === true || judged.has(`${file}#${documentIndex}`)) continue;
      judged.add(`${file}#${documentIndex}`);
      const doc = index.parsed(file)?.documents[documentIndex];
      const text = index.text(file);
      if (!doc || text === undefined) continue;
      const written = ks.prune === false;
      const range = (written ? doc.locate(['spec', 'prune']) : doc.locate(['spec'], { key: true })) ?? doc.range;
      const edit = written ? replaceValue(file, doc, ['spec', 'prune'], 'true') : insertMapEntry(file, text, doc, ['spec'], 'prune', 'true');
      findings.push({
        file,
        range,
        message: `Kustomization ${ks.name} ${written ? 'sets prune: false' : 'does not set prune'}: objects removed from Git stay on the cluster as orphans. Set prune: true.`,
        fixes: edit ? [{ title: 'Set prune: true', edits: [edit], preferred: true }] : undefined,
      });
    }
    return findings;
  },
};
