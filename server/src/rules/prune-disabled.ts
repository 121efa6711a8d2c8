// A Flux Kustomization without `prune: true` leaves objects on the cluster after they leave Git.
import { insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import type { Finding, Rule } from './rule';

export const pruneDisabled: Rule = {
  id: 'prune-disabled',
  severity: 'warning',
  category: 'flux',
  description: 'Flux Kustomization without prune: true; objects removed from Git stay on the cluster.',
  check({ index, checking }) {
    const findings: Finding[] = [];
    for (const { object: ks, file, documentIndex } of index.fluxObjects().list) {
      checking?.(file);
      if (ks.kind !== 'Kustomization' || ks.prune === true) continue;
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
