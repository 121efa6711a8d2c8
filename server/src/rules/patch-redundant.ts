// A patch that changes nothing: the folder renders byte for byte the same without it. It is noise that
// hides the patches that matter, and often a leftover from a value the base has since caught up with.
//
// Rendering the folder once per patch entry is exact but costs a full build each, and an overlay of a
// large fleet has hundreds of patches. So each entry is first screened on the objects it touches alone
// (the patches of that object applied with and without the entry); only the entries that screening finds
// redundant are confirmed by rendering the folder without them. The screen keeps its work between checks
// (patchRedundancyScreen.ts), so that after an edit of one patch only the objects it touches are screened.
import type { FleetIndex } from '../fleet/fleetIndex';
import type { Kustomization } from '../kustomize/kustomization';
import type { RenderOutput } from '../kustomize/render';
import { isObject } from '../kustomize/resource';
import { deleteLines, entryRange } from '../kustomize/yaml/edit';
import { applyTextEdits } from '../kustomize/yaml/edit';
import {
  fleetKustomizations,
  patchEntries,
  removeListItem,
  renderWithKustomizationText,
  within,
  type PatchEntry,
} from './support/overlayRenderSupport';
import { objectsBeforePatches } from './patch-target-missing';
import { forgetKustomizationsExcept, screenEntry, screenPatches } from './support/patchRedundancyScreen';
import type { Finding, Rule, TextEdit } from './rule';

/** Individual confirmations per kustomization when the joint one fails: a bound on full builds. */
const MAX_SINGLE_CONFIRMATIONS = 10;

// A kustomization's entries are read again on every check, and a large overlay has hundreds; its parse
// (and so the Kustomization object) is kept while its text is unchanged.
const entriesByKustomization = new WeakMap<Kustomization, PatchEntry[]>();

function entriesOf(k: Kustomization): PatchEntry[] {
  let entries = entriesByKustomization.get(k);
  if (!entries) entriesByKustomization.set(k, (entries = patchEntries(k)));
  return entries;
}

function checkKustomization(index: FleetIndex, k: Kustomization, text: string, full: RenderOutput): Finding[] {
  const entries = entriesOf(k);
  // A render prints its YAML only when asked, and printing a large overlay costs more than this whole check
  // after an edit. A render without errors always has YAML, so only one with errors is asked.
  if (entries.length === 0 || (full.problems.some((p) => p.severity === 'error') && full.yaml === undefined)) return [];
  // A patch that matches nothing also changes nothing; patch-target-missing says the truer thing.
  const noMatch = full.problems.filter((p) => p.code === 'patch-no-match' && p.range);
  const screened = screenPatches(
    index,
    k.file,
    objectsBeforePatches(index, k),
    entries.map((entry) => screenEntry(index, k, entry)),
  );
  const candidates: Array<{ entry: PatchEntry; removal: TextEdit }> = [];
  for (const [i, entry] of entries.entries()) {
    if (!screened.has(i)) continue;
    if (
      noMatch.some(
        (p) => (p.file === k.file && within(entry.range, p.range!.start.line)) || (entry.file !== undefined && p.file === entry.file),
      )
    )
      continue;
    const removal = removeListItem(k.file, text, k.document, [entry.field], entry.index);
    if (removal) candidates.push({ entry, removal });
  }
  if (candidates.length === 0) return [];
  // Exact check: the folder renders the same bytes without them (all at once first: one build, not one per patch).
  const unchangedWithout = (removals: TextEdit[]) =>
    renderWithKustomizationText(index, k.file, applyTextEdits(text, removals)).yaml === full.yaml;
  const confirmed =
    candidates.length > 1 && unchangedWithout(wholeFieldRemovals(k, text, candidates))
      ? candidates
      : candidates.slice(0, MAX_SINGLE_CONFIRMATIONS).filter((c) => unchangedWithout([c.removal]));
  return confirmed.map(({ entry, removal }) => {
    const shownPath =
      entry.file !== undefined
        ? ` ${isObject(entry.value) && typeof entry.value.path === 'string' ? entry.value.path : String(entry.value)}`
        : '';
    return {
      file: k.file,
      range:
        (entry.file !== undefined && isObject(entry.value) ? k.document.locate([entry.field, entry.index, 'path']) : undefined) ??
        entry.range ??
        k.document.range,
      message: `Patch${shownPath} (${entry.field}[${entry.index}]) changes nothing in what this folder renders (the objects already have these values, or a later patch overrides them). Remove the patch, or change it if it was meant to differ.`,
      fixes: [{ title: 'Remove the redundant patch', edits: [removal], preferred: true }],
    };
  });
}

/** The removals of several entries at once; a field losing every item loses its key (so the edits never overlap). */
function wholeFieldRemovals(
  k: Kustomization,
  text: string,
  candidates: ReadonlyArray<{ entry: PatchEntry; removal: TextEdit }>,
): TextEdit[] {
  const out: TextEdit[] = [];
  for (const field of new Set(candidates.map((c) => c.entry.field))) {
    const inField = candidates.filter((c) => c.entry.field === field);
    const all = Array.isArray(k.fields[field]) ? (k.fields[field] as unknown[]).length : 0;
    const whole = inField.length === all ? entryRange(k.document, [field]) : undefined;
    if (whole) out.push(deleteLines(k.file, text, whole));
    else out.push(...inField.map((c) => c.removal));
  }
  return out;
}

export const patchRedundant: Rule = {
  id: 'patch-redundant',
  severity: 'hint',
  category: 'overlay',
  description: 'A patch that changes nothing over what it patches.',
  check({ index, isCancelled }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    let cancelled = false;
    for (const k of fleetKustomizations(index)) {
      if (isCancelled()) {
        cancelled = true;
        break;
      }
      const text = index.text(k.file);
      if (text === undefined || entriesOf(k).length === 0) continue;
      seen.add(k.file);
      // Kept by the index while every file the check read (renders and what-if renders included) is unchanged.
      findings.push(
        ...index.remember(`patch-redundant:${k.file}`, () => {
          index.text(k.file);
          return checkKustomization(index, k, text, index.renderFolder(k.dir));
        }),
      );
    }
    if (!cancelled) forgetKustomizationsExcept(index, seen);
    return findings;
  },
};
