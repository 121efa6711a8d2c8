// Seeded, reproducible mutations of a fleet held in memory. YAML-aware ones edit the parsed tree (delete,
// duplicate or retype a node, insert anchors and aliases, point paths somewhere hostile, add include and
// dependsOn cycles); text ones do what editors and broken tools do (cut a file, tabs, CRLF, BOM, binary
// bytes, thousands of documents). The same (seed, iteration) always gives the same fleet.
import {
  Alias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import type { FleetFiles } from './corpus';

/** mulberry32: small, fast and good enough to pick mutations. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

export interface Rng {
  next(): number;
  /** 0 <= result < n */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** The seed of one iteration of a run: independent of the iterations before it, so any one can be replayed. */
export function iterationSeed(runSeed: number, iteration: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ iteration, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const HOSTILE_SCALARS: readonly unknown[] = [
  0,
  -1,
  1.5,
  2n ** 70n,
  true,
  null,
  '',
  'x',
  '~',
  'yes',
  '0x1F',
  '.inf',
  '1e400',
  '2001-12-14',
  '${VAR}',
  '${VAR:=x}',
  '$${ESC}',
  '../../../../etc',
  '/etc/passwd',
  '/',
  '.',
  './',
  '..',
  'https://example.com/evil.git//x',
  'file:///etc/passwd',
  'github.com/org/repo//path?ref=main',
  'ssh://git@host/x',
  '\u0000',
  '\u007f',
  'a\tb',
  'name:',
  '- x',
  '{',
  '[',
  '*',
  '&',
  '!!binary',
  'é€😀',
  'x'.repeat(300),
];

const KEYS: readonly string[] = [
  'resources',
  'components',
  'bases',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'images',
  'replicas',
  'labels',
  'commonLabels',
  'commonAnnotations',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'replacements',
  'crds',
  'sortOptions',
  'vars',
  'configurations',
  'openapi',
  'helmCharts',
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'name',
  'dependsOn',
  'path',
  'sourceRef',
  'postBuild',
  'substitute',
  'substituteFrom',
  'healthChecks',
  'targetNamespace',
  'target',
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  'containers',
  'image',
  'data',
  'stringData',
  '<<',
];

interface Slot {
  /** The collection holding the node, and where. */
  parent: YAMLMap | YAMLSeq;
  index: number;
  node: YamlNode | null;
}

function slotsOf(doc: Document.Parsed): Slot[] {
  const slots: Slot[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 40 || slots.length > 5000) return;
    if (isMap(node) || isSeq(node)) {
      node.items.forEach((item, index) => {
        const value = isPair(item) ? item.value : item;
        slots.push({ parent: node, index, node: (value as YamlNode | null) ?? null });
        walk(value, depth + 1);
      });
    }
  };
  walk(doc.contents, 0);
  return slots;
}

function valueNode(doc: Document.Parsed, rng: Rng): YamlNode {
  const kind = rng.int(6);
  if (kind === 0) return doc.createNode({}) as YamlNode;
  if (kind === 1) return doc.createNode([rng.pick(HOSTILE_SCALARS)]) as YamlNode;
  if (kind === 2) return doc.createNode({ [rng.pick(KEYS)]: rng.pick(HOSTILE_SCALARS) }) as YamlNode;
  return new Scalar(rng.pick(HOSTILE_SCALARS));
}

function setSlot(slot: Slot, node: YamlNode | null): void {
  const item = slot.parent.items[slot.index];
  if (isPair(item)) item.value = node;
  else (slot.parent.items as unknown[])[slot.index] = node;
}

type TreeMutation = (doc: Document.Parsed, rng: Rng, ctx: MutationContext) => boolean;

interface MutationContext {
  file: string;
  paths: readonly string[];
  names: readonly string[];
}

const treeMutations: Record<string, TreeMutation> = {
  deleteNode(doc, rng) {
    const slots = slotsOf(doc);
    if (slots.length === 0) return false;
    const s = rng.pick(slots);
    s.parent.items.splice(s.index, 1);
    return true;
  },
  duplicateNode(doc, rng) {
    const slots = slotsOf(doc);
    if (slots.length === 0) return false;
    const s = rng.pick(slots);
    const item = s.parent.items[s.index];
    const copy = isPair(item)
      ? new Pair((item.key as YamlNode | null)?.clone?.() ?? item.key, (item.value as YamlNode | null)?.clone?.() ?? item.value)
      : ((item as YamlNode | null)?.clone?.() ?? item);
    (s.parent.items as unknown[]).splice(s.index + 1, 0, copy);
    return true;
  },
  retypeNode(doc, rng) {
    const slots = slotsOf(doc);
    if (slots.length === 0) return false;
    setSlot(rng.pick(slots), valueNode(doc, rng));
    return true;
  },
  addField(doc, rng, ctx) {
    const maps = slotsOf(doc)
      .map((s) => s.node)
      .filter((n): n is YAMLMap => isMap(n));
    const target =
      isMap(doc.contents) && (maps.length === 0 || rng.chance(0.5))
        ? (doc.contents as unknown as YAMLMap<unknown, unknown>)
        : rng.pick(maps);
    if (!target) return false;
    const key = rng.pick(KEYS);
    const value = rng.chance(0.5) ? [rng.pick(ctx.paths)] : valueNode(doc, rng);
    target.set(key, value);
    return true;
  },
  insertAlias(doc, rng) {
    const slots = slotsOf(doc).filter((s) => s.node && !(s.node instanceof Alias));
    if (slots.length < 1) return false;
    const anchored = rng.pick(slots);
    const anchor = `a${rng.int(1000)}`;
    (anchored.node as YamlNode & { anchor?: string }).anchor = anchor;
    // Anywhere, including inside the anchored node itself (a recursive alias).
    const into = rng.pick(slotsOf(doc));
    setSlot(into, new Alias(anchor) as unknown as YamlNode);
    return true;
  },
  hostilePath(doc, rng, ctx) {
    const scalars = slotsOf(doc).filter((s) => isScalar(s.node) && typeof (s.node as Scalar).value === 'string');
    if (scalars.length === 0) return false;
    const choices = [
      ...ctx.paths,
      '../../../../../etc',
      '/etc',
      '/',
      '.',
      './',
      '..',
      'file:///etc/passwd',
      'https://github.com/org/repo//x?ref=v1',
      ...ctx.names,
    ];
    setSlot(rng.pick(scalars), new Scalar(rng.pick(choices)));
    return true;
  },
  addCycle(doc, rng, ctx) {
    if (!isMap(doc.contents)) return false;
    const root = doc.contents as unknown as YAMLMap<unknown, unknown>;
    const isFluxKs = root.get('kind') === 'Kustomization' && String(root.get('apiVersion') ?? '').includes('toolkit');
    if (isFluxKs) {
      const spec = root.get('spec');
      const own = (root.getIn(['metadata', 'name']) as string | undefined) ?? 'x';
      const deps = [{ name: rng.chance(0.5) ? own : rng.pick([...ctx.names, own]) }];
      if (isMap(spec)) spec.set('dependsOn', deps);
      else root.set('spec', { dependsOn: deps, path: rng.pick(['./', '.', ...ctx.paths]) });
      return true;
    }
    root.set(rng.pick(['resources', 'components', 'bases']), [rng.pick(['.', './', '..', '../..', ...ctx.paths])]);
    return true;
  },
  aliasBomb(doc, rng) {
    if (!isMap(doc.contents)) return false;
    const levels = 3 + rng.int(8);
    const width = 3 + rng.int(7);
    for (let i = 0; i < levels; i++) {
      const items = Array.from({ length: width }, () => (i === 0 ? new Scalar('lol') : new Alias(`b${i - 1}`)));
      const seq = new YAMLSeq();
      seq.items = items as unknown as YamlNode[];
      seq.anchor = `b${i}`;
      (doc.contents as unknown as YAMLMap<unknown, unknown>).set(`bomb${i}`, seq);
    }
    return true;
  },
  deepNesting(doc, rng) {
    if (!isMap(doc.contents)) return false;
    let node: unknown = 'bottom';
    const depth = 50 + rng.int(700);
    for (let i = 0; i < depth; i++) node = rng.chance(0.5) ? [node] : { k: node };
    (doc.contents as unknown as YAMLMap<unknown, unknown>).set(rng.pick(KEYS), node);
    return true;
  },
};

type TextMutation = (text: string, rng: Rng) => string;

const textMutations: Record<string, TextMutation> = {
  cut: (t, rng) => t.slice(0, rng.int(t.length + 1)),
  tab: (t, rng) => insertAt(t, rng, '\t'),
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  bom: (t) => '\ufeff' + t,
  binary: (t, rng) => insertAt(t, rng, String.fromCharCode(...Array.from({ length: 1 + rng.int(8) }, () => rng.int(32)))),
  // What a Latin-1 file decodes to when read as UTF-8, and a lone surrogate.
  notUtf8: (t, rng) => insertAt(t, rng, rng.chance(0.5) ? '\ufffd\ufffd' : '\ud800'),
  manyDocuments: (t, rng) => t + '\n---\nkind: ConfigMap\n'.repeat(50 + rng.int(1000)),
  duplicateKey: (t) => {
    const m = /^([A-Za-z$][\w$/-]*):.*$/m.exec(t);
    return m ? t + '\n' + m[0] + '\n' : t;
  },
  dedent: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    lines[i] = lines[i].replace(/^\s+/, rng.chance(0.5) ? '' : ' ');
    return lines.join('\n');
  },
  swapLines: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    const j = rng.int(lines.length);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  controlWord: (t, rng) =>
    insertAt(
      t,
      rng,
      rng.pick(['&x ', '*x', '!!str ', '!custom ', '<<: *x\n', '? ', '|', '>-', '%YAML 1.1\n', '---', '...', '#', '"', "'"]),
    ),
  empty: () => '',
};

function insertAt(text: string, rng: Rng, piece: string): string {
  const at = rng.int(text.length + 1);
  return text.slice(0, at) + piece + text.slice(at);
}

type FileMutation = (files: FleetFiles, rng: Rng) => string | undefined;

const fileMutations: Record<string, FileMutation> = {
  deleteFile(files, rng) {
    const f = rng.pick(Object.keys(files));
    delete files[f];
    return `deleteFile ${f}`;
  },
  renamePath(files, rng) {
    const f = rng.pick(Object.keys(files));
    const parts = f.split('/');
    const i = rng.int(parts.length);
    parts[i] = rng.pick(['renamed', 'kustomization.yaml', 'Kustomization', 'kustomization.yml', parts[i] + '-x']);
    const to = parts.join('/');
    if (to === f) return undefined;
    files[to] = files[f];
    delete files[f];
    return `renamePath ${f} -> ${to}`;
  },
  copyFile(files, rng) {
    const from = rng.pick(Object.keys(files));
    const dir = rng.pick(Object.keys(files)).split('/').slice(0, -1).join('/');
    const to = `${dir ? dir + '/' : ''}${from.split('/').pop()}`;
    files[to] = files[from];
    return `copyFile ${from} -> ${to}`;
  },
};

export interface Mutated {
  files: FleetFiles;
  /** What was done, in order: the reproduction recipe printed with a crash. */
  log: string[];
  /** The file most recently mutated: the editor features are exercised on it. */
  focus: string | undefined;
}

/** Applies 1..maxMutations random mutations to a copy of the fleet. */
export function mutateFleet(original: FleetFiles, rng: Rng, maxMutations = 3): Mutated {
  const files: FleetFiles = { ...original };
  const log: string[] = [];
  let focus: string | undefined;
  const count = 1 + rng.int(maxMutations);
  for (let m = 0; m < count; m++) {
    const names = Object.keys(files);
    if (names.length === 0) break;
    const roll = rng.next();
    if (roll < 0.12) {
      const name = rng.pick(Object.keys(fileMutations));
      const done = fileMutations[name](files, rng);
      if (done) log.push(done);
      continue;
    }
    const file = rng.pick(names);
    focus = file;
    if (roll < 0.45) {
      const name = rng.pick(Object.keys(textMutations));
      files[file] = textMutations[name](files[file], rng);
      log.push(`${name} ${file}`);
      continue;
    }
    const name = rng.pick(Object.keys(treeMutations));
    const text = applyTreeMutation(files[file], rng, treeMutations[name], {
      file,
      paths: pathsAround(file, names),
      names: fluxNames(files),
    });
    if (text !== undefined) {
      files[file] = text;
      log.push(`${name} ${file}`);
    }
  }
  return { files, log, focus };
}

function applyTreeMutation(text: string, rng: Rng, mutation: TreeMutation, ctx: MutationContext): string | undefined {
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.length === 0 || docs.some((d) => d.errors.length > 0)) return undefined;
    const doc = rng.pick(docs);
    if (!mutation(doc, rng, ctx)) return undefined;
    return docs.map((d) => d.toString({ lineWidth: 0 })).join('---\n');
  } catch {
    // The mutator itself could not print what it built (an alias to an anchor printed later): not an engine finding.
    return undefined;
  }
}

/** Relative references from the file's folder to the other files and folders of the fleet. */
function pathsAround(file: string, files: readonly string[]): string[] {
  const dir = file.split('/').slice(0, -1);
  const out = new Set<string>();
  for (const other of files) {
    const parts = other.split('/');
    let common = 0;
    while (common < dir.length && common < parts.length - 1 && dir[common] === parts[common]) common++;
    const up = dir.length - common;
    const rest = parts.slice(common);
    out.add([...Array(up).fill('..'), ...rest].join('/'));
    if (rest.length > 1) out.add([...Array(up).fill('..'), ...rest.slice(0, -1)].join('/') || '.');
  }
  return [...out].sort().slice(0, 50);
}

function fluxNames(files: FleetFiles): string[] {
  const names = new Set<string>();
  for (const text of Object.values(files)) {
    for (const m of text.matchAll(/^kind: Kustomization\n(?:.*\n){0,3}?\s+name: ([\w.-]+)/gm)) names.add(m[1]);
  }
  return [...names].sort();
}
