// kustomize-controller ignores spec.healthChecks when spec.wait is true (it then checks every applied
// object instead), so a list next to wait: true is dead configuration that readers trust.
import { isFluxKustomization } from '../flux/objects';
import { deleteLines, entryRange } from '../kustomize/yaml/edit';
import { documentOfObject } from './support/fluxSpecHelpers';
import type { Finding, Fix, Rule } from './rule';

export const waitHealthChecksIgnored: Rule = {
  id: 'wait-healthchecks-ignored',
  severity: 'info',
  category: 'flux',
  description: 'Flux Kustomization with wait: true and healthChecks; Flux ignores the healthChecks.',
  check({ index, checking }) {
    const findings: Finding[] = [];
    for (const indexed of index.fluxObjects().list) {
      checking?.(indexed.file);
      const ks = indexed.object;
      if (!isFluxKustomization(ks) || !ks.wait) continue;
      const spec = ks.object.spec;
      if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) continue;
      if (!Array.isArray(spec.healthChecks) || spec.healthChecks.length === 0) continue;
      const located = documentOfObject(index, indexed);
      if (!located) continue;
      const { doc, text } = located;
      const range = doc.locate(['spec', 'healthChecks'], { key: true }) ?? doc.range;
      const fixes: Fix[] = [];
      const checks = entryRange(doc, ['spec', 'healthChecks']);
      const wait = entryRange(doc, ['spec', 'wait']);
      if (checks)
        fixes.push({
          title: 'Remove healthChecks (wait: true already checks every applied object)',
          edits: [deleteLines(indexed.file, text, checks)],
          preferred: true,
        });
      if (wait) fixes.push({ title: 'Remove wait: true (check only the listed objects)', edits: [deleteLines(indexed.file, text, wait)] });
      findings.push({
        file: indexed.file,
        range,
        message: `Kustomization ${ks.name} sets wait: true, so Flux ignores its healthChecks (it checks every applied object instead). Remove the healthChecks, or remove wait: true to check only the listed objects.`,
        fixes,
      });
    }
    return findings;
  },
};
