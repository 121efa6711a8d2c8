// The client-server contract beyond standard LSP: every custom request and notification, declared once
// with its parameter and result types, imported by both sides (rust-analyzer's lsp_ext.ts). Plain data
// only: URIs as strings, 0-based LSP positions.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface LspLocation {
  uri: string;
  range: LspRange;
}

// ---- Environments ---------------------------------------------------------------------------------

export interface EnvironmentSummary {
  name: string;
  kind: 'flux' | 'overlay';
  /** Position in the promotion order, 0 first. */
  order: number;
  /** Cluster entry folder(s) or overlay folder(s). */
  folders: string[];
  /** The workspace folder (URI) whose fleet it is: in a multi-root workspace two fleets may each have a staging. */
  workspaceFolder?: string;
  /**
   * Flux: where Flux starts on the cluster (a bootstrap, a FluxInstance's sync, a spoke's Kustomizations...),
   * in words; `inferred` when it is a guess from the layout (chart values, an OCI subfolder, an orphan).
   */
  roots?: Array<{ description: string; inferred: boolean; location: LspLocation }>;
  kustomizations: FluxKustomizationSummary[];
  /** Problems (errors + warnings) in files this environment reads. */
  problemCount: number;
}

export interface FluxKustomizationSummary {
  name: string;
  namespace: string;
  location: LspLocation;
  /** What RenderRequest renders for this Kustomization (its document in its file). */
  target: RenderTarget;
  path?: string;
  dependsOn: string[];
  prune?: boolean;
  wait: boolean;
  healthChecks: number;
  suspend: boolean;
  problemCount: number;
  /** Where spec.path points when it is not the repository root: a subfolder, an artifact, another repository. */
  sourceNote?: string;
}

export const EnvironmentsRequest = new RequestType<Record<string, never>, EnvironmentSummary[], void>('fluxEnvironments/environments');

/** Sent when the index changed (files edited, created, deleted): trees and previews refresh. */
export const IndexChangedNotification = new NotificationType<{ version: number }>('fluxEnvironments/indexChanged');

/** "Refresh Environments": read every workspace folder again from disk (changes no file watcher reported); answers when the new index is analysed. */
export const RescanRequest = new RequestType<Record<string, never>, null, void>('fluxEnvironments/rescan');

/**
 * Progress of the first index, and the fleet's problem count for the status bar and the view badge: errors
 * and warnings in the files the environments read, each counted once (the tree's per-environment and
 * per-Kustomization counts use the same definition). `elsewhere`: errors and warnings of other files.
 */
export interface IndexStatus {
  state: 'indexing' | 'ready';
  environments: number;
  files: number;
  errors: number;
  warnings: number;
  elsewhere: number;
}
export const IndexStatusNotification = new NotificationType<IndexStatus>('fluxEnvironments/status');

// ---- Rendering --------------------------------------------------------------------------------------

/** What to render: a whole environment, one Flux Kustomization, or any kustomization folder. */
export type RenderTarget =
  | { kind: 'environment'; name: string; workspaceFolder?: string }
  | { kind: 'fluxKustomization'; uri: string; documentIndex: number }
  | { kind: 'folder'; uri: string }
  /** The merged values of the HelmRelease written at uri#documentIndex, as `environment` applies it. */
  | { kind: 'helmReleaseValues'; uri: string; documentIndex: number; environment: string };

/**
 * The Flux Kustomization of a file to render: the YAML document holding `position` (the cursor), or the
 * file's first Flux Kustomization without one; null when the file holds no Flux Kustomization. The server
 * resolves the document because only it parses YAML.
 */
export const FluxKustomizationTargetRequest = new RequestType<
  { uri: string; position?: { line: number; character: number } },
  RenderTarget | null,
  void
>('fluxEnvironments/fluxKustomizationTarget');

/**
 * The HelmReleases of a file whose merged values can be previewed, each in each environment that applies it
 * (the document at `position` only, when it holds one), in promotion order.
 */
export const HelmReleaseValuesTargetsRequest = new RequestType<
  { uri: string; position?: { line: number; character: number } },
  Array<{ target: RenderTarget; release: string; environment: string }>,
  void
>('fluxEnvironments/helmReleaseValuesTargets');

export interface RenderedObjectSummary {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Where the object was first read or generated. */
  source: LspLocation;
  /** The Flux Kustomization that applies it (environment renders). */
  appliedBy?: string;
  /** 0-based line where the object starts in `yaml`. */
  line: number;
}

export interface RenderResult {
  /** Multi-document YAML as kubectl kustomize prints it; secrets masked unless revealed. */
  yaml: string;
  /** Errors shown at the top of a preview instead of going blank. */
  problems: Array<{ message: string; location?: LspLocation; severity: 'error' | 'warning' }>;
  objects: RenderedObjectSummary[];
  /** A short title for the preview tab. */
  title: string;
}

/**
 * Render a HelmRelease's chart with `helm template` when it is at hand offline. The client sends it only when
 * fluxEnvironments.helm.enabled is on and the workspace is trusted; without it the server never runs helm.
 */
export interface HelmRenderSettings {
  /** fluxEnvironments.helm.path: the helm executable. */
  path: string;
  /** fluxEnvironments.helm.chartCache: a folder of chart archives (`<name>-<version>.tgz`) or chart folders. */
  chartCache?: string;
}

export const RenderRequest = new RequestType<
  { target: RenderTarget; revealSecrets?: boolean; helm?: HelmRenderSettings },
  RenderResult,
  void
>('fluxEnvironments/render');

/** Where a value of a rendered preview comes from: hover and go-to-definition in the preview. */
export interface OriginQuery {
  target: RenderTarget;
  /** Position in the preview text produced by RenderRequest for the same target. */
  position: { line: number; character: number };
  /** The same setting the preview was rendered with: masking changes the lines a Secret takes. */
  revealSecrets?: boolean;
}

export interface OriginResult {
  /** Markdown, e.g. "`spec.replicas` set by patches[0] (apps/production/my-app-patch.yaml:12)". */
  description: string;
  location?: LspLocation;
  /** Where the object itself came from. */
  objectSource?: LspLocation;
}

export const OriginRequest = new RequestType<OriginQuery, OriginResult | null, void>('fluxEnvironments/origin');

// ---- Comparing environments -------------------------------------------------------------------------

export interface CompareParams {
  left: string;
  right: string;
  /** Render charts at hand (see HelmRenderSettings); sent only for trusted workspaces with helm enabled. */
  helm?: HelmRenderSettings;
  /** Show the values of plain (not SOPS-encrypted) Secrets; masked by default. */
  revealSecrets?: boolean;
}

export interface WorkloadFacts {
  kind: string;
  name: string;
  images: string[];
  replicas?: number;
  requests: string;
  limits: string;
}

export interface CompareResult {
  /** Both sides aligned object by object (kind/namespace/name), environment namespaces normalised. */
  leftYaml: string;
  rightYaml: string;
  /** Per workload and environment: the facts a reviewer compares, and whether they drift. */
  workloads: Array<{ key: string; left?: WorkloadFacts; right?: WorkloadFacts; drift: string[] }>;
}

export const CompareRequest = new RequestType<CompareParams, CompareResult, void>('fluxEnvironments/compare');

// ---- Dependency graph -------------------------------------------------------------------------------

export interface GraphNode {
  id: string;
  name: string;
  namespace: string;
  location: LspLocation;
  inCycle: boolean;
  /** A node only a dependsOn entry names (no such Kustomization): its location is that entry. */
  unknown?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `declared` dependsOn, or `missing`: a dependsOn the rules say should exist. */
  kind: 'declared' | 'missing' | 'unknown';
  /** Both ends are in one dependsOn cycle. */
  inCycle?: boolean;
  /** Why a `missing` edge should exist (the dependson-missing finding), for a tooltip. */
  message?: string;
}

export interface DependencyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const DependencyGraphRequest = new RequestType<{ environment: string }, DependencyGraph, void>('fluxEnvironments/dependencyGraph');

// ---- Promotion ----------------------------------------------------------------------------------------
// The client asks the user everything (which changes, push, confirm) and then sends one request; the
// server runs the shared promote flow (promote/flow.ts) with those answers. Git writes are refused unless
// the client says the workspace is trusted.

/** The promotion settings (`fluxEnvironments.promotion.*`), read by the client and sent with each request. */
export interface PromotionSettingsParams {
  strategy?: 'auto' | 'overlay' | 'branch' | 'tag';
  branchTemplate?: string;
  push?: 'ask' | 'always' | 'never';
  requirePullRequestFor?: string[];
  tag?: boolean;
}

export interface PromotionPlanParams {
  from: string;
  to: string;
  /** Only these changes (overlay strategy); absent: all of them. The file texts follow the choice. */
  changeIds?: string[];
  settings?: PromotionSettingsParams;
}

export interface PlannedChange {
  id: string;
  kind: 'image' | 'chart' | 'source';
  workload: string;
  container?: string;
  before: string;
  after: string;
  /** Repository-relative file the change is written to, when it can be written. */
  file?: string;
  /** Which file the edit goes to, in words; or why the change cannot be written. */
  note?: string;
}

export interface PlannedFileChange {
  /** Repository-relative, forward slashes. */
  path: string;
  uri: string;
  before: string;
  after: string;
}

export interface PromotionPlanResult {
  /** The repository the promotion happens in (the workspace folder's git root). */
  root?: string;
  strategy?: 'overlay' | 'branch' | 'tag';
  reason: string;
  changes: PlannedChange[];
  /** The file edits of the chosen changes (overlay strategy), for a diff editor. */
  fileChanges: PlannedFileChange[];
  /** One line per thing that will happen. */
  summary: string[];
  /** Set when there is nothing to promote or the plan cannot be made: the reason, for the user. */
  message?: string;
  /** True when the promotion would change nothing (`message` says why): the client stops before any question. */
  nothing?: boolean;
  problems: string[];
  /** The remote a push would go to; absent when the repository has none (the client does not offer to push). */
  remote?: string;
}

export const PromotionPlanRequest = new RequestType<PromotionPlanParams, PromotionPlanResult, void>('fluxEnvironments/promotionPlan');

export interface PromoteParams {
  from: string;
  to: string;
  changeIds?: string[];
  push: boolean;
  pullRequest: boolean;
  tag: boolean;
  /** `vscode.workspace.isTrusted`: the server makes no git writes for an untrusted workspace. */
  trusted: boolean;
  /** The file texts the user reviewed: the promotion is refused if the plan no longer produces exactly them. */
  reviewed?: Array<{ path: string; after: string }>;
  /** Progress notifications for this run carry this id. */
  progressId?: string;
  settings?: PromotionSettingsParams;
}

export interface PromotionOutcomeResult {
  kind: 'done' | 'nothing' | 'declined' | 'failed' | 'refused';
  branch?: string;
  commit?: string;
  tag?: string;
  /** A pull request that was opened (gh). */
  pullRequestUrl?: string;
  /** The host's page to open one, when none was opened. */
  compareUrl?: string;
  /** What happened or what went wrong, in sentences for the user. */
  message: string;
}

export const PromoteRequest = new RequestType<PromoteParams, PromotionOutcomeResult, void>('fluxEnvironments/promote');

export interface RevertPromotionParams {
  commit: string;
  push: boolean;
  pullRequest?: boolean;
  trusted: boolean;
  /** Only describe the revert (summary and diff); nothing is written. */
  dryRun?: boolean;
  progressId?: string;
  settings?: PromotionSettingsParams;
}

export interface RevertPromotionResult extends PromotionOutcomeResult {
  summary?: string[];
  diff?: string;
  /** With dryRun: the remote a push would go to; absent when the repository has none. */
  remote?: string;
  /** The promotion was never merged into the base branch: the local branches holding it (the client offers to delete one). */
  unmergedBranches?: string[];
}

/** Deletes the local branch of a promotion that was never merged (its tip must be a promotion commit); trusted workspaces only. */
export const DeletePromotionBranchRequest = new RequestType<{ branch: string; trusted: boolean }, PromotionOutcomeResult, void>(
  'fluxEnvironments/deletePromotionBranch',
);

export const RevertPromotionRequest = new RequestType<RevertPromotionParams, RevertPromotionResult, void>(
  'fluxEnvironments/revertPromotion',
);

export interface PromotionEntry {
  commit: string;
  subject: string;
  source: string;
  target: string;
  author: { name: string; email: string };
  date: string;
  changes: Array<{ workload: string; before: string; after: string }>;
  tags: string[];
  via: 'commit' | 'tag';
  revertedBy?: { commit: string; date: string };
}

export const PromotionHistoryRequest = new RequestType<{ target?: string }, { entries: PromotionEntry[]; message?: string }, void>(
  'fluxEnvironments/promotionHistory',
);

/** `git show` of a commit, for a read-only document when the built-in git extension is not there. */
export const ShowCommitRequest = new RequestType<{ commit: string }, { text: string } | { error: string }, void>(
  'fluxEnvironments/showCommit',
);

/** One git step of a running promotion or revert, shown in the progress notification. */
export const PromotionProgressNotification = new NotificationType<{ progressId: string; message: string }>(
  'fluxEnvironments/promotionProgress',
);

// ---- Rendered changes between git revisions -----------------------------------------------------------

/** A revision to pick: a branch, tag, remote branch or one of the latest commits. */
export interface RevisionChoice {
  revision: string;
  kind: 'branch' | 'remote' | 'tag' | 'commit';
  description: string;
}
export interface RevisionsResult {
  revisions: RevisionChoice[];
  error?: string;
}
export const RevisionsRequest = new RequestType<Record<string, never>, RevisionsResult, void>('fluxEnvironments/revisions');

/** "Compare Environment with Revision…": the environment rendered at `revision` (left) and live (right, unsaved buffers included). */
export interface RevisionCompareParams {
  environment: string;
  revision: string;
  /** The right side at this revision instead of the live fleet (what a past promotion changed: `<commit>^` and `<commit>`). */
  headRevision?: string;
  revealSecrets?: boolean;
}
export interface RevisionCompareResult {
  leftYaml: string;
  rightYaml: string;
  /** The commit the revision named. */
  commit?: string;
  error?: string;
}
export const RevisionCompareRequest = new RequestType<RevisionCompareParams, RevisionCompareResult, void>(
  'fluxEnvironments/revisionCompare',
);

export type RenderedChangeKind = 'added' | 'removed' | 'changed' | 'moved';

export interface RenderedChangeObject {
  /** `namespace/name` of the Flux Kustomization applying it (the overlay folder for overlay environments). */
  kustomization: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  change: RenderedChangeKind;
  movedFrom?: string;
  /** The rendered YAML at each side (Secret values masked); absent at the side without the object. */
  before?: string;
  after?: string;
}

export interface RenderedChangesEnvironment {
  name: string;
  onlyIn?: 'base' | 'head';
  counts: { added: number; changed: number; removed: number; moved: number };
  objects: RenderedChangeObject[];
  /** Render errors, each naming its Kustomization and side. */
  errors: string[];
}

/** The live fleet (unsaved buffers included) against one revision: HEAD, or the merge base with the default branch. */
export interface RenderedChangesGroup {
  against: 'HEAD' | 'mergeBase';
  /** E.g. "Uncommitted changes (against HEAD)". */
  label: string;
  commit: string;
  environments: RenderedChangesEnvironment[];
}
export interface RenderedChangesParams {
  revealSecrets?: boolean;
}
export interface RenderedChangesResult {
  groups: RenderedChangesGroup[];
  error?: string;
}
export const RenderedChangesRequest = new RequestType<RenderedChangesParams, RenderedChangesResult, void>(
  'fluxEnvironments/renderedChanges',
);
