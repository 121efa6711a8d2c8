// A patch whose target matches nothing. With a `target` selector kustomize applies the patch to whatever
// the selector selects, and a selection of nothing is no error: the patch is skipped without a word
// (kustomize api/internal/builtins/PatchTransformer.go: the targeted path goes through ResMap.Select and
// patches each selected object). So a selector never makes the build fail: a selector that names an object
// (`name:`) matching nothing is a warning (a typo, or a base that renamed it: the change never happens); one
// that selects only by kind or labels is information, since it is also how a patch is offered to objects
// that opt in with a label. Without a selector, a strategic merge patch is applied to the object with its
// own kind and name, and no such object fails the build ("failed to find unique target for patch"): an
// error. The fix offers the nearest kind or name the resources render.
import * as path from 'path';
import type { FleetIndex, IndexedFluxObject } from '../fleet/fleetIndex';
import { resolveSpecPath } from '../flux/generate';
import { blankFields, type Kustomization } from '../kustomize/kustomization';
import { isObject, resId } from '../kustomize/resource';
import { originalId, selectorMatches, type Selector } from '../kustomize/select';
import type { Json, Problem, Range, Resource } from '../kustomize/types';
import { parseYamlFileCached, type ParsedDocument } from '../kustomize/yaml/parse';
import { customParseLimits } from '../fleet/limits';
import { nearestNames } from '../util/editDistance';
import { lines } from '../kustomize/yaml/edit';
import {
  fleetKustomizations,
  relativePath,
  PATCH_FIELDS,
  patchEntries,
  renderWithKustomizationText,
  within,
  type PatchEntry,
} from './support/overlayRenderSupport';
import { rememberedBeforePatches } from './support/patchRedundancyScreen';
import { fluxObjectsAsApplied } from './support/asApplied';
import { sourceTreeOf } from './support/sourceTree';
import type { Finding, Rule } from './rule';

/** What the kustomization's resources render before any of its patches: the objects a patch may target. */
export function objectsBeforePatches(index: FleetIndex, k: Kustomization): Resource[] {
  const text = index.text(k.file);
  if (text === undefined) return [];
  // Blanked rather than deleted: the other fields keep their places (and the build shares the per-object
  // results the real build keeps for objects no patch touches).
  return rememberedBeforePatches(index, k.file, () => renderWithKustomizationText(index, k.file, blankFields(text, k, PATCH_FIELDS)));
}

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|]/;

interface Suggestion {
  field: 'kind' | 'name' | 'other';
  suggestions: string[];
}

function namesOf(r: Resource): string[] {
  return [...new Set([resId(r).name, originalId(r).name])];
}

/** Which part of a target (kind, else name) selects nothing, and the nearest values that would. */
function diagnose(
  kind: string | undefined,
  name: string | undefined,
  candidates: readonly Resource[],
  kindMatches: (r: Resource) => boolean,
): Suggestion {
  const ofKind = candidates.filter(kindMatches);
  if (kind !== undefined && kind !== '' && ofKind.length === 0) {
    return {
      field: 'kind',
      suggestions: REGEX_SYNTAX.test(kind)
        ? []
        : nearestNames(
            kind,
            candidates.map((r) => resId(r).kind),
            { limit: 1 },
          ),
    };
  }
  if (name !== undefined && name !== '') {
    const named = ofKind.filter((r) => namesOf(r).includes(name));
    if (named.length === 0)
      return {
        field: 'name',
        suggestions: REGEX_SYNTAX.test(name)
          ? []
          : nearestNames(name, ofKind.flatMap(namesOf), { limit: 1, maxDistance: Math.max(3, Math.floor(name.length / 2)) }),
      };
  }
  return { field: 'other', suggestions: [] };
}

function shift(range: Range | undefined, dl: number, dc: number): Range | undefined {
  return (
    range && {
      start: { line: range.start.line + dl, character: range.start.character + dc },
      end: { line: range.end.line + dl, character: range.end.character + dc },
    }
  );
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * A resource file that holds no objects: a placeholder something else fills in, like the
 * `gotk-components.yaml` / `gotk-sync.yaml` comments that `flux bootstrap` replaces with the Flux
 * components. What a selector would match there once filled cannot be known.
 */
function listsPlaceholder(index: FleetIndex, k: Kustomization): string | undefined {
  for (const field of ['resources', 'bases']) {
    const entries = k.fields[field];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry !== 'string') continue;
      const file = path.posix.normalize(path.posix.join(k.dir, entry));
      if (index.fs.kind(file) !== 'file') continue;
      const documents = index.parsed(file)?.documents;
      if (documents && documents.every((d) => d.value === null)) return file;
    }
  }
  return undefined;
}

function selectorFinding(k: Kustomization, entry: PatchEntry, candidates: () => Resource[]): Finding | undefined {
  return selectorFindingAt(k.document, k.file, [entry.field, entry.index], entry.value, candidates);
}

/** The finding for a patch entry at `entryPath` of `doc` whose target selects nothing. */
function selectorFindingAt(
  doc: ParsedDocument,
  file: string,
  entryPath: Array<string | number>,
  value: Json,
  candidates: () => Resource[],
): Finding | undefined {
  if (!isObject(value) || !isObject(value.target)) return undefined;
  const target = value.target;
  const selector: Selector = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const v = target[key];
    if (v !== undefined && v !== null && !isObject(v) && !Array.isArray(v)) selector[key] = String(v);
  }
  const kindOnly: Selector = { group: selector.group, version: selector.version, kind: selector.kind };
  const found = diagnose(selector.kind, selector.name, candidates(), (r) => selectorMatches(kindOnly, r));
  const base = [...entryPath, 'target'];
  const range =
    found.field === 'other' ? doc.locate(base, { key: true }) : (doc.locate([...base, found.field]) ?? doc.locate(base, { key: true }));
  const shown = Object.entries(selector)
    .map(([key, v]) => `${key}: ${v}`)
    .join(', ');
  const hint = found.suggestions.length > 0 ? ` Did you mean ${found.field} ${found.suggestions[0]}?` : '';
  const replaced = found.field !== 'other' && found.suggestions.length > 0 ? doc.locate([...base, found.field]) : undefined;
  const byName = selector.name !== undefined && selector.name !== '';
  return {
    file,
    range: range ?? doc.locate(entryPath) ?? doc.range,
    severity: byName ? 'warning' : 'info',
    message: byName
      ? `Patch target (${shown}) matches no object the resources render: kustomize skips a patch whose target selects nothing, without an error, so this change never happens.${hint} Point the target at an object this kustomization renders, or remove the patch.`
      : `Patch target (${shown}) selects no object the resources render today, so kustomize skips this patch (no error).${hint} Nothing to do if objects opt in later (e.g. by that label); otherwise remove the patch.`,
    fixes: replaced
      ? [
          {
            title: `Target ${found.field} ${found.suggestions[0]}`,
            edits: [{ file, range: replaced, newText: found.suggestions[0] }],
            preferred: true,
          },
        ]
      : undefined,
  };
}

/** The patch document the renderer's no-match error points at, with the offset of its text in the file. */
function patchDocumentAt(
  index: FleetIndex,
  k: Kustomization,
  entry: PatchEntry,
  problem: Problem,
): { doc: ParsedDocument; file: string; dl: number; dc: number } | undefined {
  if (!problem.range) return undefined;
  if (entry.file !== undefined) {
    const doc = index.parsed(entry.file)?.documents.find((d) => d.range.start.line === problem.range!.start.line);
    return doc && { doc, file: entry.file, dl: 0, dc: 0 };
  }
  const text = entry.field === 'patchesStrategicMerge' ? entry.value : isObject(entry.value) ? entry.value.patch : undefined;
  const at = k.document.locate(entry.field === 'patchesStrategicMerge' ? [entry.field, entry.index] : [entry.field, entry.index, 'patch']);
  const fileText = index.text(k.file);
  if (typeof text !== 'string' || !at || fileText === undefined) return undefined;
  const dl = at.start.line + 1;
  const dc = /^ */.exec(lines(fileText)[dl] ?? '')![0].length;
  const doc = parseYamlFileCached(`${k.file}#${entry.field}[${entry.index}]`, text, customParseLimits(index.limits.parse)).documents.find(
    (d) => d.range.start.line + dl === problem.range!.start.line,
  );
  return doc && { doc, file: k.file, dl, dc };
}

function documentFinding(
  index: FleetIndex,
  k: Kustomization,
  entry: PatchEntry,
  problem: Problem,
  candidates: () => Resource[],
): Finding | undefined {
  const at = patchDocumentAt(index, k, entry, problem);
  return at && documentFindingAt(at, candidates, `the resources of ${relativePath(index, k.file)}`, problem.range);
}

/**
 * The finding for one patch document that matches nothing. With `known` (the renderer's place for the
 * failure) the document is known not to match; without it, only a kind or name that nothing has counts.
 */
function documentFindingAt(
  at: { doc: ParsedDocument; file: string; dl: number; dc: number },
  candidates: () => Resource[],
  whose: string,
  known?: Range,
): Finding | undefined {
  if (!isObject(at.doc.value)) return undefined;
  const value = at.doc.value;
  const kind = str(value.kind);
  const meta = isObject(value.metadata) ? value.metadata : {};
  const name = str(meta.name);
  const found = diagnose(kind, name, candidates(), (r) => resId(r).kind === kind);
  if (found.field === 'other' && !known) return undefined;
  const pathOf = found.field === 'kind' ? ['kind'] : ['metadata', found.field === 'name' ? 'name' : 'namespace'];
  const range = shift(at.doc.locate(pathOf) ?? at.doc.locate(['metadata', 'name']), at.dl, at.dc) ?? known ?? at.doc.range;
  const hint = found.suggestions.length > 0 ? ` Did you mean ${found.suggestions[0]}?` : '';
  const what = found.field === 'kind' ? 'kind' : found.field === 'name' ? 'metadata.name' : 'metadata.namespace';
  return {
    file: at.file,
    range,
    message: `Patch for ${kind ?? '?'} ${name ?? '?'} matches no object ${whose} render, so the build fails.${hint} Make the patch's ${what} name an object the resources render.`,
    fixes:
      found.suggestions.length > 0 && found.field !== 'other'
        ? [
            {
              title: `Patch ${found.field} ${found.suggestions[0]}`,
              edits: [{ file: at.file, range, newText: found.suggestions[0] }],
              preferred: true,
            },
          ]
        : undefined,
  };
}

/**
 * Folders a Flux Kustomization builds with `spec.components` added to their kustomization (kustomize-controller
 * docs/spec/v1/kustomizations.md "Components"), with the problems of those builds: a component's objects
 * are there before the folder's own patches run (kustomize accumulates components before the kustomization's
 * transformers: api/internal/target/kusttarget.go), so a patch the folder alone cannot place may be right.
 */
function foldersBuiltWithComponents(index: FleetIndex): (dir: string) => Problem[] | undefined {
  // Rendered when asked for: only the folders of kustomizations with patches are asked about, and these
  // renders (each Kustomization as written, not as its parent applies it) are not the graph's.
  const byDir = new Map<string, IndexedFluxObject[]>();
  for (const indexed of index.fluxObjects().list) {
    const ks = indexed.object;
    if (ks.kind !== 'Kustomization' || ks.components.length === 0) continue;
    const dir = resolveSpecPath(index.root, ks.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), indexed]);
  }
  const built = new Map<string, Problem[]>();
  return (dir) => {
    const kustomizations = byDir.get(dir);
    if (!kustomizations) return undefined;
    let problems = built.get(dir);
    if (!problems) built.set(dir, (problems = kustomizations.flatMap((indexed) => index.renderFluxKustomization(indexed)?.problems ?? [])));
    return problems;
  };
}

/** `spec.patches` of a Flux Kustomization: the controller applies them over the build of spec.path. */
function fluxPatchFindings(index: FleetIndex, indexed: IndexedFluxObject): Finding[] {
  const result = index.renderFluxKustomization(indexed);
  const doc = index.parsed(indexed.file)?.documents[indexed.documentIndex];
  const text = index.text(indexed.file);
  if (!result || !doc || text === undefined || indexed.object.kind !== 'Kustomization') return [];
  const ks = indexed.object;
  const problems = result.problems.filter((p) => p.code === 'patch-no-match' && p.file === indexed.file && p.range);
  if (problems.length === 0) return [];
  let before: Resource[] | undefined;
  // When the build failed there is nothing rendered; the folder's own build still names what a patch may target.
  const candidates = () =>
    (before ??= result.resources.length > 0 ? result.resources : index.renderFolder(resolveSpecPath(index.root, ks.path)).resources);
  const findings: Finding[] = [];
  ks.patches.forEach((value, i) => {
    const entryPath = ['spec', 'patches', i];
    const range = doc.locate(entryPath);
    const problem = problems.find(
      (p) => range && p.range!.start.line === range.start.line && p.range!.start.character === range.start.character,
    );
    if (!problem) return;
    if (problem.severity === 'warning') {
      const finding = selectorFindingAt(doc, indexed.file, entryPath, value, candidates);
      if (finding) findings.push(finding);
      return;
    }
    const at = doc.locate([...entryPath, 'patch']);
    if (!isObject(value) || typeof value.patch !== 'string' || !at) return;
    const dl = at.start.line + 1;
    const dc = /^ */.exec(lines(text)[dl] ?? '')![0].length;
    for (const patchDoc of parseYamlFileCached(`${indexed.file}#spec.patches[${i}]`, value.patch, customParseLimits(index.limits.parse))
      .documents) {
      const finding = documentFindingAt(
        { doc: patchDoc, file: indexed.file, dl, dc },
        candidates,
        `Kustomization ${ks.name} builds from ${ks.path ?? '.'}`,
      );
      if (finding) {
        findings.push(finding);
        return;
      }
    }
  });
  return findings;
}

export const patchTargetMissing: Rule = {
  id: 'patch-target-missing',
  severity: 'error',
  category: 'overlay',
  description:
    'A patch that matches no object the kustomization renders: an error when the build fails (no target), a warning when a target naming an object is skipped.',
  check({ index, isCancelled, checking }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const builtWithComponents = foldersBuiltWithComponents(index);
    for (const k of fleetKustomizations(index)) {
      if (isCancelled()) break;
      const entries = patchEntries(k);
      if (entries.length === 0) continue;
      const placeholder = listsPlaceholder(index, k);
      const problems = (builtWithComponents(k.dir) ?? index.renderFolder(k.dir).problems).filter(
        (p) => p.code === 'patch-no-match' && p.range,
      );
      if (problems.length === 0) continue;
      let before: Resource[] | undefined;
      const candidates = () => (before ??= objectsBeforePatches(index, k));
      for (const p of problems) {
        let finding: Finding | undefined;
        if (p.severity === 'warning' && p.file === k.file) {
          if (placeholder !== undefined) continue;
          const entry = entries.find(
            (e) => e.range && e.range.start.line === p.range!.start.line && e.range.start.character === p.range!.start.character,
          );
          if (entry) finding = selectorFinding(k, entry, candidates);
        } else if (p.severity === 'error') {
          const entry = entries.find((e) =>
            e.file !== undefined ? e.file === p.file : p.file === k.file && within(e.range, p.range!.start.line),
          );
          if (entry) finding = documentFinding(index, k, entry, p, candidates);
        }
        if (!finding) continue;
        const key = `${finding.file}:${finding.range.start.line}:${finding.range.start.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(finding);
      }
    }
    const appliedAt = new Map(fluxObjectsAsApplied(index).map((a) => [`${a.file}#${a.documentIndex}`, a]));
    for (const indexed of index.fluxObjects().list) {
      checking?.(indexed.file);
      if (isCancelled()) break;
      if (indexed.object.kind !== 'Kustomization' || indexed.object.patches.length === 0) continue;
      // Built from another repository, an artifact we cannot see, or a subfolder's artifact: the build here
      // (from the repository root) is not what the controller patches.
      const tree = sourceTreeOf(index, appliedAt.get(`${indexed.file}#${indexed.documentIndex}`) ?? indexed);
      if (!tree || tree.root !== index.root) continue;
      findings.push(...fluxPatchFindings(index, indexed));
    }
    return findings;
  },
};
