// The Flux graph of a fleet, as the controllers build it: from each cluster's roots (clusterRoots.ts), a
// Kustomization's children are the Flux objects in ITS RENDERED OUTPUT (kustomize-controller builds
// spec.path with LoadRestrictionsNone, then spec.patches, targetNamespace, namePrefix/nameSuffix, images,
// components, postBuild substitution and commonMetadata: flux/build.ts). So a parent's patches and variables
// reach a child before anything reads the child's prune, wait, path, dependsOn or healthChecks.
// spec.path is resolved against the child's own source (sourceRoots.ts). A Kustomization with
// spec.kubeConfig applies to another cluster (hub and spoke): it and what it applies join that cluster.
import * as path from 'path';
import type { FluxBuildResult, FluxSourceTree } from '../flux/build';
import { renderFluxKustomization } from '../flux/build';
import { ARTIFACTS_FOLDER, isArtifactGenerator, readArtifactGenerator, type ArtifactTree } from '../flux/artifactGenerator';
import { expandResourceSet, isResourceSet } from '../flux/resourceSet';
import { keyOf } from '../flux/dependsOn';
import {
  isFluxKustomization,
  isFluxSource,
  readFluxObject,
  readRenderedFluxObject,
  type FluxKustomization,
  type FluxObjectPlace,
  type FluxSource,
} from '../flux/objects';
import type { FindObject, StandInVars } from '../flux/substitute';
import type { BuildCache } from '../kustomize/buildCache';
import { mountedFileSystem, type FileSystem } from '../kustomize/fs';
import { normalize } from '../kustomize/loader';
import { getPath, isObject } from '../kustomize/resource';
import type { JsonObject, Problem, Range, Resource } from '../kustomize/types';
import { LastByText } from './lastByText';
import { parseYamlFileCached, type ParseLimits, type ParsedFile } from '../kustomize/yaml/parse';
import { clusterNameOf, findClusterRoots, joinSpecPath, relative, type ClusterRoot } from './clusterRoots';
import {
  normalizeGitUrl,
  repositoryRemotes,
  resolveSource,
  whereIsSource,
  type KnownSource,
  type RepositoryFacts,
  type SourceCatalog,
  type SourceResolution,
} from './sourceRoots';

export interface GraphNode {
  /** The Kustomization as Flux applies it: after its parent's patches and substitution. */
  kustomization: FluxKustomization;
  cluster: string;
  /** The Kustomization whose output applies this one; undefined for a root. */
  parent?: string;
  /** Where spec.path points. */
  source: SourceResolution;
  /** What it applies; undefined when its source is not in this repository. */
  result?: FluxBuildResult;
  /**
   * For a Kustomization of a spoke's environment that lives on the hub without spec.kubeConfig (its
   * HelmReleases carry it): the hub cluster, where its own objects and namespaces are.
   */
  reconciledOn?: string;
}

export interface ClusterGraph {
  name: string;
  roots: ClusterRoot[];
  /** Every Kustomization of the cluster, by `namespace/name`, in the order the walk reached them. */
  nodes: Map<string, GraphNode>;
  /** The sources the cluster has: those its roots create and those its Kustomizations apply. */
  sources: KnownSource[];
  /**
   * The ExternalArtifacts its ArtifactGenerators produce, as `namespace/name`; `*` in a namespace when a
   * generator names them from the folders it finds (spec.pathPattern).
   */
  externalArtifacts: Set<string>;
  /** Why what the cluster applies is known only in part (a ResourceSet's inputs that exist only on the cluster). */
  notes: Array<{ file: string; range?: Range; message: string }>;
}

export interface FluxGraph {
  clusters: ClusterGraph[];
  /** Kustomizations written in the repository that no cluster's walk reached (applied by nothing here). */
  unreached: FluxKustomization[];
  problems: Problem[];
  filesRead: Set<string>;
  /** What decides whether a source is this repository (remotes, the sources roots sync from). */
  repository: RepositoryFacts;
}

export interface GraphOptions {
  repoRoot: string;
  fs: FileSystem;
  files: readonly string[];
  parseLimits?: Partial<ParseLimits>;
  deadline?: number;
  cache?: BuildCache;
  maxKustomizations?: number;
  strictSubstitution?: boolean;
  /** Local stand-ins (`.fluxenv.yaml` substitutions) for a cluster's substituteFrom objects that exist only on the cluster. */
  standInsFor?: (cluster: string) => (StandInVars & { files: readonly string[] }) | undefined;
  /**
   * The index's remembered build of a Kustomization that reads no variables from other objects, so that an
   * edit re-renders only the Kustomizations that read the edited file.
   */
  renderIndependent?: (
    ks: FluxKustomization,
    source: FluxSourceTree | undefined,
    variables?: { findObject: FindObject; key: string; standIns?: StandInVars & { files: readonly string[] } },
  ) => FluxBuildResult;
}

const SPOKE_NAME_VARIABLES = [
  'cluster_name',
  'CLUSTER_NAME',
  'cluster',
  'CLUSTER',
  'cluster_env',
  'CLUSTER_ENV',
  'environment',
  'ENVIRONMENT',
  'env',
  'ENV',
];

/**
 * The cluster a Kustomization with spec.kubeConfig applies to: a cluster-name variable, else its namespace, else
 * the name of what holds its credentials. kustomize-controller (docs/spec/v1/kustomizations.md "KubeConfig
 * (Remote clusters)") takes either `secretRef` (a kubeconfig Secret) or, since Flux 2.7, `configMapRef` (a
 * ConfigMap naming the cloud provider, cluster and address, authenticated by workload identity through the
 * ConfigMap's serviceAccountName): both target another cluster.
 */
export function spokeClusterOf(ks: FluxKustomization): string | undefined {
  const kubeConfig = getPath(ks.object, ['spec', 'kubeConfig']);
  if (!isObject(kubeConfig)) return undefined;
  const vars = ks.postBuild?.substitute ?? {};
  for (const name of SPOKE_NAME_VARIABLES) if (vars[name] && !vars[name].includes('${')) return vars[name];
  if (ks.namespace && ks.namespace !== 'flux-system' && ks.namespace !== 'default') return ks.namespace;
  const secret = getPath(kubeConfig, ['secretRef', 'name']);
  if (typeof secret === 'string' && secret) return secret.replace(/[-_]?kubeconfig$/i, '') || secret;
  const configMap = getPath(kubeConfig, ['configMapRef', 'name']);
  if (typeof configMap === 'string' && configMap) return configMap.replace(/[-_]?(kubeconfig|cluster[-_]config|config)$/i, '') || configMap;
  return ks.name;
}

interface Pending {
  ks: FluxKustomization;
  cluster: string;
  parent?: string;
  /** Deferred once already (its source unknown, or it reads variables): now taken as it is. */
  final?: boolean;
}

export function buildFluxGraph(options: GraphOptions): FluxGraph {
  const repoRoot = normalize(options.repoRoot);
  const fs = options.fs;
  const { roots } = findClusterRoots({ repoRoot, fs, files: options.files, parseLimits: options.parseLimits });
  const remotes = repositoryRemotes(fs, repoRoot);
  const graph: FluxGraph = {
    clusters: [],
    unreached: [],
    problems: [],
    filesRead: new Set(),
    repository: { root: repoRoot, remotes, rootSourceFolders: new Map() },
  };
  const walker = new Walker(repoRoot, options, graph, remotes);
  for (const root of roots) walker.addRoot(root);
  walker.run();

  // Kustomizations written in the repository that no walk reached.
  const reached = new Set<string>();
  for (const c of graph.clusters) for (const n of c.nodes.values()) reached.add(placeKey(n.kustomization.place));
  const written = writtenKustomizations(options);
  const unreached = written.filter((ks) => !reached.has(placeKey(ks.place)));
  if (graph.clusters.length === 0 && unreached.length > 0) {
    // No bootstrap, FluxInstance or clusters/ folder: the last resort is each Kustomization nothing applies.
    const applied = appliedByOthers(unreached, walker);
    const candidates = unreached.filter((ks) => !applied.has(placeKey(ks.place)) && walker.renderAlone(ks) !== undefined);
    // Roots that apply other Kustomizations are where clusters start; a lone Kustomization beside them is dead code, not a cluster.
    const applying = candidates.filter((ks) =>
      (walker.renderAlone(ks)?.resources ?? []).some(
        (r) => r.object.kind === 'Kustomization' && `${r.source.file}#${r.source.documentIndex}` !== placeKey(ks.place),
      ),
    );
    for (const ks of applying.length > 0 ? applying : candidates) {
      const cluster = clusterNameOf(repoRoot, path.posix.dirname(ks.place.file));
      // Whatever applied it (kubectl, Terraform) applied the sources written beside it too.
      const sources = writtenSources(options, ks.place.file);
      walker.addRoot({
        cluster,
        kind: 'orphan',
        inferred: true,
        file: ks.place.file,
        description: `Kustomization ${keyOf(ks)} in ${relative(repoRoot, ks.place.file)}, which nothing in this repository applies`,
        kustomizations: [ks],
        sources,
      });
    }
    walker.run();
    for (const c of graph.clusters) for (const n of c.nodes.values()) reached.add(placeKey(n.kustomization.place));
  }
  walker.regroupSpokeSiblings();
  walker.publishSources();
  graph.unreached = written.filter((ks) => !reached.has(placeKey(ks.place)));
  return graph;
}

/** Among Kustomizations nobody reached, those another one applies (so they are not roots themselves). */
function appliedByOthers(candidates: FluxKustomization[], walker: Walker): Set<string> {
  const out = new Set<string>();
  for (const ks of candidates) {
    for (const r of walker.renderAlone(ks)?.resources ?? []) {
      if (r.object.kind !== 'Kustomization') continue;
      const key = `${r.source.file}#${r.source.documentIndex}`;
      // A Kustomization applying itself (a sync pointing at its own folder) is still a root.
      if (key !== placeKey(ks.place)) out.add(key);
    }
  }
  return out;
}

function placeKey(place: FluxObjectPlace): string {
  return `${place.file}#${place.documentIndex}`;
}

function writtenSources(options: GraphOptions, file: string): FluxSource[] {
  const text = options.fs.readFile(file);
  if (text === undefined) return [];
  return parseYamlFileCached(file, text, options.parseLimits)
    .documents.map((doc) =>
      isObject(doc.value)
        ? readFluxObject(doc.value, { file, documentIndex: doc.index, range: doc.range, rangeOf: (p) => doc.locate(p) }).value
        : undefined,
    )
    .filter((v): v is FluxSource => isFluxSource(v));
}

/** The Flux Kustomizations written in one parsed file, read once per parse (the same while the text is). */
const kustomizationsByParse = new WeakMap<ParsedFile, FluxKustomization[]>();

/**
 * Per file, its parse when its text may hold a Flux Kustomization, kept while the text is the same string:
 * the graph is walked again after every edit, and looking at every file of a large fleet again costs more
 * than the rest of the walk. Parses with custom limits are not kept (each walk brings new limits).
 */
const kustomizationCandidates = new LastByText<ParsedFile | undefined>();

function parseIfKustomizations(file: string, text: string, limits: Partial<ParseLimits> | undefined): ParsedFile | undefined {
  const parse = () => (text.includes('kustomize.toolkit.fluxcd.io') ? parseYamlFileCached(file, text, limits) : undefined);
  return limits ? parse() : kustomizationCandidates.get(file, text, parse);
}

function writtenKustomizations(options: GraphOptions): FluxKustomization[] {
  const out: FluxKustomization[] = [];
  for (const file of options.files) {
    const text = options.fs.readFile(file);
    if (text === undefined) continue;
    const parsed = parseIfKustomizations(file, text, options.parseLimits);
    if (!parsed) continue;
    let list = kustomizationsByParse.get(parsed);
    if (!list) {
      list = [];
      for (const doc of parsed.documents) {
        if (!isObject(doc.value) || doc.value.kind !== 'Kustomization') continue;
        const read = readFluxObject(doc.value, { file, documentIndex: doc.index, range: doc.range, rangeOf: (p) => doc.locate(p) });
        if (isFluxKustomization(read.value)) list.push(read.value);
      }
      kustomizationsByParse.set(parsed, list);
    }
    out.push(...list);
  }
  return out;
}

class Walker {
  private readonly clusters = new Map<string, ClusterGraph>();
  private readonly sources = new Map<string, Map<string, KnownSource>>();
  private readonly configObjects = new Map<string, Map<string, JsonObject>>();
  private get rootSourceFolders(): Map<string, string> {
    return this.graph.repository.rootSourceFolders;
  }
  /** Sources of inferred roots: this repository, whatever their URL (a fork, a mirror, a renamed repository). */
  private readonly repositorySources = new Set<string>();
  /** ResourceSets each cluster applies, expanded once the rest of its tree is walked (their input providers may come later). */
  private readonly resourceSets = new Map<
    string,
    Array<{ object: JsonObject; place: FluxObjectPlace; parent: string; expanded?: boolean }>
  >();
  private readonly inputProviders = new Map<string, JsonObject[]>();
  /** ArtifactGenerators each cluster applies, and the trees they build (built on first use). */
  private readonly generators = new Map<string, Array<{ object: JsonObject; place: FluxObjectPlace; trees?: ArtifactTree[] }>>();
  private queue: Pending[] = [];
  private readonly max: number;
  private count = 0;

  constructor(
    private readonly repoRoot: string,
    private readonly options: GraphOptions,
    private readonly graph: FluxGraph,
    private readonly remotes: Set<string>,
  ) {
    this.max = options.maxKustomizations ?? 2000;
  }

  private cluster(name: string): ClusterGraph {
    let c = this.clusters.get(name);
    if (!c) {
      c = { name, roots: [], nodes: new Map(), sources: [], externalArtifacts: new Set(), notes: [] };
      this.clusters.set(name, c);
      this.graph.clusters.push(c);
      this.sources.set(name, new Map());
      this.configObjects.set(name, new Map());
      this.generators.set(name, []);
      this.resourceSets.set(name, []);
      this.inputProviders.set(name, []);
    }
    return c;
  }

  addRoot(root: ClusterRoot): void {
    const c = this.cluster(root.cluster);
    c.roots.push(root);
    // A root inferred from a Kustomization of this repository syncs from this repository, whatever its source's URL says.
    // A clusters/<name>/ folder follows the bootstrap convention: its flux-system GitRepository is this repository.
    for (const ks of root.kustomizations) {
      const ref = ks.sourceRef;
      if (ref && (root.kind === 'orphan' || (root.kind === 'cluster-folder' && ref.name === 'flux-system')))
        this.repositorySources.add(`${ref.kind}/${ref.namespace}/${ref.name}`);
    }
    for (const s of root.sources) {
      // A root's Git source is this repository (its root); an OCI or bucket root, the folder it is built from.
      const syncsThisRepository = root.kind === 'bootstrap' || root.kind === 'flux-instance' || root.kind === 'flux-instance-values';
      const folder = root.sourceFolder ?? (s.kind === 'GitRepository' && syncsThisRepository ? this.repoRoot : undefined);
      this.knowSource(root.cluster, { source: s, ...(folder !== undefined ? { folder } : {}) });
      const url = 'url' in s ? s.url : undefined;
      if (url && folder !== undefined) this.rootSourceFolders.set(normalizeGitUrl(url), folder);
    }
    for (const ks of root.kustomizations) this.queue.push({ ks, cluster: root.cluster });
  }

  private knowSource(cluster: string, known: KnownSource): void {
    const key = `${known.source.kind}/${known.source.namespace}/${known.source.name}`;
    if (known.folder === undefined && known.source.kind === 'GitRepository' && this.repositorySources.has(key))
      known = { ...known, folder: this.repoRoot };
    const map = this.sources.get(cluster)!;
    // A root's own source (with its folder) wins over the same object found again in the rendered tree.
    if (!map.get(key)?.folder) map.set(key, known);
  }

  private catalog(cluster: string): SourceCatalog {
    return {
      find: (kind, namespace, name) => this.sources.get(cluster)?.get(`${kind}/${namespace}/${name}`),
      externalArtifact: (namespace, name) => this.externalArtifact(cluster, namespace, name),
    };
  }

  /** The virtual tree of an ExternalArtifact an ArtifactGenerator of the cluster builds (flux/artifactGenerator.ts). */
  private externalArtifact(cluster: string, namespace: string, name: string): { tree?: FluxSourceTree; note?: string } | undefined {
    for (const generator of this.generators.get(cluster) ?? []) {
      if (!generator.trees) {
        const read = readArtifactGenerator(generator.object, generator.place, {
          fs: this.options.fs,
          repoRoot: this.repoRoot,
          sourceRoot: (kind, ns, sourceName) => this.folderOfSource(cluster, kind, ns, sourceName),
        });
        generator.trees = read.artifacts;
        this.graph.problems.push(...read.problems, ...read.artifacts.flatMap((a) => a.problems));
      }
      const tree = generator.trees.find((t) => t.name === name && t.namespace === namespace);
      if (!tree) continue;
      const by = `ArtifactGenerator ${String(getPath(generator.object, ['metadata', 'name']))}`;
      const note =
        tree.notes.length > 0
          ? `${by}: ${tree.notes.join('; ')}`
          : `spec.path is relative to ExternalArtifact ${namespace}/${name}, which ${by} assembles from this repository`;
      return { tree: { root: tree.root, fs: tree.fs, toReal: tree.toReal, description: `ExternalArtifact ${namespace}/${name}` }, note };
    }
    return undefined;
  }

  /** Where in this repository a source's content is, for an ArtifactGenerator copying from it. */
  private folderOfSource(cluster: string, kind: string, namespace: string, name: string): string | undefined {
    const known = this.sources.get(cluster)?.get(`${kind}/${namespace}/${name}`);
    if (!known) return undefined;
    const resolved = whereIsSource(known, this.repository());
    return resolved.kind === 'repository' ? resolved.root : undefined;
  }

  private resolve(pending: Pending): SourceResolution {
    return this.resolveFor(pending.ks, pending.cluster);
  }

  private resolveFor(ks: FluxKustomization, cluster: string): SourceResolution {
    return resolveSource(ks, this.catalog(cluster), this.repository());
  }

  private repository(): RepositoryFacts {
    return { root: this.repoRoot, remotes: this.remotes, rootSourceFolders: this.rootSourceFolders };
  }

  run(): void {
    // Kustomizations whose source is not known yet wait until the rest of the tree is walked (the source
    // may be applied by a sibling); those reading variables from ConfigMaps/Secrets wait likewise.
    let deferred: Pending[] = [];
    while (true) {
      if (this.queue.length === 0 && this.expandResourceSets()) continue;
      if (this.queue.length === 0) {
        if (deferred.length === 0) break;
        // Nothing new will arrive for them: take them as they are.
        this.queue = deferred;
        deferred = [];
        for (const p of this.queue) p.final = true;
      }
      const pending = this.queue.shift()!;
      const c = this.cluster(pending.cluster);
      const key = keyOf(pending.ks);
      if (c.nodes.has(key)) continue;
      if (!pending.final && (isReadingVariables(pending.ks) || this.resolve(pending).kind === 'unknown')) {
        if (!deferred.some((d) => d.cluster === pending.cluster && keyOf(d.ks) === key)) deferred.push(pending);
        continue;
      }
      if (this.count >= this.max) {
        this.graph.problems.push({
          code: 'environment-too-many-kustomizations',
          severity: 'warning',
          message: `cluster ${pending.cluster} has more than ${this.max} Flux Kustomizations; the rest are not followed`,
          file: pending.ks.place.file,
        });
        return;
      }
      this.count++;
      this.visit(c, pending);
    }
  }

  /**
   * Expands the ResourceSets walked so far (flux/resourceSet.ts), after their parent's substitution (they
   * were read from its output); what they generate joins the cluster as if their parent applied it.
   * Returns whether anything was expanded.
   */
  private expandResourceSets(): boolean {
    let any = false;
    for (const [cluster, sets] of this.resourceSets) {
      for (const set of sets) {
        if (set.expanded) continue;
        set.expanded = any = true;
        const providers = this.inputProviders.get(cluster)!;
        const expansion = expandResourceSet(set.object, set.place, {
          findInputProvider: (namespace, name) =>
            providers.find(
              (p) => getPath(p, ['metadata', 'name']) === name && (getPath(p, ['metadata', 'namespace']) ?? namespace) === namespace,
            ),
          listInputProviders: (namespace) => providers.filter((p) => (getPath(p, ['metadata', 'namespace']) ?? namespace) === namespace),
        });
        this.graph.problems.push(...expansion.problems);
        const name = `ResourceSet ${String(getPath(set.object, ['metadata', 'namespace']) ?? '')}/${String(getPath(set.object, ['metadata', 'name']) ?? '')}`;
        for (const note of expansion.notes)
          this.cluster(cluster).notes.push({
            file: set.place.file,
            ...(set.place.range ? { range: set.place.range } : {}),
            message: `${name}: ${note}`,
          });
        for (const generated of expansion.objects) {
          // A generated object's fields are found in its template (spec.resources[i]), else at the ResourceSet.
          const place: FluxObjectPlace = {
            ...set.place,
            rangeOf: (p) =>
              set.place.rangeOf?.([...generated.templatePath, ...p]) ?? set.place.rangeOf?.(generated.templatePath) ?? set.place.range,
          };
          this.collectObject(cluster, generated.object, () => place, set.parent);
        }
      }
    }
    return any;
  }

  /** Each cluster's sources and ExternalArtifacts, for rules that ask whether a reference resolves there. */
  publishSources(): void {
    for (const c of this.clusters.values()) {
      c.sources = [...(this.sources.get(c.name)?.values() ?? [])];
      c.externalArtifacts = new Set();
      for (const g of this.generators.get(c.name) ?? []) {
        // Read every generator once, used or not, so that its mistakes are reported.
        this.externalArtifact(c.name, '', '');
        const namespace = String(getPath(g.object, ['metadata', 'namespace']) ?? 'default');
        if (typeof getPath(g.object, ['spec', 'pathPattern']) === 'string') c.externalArtifacts.add(`${namespace}/*`);
        const artifacts = getPath(g.object, ['spec', 'artifacts']);
        for (const a of Array.isArray(artifacts) ? artifacts : [])
          if (isObject(a) && typeof a.name === 'string') c.externalArtifacts.add(`${namespace}/${a.name}`);
      }
    }
  }

  /**
   * A hub often writes each spoke's Kustomizations in one file (`hub/staging.yaml`), only some with
   * spec.kubeConfig: the others apply HelmReleases that carry the kubeConfig themselves. They deploy that
   * spoke too, so they and what they apply join it.
   */
  regroupSpokeSiblings(): void {
    const spokeOfFile = new Map<string, string>();
    for (const c of this.clusters.values())
      for (const n of c.nodes.values()) if (spokeClusterOf(n.kustomization) === c.name) spokeOfFile.set(n.kustomization.place.file, c.name);
    for (const c of this.clusters.values()) {
      for (const [key, node] of [...c.nodes]) {
        const target = spokeOfFile.get(node.kustomization.place.file);
        if (target === undefined || target === c.name || spokeClusterOf(node.kustomization) !== undefined) continue;
        const moving = [key];
        for (let i = 0; i < moving.length; i++)
          for (const [k, n] of c.nodes) if (n.parent === moving[i] && !moving.includes(k)) moving.push(k);
        const to = this.cluster(target);
        for (const k of moving) {
          const n = c.nodes.get(k)!;
          c.nodes.delete(k);
          if (!to.nodes.has(k)) to.nodes.set(k, { ...n, cluster: target, reconciledOn: c.name });
          // The sources it applies are that cluster's too (the HelmRepository beside the spoke's HelmRelease).
          for (const r of n.result?.resources ?? []) {
            const read = readFluxObject(r.object, this.placeOfRendered(r));
            if (isFluxSource(read.value)) this.knowSource(target, { source: read.value });
          }
        }
      }
    }
  }

  private visit(c: ClusterGraph, pending: Pending): void {
    const ks = pending.ks;
    const source = this.resolve(pending);
    const node: GraphNode = { kustomization: ks, cluster: c.name, ...(pending.parent ? { parent: pending.parent } : {}), source };
    c.nodes.set(keyOf(ks), node);
    this.graph.filesRead.add(ks.place.file);
    const tree = treeOf(source, this.repoRoot, this.options.fs);
    if (tree === null) return;
    // An unknown source: Flux reports it; a build from the repository root is shown only where spec.path exists there.
    if (source.kind === 'unknown' && this.options.fs.kind(joinSpecPath(this.repoRoot, ks.path)) !== 'dir') return;
    const result = this.render(ks, tree, c.name);
    node.result = result;
    result.filesRead.forEach((f) => this.graph.filesRead.add(f));
    for (const r of result.resources) this.collect(c.name, r, keyOf(ks));
  }

  /** A rendered object: a source, a ConfigMap or Secret for substitution, a ResourceSet, or a child Kustomization. */
  private collect(cluster: string, r: Resource, parent: string): void {
    this.collectObject(cluster, r.object, () => this.placeOfRendered(r), parent);
  }

  private collectObject(cluster: string, o: JsonObject, placeOf: () => FluxObjectPlace, parent: string): void {
    if (isResourceSet(o)) {
      this.resourceSets.get(cluster)!.push({ object: o, place: placeOf(), parent });
      return;
    }
    if (o.kind === 'ResourceSetInputProvider') {
      this.inputProviders.get(cluster)!.push(o);
      return;
    }
    if ((o.kind === 'ConfigMap' || o.kind === 'Secret') && o.apiVersion === 'v1') {
      const meta = isObject(o.metadata) ? o.metadata : {};
      this.configObjects
        .get(cluster)!
        .set(`${String(o.kind)}/${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${String(meta.name)}`, o);
      return;
    }
    if (isArtifactGenerator(o)) {
      this.generators.get(cluster)!.push({ object: o, place: placeOf() });
      return;
    }
    const read = readRenderedFluxObject(o, placeOf);
    if (isFluxSource(read.value)) {
      this.knowSource(cluster, { source: read.value });
      return;
    }
    if (!isFluxKustomization(read.value)) return;
    const child = read.value;
    const spoke = spokeClusterOf(child);
    if (spoke !== undefined && spoke !== cluster) {
      const target = this.cluster(spoke);
      if (!target.roots.some((root) => root.file === child.place.file)) {
        target.roots.push({
          cluster: spoke,
          kind: 'spoke',
          inferred: true,
          file: child.place.file,
          description: `Kustomizations applied to cluster ${spoke} through spec.kubeConfig, from ${relative(this.repoRoot, child.place.file)}`,
          kustomizations: [],
          sources: [],
        });
      }
      // The hub reconciles the object, so the spoke sees the hub's sources.
      for (const known of this.sources.get(cluster)!.values()) this.knowSource(spoke, known);
    }
    this.queue.push({ ks: child, cluster: spoke ?? cluster, parent });
  }

  /** The place of a rendered Flux object: its source document, with field ranges from the file it was read from. */
  private placeOfRendered(r: Resource): FluxObjectPlace {
    const file = r.source.file;
    const fs = this.options.fs;
    let locate: ((p: ReadonlyArray<string | number>) => ReturnType<NonNullable<FluxObjectPlace['rangeOf']>>) | undefined;
    return {
      file,
      documentIndex: r.source.documentIndex,
      ...(r.source.range ? { range: r.source.range } : {}),
      rangeOf: (p) => {
        if (!locate) {
          const text = r.source.documentIndex >= 0 ? fs.readFile(file) : undefined;
          const doc =
            text === undefined ? undefined : parseYamlFileCached(file, text, this.options.parseLimits).documents[r.source.documentIndex];
          locate = doc ? (q) => doc.locate(q) : () => r.source.range;
        }
        return locate(p) ?? r.source.range;
      },
    };
  }

  private render(ks: FluxKustomization, tree: FluxSourceTree | undefined, cluster: string): FluxBuildResult {
    if (!isReadingVariables(ks) && this.options.renderIndependent) return this.options.renderIndependent(ks, tree);
    const configs = this.configObjects.get(cluster)!;
    const findObject: FindObject = (kind, namespace, name) => {
      const hit = configs.get(`${kind}/${namespace}/${name}`);
      if (hit) return { object: hit };
      return this.repoConfigObjects().get(`${kind}/${namespace}/${name}`) ?? this.repoConfigObjects().get(`${kind}//${name}`);
    };
    if (this.options.renderIndependent) {
      // Remembered by the variables it reads too: a home-lab patches substituteFrom into every child, and an
      // edit of one child must not build the other hundred again.
      const standIns = this.options.standInsFor?.(cluster);
      const key = JSON.stringify([
        ks.postBuild!.substituteFrom.map((ref) => findObject(ref.kind, ks.namespace, ref.name)?.object ?? null),
        standIns ? [...standIns.vars] : null,
      ]);
      return this.options.renderIndependent(ks, tree, { findObject, key, ...(standIns ? { standIns } : {}) });
    }
    const standIns = this.options.standInsFor?.(cluster);
    return renderFluxKustomization(ks, {
      fs: this.options.fs,
      repoRoot: this.repoRoot,
      ...(tree ? { source: tree } : {}),
      findObject,
      ...(standIns ? { standIns } : {}),
      strictSubstitution: this.options.strictSubstitution ?? true,
      parseLimits: this.options.parseLimits,
      deadline: this.options.deadline,
      cache: this.options.cache,
    });
  }

  /** A Kustomization's output on its own (for finding which unreached Kustomizations apply which), remembered. */
  private alone = new Map<FluxKustomization, FluxBuildResult | undefined>();
  renderAlone(ks: FluxKustomization): FluxBuildResult | undefined {
    if (this.alone.has(ks)) return this.alone.get(ks);
    const result =
      this.options.fs.kind(joinSpecPath(this.repoRoot, ks.path)) === 'dir'
        ? renderFluxKustomization(ks, {
            fs: this.options.fs,
            repoRoot: this.repoRoot,
            parseLimits: this.options.parseLimits,
            deadline: this.options.deadline,
            cache: this.options.cache,
          })
        : undefined;
    this.alone.set(ks, result);
    return result;
  }

  private repoConfigs: Map<string, { object: JsonObject; file: string }> | undefined;
  /** ConfigMaps and Secrets written anywhere in the repository, for substituteFrom entries no Kustomization renders. */
  private repoConfigObjects(): Map<string, { object: JsonObject; file: string }> {
    if (this.repoConfigs) return this.repoConfigs;
    const index = new Map<string, { object: JsonObject; file: string }>();
    for (const file of this.options.files) {
      const text = this.options.fs.readFile(file);
      if (text === undefined) continue;
      for (const doc of parseYamlFileCached(file, text, this.options.parseLimits).documents) {
        const o = doc.value;
        if (!isObject(o) || (o.kind !== 'ConfigMap' && o.kind !== 'Secret') || o.apiVersion !== 'v1') continue;
        const meta = isObject(o.metadata) ? o.metadata : {};
        if (typeof meta.name !== 'string') continue;
        const key = `${String(o.kind)}/${typeof meta.namespace === 'string' ? meta.namespace : ''}/${meta.name}`;
        if (!index.has(key)) index.set(key, { object: o, file });
      }
    }
    this.repoConfigs = index;
    return index;
  }
}

function isReadingVariables(ks: FluxKustomization): boolean {
  return !!ks.postBuild && ks.postBuild.substituteFrom.length > 0;
}

/**
 * The tree a Kustomization is built from: undefined for the repository root itself, a subfolder or a
 * virtual tree, or null when the source's content is not here. An unknown source is built from the
 * repository root when spec.path exists there (what a preview can best show); Flux itself will report
 * the missing source.
 */
function treeOf(source: SourceResolution, repoRoot: string, fs: FileSystem): FluxSourceTree | undefined | null {
  switch (source.kind) {
    case 'repository': {
      if (normalize(source.root) === repoRoot) return undefined;
      const rel = path.posix.relative(repoRoot, source.root);
      const virtualRoot = `${repoRoot}/${ARTIFACTS_FOLDER}/subfolder/${rel}/@artifact`;
      const mounted = mountedFileSystem(fs, normalize(source.root), virtualRoot);
      return { root: virtualRoot, fs: mounted.fs, toReal: mounted.toReal, description: `the artifact of ${rel}/` };
    }
    case 'artifact':
      return source.tree;
    case 'elsewhere':
      return null;
    case 'unknown':
      return undefined;
  }
}
