// Hover: on a Flux Kustomization's spec.path, what it is relative to in each cluster; on a dependsOn entry, the Kustomization it names (path, prune/wait, what it applies by kind); on a
// patch entry or patch file, the objects it changes in the render and the values it sets; on an `images:`
// entry or a container image, the image each environment finally runs. Secret values are never shown.
import * as path from 'path';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf } from '../flux/dependsOn';
import { getPath, isObject } from '../kustomize/resource';
import type { Json, Resource } from '../kustomize/types';
import { collectVars, isSecretVariable } from '../flux/substitute';
import { clusterViews } from '../rules/support/fluxClusters';
import { findIn } from './completion';
import { cursorAt, fileOfUri, type Cursor } from './cursor';
import { isKustomizationFile } from './definition';
import {
  containersOf,
  fluxObjectAt,
  kustomizationInClusters,
  objectsPatchedBy,
  patchEntriesUsingFile,
  renderedFrom,
  type PatchEntryRef,
} from './targets';

const PATCH_FIELDS = ['patches', 'patchesStrategicMerge', 'patchesJson6902'];
const MAX_LISTED = 20;
const IDENTITY_PATHS = new Set(['apiVersion', 'kind', 'metadata/name', 'metadata/namespace']);

export function hover(index: FleetIndex, params: HoverParams): Hover | null {
  try {
    const file = fileOfUri(params.textDocument.uri);
    if (!file) return null;
    const variable = variableHover(index, file, params.position);
    if (variable) return variable;
    const cursor = cursorAt(index, file, params.position);
    if (!cursor) return null;
    const markdown =
      dependsOnHover(index, cursor) ?? specPathHover(index, cursor) ?? patchHover(index, cursor) ?? imageHover(index, cursor);
    return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown }, range: cursor.range } : null;
  } catch {
    return null;
  }
}

function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

/**
 * On a Flux Kustomization's spec.path: what the path is relative to in each cluster that applies it (the
 * repository, the folder an OCI artifact is built from, an ExternalArtifact, another repository), from
 * the Flux graph, and how many objects it applies there.
 */
function specPathHover(index: FleetIndex, cursor: Cursor): string | undefined {
  const p = cursor.path;
  if (p.length !== 2 || p[0] !== 'spec' || p[1] !== 'path') return undefined;
  const lines: string[] = [];
  for (const env of index.environments().environments) {
    for (const node of env.cluster?.nodes.values() ?? []) {
      const ks = node.kustomization;
      if (ks.place.file !== cursor.file || ks.place.documentIndex !== cursor.document.index) continue;
      const source = node.source;
      const where =
        source.kind === 'repository'
          ? source.root === index.root
            ? 'the repository root'
            : `${code(path.posix.relative(index.root, source.root) + '/')}, the folder ${source.source} is built from`
          : source.kind === 'artifact'
            ? `${source.source}, assembled by an ArtifactGenerator`
            : source.note;
      const applies = node.result ? `; applies ${node.result.resources.length} object${node.result.resources.length === 1 ? '' : 's'}` : '';
      lines.push(`- cluster ${code(env.name)}: ${code(ks.path ?? './')} is relative to ${where}${applies}`);
    }
  }
  return lines.length > 0 ? `**spec.path** as Flux resolves it\n\n${lines.join('\n')}` : undefined;
}

function dependsOnHover(index: FleetIndex, cursor: Cursor): string | undefined {
  const p = cursor.path;
  if (p[0] !== 'spec' || p[1] !== 'dependsOn' || typeof p[2] !== 'number') return undefined;
  const indexed = fluxObjectAt(index, cursor.file, cursor.document.index);
  if (indexed?.object.kind !== 'Kustomization') return undefined;
  const clusters = kustomizationInClusters(index, cursor.file, cursor.document.index);
  const sections: string[] = [];
  const seen = new Set<string>();
  for (const { view, ks } of clusters) {
    const ref = ks.dependsOn.find((d) => d.path[2] === p[2]);
    if (!ref) continue;
    const target = view.kustomizations.get(keyOf(ref));
    const id = target ? `${target.ks.place.file}#${target.ks.place.documentIndex}` : `missing:${keyOf(ref)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!target) {
      sections.push(`**Kustomization ${code(keyOf(ref))}**: no Kustomization of that name in cluster ${code(view.name)}.`);
      continue;
    }
    const t = target.ks;
    const counts = new Map<string, number>();
    for (const r of target.result.resources) counts.set(String(r.object.kind), (counts.get(String(r.object.kind)) ?? 0) + 1);
    const applies = [...counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    const rel = path.posix.relative(index.root, t.place.file);
    sections.push(
      [
        `**Kustomization ${code(keyOf(t))}** (cluster ${code(view.name)}, ${code(rel)})`,
        '',
        `- path: ${code(t.path ?? './')}`,
        `- prune: ${t.prune === undefined ? 'not set' : String(t.prune)}, wait: ${String(t.wait)}${t.healthChecks.length ? `, ${t.healthChecks.length} health check(s)` : ''}`,
        `- applies: ${applies || 'nothing'}`,
      ].join('\n'),
    );
  }
  return sections.length ? sections.join('\n\n---\n\n') : undefined;
}

function patchHover(index: FleetIndex, cursor: Cursor): string | undefined {
  let entries: PatchEntryRef[];
  if (isKustomizationFile(cursor.file)) {
    const [field, entry] = cursor.path;
    if (typeof field !== 'string' || !PATCH_FIELDS.includes(field) || typeof entry !== 'number') return undefined;
    const written = getPath(cursor.document.value, [field, entry]);
    const ref = field === 'patchesStrategicMerge' ? written : isObject(written) ? written.path : undefined;
    const patchFile = typeof ref === 'string' && !ref.includes('\n') ? path.posix.join(path.posix.dirname(cursor.file), ref) : undefined;
    entries = [{ kustomizationFile: cursor.file, field: field as PatchEntryRef['field'], entry, ...(patchFile ? { patchFile } : {}) }];
  } else {
    entries = patchEntriesUsingFile(index, cursor.file);
    if (entries.length === 0) return undefined;
  }
  const sections: string[] = [];
  for (const e of entries) {
    const patched = objectsPatchedBy(index, e.kustomizationFile, e.field, e.entry, e.patchFile);
    const where = `${code(`${e.field}[${e.entry}]`)} of ${code(path.posix.relative(index.root, e.kustomizationFile))}`;
    if (patched.length === 0) {
      sections.push(`**Patch** ${where}: changes no object in this kustomization's render.`);
      continue;
    }
    const lines = [`**Patch** ${where} changes ${patched.length} object(s):`, ''];
    for (const { resource, paths } of patched.slice(0, MAX_LISTED)) {
      lines.push(`- ${code(objectLabel(resource))}`);
      // A strategic merge patch names its object; repeating the identity is not a change.
      for (const p of paths.filter((x) => !IDENTITY_PATHS.has(x)).slice(0, MAX_LISTED))
        lines.push(`  - ${code(p.replace(/\//g, '.'))}${valueText(resource, p)}`);
    }
    if (patched.length > MAX_LISTED) lines.push(`- and ${patched.length - MAX_LISTED} more`);
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n---\n\n');
}

function objectLabel(r: Resource): string {
  const meta = isObject(r.object.metadata) ? r.object.metadata : {};
  const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${String(r.object.kind)}/${ns}${String(meta.name)}`;
}

/** ` = value` for short scalars; nothing for Secrets (their values stay hidden) or structures. */
function valueText(r: Resource, p: string): string {
  if (r.object.kind === 'Secret') return '';
  const value: Json | undefined = getPath(
    r.object,
    p.split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  );
  if (value === undefined || value === null || typeof value === 'object') return '';
  const text = String(value);
  return text.length > 80 || text.includes('\n') ? '' : ` = ${code(text)}`;
}

function imageHover(index: FleetIndex, cursor: Cursor): string | undefined {
  const p = cursor.path;
  if (isKustomizationFile(cursor.file)) {
    if (p[0] !== 'images' || typeof p[1] !== 'number') return undefined;
    const entry = getPath(cursor.document.value, ['images', p[1]]);
    if (!isObject(entry) || typeof entry.name !== 'string') return undefined;
    const step = `images[${entry.name}]`;
    const finals = new Map<string, Set<string>>();
    const add = (where: string, image: Json | undefined) => {
      if (typeof image !== 'string') return;
      if (!finals.has(where)) finals.set(where, new Set());
      finals.get(where)!.add(image);
    };
    const setByEntry = (r: Resource, imagePath: Array<string | number>) => {
      const o = r.setBy.get(imagePath.join('/'));
      return o?.step === step && o.file === cursor.file;
    };
    for (const env of index.environments().environments) {
      for (const o of index.renderEnvironment(env).objects) {
        for (const c of containersOf(o.object)) if (setByEntry(o.resource, [...c.path, 'image'])) add(env.name, c.container.image);
      }
    }
    if (finals.size === 0) {
      for (const r of index.renderFolder(path.posix.dirname(cursor.file)).resources) {
        for (const c of containersOf(r.object)) if (setByEntry(r, [...c.path, 'image'])) add('this kustomization', c.container.image);
      }
    }
    if (finals.size === 0) return `**Image ${code(entry.name)}**: matches no container in the render.`;
    return [
      `**Image ${code(entry.name)}** becomes:`,
      '',
      ...[...finals].map(([where, images]) => `- ${where}: ${[...images].map(code).join(', ')}`),
    ].join('\n');
  }
  // A container's image in a resource file: what each environment runs after its overlays.
  if (p[p.length - 1] !== 'image' || typeof cursor.value !== 'string') return undefined;
  const containerPath = p.slice(0, -1);
  const container = getPath(cursor.document.value, containerPath);
  if (!isObject(container)) return undefined;
  const lines: string[] = [];
  for (const { environment, object } of renderedFrom(index, cursor.file, cursor.document.index)) {
    const match = containersOf(object.object).find(
      (c) => c.container.name === container.name && c.path[c.path.length - 2] === containerPath[containerPath.length - 2],
    );
    if (match && typeof match.container.image === 'string') {
      const by = object.appliedBy ? ` (Kustomization ${code(keyOf(object.appliedBy))})` : '';
      lines.push(`- ${environment}: ${code(match.container.image)}${by}`);
    }
  }
  if (lines.length === 0) return undefined;
  return [`**Image of container ${code(String(container.name))}** per environment:`, '', ...[...new Set(lines)]].join('\n');
}

/**
 * On a `${VAR}` in a file some Flux Kustomization applies: its value in each environment and where it comes
 * from (postBuild.substitute, a ConfigMap or Secret, the local stand-ins of .fluxenv.yaml), Secret values
 * never shown; or that it is not defined, and what the controller then does.
 */
function variableHover(index: FleetIndex, file: string, position: { line: number; character: number }): Hover | null {
  const line = (index.text(file) ?? '').split('\n')[position.line] ?? '';
  const re = /\$\{([_A-Za-z][_A-Za-z0-9]*)[^}]*\}/g;
  let match: RegExpExecArray | null;
  let found: { name: string; start: number; end: number; hasDefault: boolean } | undefined;
  while ((match = re.exec(line))) {
    if (match.index > 0 && line[match.index - 1] === '$') continue; // $${ is an escape
    if (position.character >= match.index && position.character <= match.index + match[0].length) {
      found = { name: match[1], start: match.index, end: match.index + match[0].length, hasDefault: /^\$\{[^}]*:?=/.test(match[0]) };
      break;
    }
  }
  if (!found) return null;
  const rows: string[] = [];
  const rel = (f: string) => path.posix.relative(index.root, f);
  for (const view of clusterViews(index)) {
    for (const k of view.kustomizations.values()) {
      if (!k.ks.postBuild || !k.result.filesRead.has(file)) continue;
      const collected = collectVars(k.ks, findIn(index, view), index.standIns().byEnvironment.get(view.name));
      const value = collected.vars.get(found.name);
      const origin = collected.origins.get(found.name);
      let text: string;
      if (value === undefined) text = found.hasDefault ? 'not defined: its default applies' : 'not defined';
      else {
        const shown = isSecretVariable(origin) ? '(secret value)' : code(value);
        const from =
          origin?.from === 'substitute'
            ? 'postBuild.substitute'
            : origin?.from === 'stand-in'
              ? 'the local stand-ins of .fluxenv.yaml'
              : `${origin?.from ?? ''} ${origin?.name ?? ''}, key ${origin?.key ?? found.name}`;
        const where = origin?.file ? ` (${rel(origin.file)}${origin.range ? `:${origin.range.start.line + 1}` : ''})` : '';
        text = `${shown} from ${from}${where}`;
      }
      const row = `- ${code(view.name)}, Kustomization ${code(k.key)}: ${text}`;
      if (!rows.includes(row)) rows.push(row);
    }
  }
  if (rows.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: [`**${code('${' + found.name + '}')}** per environment`, '', ...rows].join('\n') },
    range: { start: { line: position.line, character: found.start }, end: { line: position.line, character: found.end } },
  };
}
