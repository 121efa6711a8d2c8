// A patch that changes nothing: the folder renders byte for byte the same without it. It is noise that
// hides the patches that matter, and often a leftover from a value the base has since caught up with.
import { isObject } from '../kustomize/resource';
import { applyTextEdits, fleetKustomizations, patchEntries, removeListItem, renderWithKustomizationText, within } from './overlayRenderSupport';
import type { Finding, Rule } from './rule';

export const patchRedundant: Rule = {
  id: 'patch-redundant',
  severity: 'hint',
  category: 'overlay',
  description: 'A patch that changes nothing over what it patches.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    for (const k of fleetKustomizations(index)) {
      if (isCancelled()) break;
      const entries = patchEntries(k);
      const text = index.text(k.file);
      if (entries.length === 0 || text === undefined) continue;
      const full = index.renderFolder(k.dir);
      if (full.yaml === undefined) continue;
      // A patch that matches nothing also changes nothing; patch-target-missing says the truer thing.
      const noMatch = full.problems.filter((p) => p.code === 'patch-no-match' && p.range);
      for (const entry of entries) {
        if (isCancelled()) break;
        if (noMatch.some((p) => (p.file === k.file && within(entry.range, p.range!.start.line)) || (entry.file !== undefined && p.file === entry.file))) continue;
        const removal = removeListItem(k.file, text, k.document, [entry.field], entry.index);
        if (!removal) continue;
        const without = renderWithKustomizationText(index, k.file, applyTextEdits(text, [removal]));
        if (without.yaml !== full.yaml) continue;
        const shownPath = entry.file !== undefined ? ` ${isObject(entry.value) && typeof entry.value.path === 'string' ? entry.value.path : String(entry.value)}` : '';
        findings.push({
          file: k.file,
          range: (entry.file !== undefined && isObject(entry.value) ? k.document.locate([entry.field, entry.index, 'path']) : undefined) ?? entry.range ?? k.document.range,
          message: `Patch${shownPath} (${entry.field}[${entry.index}]) changes nothing in what this folder renders (the objects already have these values, or a later patch overrides them). Remove the patch, or change it if it was meant to differ.`,
          fixes: [{ title: 'Remove the redundant patch', edits: [removal], preferred: true }],
        });
      }
    }
    return findings;
  },
};
