// Where Flux starts on each cluster of a fleet: the roots the graph walk (fluxGraph.ts) follows.
//
// - `flux bootstrap` writes `flux-system/gotk-sync.yaml`: GitRepository and Kustomization `flux-system`
//   syncing the folder that holds it (fluxcd/flux2 pkg/manifestgen/sync).
// - Flux Operator's FluxInstance `spec.sync` {kind, url, ref, path, name} makes a source and a Kustomization,
//   both named `sync.name` (default: the FluxInstance's namespace), in that namespace, with `prune: true` and
//   the path verbatim (controlplaneio-fluxcd/flux-operator docs/api/v1/fluxinstance.md "Sync configuration",
//   internal/builder/templates.go syncTmpl). Fleets often write it as the `instance:` values of the
//   flux-instance Helm chart, in a HelmRelease or in a values file fed to it.
// - A `clusters/<name>/` folder holding Flux Kustomizations that no root above syncs (bootstrapped by hand
//   or by Terraform): its Kustomizations, inferred.
// Orphan Kustomizations (applied by nothing) are found after the walk, in fluxGraph.ts.
import * as path from 'path';
import {
  readFluxObject,
  type FluxKustomization,
  type FluxObjectPlace,
  type FluxSource,
  isFluxKustomization,
  isFluxSource,
} from '../flux/objects';
import type { FileSystem } from '../kustomize/fs';
import { isWithin, normalize } from '../kustomize/loader';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import { getPath, isObject } from '../kustomize/resource';
import type { Json, JsonObject, Range } from '../kustomize/types';
import { LastByText } from './lastByText';
import { parseYamlFileCached, type ParseLimits, type ParsedDocument, type ParsedFile } from '../kustomize/yaml/parse';

export type RootKind = 'bootstrap' | 'flux-instance' | 'flux-instance-values' | 'cluster-folder' | 'orphan' | 'spoke';

export interface ClusterRoot {
  /** The environment (cluster) the root belongs to. */
  cluster: string;
  kind: RootKind;
  /** True when the root is a guess from the layout rather than an object that says what Flux syncs. */
  inferred: boolean;
  /** The file that defines the root (gotk-sync.yaml, the FluxInstance, the values file, the folder). */
  file: string;
  /** The folder of this repository the root syncs, when it syncs one. */
  folder?: string;
  /** In words, for the tree's tooltip and `fluxenv environments`. */
  description: string;
  /** Where the walk starts. */
  kustomizations: FluxKustomization[];
  /** Sources the root creates (the bootstrap GitRepository, a FluxInstance's sync source). */
  sources: FluxSource[];
  /** For a FluxInstance syncing an OCI artifact: the folder of this repository the artifact is built from. */
  sourceFolder?: string;
}

export interface RootsInput {
  repoRoot: string;
  fs: FileSystem;
  files: readonly string[];
  parseLimits?: Partial<ParseLimits>;
}

interface Doc {
  file: string;
  index: number;
  object: JsonObject;
  parsed: ParsedDocument;
}

const GENERIC_FOLDER_NAMES = new Set([
  'cluster',
  'clusters',
  'flux',
  'flux-system',
  'kubernetes',
  'k8s',
  'base',
  'config',
  'deploy',
  'manifests',
  'setup',
  'bootstrap',
  'gitops',
  '.',
  '',
]);

/** The environment name for a synced folder: `clusters/<name>/...` gives <name>; else its own name unless generic; else the repository's. */
export function clusterNameOf(repoRoot: string, folder: string): string {
  const rel = path.posix.relative(normalize(repoRoot), normalize(folder));
  const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
  const at = segments.indexOf('clusters');
  if (at >= 0 && at + 1 < segments.length) return segments[at + 1];
  for (let i = segments.length - 1; i >= 0; i--) if (!GENERIC_FOLDER_NAMES.has(segments[i])) return segments[i];
  return path.posix.basename(normalize(repoRoot)) || 'cluster';
}

/** What a file must mention to hold a root or a source a root names: the rest of a fleet is never parsed here. */
const MAY_HOLD_ROOT = /\b(toolkit\.fluxcd\.io|fluxcd\.controlplane\.io|flux-instance)\b/;

function placeOf(doc: Doc): FluxObjectPlace {
  return { file: doc.file, documentIndex: doc.index, range: doc.parsed.range, rangeOf: (p) => doc.parsed.locate(p) };
}

/** Joins a spec.path to a root the way the controller does (leading `./`, `..` kept inside the root). */
export function joinSpecPath(root: string, specPath: string | undefined): string {
  const segments: string[] = [];
  for (const seg of (specPath ?? '').replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const base = normalize(root);
  return segments.length === 0 ? base : `${base === '/' ? '' : base}/${segments.join('/')}`;
}

/**
 * The last roots found, with the parses they came from: after an edit that touched none of the files that
 * may hold a root (most edits), the graph is walked again from the same roots without reading them again.
 */
let lastRoots:
  | {
      repoRoot: string;
      files: string;
      parses: ParsedFile[];
      clustersListing: string;
      otherReads: Map<string, string | undefined>;
      roots: ClusterRoot[];
      documents: number;
    }
  | undefined;

export function findClusterRoots(input: RootsInput): { roots: ClusterRoot[]; documents: number } {
  const repoRoot = normalize(input.repoRoot);
  const parses = candidateParses(input);
  const clustersDir = `${repoRoot === '/' ? '' : repoRoot}/clusters`;
  const clustersListing = input.fs.kind(clustersDir) === 'dir' ? input.fs.readDir(clustersDir).join('/') : '';
  const files = input.files.join('\n');
  const last = lastRoots;
  if (
    last &&
    last.repoRoot === repoRoot &&
    last.files === files &&
    last.clustersListing === clustersListing &&
    sameParses(last.parses, parses) &&
    [...last.otherReads].every(([f, t]) => input.fs.readFile(f) === t)
  ) {
    return { roots: last.roots.map(copyRoot), documents: last.documents };
  }
  // Values files and kustomizations read beside a flux-instance HelmRelease decide roots too: remember their texts.
  const otherReads = new Map<string, string | undefined>();
  const base = input.fs;
  const recording: FileSystem = {
    readFile: (f) => {
      const t = base.readFile(f);
      otherReads.set(f, t);
      return t;
    },
    ...(base.readBytes ? { readBytes: (f: string) => base.readBytes!(f) } : {}),
    kind: (p) => base.kind(p),
    readDir: (d) => base.readDir(d),
    realPath: (p) => base.realPath(p),
  };
  const found = findRootsIn(repoRoot, { ...input, fs: recording }, parses);
  lastRoots = { repoRoot, files, parses, clustersListing, otherReads, roots: found.roots.map(copyRoot), documents: found.documents };
  return found;
}

function copyRoot(r: ClusterRoot): ClusterRoot {
  return { ...r, kustomizations: [...r.kustomizations], sources: [...r.sources] };
}

function sameParses(a: ParsedFile[], b: ParsedFile[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * Per file, whether its text may hold a root and then its parse, kept while the text is the same string: the
 * graph is walked again after every edit, and testing the text of every file of a large fleet again costs
 * more than the rest of finding the roots. Parses with custom limits are not kept (each walk brings new limits).
 */
const rootCandidates = new LastByText<ParsedFile | undefined>();

function candidateParses(input: RootsInput): ParsedFile[] {
  const out: ParsedFile[] = [];
  for (const file of input.files) {
    const text = input.fs.readFile(file);
    if (text === undefined) continue;
    const parse = () => (MAY_HOLD_ROOT.test(text) ? parseYamlFileCached(file, text, input.parseLimits) : undefined);
    const parsed = input.parseLimits ? parse() : rootCandidates.get(file, text, parse);
    if (parsed) out.push(parsed);
  }
  return out;
}

function findRootsIn(repoRoot: string, input: RootsInput, parses: ParsedFile[]): { roots: ClusterRoot[]; documents: number } {
  const docs: Doc[] = [];
  for (const parsed of parses)
    for (const doc of parsed.documents)
      if (isObject(doc.value)) docs.push({ file: parsed.file, index: doc.index, object: doc.value, parsed: doc });
  const roots: ClusterRoot[] = [];
  roots.push(...bootstrapRoots(repoRoot, docs, input));
  roots.push(...fluxInstanceRoots(repoRoot, docs, input));
  roots.push(...clusterFolderRoots(repoRoot, docs, input.fs, roots));
  return { roots: mergeSameFolder(roots), documents: docs.length };
}

/** Two roots syncing the same folder (a bootstrap and the FluxInstance that replaced it) are one cluster. */
function mergeSameFolder(roots: ClusterRoot[]): ClusterRoot[] {
  const out: ClusterRoot[] = [];
  for (const root of roots) {
    const same = root.folder !== undefined ? out.find((r) => r.folder === root.folder) : undefined;
    if (!same) {
      out.push(root);
      continue;
    }
    for (const ks of root.kustomizations)
      if (!same.kustomizations.some((k) => k.namespace === ks.namespace && k.name === ks.name)) same.kustomizations.push(ks);
    for (const s of root.sources)
      if (!same.sources.some((o) => o.kind === s.kind && o.namespace === s.namespace && o.name === s.name)) same.sources.push(s);
  }
  return out;
}

function bootstrapRoots(repoRoot: string, docs: Doc[], input: RootsInput): ClusterRoot[] {
  const out: ClusterRoot[] = [];
  out.push(...placeholderBootstraps(repoRoot, docs, input));
  for (const doc of docs) {
    if (doc.object.kind !== 'Kustomization' || getPath(doc.object, ['metadata', 'name']) !== 'flux-system') continue;
    const inBootstrapFolder =
      path.posix.basename(doc.file) === 'gotk-sync.yaml' || path.posix.basename(path.posix.dirname(doc.file)) === 'flux-system';
    if (!inBootstrapFolder) continue;
    const read = readFluxObject(doc.object, placeOf(doc));
    if (!isFluxKustomization(read.value)) continue;
    const ks = read.value;
    const sources = docs
      .filter((d) => d.file === doc.file && d !== doc)
      .map((d) => readFluxObject(d.object, placeOf(d)).value)
      .filter((v): v is FluxSource => isFluxSource(v));
    const folder = joinSpecPath(repoRoot, ks.path);
    out.push({
      cluster: clusterNameOf(repoRoot, folder),
      kind: 'bootstrap',
      inferred: false,
      file: doc.file,
      folder,
      description: `flux bootstrap: Kustomization ${ks.namespace}/${ks.name} syncs ${relative(repoRoot, folder)}`,
      kustomizations: [ks],
      sources,
    });
  }
  return out;
}

/**
 * A `flux-system/` folder whose gotk-sync.yaml holds no objects: repositories that document a bootstrap
 * (Flux's own examples) keep the files as placeholder comments that `flux bootstrap` fills in. The
 * bootstrap makes GitRepository and Kustomization `flux-system/flux-system` syncing the folder above
 * `flux-system/` from this repository (fluxcd/flux2 cmd/flux/bootstrap_git.go: --path).
 */
function placeholderBootstraps(repoRoot: string, docs: Doc[], input: RootsInput): ClusterRoot[] {
  const out: ClusterRoot[] = [];
  const withObjects = new Set(docs.map((d) => d.file));
  for (const file of input.files) {
    if (path.posix.basename(file) !== 'gotk-sync.yaml' || withObjects.has(file)) continue;
    const folder = path.posix.dirname(path.posix.dirname(file));
    if (!isWithin(folder, repoRoot)) continue;
    const specPath = relative(repoRoot, folder);
    const place: FluxObjectPlace = { file, documentIndex: 0, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const ks = readFluxObject(
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'flux-system', namespace: 'flux-system' },
        spec: {
          interval: '10m0s',
          path: `./${specPath === '.' ? '' : specPath}`,
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        },
      },
      place,
    ).value;
    const source = readFluxObject(
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'flux-system', namespace: 'flux-system' },
        spec: { interval: '1m0s', ref: { branch: 'main' }, url: '' },
      },
      place,
    ).value;
    if (!isFluxKustomization(ks)) continue;
    out.push({
      cluster: clusterNameOf(repoRoot, folder),
      kind: 'bootstrap',
      inferred: true,
      file,
      folder,
      description: `flux bootstrap (placeholder ${relative(repoRoot, file)}): Kustomization flux-system/flux-system syncs ${specPath}`,
      kustomizations: [ks],
      sources: isFluxSource(source) ? [source] : [],
    });
  }
  return out;
}

interface SyncSettings {
  kind: string;
  url?: string;
  ref?: string;
  path?: string;
  name?: string;
  interval?: string;
}

function readSync(value: Json | undefined): SyncSettings | undefined {
  if (!isObject(value)) return undefined;
  const str = (k: string) => (typeof value[k] === 'string' ? (value[k] as string) : undefined);
  const kind = str('kind');
  if (!kind) return undefined;
  return { kind, url: str('url'), ref: str('ref'), path: str('path'), name: str('name'), interval: str('interval') };
}

/**
 * The source and Kustomization a FluxInstance's sync makes, as objects read from `place` (the sync block's
 * ranges stand for the generated objects' fields, so findings on them land on the FluxInstance).
 */
function syncObjects(
  sync: SyncSettings,
  namespace: string,
  place: FluxObjectPlace,
  syncPath: ReadonlyArray<string | number>,
): { ks?: FluxKustomization; source?: FluxSource } {
  const name = sync.name || namespace;
  const fieldOf: Record<string, string> = { path: 'path', sourceRef: 'kind', url: 'url', ref: 'ref', metadata: 'name' };
  const rangeOf = (p: ReadonlyArray<string | number>): Range | undefined => {
    const field = fieldOf[String(p[1] ?? p[0])];
    return (field ? place.rangeOf?.([...syncPath, field]) : undefined) ?? place.rangeOf?.(syncPath) ?? place.range;
  };
  const generatedPlace: FluxObjectPlace = { ...place, range: place.rangeOf?.(syncPath) ?? place.range, rangeOf };
  const ks = readFluxObject(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace },
      spec: { interval: '10m0s', path: sync.path ?? '', prune: true, sourceRef: { kind: sync.kind, name } },
    },
    generatedPlace,
  ).value;
  const spec: JsonObject = { interval: sync.interval ?? '1m' };
  if (sync.kind === 'Bucket') Object.assign(spec, { bucketName: sync.ref ?? '', endpoint: sync.url ?? '' });
  else spec.url = sync.url ?? '';
  if (sync.kind === 'GitRepository') spec.ref = { name: sync.ref ?? '' };
  if (sync.kind === 'OCIRepository') spec.ref = { tag: sync.ref ?? 'latest' };
  const sourceObject: JsonObject = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: sync.kind, metadata: { name, namespace }, spec };
  const source = readFluxObject(sourceObject, generatedPlace).value;
  return { ks: isFluxKustomization(ks) ? ks : undefined, source: isFluxSource(source) ? source : undefined };
}

function fluxInstanceRoots(repoRoot: string, docs: Doc[], input: RootsInput): ClusterRoot[] {
  const out: ClusterRoot[] = [];
  const add = (
    sync: SyncSettings,
    namespace: string,
    place: FluxObjectPlace,
    syncPath: Array<string | number>,
    kind: RootKind,
    how: string,
  ) => {
    const { ks, source } = syncObjects(sync, namespace, place, syncPath);
    if (!ks) return;
    const located = locateSyncFolder(repoRoot, sync, input.fs, docs);
    out.push({
      cluster: clusterNameOf(repoRoot, located.folder ?? joinSpecPath(repoRoot, sync.path)),
      kind,
      inferred: kind !== 'flux-instance' || (located.sourceFolder !== undefined && located.sourceFolder !== repoRoot),
      file: place.file,
      ...(located.folder ? { folder: located.folder } : {}),
      ...(located.sourceFolder !== undefined ? { sourceFolder: located.sourceFolder } : {}),
      description: `${how}: sync ${sync.kind} ${sync.url ?? ''} path ${sync.path ?? './'}${located.note ? ` (${located.note})` : ''}`,
      kustomizations: [ks],
      sources: source ? [source] : [],
    });
  };
  const withMembers = withResourceSetMembers(docs);
  for (const doc of withMembers) {
    const o = doc.object;
    if (o.kind === 'FluxInstance' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('fluxcd.controlplane.io/')) {
      const sync = readSync(getPath(o, ['spec', 'sync']));
      if (!sync) continue;
      const ns = getPath(o, ['metadata', 'namespace']);
      add(
        sync,
        typeof ns === 'string' && ns ? ns : 'flux-system',
        placeOf(doc),
        ['spec', 'sync'],
        'flux-instance',
        `FluxInstance ${String(getPath(o, ['metadata', 'name']) ?? '')}`,
      );
      continue;
    }
    if (o.kind === 'HelmRelease' && isFluxInstanceChart(o, withMembers)) {
      const namespace = String(getPath(o, ['spec', 'targetNamespace']) ?? getPath(o, ['metadata', 'namespace']) ?? 'flux-system');
      const inline = readSync(getPath(o, ['spec', 'values', 'instance', 'sync']));
      if (inline) {
        add(
          inline,
          namespace,
          placeOf(doc),
          ['spec', 'values', 'instance', 'sync'],
          'flux-instance-values',
          `flux-instance chart values of HelmRelease ${String(getPath(o, ['metadata', 'name']))}`,
        );
        continue;
      }
      const fromFile = instanceValuesFile(doc, input);
      if (fromFile)
        add(
          fromFile.sync,
          namespace,
          fromFile.place,
          ['instance', 'sync'],
          'flux-instance-values',
          `flux-instance chart values in ${relative(repoRoot, fromFile.place.file)}`,
        );
    }
  }
  return out;
}

/**
 * The documents, and beside each ResourceSet the objects of its `spec.resources` as documents of the same file:
 * fleets install the flux-instance chart (HelmRelease + its OCIRepository) from a ResourceSet whose dependsOn
 * waits for Flux's CRDs (flux-operator docs/api/v1/resourceset.md "dependsOn"). Members holding a template
 * (`<< inputs.x >>`) are left to the ResourceSet expansion of the graph.
 */
function withResourceSetMembers(docs: Doc[]): Doc[] {
  const out: Doc[] = [];
  for (const doc of docs) {
    out.push(doc);
    const o = doc.object;
    if (o.kind !== 'ResourceSet' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('fluxcd.controlplane.io/')) continue;
    const resources = getPath(o, ['spec', 'resources']);
    if (!Array.isArray(resources)) continue;
    resources.forEach((member, i) => {
      if (!isObject(member) || JSON.stringify(member).includes('<<')) return;
      const at = ['spec', 'resources', i];
      const parsed: ParsedDocument = {
        index: doc.index,
        value: member,
        range: doc.parsed.locate(at) ?? doc.parsed.range,
        locate: (p, opts) => doc.parsed.locate([...at, ...p], opts),
      };
      out.push({ file: doc.file, index: doc.index, object: member, parsed });
    });
  }
  return out;
}

/** A HelmRelease of the flux-instance chart: by chart name, or a chartRef to an OCIRepository of that chart. */
function isFluxInstanceChart(o: JsonObject, docs: Doc[]): boolean {
  if (getPath(o, ['spec', 'chart', 'spec', 'chart']) === 'flux-instance') return true;
  const ref = getPath(o, ['spec', 'chartRef']);
  if (!isObject(ref) || typeof ref.name !== 'string') return false;
  if (/flux-instance/.test(ref.name)) return true;
  return docs.some(
    (d) =>
      d.object.kind === ref.kind &&
      getPath(d.object, ['metadata', 'name']) === ref.name &&
      /\/flux-instance\/?$/.test(String(getPath(d.object, ['spec', 'url']) ?? '')),
  );
}

/**
 * The values of a flux-instance HelmRelease kept in a file: the file a configMapGenerator of the
 * HelmRelease's folder turns into the ConfigMap its valuesFrom names, else a values file beside it.
 */
function instanceValuesFile(doc: Doc, input: RootsInput): { sync: SyncSettings; place: FluxObjectPlace } | undefined {
  const dir = path.posix.dirname(doc.file);
  const candidates: string[] = [];
  for (const folder of [dir, path.posix.dirname(dir)]) {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const file = `${folder}/${name}`;
      const text = input.fs.readFile(file);
      if (text === undefined) continue;
      const k = parseYamlFileCached(file, text, input.parseLimits).documents[0]?.value;
      const generators = isObject(k) && Array.isArray(k.configMapGenerator) ? k.configMapGenerator : [];
      for (const g of generators) {
        if (!isObject(g) || !Array.isArray(g.files)) continue;
        for (const entry of g.files)
          if (typeof entry === 'string')
            candidates.push(path.posix.join(folder, entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry));
      }
    }
  }
  for (const name of ['values.yaml', 'values.yml', 'helm/values.yaml', 'helm-values.yaml']) candidates.push(path.posix.join(dir, name));
  for (const file of candidates) {
    const text = input.fs.readFile(file);
    if (text === undefined) continue;
    const values = parseYamlFileCached(file, text, input.parseLimits).documents[0];
    if (!values || !isObject(values.value)) continue;
    const sync = readSync(getPath(values.value, ['instance', 'sync']));
    if (sync) return { sync, place: { file, documentIndex: values.index, range: values.range, rangeOf: (p) => values.locate(p) } };
  }
  return undefined;
}

/**
 * Where a FluxInstance's sync path is in this repository. A Git source syncs from the repository root; an
 * OCI artifact or bucket is usually pushed from a subfolder (`flux push artifact --path=./kubernetes`),
 * so its path is found under exactly one folder of the repository: that folder is the artifact's root.
 */
function locateSyncFolder(
  repoRoot: string,
  sync: SyncSettings,
  fs: FileSystem,
  docs: Doc[],
): { folder?: string; sourceFolder?: string; note?: string } {
  const atRoot = joinSpecPath(repoRoot, sync.path);
  // A Git source is the repository; an OCI artifact or bucket holding the path at its root was pushed from the repository root.
  if (fs.kind(atRoot) === 'dir') return { folder: atRoot, ...(sync.kind === 'GitRepository' ? {} : { sourceFolder: repoRoot }) };
  const wanted = joinSpecPath('/', sync.path).slice(1);
  if (!wanted) return {};
  const found = new Set<string>();
  for (const dir of new Set(docs.map((d) => path.posix.dirname(d.file)))) {
    for (let d = dir; isWithin(d, repoRoot) && d !== repoRoot; d = path.posix.dirname(d)) {
      if (d.endsWith('/' + wanted)) found.add(d.slice(0, d.length - wanted.length - 1));
    }
  }
  if (found.size !== 1)
    return {
      note: found.size === 0 ? `${sync.path} is not in this repository` : `${sync.path} is under several folders of this repository`,
    };
  const sourceFolder = [...found][0];
  return {
    folder: joinSpecPath(sourceFolder, sync.path),
    sourceFolder,
    note: `the ${sync.kind} artifact is built from ${relative(repoRoot, sourceFolder)}/, where the path exists`,
  };
}

/** `clusters/<name>/` folders with Flux Kustomizations that no other root syncs. */
function clusterFolderRoots(repoRoot: string, docs: Doc[], fs: FileSystem, found: ClusterRoot[]): ClusterRoot[] {
  const clustersDir = `${repoRoot === '/' ? '' : repoRoot}/clusters`;
  if (fs.kind(clustersDir) !== 'dir') return [];
  const out: ClusterRoot[] = [];
  for (const name of fs.readDir(clustersDir)) {
    const dir = `${clustersDir}/${name}`;
    if (fs.kind(dir) !== 'dir') continue;
    if (found.some((r) => r.folder !== undefined && (isWithin(r.folder, dir) || isWithin(dir, r.folder)))) continue;
    const kustomizations = docs
      .filter((d) => d.object.kind === 'Kustomization' && isWithin(d.file, dir))
      .map((d) => readFluxObject(d.object, placeOf(d)).value)
      .filter((v): v is FluxKustomization => isFluxKustomization(v));
    if (kustomizations.length === 0) continue;
    // Whatever applies the folder (a bootstrap, kubectl, Terraform) applies its sources too.
    const sources = docs
      .filter((d) => isWithin(d.file, dir))
      .map((d) => readFluxObject(d.object, placeOf(d)).value)
      .filter((v): v is FluxSource => isFluxSource(v));
    const bootstrapSource = bootstrapGitRepository(kustomizations, sources);
    if (bootstrapSource) sources.push(bootstrapSource);
    out.push({
      cluster: name,
      kind: 'cluster-folder',
      inferred: true,
      file: dir,
      folder: dir,
      description: `the Flux Kustomizations in ${relative(repoRoot, dir)}/ (no bootstrap or FluxInstance syncs this folder${bootstrapSource ? '; GitRepository flux-system/flux-system is the one `flux bootstrap` creates' : ''})`,
      kustomizations,
      sources,
    });
  }
  return out;
}

/**
 * The GitRepository `flux-system/flux-system` that `flux bootstrap --path=clusters/<name>` creates on the
 * cluster, when the folder's Kustomizations name it and the folder does not hold it (a fleet published before
 * its first bootstrap, as Flux's example repositories are: bootstrap commits `flux-system/` later). Without
 * it every Kustomization of the folder would "wait for a source that never comes".
 */
function bootstrapGitRepository(kustomizations: FluxKustomization[], sources: FluxSource[]): FluxSource | undefined {
  const naming = kustomizations.find(
    (ks) => ks.sourceRef?.kind === 'GitRepository' && ks.sourceRef.name === 'flux-system' && ks.sourceRef.namespace === 'flux-system',
  );
  if (!naming || sources.some((s) => s.kind === 'GitRepository' && s.name === 'flux-system' && s.namespace === 'flux-system'))
    return undefined;
  const source = readFluxObject(
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { interval: '1m0s', ref: { branch: 'main' }, url: '' },
    },
    naming.place,
  ).value;
  return isFluxSource(source) ? source : undefined;
}

export function relative(repoRoot: string, file: string): string {
  return path.posix.relative(repoRoot, file) || '.';
}
