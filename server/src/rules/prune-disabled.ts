// A Flux Kustomization applied without `prune: true` leaves objects on the cluster after they leave Git,
// judged as Flux applies it, after its parent's patches (fleet/fluxGraph.ts)
// (kustomize-controller docs/spec/v1/kustomizations.md, "Prune": garbage collection runs only when
// spec.prune is true). A missing prune is the seed article's forgotten field: a warning. An explicit
// `prune: false` is a choice (CRDs whose removal would delete every custom resource, the Flux installation
// itself): a hint at most, and nothing when a comment beside it or an annotation on the object says why.
import type { ParsedDocument } from '../kustomize/yaml/parse';
import { insertMapEntry, lines, replaceValue } from '../kustomize/yaml/edit';
import type { FluxObject } from '../flux/objects';
import type { Finding, Rule } from './rule';
import { fluxObjectsAsApplied } from './support/asApplied';

/** The text of a comment, without the `#` and without fluxenv directives (they say nothing about why). */
function commentText(line: string | undefined, fullLineOnly: boolean): string {
  if (line === undefined) return '';
  const at = fullLineOnly ? (/^\s*#/.test(line) ? line.indexOf('#') : -1) : line.search(/(^|\s)#/);
  if (at < 0) return '';
  const text = line.slice(line.indexOf('#', at) + 1).trim();
  return /^fluxenv-disable/.test(text) ? '' : text;
}

/** Whether the owner wrote down why prune is off: a comment on the `prune:` line or the line above, or an annotation about pruning. */
function saysWhy(text: string, doc: ParsedDocument, ks: FluxObject): boolean {
  const at = doc.locate(['spec', 'prune']);
  if (at) {
    const all = lines(text);
    if (commentText(all[at.start.line], false) !== '' || commentText(all[at.start.line - 1], true) !== '') return true;
  }
  return Object.entries(ks.annotations).some(([key, value]) => /prun/i.test(key) || /prun/i.test(value));
}

export const pruneDisabled: Rule = {
  id: 'prune-disabled',
  severity: 'warning',
  category: 'flux',
  description:
    'Flux Kustomization without prune (a warning: objects removed from Git stay on the cluster), or with prune: false and no word on why (a hint).',
  check({ index, checking }) {
    const findings: Finding[] = [];
    const judged = new Set<string>();
    // prune as Flux applies the Kustomization: a parent's spec.patches often sets it for every child.
    for (const { object: ks, file, documentIndex, appliedByNoCluster } of fluxObjectsAsApplied(index)) {
      checking?.(file);
      // Nothing applies it, so no parent's patches are known: its prune may well come from the parent that will.
      if (appliedByNoCluster) continue;
      if (ks.kind !== 'Kustomization' || ks.prune === true || judged.has(`${file}#${documentIndex}`)) continue;
      judged.add(`${file}#${documentIndex}`);
      const doc = index.parsed(file)?.documents[documentIndex];
      const text = index.text(file);
      if (!doc || text === undefined) continue;
      const written = ks.prune === false;
      if (written && saysWhy(text, doc, ks)) continue;
      const range = (written ? doc.locate(['spec', 'prune']) : doc.locate(['spec'], { key: true })) ?? doc.range;
      const edit = written
        ? replaceValue(file, doc, ['spec', 'prune'], 'true')
        : insertMapEntry(file, text, doc, ['spec'], 'prune', 'true');
      findings.push({
        file,
        range,
        ...(written ? { severity: 'hint' as const } : {}),
        message: written
          ? `Kustomization ${ks.name} sets prune: false: objects removed from Git stay on the cluster. If that is intended (CRDs, the Flux installation itself), say why in a comment on this line; otherwise set prune: true.`
          : `Kustomization ${ks.name} does not set prune: objects removed from Git stay on the cluster as orphans. Set prune: true.`,
        fixes: edit ? [{ title: 'Set prune: true', edits: [edit], preferred: true }] : undefined,
      });
    }
    return findings;
  },
};
