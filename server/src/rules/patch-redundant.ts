// A patch that changes nothing: the folder renders byte for byte the same without it. It is noise that
// hides the patches that matter, and often a leftover from a value the base has since caught up with.
//
// Rendering the folder once per patch entry is exact but costs a full build each, and an overlay of a
// large fleet has hundreds of patches. So each entry is first screened on the objects it touches alone
// (the patches of that object applied with and without the entry); only the entries that screening finds
// redundant are confirmed by rendering the folder without them.
import type { FleetIndex } from '../fleet/fleetIndex';
import type { Kustomization } from '../kustomize/kustomization';
import type { PatchConfig } from '../kustomize/patchApply';
import { isObject } from '../kustomize/resource';
import type { TransformContext } from '../kustomize/transformer';
import { patchesTransformer } from '../kustomize/transformers/patches';
import { patchesJson6902Transformer } from '../kustomize/transformers/patchesJson6902';
import { patchesStrategicMergeTransformer } from '../kustomize/transformers/patchesStrategicMerge';
import type { Resource } from '../kustomize/types';
import { emitYaml } from '../kustomize/yaml/emit';
import { deleteLines, entryRange } from './edits';
import { applyTextEdits } from './edits';
import { fleetKustomizations, patchEntries, removeListItem, renderWithKustomizationText, within, type PatchEntry, type PatchField } from './overlayRenderSupport';
import { objectsBeforePatches } from './patch-target-missing';
import type { Finding, Rule, TextEdit } from './rule';

const TRANSFORMERS: Record<PatchField, (resources: Resource[], configs: PatchConfig[], ctx: TransformContext) => Resource[]> = {
  patchesStrategicMerge: patchesStrategicMergeTransformer,
  patches: patchesTransformer,
  patchesJson6902: patchesJson6902Transformer,
};

/** The entry as the renderer's patch step reads it (without the ranges it needs only for messages). */
function configOf(index: FleetIndex, k: Kustomization, entry: PatchEntry): PatchConfig | undefined {
  const origin = { kind: 'patch' as const, step: `${entry.field}[${entry.index}]`, file: k.file, ...(entry.range ? { range: entry.range } : {}) };
  const text = entry.file !== undefined ? index.text(entry.file) : entry.field === 'patchesStrategicMerge' ? entry.value : isObject(entry.value) ? entry.value.patch : undefined;
  if (typeof text !== 'string' || text === '') return undefined;
  const v = isObject(entry.value) ? entry.value : {};
  const target: Record<string, string> | undefined = isObject(v.target) ? {} : undefined;
  if (target && isObject(v.target)) for (const [key, val] of Object.entries(v.target)) if (val !== null && typeof val !== 'object') target[key] = String(val);
  const options = isObject(v.options) ? { allowNameChange: v.options.allowNameChange === true, allowKindChange: v.options.allowKindChange === true } : undefined;
  return { text, file: entry.file ?? k.file, origin, ...(target ? { target } : {}), ...(options ? { options } : {}) };
}

/** Entries that look redundant on the objects they touch; each still needs the exact check. */
function screen(index: FleetIndex, k: Kustomization, entries: readonly PatchEntry[]): Set<PatchEntry> {
  const candidates = new Set<PatchEntry>();
  const before = objectsBeforePatches(index, k);
  if (before.length === 0) return candidates;
  const ctx = (): TransformContext => ({ kustomizationFile: k.file, problems: [] });
  const configs = entries.map((e) => configOf(index, k, e));
  const touched = new Map<Resource, number[]>();
  const targets = entries.map((e, i) => {
    const config = configs[i];
    if (!config) return [];
    const c = ctx();
    const out = new Set(TRANSFORMERS[e.field](before, [config], c));
    if (c.problems.some((p) => p.severity === 'error')) return [];
    const hit = before.filter((r) => !out.has(r));
    for (const r of hit) touched.set(r, [...(touched.get(r) ?? []), i]);
    return hit;
  });
  const applyAll = (object: Resource, order: readonly number[]) => {
    let current = [object];
    for (const i of order) current = TRANSFORMERS[entries[i].field](current, [configs[i]!], ctx());
    return current.map((r) => emitYaml(r.object)).join('---\n');
  };
  entries.forEach((e, i) => {
    if (targets[i].length === 0) return;
    const same = targets[i].every((r) => {
      const order = touched.get(r) ?? [];
      return applyAll(r, order) === applyAll(r, order.filter((j) => j !== i));
    });
    if (same) candidates.add(e);
  });
  return candidates;
}

/** Individual confirmations per kustomization when the joint one fails: a bound on full builds. */
const MAX_SINGLE_CONFIRMATIONS = 10;

interface CachedCheck {
  texts: Map<string, string | undefined>;
  findings: Finding[];
}
const checks = new WeakMap<FleetIndex, Map<string, CachedCheck>>();

function checkKustomization(index: FleetIndex, k: Kustomization, text: string): Finding[] {
  const entries = patchEntries(k);
  const full = index.renderFolder(k.dir);
  if (entries.length === 0 || full.yaml === undefined) return [];
  // A patch that matches nothing also changes nothing; patch-target-missing says the truer thing.
  const noMatch = full.problems.filter((p) => p.code === 'patch-no-match' && p.range);
  const screened = screen(index, k, entries);
  const candidates: Array<{ entry: PatchEntry; removal: TextEdit }> = [];
  for (const entry of entries) {
    if (!screened.has(entry)) continue;
    if (noMatch.some((p) => (p.file === k.file && within(entry.range, p.range!.start.line)) || (entry.file !== undefined && p.file === entry.file))) continue;
    const removal = removeListItem(k.file, text, k.document, [entry.field], entry.index);
    if (removal) candidates.push({ entry, removal });
  }
  if (candidates.length === 0) return [];
  // Exact check: the folder renders the same bytes without them (all at once first: one build, not one per patch).
  const unchangedWithout = (removals: TextEdit[]) => renderWithKustomizationText(index, k.file, applyTextEdits(text, removals)).yaml === full.yaml;
  const confirmed =
    candidates.length > 1 && unchangedWithout(wholeFieldRemovals(k, text, candidates))
      ? candidates
      : candidates.slice(0, MAX_SINGLE_CONFIRMATIONS).filter((c) => unchangedWithout([c.removal]));
  return confirmed.map(({ entry, removal }) => {
    const shownPath = entry.file !== undefined ? ` ${isObject(entry.value) && typeof entry.value.path === 'string' ? entry.value.path : String(entry.value)}` : '';
    return {
      file: k.file,
      range: (entry.file !== undefined && isObject(entry.value) ? k.document.locate([entry.field, entry.index, 'path']) : undefined) ?? entry.range ?? k.document.range,
      message: `Patch${shownPath} (${entry.field}[${entry.index}]) changes nothing in what this folder renders (the objects already have these values, or a later patch overrides them). Remove the patch, or change it if it was meant to differ.`,
      fixes: [{ title: 'Remove the redundant patch', edits: [removal], preferred: true }],
    };
  });
}

/** The removals of several entries at once; a field losing every item loses its key (so the edits never overlap). */
function wholeFieldRemovals(k: Kustomization, text: string, candidates: ReadonlyArray<{ entry: PatchEntry; removal: TextEdit }>): TextEdit[] {
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
    let cache = checks.get(index);
    if (!cache) checks.set(index, (cache = new Map()));
    for (const k of fleetKustomizations(index)) {
      if (isCancelled()) break;
      const text = index.text(k.file);
      if (text === undefined || patchEntries(k).length === 0) continue;
      const hit = cache.get(k.file);
      if (hit && [...hit.texts].every(([f, t]) => index.fs.readFile(f) === t)) {
        findings.push(...hit.findings);
        continue;
      }
      const found = checkKustomization(index, k, text);
      const texts = new Map<string, string | undefined>([[k.file, text]]);
      for (const f of index.renderFolder(k.dir).filesRead) texts.set(f, index.fs.readFile(f));
      cache.set(k.file, { texts, findings: found });
      findings.push(...found);
    }
    return findings;
  },
};
