// The shape of the Flux API data derived from Flux's CRDs (fluxApi.generated.ts). Kept apart from the
// generated file so the shape is reviewed as code and the data is regenerated as data.
import type { Json } from '../../kustomize/types';

/**
 * A compacted OpenAPI v3 schema: what a checker needs (types, enums, required fields, nesting,
 * defaults), without descriptions or validation patterns.
 */
export interface FieldSchema {
  /** OpenAPI type; `int-or-string` for x-kubernetes-int-or-string. Absent: any type. */
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string';
  readonly enum?: readonly Json[];
  readonly default?: Json;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly items?: FieldSchema;
  /** A map whose values all have this schema (additionalProperties), e.g. postBuild.substitute. */
  readonly mapOf?: FieldSchema;
  /** Anything goes below here (x-kubernetes-preserve-unknown-fields), e.g. HelmRelease spec.values. */
  readonly freeForm?: boolean;
}

export interface FluxApiVersion {
  readonly name: string;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  readonly spec: FieldSchema;
}

/** A version an older Flux release served that the newest no longer does. */
export interface RemovedFluxApiVersion {
  readonly version: string;
  /** The last Flux release (of those derived from) that served it. */
  readonly lastServedIn: string;
  readonly deprecationWarning?: string;
}

export interface FluxApiKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly storageVersion: string;
  /** Served versions, newest first. */
  readonly versions: readonly FluxApiVersion[];
  readonly removedVersions: readonly RemovedFluxApiVersion[];
}
