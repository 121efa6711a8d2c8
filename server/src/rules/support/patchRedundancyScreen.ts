// The cheap first pass of patch-redundant: which patch entries look redundant on the objects they touch.
//
// Each entry is applied alone to the objects the kustomization renders before its patches, to find the
// objects it touches; for each touched object, every entry touching it is applied with and without the
// entry and the results compared (as JSON, which is what comparing the printed YAML says). A large overlay has hundreds of entries over a thousand objects,
// and an edit changes one patch file, so the screen of a kustomization is kept between runs:
// - an entry's targets, by everything that decides them (its field, file, text, target and options),
//   found among a few candidates (by id, or by a literal target name) rather than the whole list;
// - an object's verdicts, by the entries touching it in order.
// Both are valid only for one list of objects before patches: when that list changes, all is recomputed.
import type { FleetIndex } from '../../fleet/fleetIndex';
import { PatchTargetIndex, readPatch, readStrategicPatch, type PatchConfig, type StrategicPatchDocument } from '../../kustomize/patchApply';
import type { Kustomization } from '../../kustomize/kustomization';
import type { RenderOutput } from '../../kustomize/render';
import { isObject, resId, resIdOf } from '../../kustomize/resource';
import { effectiveNamespace, originalId, selectResources } from '../../kustomize/select';
import type { TransformContext } from '../../kustomize/transformer';
import { patchesTransformer } from '../../kustomize/transformers/patches';
import { patchesJson6902Transformer } from '../../kustomize/transformers/patchesJson6902';
import { patchesStrategicMergeTransformer } from '../../kustomize/transformers/patchesStrategicMerge';
import type { ResId, Resource } from '../../kustomize/types';
import { jsonEqual } from '../../kustomize/merge/jsonpatch';
import type { PatchEntry, PatchField } from './overlayRenderSupport';

const TRANSFORMERS: Record<PatchField, (resources: Resource[], configs: PatchConfig[], ctx: TransformContext) => Resource[]> = {
  patchesStrategicMerge: patchesStrategicMergeTransformer,
  patches: patchesTransformer,
  patchesJson6902: patchesJson6902Transformer,
};

/** One patch entry as the screen sees it: its field and its config (undefined when it has no patch text). */
export interface ScreenEntry {
  field: PatchField;
  config: PatchConfig | undefined;
}

/** The entry as the renderer's patch step reads it (without the ranges it needs only for messages). */
export function screenEntry(index: FleetIndex, k: Kustomization, entry: PatchEntry): ScreenEntry {
  const origin = {
    kind: 'patch' as const,
    step: `${entry.field}[${entry.index}]`,
    file: k.file,
    ...(entry.range ? { range: entry.range } : {}),
  };
  const text =
    entry.file !== undefined
      ? index.text(entry.file)
      : entry.field === 'patchesStrategicMerge'
        ? entry.value
        : isObject(entry.value)
          ? entry.value.patch
          : undefined;
  if (typeof text !== 'string' || text === '') return { field: entry.field, config: undefined };
  const v = isObject(entry.value) ? entry.value : {};
  const target: Record<string, string> | undefined = isObject(v.target) ? {} : undefined;
  if (target && isObject(v.target))
    for (const [key, val] of Object.entries(v.target)) if (val !== null && typeof val !== 'object') target[key] = String(val);
  const options = isObject(v.options)
    ? { allowNameChange: v.options.allowNameChange === true, allowKindChange: v.options.allowKindChange === true }
    : undefined;
  return {
    field: entry.field,
    config: { text, file: entry.file ?? k.file, origin, ...(target ? { target } : {}), ...(options ? { options } : {}) },
  };
}

// A target name without regular-expression syntax matches only that name (selectors anchor it at both ends).
const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|]/;

/** What the targets of an entry and the emitted YAML of a patched object depend on (the origin only names places). */
function configKey(field: PatchField, config: PatchConfig): string {
  return [field, config.file, JSON.stringify(config.target ?? null), JSON.stringify(config.options ?? null), config.text].join('\u0000');
}

/** kustomize's test for two objects with the same id when a patch adds one (strategicToSelected). */
function idKey(id: ResId): string {
  return [id.group, id.version, id.kind, id.name, effectiveNamespace(id)].join('\u0000');
}

interface Verdict {
  /** The keys of the entries touching the object, in order. */
  key: string;
  /** Per position in that order: whether the object comes out the same without that entry. */
  same: boolean[];
}

interface Targets {
  /** The objects of `before` the entry replaces or removes when applied alone to all of them. */
  objects: Resource[];
  /** When the entry was applied to one object alone: that object and what came out. */
  alone?: { object: Resource; out: Resource[] };
}

class KustomizationScreen {
  private targetsByKey = new Map<string, Targets>();
  private verdicts = new Map<Resource, Verdict>();
  private position?: Map<Resource, number>;
  private byId?: PatchTargetIndex;
  private byName?: Map<string, Resource[]>;
  private ids?: { counts: Map<string, number>; duplicated: string[] };

  constructor(
    readonly before: Resource[],
    private readonly kustomizationFile: string,
  ) {}

  private ctx(): TransformContext {
    return { kustomizationFile: this.kustomizationFile, problems: [] };
  }

  /** The candidates among `before` in their order (transformers keep the order they are given). */
  private inOrder(objects: Resource[]): Resource[] {
    if (objects.length <= 1) return objects;
    if (!this.position) this.position = new Map(this.before.map((r, i) => [r, i]));
    const position = this.position;
    return [...new Set(objects)].sort((a, b) => position.get(a)! - position.get(b)!);
  }

  private byIds(documents: readonly StrategicPatchDocument[]): Resource[] {
    const byId = (this.byId ??= new PatchTargetIndex(this.before));
    return this.inOrder(documents.flatMap((d) => byId.withAnyId(resIdOf(d.value))));
  }

  /** The objects a target may select: those with its name (original or current) when the name is literal, else all. */
  private bySelector(config: PatchConfig): Resource[] | undefined {
    const target = config.target!;
    const name = target.name;
    let pool = this.before;
    if (name !== undefined && name !== '' && !REGEX_SYNTAX.test(name)) {
      if (!this.byName) {
        this.byName = new Map();
        for (const r of this.before) {
          for (const n of new Set([resId(r).name, originalId(r).name])) {
            const list = this.byName.get(n);
            if (list) list.push(r);
            else this.byName.set(n, [r]);
          }
        }
      }
      pool = this.byName.get(name) ?? [];
    }
    const { selected, error } = selectResources(pool, target);
    return error === undefined ? selected : undefined;
  }

  /**
   * The objects the entry could touch when applied alone to `before`, or undefined to apply it to the
   * whole list. Applying it to these alone touches the same ones: a strategic merge patch without target
   * finds its object by id (all objects with that id are among them, and an object renamed by an earlier
   * document of the entry is too), and a selector tests each object on its own. Entries that fail to read
   * fail on any list, so they take the whole list, as before.
   */
  private candidates(field: PatchField, config: PatchConfig): { pool?: Resource[]; strategicWithTarget?: boolean } {
    if (field === 'patchesStrategicMerge') {
      const read = readStrategicPatch(config);
      return read.documents && read.documents.length > 0 ? { pool: this.byIds(read.documents) } : {};
    }
    if (field === 'patchesJson6902') return config.target?.name ? { pool: this.bySelector(config) } : {};
    if (config.target) {
      const pool = this.bySelector(config);
      return pool ? { pool, strategicWithTarget: readPatch(config, this.ctx()).kind === 'strategic' } : {};
    }
    const read = readPatch(config, this.ctx());
    return read.kind === 'strategic' ? { pool: this.byIds(read.documents) } : {};
  }

  /** The objects of `before` that the entry, applied alone to all of them, replaces or removes. */
  targets(field: PatchField, config: PatchConfig, key: string): Resource[] {
    const known = this.targetsByKey.get(key);
    if (known) return known.objects;
    const { pool, strategicWithTarget } = this.candidates(field, config);
    const list = pool ?? this.before;
    const ctx = this.ctx();
    const out = TRANSFORMERS[field](list, [config], ctx);
    const failed = ctx.problems.some((p) => p.severity === 'error') || (strategicWithTarget === true && this.duplicatesOthers(list, out));
    const kept = new Set(out);
    const objects = failed ? [] : list.filter((r) => !kept.has(r));
    // What the verdict of that object applies again when no other entry touches it.
    const alone = !failed && list.length === 1 ? { object: list[0], out } : undefined;
    this.targetsByKey.set(key, { objects, ...(alone ? { alone } : {}) });
    return objects;
  }

  /**
   * Whether a strategic merge patch with a target, applied to the whole list, would have failed on an id
   * registered twice: applied to the selected objects only, it checked its results among themselves, not
   * against the objects it left alone (nor those among themselves).
   */
  private duplicatesOthers(selected: readonly Resource[], results: readonly Resource[]): boolean {
    if (!this.ids) {
      const counts = new Map<string, number>();
      for (const r of this.before) {
        const key = idKey(resId(r));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      this.ids = { counts, duplicated: [...counts].filter(([, n]) => n > 1).map(([key]) => key) };
    }
    const { counts, duplicated } = this.ids;
    const selectedCounts = new Map<string, number>();
    for (const r of selected) {
      const key = idKey(resId(r));
      selectedCounts.set(key, (selectedCounts.get(key) ?? 0) + 1);
    }
    const others = (key: string) => (counts.get(key) ?? 0) - (selectedCounts.get(key) ?? 0);
    return duplicated.some((key) => others(key) > 1) || results.some((r) => others(idKey(resId(r))) > 0);
  }

  /** Per position of `order` (the entries touching `object`): whether the object emits the same without it. */
  verdict(object: Resource, order: readonly number[], entries: readonly ScreenEntry[], keys: readonly string[]): boolean[] {
    const key = order.map((i) => keys[i]).join('\u0001');
    const known = this.verdicts.get(object);
    if (known && known.key === key) return known.same;
    // Objects compared as JSON, key order ignored: the emitter sorts keys, so this is what comparing the
    // printed YAML says, without printing every object twice per entry.
    const after = (sequence: readonly number[]): Resource[] => {
      if (sequence.length === 0) return [object];
      const alone = sequence.length === 1 ? this.targetsByKey.get(keys[sequence[0]])?.alone : undefined;
      let current = alone && alone.object === object ? alone.out : [object];
      for (const i of alone && alone.object === object ? [] : sequence)
        current = TRANSFORMERS[entries[i].field](current, [entries[i].config!], this.ctx());
      return current;
    };
    const same = (a: readonly Resource[], b: readonly Resource[]) =>
      a.length === b.length && a.every((r, i) => jsonEqual(r.object, b[i].object));
    const all = after(order);
    const sameWithout = order.map((i) => same(after(order.filter((j) => j !== i)), all));
    this.verdicts.set(object, { key, same: sameWithout });
    return sameWithout;
  }

  /** Drops what no entry asked for this time (entries edited away, objects no longer touched). */
  keepOnly(keys: ReadonlySet<string>, objects: ReadonlySet<Resource>): void {
    for (const key of [...this.targetsByKey.keys()]) if (!keys.has(key)) this.targetsByKey.delete(key);
    for (const object of [...this.verdicts.keys()]) if (!objects.has(object)) this.verdicts.delete(object);
  }
}

/**
 * The objects a kustomization renders before its patches (`render` renders it with its patch fields
 * removed), kept while its text, the texts of the files that render read and the fleet's file set are
 * unchanged. A top-level render runs every transformer over every object; an edit of a patch file
 * changes none of what it read. The same array comes back while it is kept, which tells the screen
 * that its work on that list still holds.
 */
export function rememberedBeforePatches(index: FleetIndex, kustomizationFile: string, render: () => RenderOutput): Resource[] {
  return index.remember(`before-patches:${kustomizationFile}`, () => {
    // The render reads the kustomization through a buffer holding the changed text: depend on the file itself.
    index.text(kustomizationFile);
    return render().resources;
  });
}

const screens = new WeakMap<FleetIndex, Map<string, KustomizationScreen>>();

/**
 * The entries (by position in `entries`) that look redundant on the objects they touch, given the
 * objects the kustomization renders before its patches. Each still needs the exact check.
 */
export function screenPatches(
  index: FleetIndex,
  kustomizationFile: string,
  before: Resource[],
  entries: readonly ScreenEntry[],
): Set<number> {
  const candidates = new Set<number>();
  let byFile = screens.get(index);
  if (!byFile) screens.set(index, (byFile = new Map()));
  let screen = byFile.get(kustomizationFile);
  if (!screen || screen.before !== before) byFile.set(kustomizationFile, (screen = new KustomizationScreen(before, kustomizationFile)));
  if (before.length === 0) return candidates;
  const keys = entries.map((e) => (e.config ? configKey(e.field, e.config) : ''));
  const touched = new Map<Resource, number[]>();
  const targets = entries.map((e, i) => {
    if (!e.config) return [];
    const hit = screen.targets(e.field, e.config, keys[i]);
    for (const r of hit) {
      const order = touched.get(r);
      if (order) order.push(i);
      else touched.set(r, [i]);
    }
    return hit;
  });
  entries.forEach((_, i) => {
    if (targets[i].length === 0) return;
    const same = targets[i].every((r) => {
      const order = touched.get(r)!;
      return screen.verdict(r, order, entries, keys)[order.indexOf(i)];
    });
    if (same) candidates.add(i);
  });
  screen.keepOnly(new Set(keys), new Set(touched.keys()));
  return candidates;
}

/** Forgets what was kept for kustomizations no longer in the fleet (or without patches now). */
export function forgetKustomizationsExcept(index: FleetIndex, kustomizationFiles: ReadonlySet<string>): void {
  const byFile = screens.get(index);
  if (byFile) for (const file of [...byFile.keys()]) if (!kustomizationFiles.has(file)) byFile.delete(file);
}
