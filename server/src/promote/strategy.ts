// How a change reaches the target environment decides what "promote" means. The target cluster's Flux
// GitRepository tells: following the same branch as the source (overlay strategy: edit the target's
// overlay), its own branch (branch strategy: merge the source branch into it), or a tag / semver range
// (tag strategy: tag the source's commit). The repository's `.fluxenv.yaml` or a setting can override.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import type { Environment } from '../fleet/environments';
import type { GitRepository } from '../flux/objects';
import { isWithin } from '../kustomize/loader';
import { isObject } from '../kustomize/resource';
import type { Problem } from '../kustomize/types';

export type StrategyKind = 'overlay' | 'branch' | 'tag';
export type StrategySetting = StrategyKind | 'auto';

/** What an environment's cluster syncs from: its Flux GitRepository and the ref it follows. */
export interface Tracking {
  gitRepository?: GitRepository;
  /** The ref kind and value the GitRepository checks out (branch `master` when none is written). */
  ref?: { kind: GitRepository['effectiveRef']['kind']; value: string };
  url?: string;
}

export interface PromotionStrategy {
  kind: StrategyKind;
  /** One sentence: why this strategy, for the plan's header. */
  reason: string;
  /** Set when a setting or `.fluxenv.yaml` chose the strategy instead of the repository's layout. */
  overriddenBy?: 'setting' | 'repository';
  source: Tracking;
  target: Tracking;
}

export interface RepoPromotionConfig {
  strategy?: StrategyKind;
  /** Tag strategy: which part of the version a promotion bumps. */
  bump?: 'major' | 'minor' | 'patch';
  problems: Problem[];
}

export const REPO_CONFIG_FILE = '.fluxenv.yaml';
const STRATEGIES: readonly string[] = ['overlay', 'branch', 'tag'];
const BUMPS: readonly string[] = ['major', 'minor', 'patch'];

/** `.fluxenv.yaml` at the repository root: `promotion: { strategy: overlay|branch|tag, bump: patch|minor|major }`. */
export function readRepoPromotionConfig(index: FleetIndex): RepoPromotionConfig {
  const file = path.posix.join(index.root, REPO_CONFIG_FILE);
  const config: RepoPromotionConfig = { problems: [] };
  // With the index's parse limits; the rule run reports a broken file (readRepoRuleConfig), not the promotion.
  const parsed = index.parsed(file);
  if (parsed === undefined) return config;
  const doc = parsed.documents[0];
  const promotion = doc && isObject(doc.value) ? doc.value.promotion : undefined;
  if (promotion === undefined || promotion === null) return config;
  if (!isObject(promotion)) {
    config.problems.push({
      code: 'invalid-config',
      severity: 'error',
      message: `'promotion' in ${REPO_CONFIG_FILE} must be a mapping`,
      file,
      range: doc.locate(['promotion']),
    });
    return config;
  }
  if (promotion.strategy !== undefined) {
    if (typeof promotion.strategy === 'string' && STRATEGIES.includes(promotion.strategy))
      config.strategy = promotion.strategy as StrategyKind;
    else
      config.problems.push({
        code: 'invalid-config',
        severity: 'error',
        message: `promotion.strategy must be overlay, branch or tag`,
        file,
        range: doc.locate(['promotion', 'strategy']),
      });
  }
  if (promotion.bump !== undefined) {
    if (typeof promotion.bump === 'string' && BUMPS.includes(promotion.bump)) config.bump = promotion.bump as RepoPromotionConfig['bump'];
    else
      config.problems.push({
        code: 'invalid-config',
        severity: 'error',
        message: `promotion.bump must be major, minor or patch`,
        file,
        range: doc.locate(['promotion', 'bump']),
      });
  }
  return config;
}

/**
 * The GitRepository the environment's Flux Kustomizations read from (the one most of them name), as
 * written in the environment's own cluster folder when several clusters declare one of that name.
 */
export function environmentTracking(index: FleetIndex, env: Environment): Tracking {
  if (env.kind !== 'flux') return {};
  const counts = new Map<string, number>();
  for (const ks of env.kustomizations) {
    if (ks.sourceRef?.kind !== 'GitRepository') continue;
    const key = `${ks.sourceRef.namespace}/${ks.sourceRef.name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const wanted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  if (!wanted) return {};
  const candidates = index
    .fluxObjects()
    .list.map((o) => o.object)
    .filter((o): o is GitRepository => o.kind === 'GitRepository' && `${o.namespace}/${o.name}` === wanted);
  const own =
    candidates.find((o) => env.dirs.some((dir) => isWithin(o.place.file, dir))) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!own) return {};
  return { gitRepository: own, ref: { kind: own.effectiveRef.kind, value: own.effectiveRef.value }, ...(own.url ? { url: own.url } : {}) };
}

function sameUrl(a: string | undefined, b: string | undefined): boolean {
  const norm = (u: string | undefined) =>
    (u ?? '')
      .trim()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .toLowerCase();
  return norm(a) === norm(b);
}

function describeRef(t: Tracking): string {
  return t.ref ? `${t.ref.kind} ${t.ref.value}` : 'no Flux source';
}

/**
 * Reads the strategy from the repository: the override (setting, then `.fluxenv.yaml`) wins; otherwise
 * the target's GitRepository ref decides.
 */
export function detectStrategy(
  index: FleetIndex,
  source: Environment,
  target: Environment,
  setting: StrategySetting = 'auto',
): PromotionStrategy {
  const sourceTracking = environmentTracking(index, source);
  const targetTracking = environmentTracking(index, target);
  const base = { source: sourceTracking, target: targetTracking };
  if (setting !== 'auto') {
    return { kind: setting, reason: `the promotion strategy setting says ${setting}`, overriddenBy: 'setting', ...base };
  }
  const repo = readRepoPromotionConfig(index).strategy;
  if (repo) return { kind: repo, reason: `${REPO_CONFIG_FILE} sets promotion.strategy: ${repo}`, overriddenBy: 'repository', ...base };

  const ref = targetTracking.ref;
  if (!ref) return { kind: 'overlay', reason: `${target.name} has no Flux GitRepository; its overlay is edited`, ...base };
  const gitRepo = targetTracking.gitRepository?.name ?? '';
  if (ref.kind === 'tag' || ref.kind === 'semver' || (ref.kind === 'name' && ref.value.startsWith('refs/tags/'))) {
    return { kind: 'tag', reason: `${target.name}'s GitRepository ${gitRepo} follows ${describeRef(targetTracking)}`, ...base };
  }
  if (ref.kind === 'branch' || (ref.kind === 'name' && ref.value.startsWith('refs/heads/'))) {
    const branch = ref.kind === 'name' ? ref.value.slice('refs/heads/'.length) : ref.value;
    const sourceRef = sourceTracking.ref;
    const sourceBranch =
      sourceRef?.kind === 'branch'
        ? sourceRef.value
        : sourceRef?.kind === 'name' && sourceRef.value.startsWith('refs/heads/')
          ? sourceRef.value.slice(11)
          : undefined;
    if (sourceBranch !== undefined && sourceBranch !== branch && sameUrl(sourceTracking.url, targetTracking.url)) {
      return { kind: 'branch', reason: `${target.name} follows its own branch ${branch}, ${source.name} follows ${sourceBranch}`, ...base };
    }
    return {
      kind: 'overlay',
      reason: `${source.name} and ${target.name} follow the same branch ${branch}; the target's overlay is edited`,
      ...base,
    };
  }
  return {
    kind: 'overlay',
    reason: `${target.name} pins ${describeRef(targetTracking)}; overlay edits reach it only when that pin moves`,
    ...base,
  };
}

/** The branch an environment's cluster follows, when it follows one. */
export function trackedBranch(t: Tracking): string | undefined {
  if (t.ref?.kind === 'branch') return t.ref.value;
  if (t.ref?.kind === 'name' && t.ref.value.startsWith('refs/heads/')) return t.ref.value.slice('refs/heads/'.length);
  return undefined;
}
