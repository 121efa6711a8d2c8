// Completion: kustomization fields (top level with docs, deprecated ones tagged; nested ones from the Go
// types kustomize decodes into), patch target kinds and names (from the folder's render), dependsOn names
// (Kustomizations of the same cluster), and `${VAR}` names (the variables of the Flux Kustomizations that
// apply the file). Reads indentation rather than the YAML tree, since the text is mid-edit.
import * as path from 'path';
import { CompletionItemKind, CompletionItemTag, MarkupKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { keyOf } from '../flux/dependsOn';
import { KUSTOMIZE_GROUP, type FluxKustomization } from '../flux/objects';
import { collectVars, isSecretVariable, type FindObject } from '../flux/substitute';
import { DEPRECATED_FIELDS, KUSTOMIZATION_FIELDS } from '../kustomize/kustomization';
import { KUSTOMIZATION_TYPE, type GoType } from '../kustomize/kustomizationSchema';
import { isObject } from '../kustomize/resource';
import type { JsonObject, Position, Range } from '../kustomize/types';
import { clusterViews, type ClusterView } from '../rules/support/fluxClusters';
import { comparePositions, fileOfUri, looseCursorAt, type LooseCursor } from './cursor';
import { isKustomizationFile } from './definition';

const FIELD_DOCS: Record<string, string> = {
  resources: 'Files and folders (kustomizations) whose objects this kustomization includes.',
  components: 'Component folders (kind: Component) applied to the accumulated objects.',
  patches: 'Strategic merge or JSON 6902 patches, from a file (`path`) or inline (`patch`), optionally limited by `target`.',
  namespace: 'Sets the namespace of every namespaced object (and references to them).',
  namePrefix: 'Prepended to the name of every object; references are updated.',
  nameSuffix: 'Appended to the name of every object; references are updated.',
  labels: 'Labels to add, with control over selectors and templates (`includeSelectors`, `includeTemplates`).',
  commonLabels: 'Labels added to every object and to selectors and templates.',
  commonAnnotations: 'Annotations added to every object (and pod templates).',
  images: 'Changes container images: `name` to match, then `newName`, `newTag` or `digest`.',
  replicas: 'Sets the replica count of workloads by name.',
  replacements: 'Copies a field of one object into fields of others.',
  configMapGenerator: 'Generates ConfigMaps from literals, files and env files, with a content-hash name suffix.',
  secretGenerator: 'Generates Secrets from literals, files and env files, with a content-hash name suffix.',
  generatorOptions: 'Options for every generator of this kustomization (labels, annotations, disableNameSuffixHash, immutable).',
  crds: 'CRD files whose OpenAPI schema tells kustomize how to merge and reference custom resources.',
  configurations: 'Transformer configuration files (extra field specs for names, labels, references).',
  sortOptions: 'Output order: `legacy` (kind order) or `fifo` (as read).',
  apiVersion: '`kustomize.config.k8s.io/v1beta1` (Kustomization) or `kustomize.config.k8s.io/v1alpha1` (Component).',
  kind: '`Kustomization` or `Component`.',
  helmCharts: 'Helm charts inflated at build time (needs --enable-helm).',
  openapi: 'A custom OpenAPI schema file.',
  buildMetadata: 'Annotations recording build provenance (`originAnnotations`, `transformerAnnotations`, `managedByLabel`).',
  generators: 'Generator plugin configurations.',
  transformers: 'Transformer plugin configurations.',
  validators: 'Validator plugin configurations.',
  metadata: 'Name and labels of the kustomization itself (not applied to objects).',
};

export function completion(index: FleetIndex, params: CompletionParams): CompletionItem[] {
  try {
    const file = fileOfUri(params.textDocument.uri);
    const text = file ? index.text(file) : undefined;
    if (!file || text === undefined) return [];
    const cursor = looseCursorAt(text, params.position);
    const variable = /(^|[^$])\$\{([_A-Za-z0-9]*)$/.exec(cursor.before);
    if (variable) return variableItems(index, file, params.position, variable[2]);
    if (isKustomizationFile(file)) return kustomizationItems(index, file, cursor);
    if (isFluxKustomizationText(documentText(text, params.position))) return fluxKustomizationItems(index, file, cursor);
    return [];
  } catch {
    return [];
  }
}

function replacing(range: Range, label: string, item: Omit<CompletionItem, 'label'>): CompletionItem {
  return { label, textEdit: { range, newText: item.insertText ?? label }, ...item };
}

// ---- kustomization files ----------------------------------------------------------------------------

function typeAt(keys: readonly string[]): GoType | undefined {
  let type: GoType | undefined = KUSTOMIZATION_TYPE;
  for (const key of keys) {
    if (!type) return undefined;
    if (key === '*') type = type.t === 'list' ? type.item : undefined;
    else if (type.t === 'struct') type = type.fields[key];
    else if (type.t === 'map') type = type.value;
    else return undefined;
  }
  return type;
}

function kustomizationItems(index: FleetIndex, file: string, cursor: LooseCursor): CompletionItem[] {
  const p = cursor.path;
  if (cursor.on === 'value') {
    const inTarget = p.length === 4 && (p[0] === 'patches' || p[0] === 'patchesJson6902') && p[1] === '*' && p[2] === 'target';
    if (inTarget && (p[3] === 'kind' || p[3] === 'name')) return targetItems(index, file, cursor, p[3]);
    return [];
  }
  const type = typeAt(p);
  if (!type || type.t !== 'struct') return [];
  const present = p.length === 0 ? presentTopLevelKeys(index, file) : new Set<string>();
  return Object.entries(type.fields)
    .filter(([name]) => !present.has(name))
    .map(([name, fieldType]) => {
      const deprecated = p.length === 0 ? DEPRECATED_FIELDS[name] : undefined;
      const docs = p.length === 0 ? FIELD_DOCS[name] : undefined;
      const shape = p.length === 0 ? KUSTOMIZATION_FIELDS[name] : fieldType.t;
      const doc = [docs, deprecated ? `**Deprecated**: use \`${deprecated}\` instead.` : undefined].filter(Boolean).join('\n\n');
      return replacing(cursor.prefixRange, name, {
        kind: CompletionItemKind.Property,
        detail: `${type.name}.${name} (${describe(fieldType, shape)})`,
        ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
        ...(deprecated ? { tags: [CompletionItemTag.Deprecated], sortText: `z${name}` } : { sortText: `a${name}` }),
        insertText: `${name}:`,
      });
    });
}

function describe(type: GoType, shape: string | undefined): string {
  if (type.t === 'struct') return type.name;
  if (type.t === 'list') return `list of ${type.item.t === 'struct' ? type.item.name : type.item.t}`;
  if (type.t === 'map') return `map of ${type.value.t === 'struct' ? type.value.name : type.value.t}`;
  return shape ?? type.t;
}

/** Keys at column 0, read from the text: the document is often invalid while a key is being typed. */
function presentTopLevelKeys(index: FleetIndex, file: string): Set<string> {
  const text = index.text(file) ?? '';
  return new Set([...text.matchAll(/^([A-Za-z][\w]*)[ \t]*:/gm)].map((m) => m[1]));
}

/** Kinds and names of the objects the folder renders, before and after this kustomization renamed them. */
function targetItems(index: FleetIndex, file: string, cursor: LooseCursor, field: 'kind' | 'name'): CompletionItem[] {
  const render = index.renderFolder(path.posix.dirname(file));
  const values = new Map<string, Set<string>>();
  const add = (value: string, kind: string) => {
    if (!values.has(value)) values.set(value, new Set());
    values.get(value)!.add(kind);
  };
  for (const r of render.resources) {
    const kind = String(r.object.kind);
    const names = [String(isObject(r.object.metadata) ? r.object.metadata.name : ''), ...r.previousIds.map((id) => id.name)];
    if (field === 'kind') add(kind, kind);
    else for (const name of names) if (name) add(name, kind);
  }
  return [...values]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([value, kinds]) =>
      replacing(cursor.prefixRange, value, {
        kind: field === 'kind' ? CompletionItemKind.Class : CompletionItemKind.Value,
        detail: field === 'name' ? [...kinds].join(', ') : undefined,
      }),
    );
}

// ---- Flux Kustomizations ----------------------------------------------------------------------------

/** The text of the YAML document around the position (between `---` lines). */
function documentText(text: string, position: Position): string {
  const lines = text.split('\n');
  let start = position.line;
  while (start > 0 && !/^---/.test(lines[start] ?? '')) start--;
  let end = position.line + 1;
  while (end < lines.length && !/^---/.test(lines[end])) end++;
  return lines.slice(start, end).join('\n');
}

function isFluxKustomizationText(doc: string): boolean {
  return (
    /^kind:\s*["']?Kustomization["']?\s*$/m.test(doc) &&
    new RegExp(`^apiVersion:\\s*["']?${KUSTOMIZE_GROUP.replace(/\./g, '\\.')}/`, 'm').test(doc)
  );
}

function fluxKustomizationItems(index: FleetIndex, file: string, cursor: LooseCursor): CompletionItem[] {
  const p = cursor.path;
  const onDependsOnName =
    cursor.on === 'value' && p.length === 4 && p[0] === 'spec' && p[1] === 'dependsOn' && p[2] === '*' && p[3] === 'name';
  if (!onDependsOnName) return [];
  const views = clusterViews(index);
  const own = views.filter((v) => [...v.kustomizations.values()].some((k) => k.ks.place.file === file));
  const candidates = new Map<string, FluxKustomization>();
  const namespaces = new Set<string>();
  for (const view of own.length > 0 ? own : views) {
    for (const k of view.kustomizations.values()) {
      if (k.ks.place.file === file && isOwnDocument(index, k.ks, cursor.prefixRange.start)) {
        namespaces.add(k.ks.namespace);
        continue;
      }
      if (!candidates.has(k.key)) candidates.set(k.key, k.ks);
    }
  }
  if (views.length === 0) {
    for (const o of index.fluxObjects().list)
      if (o.object.kind === 'Kustomization' && o.file !== file) candidates.set(keyOf(o.object), o.object);
  }
  return [...candidates.values()]
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))
    .map((ks) => {
      const otherNamespace = namespaces.size > 0 && !namespaces.has(ks.namespace);
      return replacing(cursor.prefixRange, ks.name, {
        kind: CompletionItemKind.Reference,
        detail: `Kustomization ${keyOf(ks)}${ks.path ? ` (${ks.path})` : ''}${otherNamespace ? ': add `namespace: ' + ks.namespace + '`' : ''}`,
      });
    });
}

function isOwnDocument(index: FleetIndex, ks: FluxKustomization, position: Position): boolean {
  const doc = index.parsed(ks.place.file)?.documents[ks.place.documentIndex];
  return !!doc && comparePositions(doc.range.start, position) <= 0 && comparePositions(position, doc.range.end) <= 0;
}

// ---- ${VAR} ----------------------------------------------------------------------------------------

function variableItems(index: FleetIndex, file: string, position: Position, typed: string): CompletionItem[] {
  const range: Range = { start: { line: position.line, character: position.character - typed.length }, end: position };
  const items = new Map<string, CompletionItem>();
  for (const view of clusterViews(index)) {
    for (const k of view.kustomizations.values()) {
      if (!k.result.filesRead.has(file)) continue;
      const collected = collectVars(k.ks, findIn(index, view), index.standIns().byEnvironment.get(view.name));
      for (const [name, value] of collected.vars) {
        if (items.has(name)) continue;
        const origin = collected.origins.get(name);
        const secret = isSecretVariable(origin);
        const from =
          origin?.from === 'substitute'
            ? 'postBuild.substitute'
            : origin?.from === 'stand-in'
              ? 'the local stand-ins (.fluxenv.yaml)'
              : `${origin?.from ?? ''} ${origin?.name ?? ''}`.trim();
        items.set(
          name,
          replacing(range, name, {
            kind: CompletionItemKind.Variable,
            detail: `${secret ? '(secret value)' : JSON.stringify(value)} from ${from} of Kustomization ${k.key} (${view.name})`,
          }),
        );
      }
    }
  }
  return [...items.values()].sort((a, b) => (a.label < b.label ? -1 : 1));
}

/** ConfigMaps/Secrets the cluster holds: rendered by its Kustomizations, else written anywhere in the repo. */
export function findIn(index: FleetIndex, view: ClusterView): FindObject {
  return (kind, namespace, name) => {
    for (const o of view.render.objects) {
      const meta = isObject(o.object.metadata) ? o.object.metadata : {};
      if (o.object.kind === kind && meta.name === name && (meta.namespace ?? 'default') === namespace)
        return { object: o.object, file: o.resource.source.file };
    }
    for (const file of index.yamlFiles()) {
      for (const doc of index.parsed(file)?.documents ?? []) {
        const v = doc.value;
        if (!isObject(v) || v.kind !== kind || !isObject(v.metadata) || v.metadata.name !== name) continue;
        const ns = typeof v.metadata.namespace === 'string' ? v.metadata.namespace : undefined;
        if (ns === undefined || ns === namespace) return { object: v as JsonObject, file, range: doc.range };
      }
    }
    return undefined;
  };
}
