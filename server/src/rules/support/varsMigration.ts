// The `vars` -> `replacements` migration. A var is resolved at the top of the build and substitutes `$(NAME)`
// wherever the varReference field specs reach; a replacement runs at the end of its own kustomization and
// writes named fields. The plan is taken from what the vars step actually substitutes (recorded during a
// render of the kustomization's folder), so the targets are exactly the fields the build changes; the caller
// then renders with the edit and offers it only when every folder building this kustomization prints the same.
import * as path from 'path';
import { isMap, isNode, isScalar, isSeq, parseDocument, visit, type Node as YamlNode } from 'yaml';
import type { FleetIndex } from '../../fleet/fleetIndex';
import { overlayFileSystem } from '../../kustomize/fs';
import { renderKustomization } from '../../kustomize/render';
import { helmOf } from './overlayRenderSupport';
import { isObject, splitApiVersion } from '../../kustomize/resource';
import { originalId } from '../../kustomize/select';
import { parseVarFieldPath, recordingVars, type VarDefinition, type VarSubstitution } from '../../kustomize/transformers/vars';
import type { Json, JsonObject } from '../../kustomize/types';
import { emitYaml } from '../../kustomize/yaml/emit';

/** A YAML value written with its keys in the order given (kustomize's docs order, not the printer's sorted one). */
export type Out = string | number | Out[] | { entries: Array<[string, Out]> };

/** List items addressed `[name=x]` (readable, and what people write) or by position (when names would not do). */
export type PathStyle = 'names' | 'indexes';

export interface PlannedVar {
  /** The var's index in `vars`. */
  index: number;
  /** The `replacements` entry, or undefined for a var the build never substitutes (it is dropped). */
  entry?: Out;
}

export type VarsPlan = { vars: PlannedVar[]; usesNames: boolean } | { declined: string };

const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;

/** A replacement fieldPath segment for a map key, or undefined when kustomize's path syntax cannot name it. */
function keySegment(key: string): string | undefined {
  // Digits read as a list index and `*` as a wildcard, bracketed or not; `[`, `]` and `=` would start a matcher.
  if (key === '' || key === '*' || /^[0-9]+$/.test(key) || /[[\]=]/.test(key)) return undefined;
  return SIMPLE_KEY.test(key) ? key : `[${key}]`;
}

/** `path` in `object` as a replacement fieldPath. */
function fieldPathText(
  object: Json,
  valuePath: ReadonlyArray<string | number>,
  style: PathStyle,
): { text: string; named: boolean } | undefined {
  const out: string[] = [];
  let node: Json | undefined = object;
  let named = false;
  for (const seg of valuePath) {
    if (typeof seg === 'number') {
      const list: Json[] = Array.isArray(node) ? node : [];
      const item: Json | undefined = list[seg];
      const name = isObject(item) ? item.name : undefined;
      const unique = typeof name === 'string' && SIMPLE_KEY.test(name) && list.filter((x) => isObject(x) && x.name === name).length === 1;
      if (style === 'names' && unique) {
        out.push(`[name=${name}]`);
        named = true;
      } else out.push(String(seg));
      node = item;
    } else {
      const key = keySegment(seg);
      if (key === undefined) return undefined;
      out.push(key);
      node = isObject(node) ? node[seg] : undefined;
    }
  }
  return { text: out.join('.'), named };
}

/** The replacement source for a var: objref's id (apiVersion split as the selector takes it) and the field. */
function sourceOf(v: VarDefinition): Out | undefined {
  const str = (x: Json | undefined) => (typeof x === 'string' ? x : '');
  let group = str(v.objref.group);
  let version = str(v.objref.version);
  if (str(v.objref.apiVersion) !== '') ({ group, version } = splitApiVersion(str(v.objref.apiVersion)));
  const fieldPath = fieldPathText(null, parseVarFieldPath(v.fieldPath), 'indexes');
  if (!fieldPath) return undefined;
  const entries: Array<[string, Out]> = [];
  for (const [k, value] of [
    ['group', group],
    ['version', version],
    ['kind', str(v.objref.kind)],
    ['name', str(v.objref.name)],
    ['namespace', str(v.objref.namespace)],
  ]) {
    if (value !== '') entries.push([k, value]);
  }
  entries.push(['fieldPath', fieldPath.text]);
  return { entries };
}

/** A piece of a string as the vars step reads it: text kept as is, or a reference to one of this kustomization's vars. */
interface Token {
  text: string;
  ref?: string;
  /** Literal text written in the file (a var's value put in its place is not). */
  literal: boolean;
}

/** Mirrors the vars step's reading (`expandVars`): `$$` and references to other or unknown names stay text. */
function tokenize(text: string, own: ReadonlySet<string>): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$' || i + 1 >= text.length || (text[i + 1] !== '(' && text[i + 1] !== '$')) {
      literal += text[i];
      continue;
    }
    if (text[i + 1] === '$') {
      literal += '$$';
      i++;
      continue;
    }
    const close = text.indexOf(')', i + 2);
    if (close < 0) {
      literal += text.slice(i);
      break;
    }
    const name = text.slice(i + 2, close);
    if (own.has(name)) {
      if (literal !== '') tokens.push({ text: literal, literal: true });
      literal = '';
      tokens.push({ text: `$(${name})`, ref: name, literal: true });
    } else literal += text.slice(i, close + 1);
    i = close;
  }
  if (literal !== '') tokens.push({ text: literal, literal: true });
  return tokens;
}

/**
 * The delimiter and index that make the reference at `at` one piece of the string, so that a replacement with
 * these options writes the value there and nothing else. The delimiter comes from the text written next to
 * the reference, shortest first.
 */
function delimiterFor(tokens: readonly Token[], at: number): { delimiter: string; index: number } | undefined {
  const text = tokens.map((t) => t.text).join('');
  const start = tokens.slice(0, at).reduce((n, t) => n + t.text.length, 0);
  const end = start + tokens[at].text.length;
  const before = at > 0 && tokens[at - 1].literal && !tokens[at - 1].ref ? tokens[at - 1].text : '';
  const after = at + 1 < tokens.length && tokens[at + 1].literal && !tokens[at + 1].ref ? tokens[at + 1].text : '';
  const candidates = new Set<string>();
  for (let n = 1; n <= Math.max(before.length, after.length); n++) {
    if (n <= before.length) candidates.add(before.slice(before.length - n));
    if (n <= after.length) candidates.add(after.slice(0, n));
  }
  for (const delimiter of candidates) {
    let offset = 0;
    const pieces = text.split(delimiter);
    for (let index = 0; index < pieces.length; index++) {
      if (offset === start && offset + pieces[index].length === end) return { delimiter, index };
      offset += pieces[index].length + delimiter.length;
    }
  }
  return undefined;
}

function placeOf(object: JsonObject, valuePath: ReadonlyArray<string | number>): string {
  const meta = isObject(object.metadata) ? object.metadata : {};
  return `${String(object.kind)}/${String(meta.name)} ${valuePath.join('.')}`;
}

/** Renders the kustomization's folder once, recording what its vars resolve to and every place they are substituted. */
function record(
  index: FleetIndex,
  file: string,
): { values: Map<string, { raw: Json; text: string }>; substitutions: VarSubstitution[]; definitions: VarDefinition[] } | undefined {
  const values = new Map<string, { raw: Json; text: string }>();
  const definitions: VarDefinition[] = [];
  const substitutions: VarSubstitution[] = [];
  const render = recordingVars(
    {
      resolved(definition, raw, text) {
        if (definition.origin.file !== file) return;
        values.set(definition.name, { raw, text });
        definitions.push(definition);
      },
      substituted: (s) => substitutions.push(s),
    },
    () => renderKustomization(path.posix.dirname(file), { fs: index.fs, repoRoot: index.root, cache: index.buildCache, ...helmOf(index) }),
  );
  return render.yaml === undefined ? undefined : { values, substitutions, definitions };
}

/** One `replacements` entry per var of the kustomization at `file` (its `vars` value is `vars`), or why there is none. */
export function planVarsMigration(index: FleetIndex, file: string, vars: Json, style: PathStyle): VarsPlan {
  if (!Array.isArray(vars)) return { declined: "'vars' is not a list" };
  const names: string[] = [];
  for (const v of vars) {
    if (!isObject(v) || typeof v.name !== 'string' || !isObject(v.objref)) return { declined: 'a var without a name and an objref' };
    names.push(v.name);
  }
  const recorded = record(index, file);
  if (!recorded) return { declined: 'the folder does not build' };
  const own = new Set(recorded.definitions.map((d) => d.name));

  // Each substituted field once, as the vars step found it, split at this kustomization's references.
  const fields: Array<{ s: VarSubstitution; tokens: Token[]; target: { text: string; named: boolean } }> = [];
  for (const s of recorded.substitutions) {
    if (!s.used.some((d) => d.origin.file === file)) continue;
    const where = placeOf(s.resource.object, s.path);
    // `$$` is vars' escape for a dollar; a replacement would leave both.
    if (s.before.includes('$$')) return { declined: `${where} holds '$$', which vars unescape and replacements do not` };
    const target = fieldPathText(s.resource.object, s.path, style);
    if (!target) return { declined: `${where} cannot be written as a replacement fieldPath` };
    fields.push({ s, tokens: tokenize(s.before, own), target });
  }

  const planned: PlannedVar[] = [];
  for (const [i, name] of names.entries()) {
    const definition = recorded.definitions.find((d) => d.name === name);
    if (!definition) return { declined: `var '${name}' is not resolved by this folder's build` };
    const value = recorded.values.get(name)!;
    const targets: Array<{ select: Out; fieldPath: string; options?: { delimiter: string; index: number } }> = [];
    for (const field of fields) {
      for (let t = 0; t < field.tokens.length; t++) {
        if (field.tokens[t].ref !== name) continue;
        const where = placeOf(field.s.resource.object, field.s.path);
        let options: { delimiter: string; index: number } | undefined;
        if (field.tokens.length === 1) {
          // A whole-value reference takes the value with its type; a replacement keeps the field's (a string).
          if (typeof value.raw !== 'string')
            return {
              declined: `$(${name}) is the whole of ${where} and its value is not a string, which vars keep and a replacement would quote`,
            };
        } else {
          options = delimiterFor(field.tokens, t);
          if (!options)
            return {
              declined: `$(${name}) is part of '${field.s.before}' (${where}) and no delimiter around it isolates it for options.delimiter/index`,
            };
        }
        field.tokens[t] = { text: value.text, literal: false };
        const id = originalId(field.s.resource);
        const select: Array<[string, Out]> = [
          ['kind', id.kind],
          ['name', id.name],
        ];
        if (id.namespace !== '') select.push(['namespace', id.namespace]);
        targets.push({ select: { entries: select }, fieldPath: field.target.text, options });
      }
    }
    if (targets.length === 0) {
      planned.push({ index: i });
      continue;
    }
    const source = sourceOf(definition);
    if (!source) return { declined: `the fieldPath of var '${name}' cannot be written as a replacement fieldPath` };
    // Neighbouring targets on the same object with the same options become one target with several fieldPaths.
    const grouped: Array<{ select: Out; fieldPaths: string[]; options?: { delimiter: string; index: number } }> = [];
    for (const target of targets) {
      const last = grouped[grouped.length - 1];
      if (
        last &&
        JSON.stringify(last.select) === JSON.stringify(target.select) &&
        JSON.stringify(last.options) === JSON.stringify(target.options)
      )
        last.fieldPaths.push(target.fieldPath);
      else grouped.push({ select: target.select, fieldPaths: [target.fieldPath], options: target.options });
    }
    const targetOut: Out[] = grouped.map((g) => {
      const entries: Array<[string, Out]> = [
        ['select', g.select],
        ['fieldPaths', g.fieldPaths],
      ];
      if (g.options)
        entries.push([
          'options',
          {
            entries: [
              ['delimiter', g.options.delimiter],
              ['index', g.options.index],
            ],
          },
        ]);
      return { entries };
    });
    planned.push({
      index: i,
      entry: {
        entries: [
          ['source', source],
          ['targets', targetOut],
        ],
      },
    });
  }
  return { vars: planned, usesNames: fields.some((f) => f.target.named) };
}

function scalar(value: string | number): string | undefined {
  const text = emitYaml(value).replace(/\n$/, '');
  return text.includes('\n') ? undefined : text;
}

/** A block list (dashes at `column`) or block map (keys at `column`); nested lists are indented by `seqIndent`. */
function blockLines(value: Out[] | { entries: Array<[string, Out]> }, column: number, seqIndent: number): string[] | undefined {
  const pad = ' '.repeat(column);
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'object') {
        const text = scalar(item);
        if (text === undefined) return undefined;
        out.push(`${pad}- ${text}`);
        continue;
      }
      const lines = blockLines(item, column + 2, seqIndent);
      if (!lines || lines.length === 0) return undefined;
      out.push(`${pad}- ${lines[0].slice(column + 2)}`, ...lines.slice(1));
    }
    return out;
  }
  for (const [key, v] of value.entries) {
    if (typeof v !== 'object') {
      const text = scalar(v);
      if (text === undefined) return undefined;
      out.push(`${pad}${key}: ${text}`);
      continue;
    }
    const nested = blockLines(v, Array.isArray(v) ? column + seqIndent : column + 2, seqIndent);
    if (!nested) return undefined;
    out.push(`${pad}${key}:`, ...nested);
  }
  return out;
}

/** A `replacements` list item with its dash at `dash`, nested lists indented by `seqIndent` like the file's own lists. */
export function entryLines(entry: Out, dash: number, seqIndent: number): string[] | undefined {
  return blockLines([entry], dash, seqIndent);
}

/** Comments written in the `vars` block, per var: those above or inside it, and those after it. */
export interface VarComments {
  head: string[];
  before: string[][];
  after: string[][];
  tail: string[];
}

function commentLines(text: string | null | undefined): string[] {
  return text ? text.split('\n').map((l) => `#${l.replace(/\r$/, '')}`) : [];
}

export function varComments(text: string, key: string): VarComments | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair || !isNode(pair.key)) return undefined;
  const out: VarComments = { head: [...commentLines(pair.key.comment)], before: [], after: [], tail: [] };
  const seq = pair.value;
  if (!isSeq(seq)) return out;
  out.head.push(...commentLines(seq.commentBefore));
  for (const item of seq.items) {
    const before: string[] = [];
    if (isNode(item)) {
      before.push(...commentLines(item.commentBefore));
      visit(item as YamlNode, {
        Node(_, node) {
          if (node === item) return;
          before.push(...commentLines(node.commentBefore), ...commentLines(node.comment));
        },
      });
    }
    out.before.push(before);
    out.after.push(isNode(item) ? commentLines(item.comment) : []);
  }
  out.tail.push(...commentLines(seq.comment));
  return out;
}

/**
 * Why the repository would build differently with `newText` as the kustomization at `file`, or undefined when
 * it would not: its own folder and every folder whose build reads it (their vars include this one's) print the same.
 */
export function renderChange(index: FleetIndex, file: string, newText: string): string | undefined {
  const dir = path.posix.dirname(file);
  const fs = overlayFileSystem(index.fs, new Map([[file, newText]]));
  const folders = [
    dir,
    ...index
      .kustomizationFiles()
      .map((f) => path.posix.dirname(f))
      .filter((d) => d !== dir && index.renderFolder(d).filesRead.has(file)),
  ];
  for (const folder of folders) {
    const before = index.renderFolder(folder).yaml;
    // A folder that does not build prints nothing either way.
    if (before === undefined && folder !== dir) continue;
    const after = renderKustomization(folder, { fs, repoRoot: index.root, cache: index.buildCache, ...helmOf(index) }).yaml;
    if (before === undefined || after !== before) {
      const rel = path.posix.relative(index.root, folder) || '.';
      return folder === dir
        ? `with replacements the folder would render differently (a replacement reads its source where this kustomization's transformers end, a var after the build's name suffixes and references)`
        : `'${rel}' builds this kustomization and would render differently (its own objects use these vars, or it changes the fields they read)`;
    }
  }
  return undefined;
}
