// The shared vocabulary of the renderer: rendered values, resources, where they came from, and
// problems as values with a place. Every transformer, generator and the build speak these types.

/** A YAML/JSON value after tag resolution. Integers too large for a double are kept exact as bigint. */
export type Json = null | boolean | number | bigint | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Zero-based line and character (UTF-16 code units), the LSP convention. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file: absolute path (forward slashes) and an optional range in it. */
export interface Place {
  file: string;
  range?: Range;
}

export type ProblemSeverity = 'error' | 'warning';

/**
 * A problem found while rendering. `code` is stable (e.g. `missing-path`, `include-cycle`) so that
 * the rules layer and the CLI can map it; `message` reads like kustomize's own message.
 */
export interface Problem {
  code: string;
  severity: ProblemSeverity;
  message: string;
  file: string;
  range?: Range;
  /** Other places that explain the problem (the other side of a duplicate id, the start of a cycle...). */
  related?: Array<Place & { message: string }>;
}

/** Who set a value: the object's own source, a patch, a transformer, a generator, a replacement. */
export type OriginKind = 'resource' | 'patch' | 'transformer' | 'generator' | 'replacement' | 'substitution';

export interface Origin {
  kind: OriginKind;
  /** Human words for the step, e.g. `patches[0]`, `namePrefix`, `images[my-app]`. */
  step: string;
  file: string;
  range?: Range;
  /** For a builtin plugin config (`generators:`/`transformers:`), the config object's identity. */
  configuredBy?: PluginIdentity;
}

/** apiVersion, kind, name and namespace of a plugin config, as kustomize's build metadata prints them. */
export interface PluginIdentity {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

/** One transformer that ran over an object (kustomize's `buildMetadata: [transformerAnnotations]`). */
export interface TransformationRecord {
  /** The kustomization or plugin config file that configured it. */
  configuredIn: string;
  configuredBy: PluginIdentity;
}

/** Where a rendered object was first read (or generated). */
export interface ObjectSource {
  file: string;
  /** Index of the YAML document within the file (0-based); -1 for generated objects. */
  documentIndex: number;
  range?: Range;
  /** For generated objects, the generator step that made it. */
  generatedBy?: Origin;
}

/** Group/version/kind plus name and namespace: kustomize's ResId. Empty group for the core API. */
export interface ResId {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

/** How a generated ConfigMap/Secret combines with one of the same id from a base. */
export type GeneratorBehavior = 'create' | 'merge' | 'replace';

/**
 * One object moving through the build. `object` is mutated in place by transformers; everything
 * a later step needs to know about the object's history lives beside it, not in annotations.
 */
export interface Resource {
  object: JsonObject;
  source: ObjectSource;
  /**
   * Sparse record of who last set a value, keyed by the path of the value in `object`
   * (segments joined with '/', list items by index, e.g. `spec/template/spec/containers/0/image`).
   * Values absent here come from `source`.
   */
  setBy: Map<string, Origin>;
  /** Ids this object had before prefix/suffix/namespace changes, oldest first (for name references). */
  previousIds: ResId[];
  /**
   * Name prefixes and suffixes applied so far, innermost first. When several objects once had the
   * referenced name, kustomize picks the one whose prefixes/suffixes match the referrer's.
   */
  nameAffixes?: { prefixes: string[]; suffixes: string[] };
  /**
   * Stands for this resource's whole state as read or built, while nothing has changed it: the parsed
   * document it was read from, or the cached folder build it was copied from. Equal identities mean equal
   * resources, so the transformers' results for it can be reused (see transformMemo.ts). Never copied by
   * cloneResource; cleared when a transformer has run.
   */
  identity?: object;
  /**
   * Paths of values that Flux's postBuild substitution filled (in part) from a Secret: previews mask them as
   * they mask Secret data, whatever kind of object holds them.
   */
  secretValuePaths?: Array<Array<string | number>>;
  /** The vars bound to this object by the kustomization that declared them (kustomize's refVarNames). */
  refVarNames?: string[];
  /** The transformers that ran over the object, in order; recorded only when the build asks for them. */
  transformations?: TransformationRecord[];
  /** Set for ConfigMaps/Secrets made by a generator. */
  generated?: {
    behavior: GeneratorBehavior;
    /** Whether the content-hash suffix is appended at the end of the build. */
    appendHash: boolean;
  };
}

/** The outcome of any step that may fail: a value, plus problems. Errors never cross module boundaries as exceptions. */
export interface Result<T> {
  value: T | undefined;
  problems: Problem[];
}
