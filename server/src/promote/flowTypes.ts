// What every promotion flow shares (flow.ts and its strategies, revert.ts, delivery.ts): the settings, the
// requests, the preview shown before anything happens, the callbacks through which the editor or the CLI
// answers, and the outcome. A flow never throws: every failure is an outcome that says what to do.
import type { FleetIndex } from '../fleet/fleetIndex';
import type { GitError } from '../git/exec';
import type { HostKind, PullRequestOutcome } from '../git/pullRequest';
import { DEFAULT_PROMOTE_BRANCH_TEMPLATE, DEFAULT_REVERT_BRANCH_TEMPLATE } from '../git/refs';
import type { PromotedChange } from '../git/trailers';
import type { Bump } from '../flux/semver';
import type { FileChange } from './applyPlan';
import type { PromotionChange, PromotionPlan } from './plan';
import type { PromotionStrategy, StrategySetting } from './strategy';

export type PushSetting = 'ask' | 'always' | 'never';

export interface PromotionSettings {
  strategy: StrategySetting;
  /** Placeholders {target} {source} {workload} {commit} {timestamp} {date}. */
  branchTemplate: string;
  revertBranchTemplate: string;
  push: PushSetting;
  /** Targets that only change through a pull request; others may commit to the base branch directly. */
  requirePullRequestFor: string[];
  /** Add an annotated tag to each promotion commit. */
  tag: boolean;
  tagTemplate: string;
  /** The remote to push to (default: origin, or the only remote). */
  remote?: string;
  useGh: boolean;
  ghPath?: string;
  hostKinds?: Record<string, HostKind>;
  /** Tag strategy: the part of the version a promotion bumps (`.fluxenv.yaml` promotion.bump wins when the setting is unset). */
  bump?: Bump;
  promotionOrder?: string[];
}

export const DEFAULT_PROMOTION_SETTINGS: PromotionSettings = {
  strategy: 'auto',
  branchTemplate: DEFAULT_PROMOTE_BRANCH_TEMPLATE,
  revertBranchTemplate: DEFAULT_REVERT_BRANCH_TEMPLATE,
  push: 'ask',
  requirePullRequestFor: ['production'],
  tag: false,
  tagTemplate: 'promotion/{target}/{timestamp}',
  useGh: true,
};

/** What the user is shown before anything happens. */
export interface PromotionPreview {
  kind: 'promote' | 'revert';
  strategy?: PromotionStrategy;
  source: string;
  target: string;
  /** Overlay strategy: the full plan, with the changes chosen and those left out. */
  plan?: PromotionPlan;
  applied: PromotedChange[];
  skipped: Array<{ workload: string; reason: string }>;
  files: FileChange[];
  /** Unified diff of the edits (overlay and revert). */
  diff: string;
  /** One line per thing that will happen, for a confirmation prompt. */
  summary: string[];
}

export interface PromotionCallbacks {
  /** Shown the preview; true goes on. */
  confirm(preview: PromotionPreview): Promise<boolean>;
  /** A yes/no question (e.g. "Push ... to origin?"). */
  ask(question: string): Promise<boolean>;
  /** The user picks which changes to promote (ids); undefined keeps them all. */
  pick?(changes: readonly PromotionChange[]): Promise<string[] | undefined>;
  /** Each git step as it starts: branch, commit, tag, push, pull request. */
  progress?(step: string): void;
}

export interface DeliveryRequest {
  /** Any folder of the fleet repository (the fleet is indexed from here). */
  cwd: string;
  dryRun?: boolean;
  /** true: push; false: do not; undefined: the push setting. */
  push?: boolean;
  tag?: boolean;
  /** true: a branch and pull request even where a direct commit is allowed; false: commit directly (refused where a PR is required). */
  pullRequest?: boolean;
  now?: Date;
  /** Extra environment for git (identity, dates). */
  env?: Record<string, string>;
}

export interface PromoteRequest extends DeliveryRequest {
  source: string;
  target: string;
  /** Only these change ids (overlay strategy). */
  changeIds?: string[];
  /** An index to reuse (the editor's); its buffers must match the files on disk. */
  index?: FleetIndex;
}

export interface RevertRequest extends DeliveryRequest {
  commit: string;
}

export interface Delivered {
  branch: string;
  createdBranch: boolean;
  commit: string;
  tag?: string;
  pushed?: { remote: string; refs: string[] };
  pullRequest?: PullRequestOutcome;
  /** Set when no pull request could be opened: what to do instead. */
  pullRequestNote?: string;
}

export type PromotionOutcome =
  | { status: 'nothing'; message: string; preview?: PromotionPreview }
  | { status: 'dry-run'; preview: PromotionPreview }
  | { status: 'declined'; preview: PromotionPreview }
  | { status: 'done'; preview: PromotionPreview; delivered: Delivered; message: string }
  | { status: 'failed'; error: GitError; preview?: PromotionPreview };

export function failed(error: GitError, preview?: PromotionPreview): PromotionOutcome {
  return { status: 'failed', error, ...(preview ? { preview } : {}) };
}

export function invalid(message: string, preview?: PromotionPreview): PromotionOutcome {
  return failed({ kind: 'invalidInput', message }, preview);
}
