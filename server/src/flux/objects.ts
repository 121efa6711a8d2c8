// Typed views over Flux objects found in a repository: Kustomizations, sources and HelmReleases,
// with the defaults the controllers apply (namespaces of references, ref precedence, release names).
// Reading never throws: a field of the wrong type becomes a Problem at that field and is left unset.
import { createHash } from 'node:crypto';
import { getPath, isObject } from '../kustomize/resource';
import type { Json, JsonObject, Problem, Range } from '../kustomize/types';
import { enumAt, fluxApiKinds, fluxKind, FLUX_RELEASE, type FluxApiKindName, type RemovedFluxApiVersion } from './api';

export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const HELM_GROUP = 'helm.toolkit.fluxcd.io';

/** Every kind Flux defines, by name. */
export type FluxKind = FluxApiKindName;

/** The API group of each Flux kind and the versions it is served at (newest first), from Flux's CRDs. */
export const FLUX_KINDS: Readonly<Record<FluxKind, { readonly group: string; readonly versions: readonly string[] }>> = Object.fromEntries(
  fluxApiKinds().map((k) => [k.kind, { group: k.group, versions: k.versions.map((v) => v.name) }]),
) as Record<FluxKind, { group: string; versions: string[] }>;

export type SourceKind = 'GitRepository' | 'OCIRepository' | 'Bucket' | 'HelmRepository' | 'HelmChart';

export interface FluxClassification {
  kind: FluxKind;
  group: string;
  version: string;
  /**
   * False when the group/kind is Flux's but no Flux release derived from served this version (a typo
   * or a future version). True for served versions and for versions an older release served.
   */
  knownVersion: boolean;
  /** Whether the newest Flux release derived from serves this version. */
  served: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  /** Set for a version an older Flux release served that the newest no longer does. */
  removed?: RemovedFluxApiVersion;
}

/** Which Flux object this is, from apiVersion and kind; undefined for anything else. */
export function classifyFluxObject(object: JsonObject): FluxClassification | undefined {
  const kind = object.kind;
  const apiVersion = object.apiVersion;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const found = fluxKind(apiVersion, kind);
  if (!found) return undefined;
  return {
    kind: kind as FluxKind,
    group: found.group,
    version: found.version,
    knownVersion: found.served || found.removed !== undefined,
    served: found.served,
    deprecated: found.deprecated,
    ...(found.deprecationWarning ? { deprecationWarning: found.deprecationWarning } : {}),
    ...(found.removed ? { removed: found.removed } : {}),
  };
}

/** Where a Flux object was read: its file and document, and (when the index knows) the range of any field. */
export interface FluxObjectPlace {
  file: string;
  documentIndex: number;
  /** The whole object's range. */
  range?: Range;
  /** The range of the value at `path` within the object, e.g. ['spec', 'dependsOn', 0, 'name']. */
  rangeOf?: (path: ReadonlyArray<string | number>) => Range | undefined;
}

export interface ReadOptions {
  /** The namespace the object lands in when metadata.namespace is empty (the applying Kustomization's targetNamespace, else `default`). */
  defaultNamespace?: string;
}

export interface FluxObjectBase {
  apiVersion: string;
  version: string;
  name: string;
  /** metadata.namespace, or the default namespace when the object does not say. */
  namespace: string;
  /** Whether metadata.namespace was written in the object. */
  namespaceWritten: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  suspend: boolean;
  interval?: string;
  object: JsonObject;
  place: FluxObjectPlace;
}

/** A reference to another object; `namespace` already carries the controller's default. */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace: string;
  /** Whether the namespace was written in the reference (false: defaulted to the referrer's). */
  namespaceWritten: boolean;
  /** Path of the reference inside the referring object, for ranges and edits. */
  path: Array<string | number>;
}

export interface DependencyRef {
  name: string;
  namespace: string;
  namespaceWritten: boolean;
  readyExpr?: string;
  path: Array<string | number>;
}

export interface SubstituteFromRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  optional: boolean;
  path: Array<string | number>;
}

export interface PostBuild {
  /** Inline variables, in written order. */
  substitute: Record<string, string>;
  substituteFrom: SubstituteFromRef[];
}

export interface FluxKustomization extends FluxObjectBase {
  kind: 'Kustomization';
  /** spec.path as written (undefined: the source root). */
  path?: string;
  sourceRef?: ObjectRef;
  dependsOn: DependencyRef[];
  timeout?: string;
  retryInterval?: string;
  prune?: boolean;
  wait: boolean;
  force: boolean;
  healthChecks: ObjectRef[];
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches: Json[];
  /** v1beta1/v1beta2 only: `patchesStrategicMerge` and `patchesJson6902`. */
  legacyPatches: { strategicMerge: Json[]; json6902: Json[] };
  images: Json[];
  components: string[];
  ignoreMissingComponents: boolean;
  /** Flux 2.9: kustomize `buildMetadata` options the controller writes into the kustomization (see generate.ts). */
  buildMetadata: string[];
  commonMetadata?: { labels: Record<string, string>; annotations: Record<string, string> };
  postBuild?: PostBuild;
  serviceAccountName?: string;
  deletionPolicy: string;
}

/** What a GitRepository follows, after the controller's precedence: commit > name > semver > tag > branch. */
export type GitRefKind = 'commit' | 'name' | 'semver' | 'tag' | 'branch';

export interface GitRepository extends FluxObjectBase {
  kind: 'GitRepository';
  url?: string;
  ref: { branch?: string; tag?: string; semver?: string; name?: string; commit?: string };
  /** The field that decides what is checked out, and its value; `branch: master` when no ref is written. */
  effectiveRef: { kind: GitRefKind; value: string; defaulted: boolean };
  /** True when the checkout follows a moving pointer (a branch, or a `refs/heads/...` name). */
  tracksMovingRef: boolean;
}

export type OciRefKind = 'digest' | 'semver' | 'tag';

export interface OCIRepository extends FluxObjectBase {
  kind: 'OCIRepository';
  url?: string;
  ref: { tag?: string; semver?: string; semverFilter?: string; digest?: string };
  /** digest > semver > tag; `tag: latest` when no ref is written. */
  effectiveRef: { kind: OciRefKind; value: string; defaulted: boolean };
  tracksMovingRef: boolean;
}

export interface Bucket extends FluxObjectBase {
  kind: 'Bucket';
  bucketName?: string;
  endpoint?: string;
  provider: string;
  region?: string;
  prefix?: string;
}

export interface HelmRepository extends FluxObjectBase {
  kind: 'HelmRepository';
  url?: string;
  type: 'default' | 'oci' | string;
}

export interface HelmChart extends FluxObjectBase {
  kind: 'HelmChart';
  chart?: string;
  version: string;
  sourceRef?: ObjectRef;
  reconcileStrategy: string;
  valuesFiles: string[];
}

export interface ValuesFromRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  valuesKey: string;
  targetPath?: string;
  optional: boolean;
  /** helm-controller v1.4+: the value at targetPath is taken verbatim (commas, brackets, backslashes included). */
  literal: boolean;
  path: Array<string | number>;
}

export interface HelmRelease extends FluxObjectBase {
  kind: 'HelmRelease';
  chart?: { chart?: string; version: string; sourceRef?: ObjectRef; reconcileStrategy: string; valuesFiles: string[] };
  /** v2beta2+/v2: a reference to an OCIRepository or HelmChart instead of a chart template. */
  chartRef?: ObjectRef;
  values?: JsonObject;
  valuesFrom: ValuesFromRef[];
  dependsOn: DependencyRef[];
  targetNamespace?: string;
  storageNamespace: string;
  /** spec.releaseName, or the controller's default `[targetNamespace-]name` shortened to 53 characters. */
  releaseName: string;
  releaseNameWritten: boolean;
  timeout?: string;
}

export type FluxObject = FluxKustomization | GitRepository | OCIRepository | Bucket | HelmRepository | HelmChart | HelmRelease;
export type FluxSource = GitRepository | OCIRepository | Bucket | HelmRepository | HelmChart;

export interface ReadResult<T> {
  value: T | undefined;
  problems: Problem[];
}

/** Reads values out of one object, reporting type mistakes at their field. */
class FieldReader {
  readonly problems: Problem[] = [];
  constructor(
    private readonly object: JsonObject,
    private readonly place: FluxObjectPlace,
    private readonly what: string,
  ) {}

  rangeAt(path: ReadonlyArray<string | number>): Range | undefined {
    return this.place.rangeOf?.(path) ?? this.place.range;
  }

  report(path: ReadonlyArray<string | number>, code: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    const range = this.rangeAt(path);
    this.problems.push({ code, severity, message: `${this.what}: ${message}`, file: this.place.file, ...(range ? { range } : {}) });
  }

  raw(path: ReadonlyArray<string | number>): Json | undefined {
    return getPath(this.object, path);
  }

  string(path: ReadonlyArray<string | number>): string | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.report(path, 'flux-field-type', `${dotted(path)} must be a string; got ${typeName(v)}.`);
    return undefined;
  }

  bool(path: ReadonlyArray<string | number>): boolean | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    this.report(
      path,
      'flux-field-type',
      `${dotted(path)} must be true or false; got ${typeName(v)}${typeof v === 'string' ? ` "${v}" (remove the quotes)` : ''}.`,
    );
    return undefined;
  }

  list(path: ReadonlyArray<string | number>): Json[] {
    const v = this.raw(path);
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.report(path, 'flux-field-type', `${dotted(path)} must be a list; got ${typeName(v)}.`);
    return [];
  }

  map(path: ReadonlyArray<string | number>): JsonObject | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return v;
    this.report(path, 'flux-field-type', `${dotted(path)} must be a mapping; got ${typeName(v)}.`);
    return undefined;
  }

  /** A map of string values; non-string values are reported (the API server rejects them). */
  stringMap(path: ReadonlyArray<string | number>): Record<string, string> | undefined {
    const m = this.map(path);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v;
      else this.report([...path, k], 'flux-field-type', `${dotted([...path, k])} must be a string; got ${typeName(v)}. Quote the value.`);
    }
    return out;
  }

  strings(path: ReadonlyArray<string | number>): string[] {
    const out: string[] = [];
    this.list(path).forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else this.report([...path, i], 'flux-field-type', `${dotted([...path, i])} must be a string; got ${typeName(v)}.`);
    });
    return out;
  }

  /** A `{kind?, name, namespace?}` reference; the namespace defaults to `defaultNamespace`. */
  ref(path: Array<string | number>, defaultNamespace: string, fixedKind?: string): ObjectRef | undefined {
    const m = this.map(path);
    if (!m) return undefined;
    const name = this.string([...path, 'name']);
    const kind = fixedKind ?? this.string([...path, 'kind']);
    if (!name) {
      this.report(path, 'flux-ref-missing-name', `${dotted(path)} has no name. Name the object it refers to.`);
      return undefined;
    }
    if (!kind) {
      this.report(path, 'flux-ref-missing-kind', `${dotted(path)} has no kind. Say which kind of object "${name}" is.`);
      return undefined;
    }
    const namespace = this.string([...path, 'namespace']);
    const apiVersion = this.string([...path, 'apiVersion']);
    return {
      ...(apiVersion ? { apiVersion } : {}),
      kind,
      name,
      namespace: namespace || defaultNamespace,
      namespaceWritten: !!namespace,
      path,
    };
  }

  dependsOn(path: Array<string | number>, defaultNamespace: string): DependencyRef[] {
    const out: DependencyRef[] = [];
    this.list(path).forEach((entry, i) => {
      const p = [...path, i];
      if (!isObject(entry)) {
        this.report(p, 'flux-field-type', `${dotted(p)} must be a mapping with a name; got ${typeName(entry)}.`);
        return;
      }
      const name = this.string([...p, 'name']);
      if (!name) {
        this.report(p, 'flux-ref-missing-name', `${dotted(p)} has no name. Name the object this one depends on.`);
        return;
      }
      const namespace = this.string([...p, 'namespace']);
      const readyExpr = this.string([...p, 'readyExpr']);
      out.push({
        name,
        namespace: namespace || defaultNamespace,
        namespaceWritten: !!namespace,
        ...(readyExpr ? { readyExpr } : {}),
        path: p,
      });
    });
    return out;
  }
}

function dotted(path: ReadonlyArray<string | number>): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function typeName(v: Json | undefined): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'a mapping';
  if (typeof v === 'bigint') return 'a number';
  return `a ${typeof v}`;
}

/** helm-controller's release name shortening: names over 53 characters become 40 characters, `-`, and 12 hex of their SHA-256. */
export function shortenReleaseName(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= 53) return name;
  const sum = createHash('sha256').update(name, 'utf8').digest('hex');
  return Buffer.from(name, 'utf8').subarray(0, 40).toString('utf8') + '-' + sum.slice(0, 12);
}

function baseOf(
  r: FieldReader,
  object: JsonObject,
  place: FluxObjectPlace,
  c: FluxClassification,
  opts: ReadOptions,
): FluxObjectBase | undefined {
  const name = r.string(['metadata', 'name']);
  if (!name) {
    r.report(['metadata'], 'flux-missing-name', 'metadata.name is missing. Every object needs a name.');
    return undefined;
  }
  const written = r.string(['metadata', 'namespace']);
  const interval = r.string(['spec', 'interval']);
  return {
    apiVersion: String(object.apiVersion),
    version: c.version,
    name,
    namespace: written || opts.defaultNamespace || 'default',
    namespaceWritten: !!written,
    labels: r.stringMap(['metadata', 'labels']) ?? {},
    annotations: r.stringMap(['metadata', 'annotations']) ?? {},
    suspend: r.bool(['spec', 'suspend']) ?? false,
    ...(interval !== undefined ? { interval } : {}),
    object,
    place,
  };
}

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

function readKustomization(r: FieldReader, base: FluxObjectBase): FluxKustomization {
  const ns = base.namespace;
  const postBuildMap = r.map(['spec', 'postBuild']);
  let postBuild: PostBuild | undefined;
  if (postBuildMap) {
    const substituteFrom: SubstituteFromRef[] = [];
    r.list(['spec', 'postBuild', 'substituteFrom']).forEach((entry, i) => {
      const p = ['spec', 'postBuild', 'substituteFrom', i];
      if (!isObject(entry)) {
        r.report(p, 'flux-field-type', `${dotted(p)} must be a mapping with kind and name.`);
        return;
      }
      const kind = r.string([...p, 'kind']);
      const name = r.string([...p, 'name']);
      if (kind !== 'ConfigMap' && kind !== 'Secret') {
        r.report(
          [...p, 'kind'],
          'flux-substitute-from-kind',
          `${dotted(p)}.kind must be ConfigMap or Secret${kind ? `, not "${kind}"` : ''}.`,
        );
        return;
      }
      if (!name) {
        r.report(p, 'flux-ref-missing-name', `${dotted(p)} has no name. Name the ${kind} to read variables from.`);
        return;
      }
      substituteFrom.push({ kind, name, optional: r.bool([...p, 'optional']) ?? false, path: p });
    });
    postBuild = { substitute: r.stringMap(['spec', 'postBuild', 'substitute']) ?? {}, substituteFrom };
  }
  const commonMetadataMap = r.map(['spec', 'commonMetadata']);
  const legacy = base.version !== 'v1';
  // The CRD's enum (kustomize-controller api/v1 BuildMetadataOption): the API server refuses any other value, so
  // none reaches the build. A version without the field (v1beta2) has it pruned: nothing reaches the build either.
  const buildMetadataOptions = enumAt('Kustomization', base.version, ['spec', 'buildMetadata', 0]) ?? [];
  const buildMetadata: string[] = [];
  r.list(['spec', 'buildMetadata']).forEach((option, i) => {
    const at = ['spec', 'buildMetadata', i];
    if (typeof option !== 'string') r.report(at, 'flux-field-type', `${dotted(at)} must be a string; got ${typeName(option)}.`);
    else if (buildMetadataOptions.includes(option)) buildMetadata.push(option);
    else if (buildMetadataOptions.length > 0)
      r.report(
        at,
        'flux-build-metadata-option',
        `${dotted(at)} must be ${buildMetadataOptions.join(' or ')}, not "${option}": the API server refuses the Kustomization${option === 'managedByLabel' ? " (kustomize's managedByLabel is not a Flux option)" : ''}.`,
      );
  });
  return defined({
    ...base,
    kind: 'Kustomization' as const,
    path: r.string(['spec', 'path']),
    sourceRef: r.map(['spec', 'sourceRef']) ? r.ref(['spec', 'sourceRef'], ns) : undefined,
    dependsOn: r.dependsOn(['spec', 'dependsOn'], ns),
    timeout: r.string(['spec', 'timeout']),
    retryInterval: r.string(['spec', 'retryInterval']),
    prune: r.bool(['spec', 'prune']),
    wait: r.bool(['spec', 'wait']) ?? false,
    force: r.bool(['spec', 'force']) ?? false,
    healthChecks: r
      .list(['spec', 'healthChecks'])
      .map((_, i) => r.ref(['spec', 'healthChecks', i], ns))
      .filter((x): x is ObjectRef => x !== undefined),
    targetNamespace: r.string(['spec', 'targetNamespace']),
    namePrefix: r.string(['spec', 'namePrefix']),
    nameSuffix: r.string(['spec', 'nameSuffix']),
    patches: r.list(['spec', 'patches']),
    legacyPatches: {
      strategicMerge: legacy ? r.list(['spec', 'patchesStrategicMerge']) : [],
      json6902: legacy ? r.list(['spec', 'patchesJson6902']) : [],
    },
    images: r.list(['spec', 'images']),
    components: r.strings(['spec', 'components']),
    ignoreMissingComponents: r.bool(['spec', 'ignoreMissingComponents']) ?? false,
    buildMetadata,
    commonMetadata: commonMetadataMap
      ? {
          labels: r.stringMap(['spec', 'commonMetadata', 'labels']) ?? {},
          annotations: r.stringMap(['spec', 'commonMetadata', 'annotations']) ?? {},
        }
      : undefined,
    postBuild,
    serviceAccountName: r.string(['spec', 'serviceAccountName']),
    deletionPolicy: r.string(['spec', 'deletionPolicy']) ?? 'MirrorPrune',
  });
}

function readGitRepository(r: FieldReader, base: FluxObjectBase): GitRepository {
  r.map(['spec', 'ref']);
  const ref = defined({
    branch: r.string(['spec', 'ref', 'branch']) || undefined,
    tag: r.string(['spec', 'ref', 'tag']) || undefined,
    semver: r.string(['spec', 'ref', 'semver']) || undefined,
    name: r.string(['spec', 'ref', 'name']) || undefined,
    commit: r.string(['spec', 'ref', 'commit']) || undefined,
  });
  const order: GitRefKind[] = ['commit', 'name', 'semver', 'tag', 'branch'];
  const winner = order.find((k) => ref[k] !== undefined);
  // A commit together with a branch checks out that commit on that branch: still a fixed revision.
  const effectiveRef = winner
    ? { kind: winner, value: ref[winner] as string, defaulted: false }
    : { kind: 'branch' as const, value: 'master', defaulted: true };
  const tracksMovingRef =
    effectiveRef.kind === 'branch' || (effectiveRef.kind === 'name' && /^refs\/(heads|merge-requests|pull)\//.test(effectiveRef.value));
  return defined({ ...base, kind: 'GitRepository' as const, url: r.string(['spec', 'url']), ref, effectiveRef, tracksMovingRef });
}

function readOCIRepository(r: FieldReader, base: FluxObjectBase): OCIRepository {
  r.map(['spec', 'ref']);
  const ref = defined({
    tag: r.string(['spec', 'ref', 'tag']) || undefined,
    semver: r.string(['spec', 'ref', 'semver']) || undefined,
    semverFilter: r.string(['spec', 'ref', 'semverFilter']) || undefined,
    digest: r.string(['spec', 'ref', 'digest']) || undefined,
  });
  const order: OciRefKind[] = ['digest', 'semver', 'tag'];
  const winner = order.find((k) => ref[k] !== undefined);
  const effectiveRef = winner
    ? { kind: winner, value: ref[winner] as string, defaulted: false }
    : { kind: 'tag' as const, value: 'latest', defaulted: true };
  // A tag can be re-pushed; only a digest is fixed. `latest` and branch-like tags are the usual moving ones.
  const tracksMovingRef = effectiveRef.kind === 'tag' && /^(latest|main|master|develop|dev|edge|nightly|stable)$/.test(effectiveRef.value);
  return defined({ ...base, kind: 'OCIRepository' as const, url: r.string(['spec', 'url']), ref, effectiveRef, tracksMovingRef });
}

function readBucket(r: FieldReader, base: FluxObjectBase): Bucket {
  return defined({
    ...base,
    kind: 'Bucket' as const,
    bucketName: r.string(['spec', 'bucketName']),
    endpoint: r.string(['spec', 'endpoint']),
    provider: r.string(['spec', 'provider']) || 'generic',
    region: r.string(['spec', 'region']),
    prefix: r.string(['spec', 'prefix']),
  });
}

function readHelmRepository(r: FieldReader, base: FluxObjectBase): HelmRepository {
  return defined({
    ...base,
    kind: 'HelmRepository' as const,
    url: r.string(['spec', 'url']),
    type: r.string(['spec', 'type']) || 'default',
  });
}

function readChartTemplate(r: FieldReader, path: Array<string | number>, ns: string) {
  return defined({
    chart: r.string([...path, 'chart']),
    version: r.string([...path, 'version']) || '*',
    sourceRef: r.map([...path, 'sourceRef']) ? r.ref([...path, 'sourceRef'], ns) : undefined,
    reconcileStrategy: r.string([...path, 'reconcileStrategy']) || 'ChartVersion',
    valuesFiles: r.strings([...path, 'valuesFiles']),
  });
}

function readHelmChart(r: FieldReader, base: FluxObjectBase): HelmChart {
  return { ...base, kind: 'HelmChart', ...readChartTemplate(r, ['spec'], base.namespace) };
}

function readHelmRelease(r: FieldReader, base: FluxObjectBase): HelmRelease {
  const ns = base.namespace;
  const targetNamespace = r.string(['spec', 'targetNamespace']) || undefined;
  const releaseNameWritten = r.string(['spec', 'releaseName']) || undefined;
  const releaseName = releaseNameWritten ?? shortenReleaseName(targetNamespace ? `${targetNamespace}-${base.name}` : base.name);
  const valuesFrom: ValuesFromRef[] = [];
  r.list(['spec', 'valuesFrom']).forEach((entry, i) => {
    const p = ['spec', 'valuesFrom', i];
    if (!isObject(entry)) {
      r.report(p, 'flux-field-type', `${dotted(p)} must be a mapping with kind and name.`);
      return;
    }
    const kind = r.string([...p, 'kind']);
    const name = r.string([...p, 'name']);
    if (kind !== 'ConfigMap' && kind !== 'Secret') {
      r.report([...p, 'kind'], 'flux-values-from-kind', `${dotted(p)}.kind must be ConfigMap or Secret${kind ? `, not "${kind}"` : ''}.`);
      return;
    }
    if (!name) {
      r.report(p, 'flux-ref-missing-name', `${dotted(p)} has no name. Name the ${kind} holding the values.`);
      return;
    }
    const targetPath = r.string([...p, 'targetPath']);
    valuesFrom.push(
      defined({
        kind,
        name,
        valuesKey: r.string([...p, 'valuesKey']) || 'values.yaml',
        targetPath,
        optional: r.bool([...p, 'optional']) ?? false,
        literal: r.bool([...p, 'literal']) ?? false,
        path: p,
      }),
    );
  });
  const chartTemplate = r.map(['spec', 'chart']);
  return defined({
    ...base,
    kind: 'HelmRelease' as const,
    chart: chartTemplate ? readChartTemplate(r, ['spec', 'chart', 'spec'], ns) : undefined,
    chartRef: r.map(['spec', 'chartRef']) ? r.ref(['spec', 'chartRef'], ns) : undefined,
    values: r.map(['spec', 'values']),
    valuesFrom,
    dependsOn: r.dependsOn(['spec', 'dependsOn'], ns),
    targetNamespace,
    storageNamespace: r.string(['spec', 'storageNamespace']) || ns,
    releaseName,
    releaseNameWritten: releaseNameWritten !== undefined,
    timeout: r.string(['spec', 'timeout']),
  });
}

/**
 * Reads a Flux object into its typed view. `value` is undefined for objects that are not Flux
 * objects (no problems then), that lack a name (a problem says so), or whose kind this code has no
 * typed view of (a FluxInstance, an Alert): their apiVersion and metadata are still checked.
 */
export function readFluxObject(object: JsonObject, place: FluxObjectPlace, opts: ReadOptions = {}): ReadResult<FluxObject> {
  const c = classifyFluxObject(object);
  if (!c) return { value: undefined, problems: [] };
  const label = `${c.kind} ${typeof getPath(object, ['metadata', 'name']) === 'string' ? `"${String(getPath(object, ['metadata', 'name']))}"` : '(unnamed)'}`;
  const r = new FieldReader(object, place, label);
  checkApiVersion(r, object, c);
  if (object.spec !== undefined && !isObject(object.spec))
    r.report(['spec'], 'flux-field-type', `spec must be a mapping; got ${typeName(object.spec)}.`);
  const base = baseOf(r, object, place, c, opts);
  if (!base) return { value: undefined, problems: r.problems };
  let value: FluxObject | undefined;
  switch (c.kind) {
    case 'Kustomization':
      value = readKustomization(r, base);
      break;
    case 'GitRepository':
      value = readGitRepository(r, base);
      break;
    case 'OCIRepository':
      value = readOCIRepository(r, base);
      break;
    case 'Bucket':
      value = readBucket(r, base);
      break;
    case 'HelmRepository':
      value = readHelmRepository(r, base);
      break;
    case 'HelmChart':
      value = readHelmChart(r, base);
      break;
    case 'HelmRelease':
      value = readHelmRelease(r, base);
      break;
    default:
      value = undefined;
  }
  return { value, problems: r.problems };
}

/**
 * An apiVersion no Flux release served is refused by the API server (error); one that Flux no longer
 * serves is refused by clusters on the newer releases (warning: the cluster may still run the older
 * one); a deprecated one still works but will not for long (warning).
 */
function checkApiVersion(r: FieldReader, object: JsonObject, c: FluxClassification): void {
  const preferred = `${c.group}/${FLUX_KINDS[c.kind].versions[0]}`;
  if (!c.knownVersion) {
    r.report(
      ['apiVersion'],
      'flux-unknown-api-version',
      `apiVersion ${String(object.apiVersion)} is not served for ${c.kind}; use ${preferred}.`,
    );
  } else if (c.removed) {
    r.report(
      ['apiVersion'],
      'flux-removed-api-version',
      `apiVersion ${String(object.apiVersion)} is not served by Flux after ${c.removed.lastServedIn} (Flux ${FLUX_RELEASE} refuses it); use ${preferred}.`,
      'warning',
    );
  } else if (c.deprecated) {
    r.report(
      ['apiVersion'],
      'flux-deprecated-api-version',
      `${c.deprecationWarning ?? `apiVersion ${String(object.apiVersion)} is deprecated`}: use ${preferred}.`,
      'warning',
    );
  }
}

/**
 * readFluxObject of a rendered object, once per object: the objects of a cached build are the same objects
 * every time the graph or a rule reads them. Objects no Flux API group can hold are not read at all.
 */
const readOnce = new WeakMap<JsonObject, ReadResult<FluxObject>>();
export function readRenderedFluxObject(object: JsonObject, placeOf: () => FluxObjectPlace): ReadResult<FluxObject> {
  let read = readOnce.get(object);
  if (!read)
    readOnce.set(
      object,
      (read =
        typeof object.apiVersion === 'string' && object.apiVersion.includes('fluxcd')
          ? readFluxObject(object, placeOf())
          : { value: undefined, problems: [] }),
    );
  return read;
}

export function isFluxKustomization(o: FluxObject | undefined): o is FluxKustomization {
  return o?.kind === 'Kustomization';
}

export function isFluxSource(o: FluxObject | undefined): o is FluxSource {
  return o !== undefined && o.kind !== 'Kustomization' && o.kind !== 'HelmRelease';
}

/** `namespace/name`, the key controllers use for an object of a known kind. */
export function namespacedName(o: { namespace: string; name: string }): string {
  return `${o.namespace}/${o.name}`;
}
