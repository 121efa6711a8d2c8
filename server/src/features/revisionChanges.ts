// The editor's rendered changes between git revisions: "Compare Environment with Revision…" (an
// environment at a revision beside the live one) and the Rendered Changes view (the live fleet, unsaved
// buffers included, against HEAD and against the branch's merge base). The live side is the session's
// index; the revision side an index over the revision's tree, kept per commit (a commit never changes) and
// sharing the live index's folder builds, so after an edit only the edited folders are built again.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import type { RenderedObject } from '../fleet/environmentRender';
import { resolveCommit } from '../git/repo';
import { defaultBaseRevision, listRevisions } from '../git/revisionTree';
import { resIdOf } from '../kustomize/resource';
import { emitYaml } from '../kustomize/yaml/emit';
import type {
  RenderedChangesEnvironment,
  RenderedChangesGroup,
  RenderedChangesParams,
  RenderedChangesResult,
  RevisionChoice,
  RevisionCompareParams,
  RevisionCompareResult,
} from '../protocol';
import { diffEnvironment, environmentNames, type EnvironmentChanges } from './renderedDiff';
import { indexList, indexOfEnvironment, maskSecrets, type Indexes } from './renderedText';
import { openRevisionFleet, repositoryOf } from './revisionFleet';

/** Revision indexes kept: a few commits (HEAD, the merge base, one picked) per workspace folder. */
const KEPT_REVISIONS = 6;

export class RevisionFleets {
  private kept = new Map<string, FleetIndex>();
  private repos = new Map<string, string>();

  /** The repository's top folder for a live index, or an error message. */
  async repositoryOf(live: FleetIndex): Promise<{ root?: string; error?: string }> {
    const known = this.repos.get(live.root);
    if (known) return { root: known };
    const found = await repositoryOf(live.root);
    if (!found.ok) return { error: found.error.message };
    this.repos.set(live.root, found.value);
    return { root: found.value };
  }

  /** The fleet of `live`'s folder at `commit` (a full commit id). */
  async at(live: FleetIndex, repoRoot: string, commit: string): Promise<{ index?: FleetIndex; error?: string }> {
    // Opened with the live index's settings (helm, limits, promotion order): a settings change opens it again.
    const key = `${live.root}\n${JSON.stringify(live.settings)}\n${commit}`;
    const hit = this.kept.get(key);
    if (hit) {
      this.kept.delete(key);
      this.kept.set(key, hit);
      return { index: hit };
    }
    const opened = await openRevisionFleet(repoRoot, live.root, commit, live.settings, live.buildCache);
    if (!opened.ok) return { error: opened.error.message };
    this.kept.set(key, opened.value.index);
    while (this.kept.size > KEPT_REVISIONS) this.kept.delete(this.kept.keys().next().value as string);
    return { index: opened.value.index };
  }

  /** The fleet at a revision name, with the commit it named. */
  async atRevision(live: FleetIndex, revision: string): Promise<{ index?: FleetIndex; commit?: string; error?: string }> {
    const repo = await this.repositoryOf(live);
    if (!repo.root) return { error: repo.error };
    const commit = await resolveCommit(repo.root, revision);
    if (!commit.ok) return { error: commit.error.message };
    if (!commit.value) return { error: `the revision '${revision.slice(0, 200)}' does not exist in ${repo.root}` };
    const fleet = await this.at(live, repo.root, commit.value);
    return { ...fleet, commit: commit.value };
  }
}

export async function revisionChoices(indexes: Indexes, fleets: RevisionFleets): Promise<{ revisions: RevisionChoice[]; error?: string }> {
  const live = indexList(indexes)[0];
  if (!live) return { revisions: [], error: 'no fleet is open' };
  const repo = await fleets.repositoryOf(live);
  if (!repo.root) return { revisions: [], error: repo.error };
  const listed = await listRevisions(repo.root);
  return listed.ok ? { revisions: listed.value } : { revisions: [], error: listed.error.message };
}

export async function compareWithRevision(
  indexes: Indexes,
  fleets: RevisionFleets,
  params: RevisionCompareParams,
): Promise<RevisionCompareResult> {
  const live = indexOfEnvironment(indexes, params.environment) ?? indexList(indexes)[0];
  if (!live) return failed(`environment "${params.environment}" not found`);
  const at = await fleets.atRevision(live, params.revision);
  if (!at.index) return failed(at.error ?? 'the revision could not be read');
  let headIndex = live;
  let headName = 'the live fleet';
  if (params.headRevision !== undefined) {
    const head = await fleets.atRevision(live, params.headRevision);
    if (!head.index) return failed(head.error ?? 'the revision could not be read');
    headIndex = head.index;
    headName = `${params.headRevision} (${(head.commit ?? '').slice(0, 12)})`;
  }
  const reveal = params.revealSecrets ?? false;
  const before = objectsOf(at.index, params.environment);
  const after = objectsOf(headIndex, params.environment);
  const short = at.commit ? at.commit.slice(0, 12) : params.revision;
  const [leftYaml, rightYaml] = alignedTexts(before, after, reveal, `${params.revision} (${short})`, headName);
  return { leftYaml, rightYaml, ...(at.commit ? { commit: at.commit } : {}) };
}

function failed(message: string): RevisionCompareResult {
  const text = `# comparing failed: ${message}\n`;
  return { leftYaml: text, rightYaml: text, error: message };
}

function objectsOf(index: FleetIndex, name: string): RenderedObject[] | undefined {
  const env = index.environment(name);
  return env ? index.renderEnvironment(env).objects : undefined;
}

/** Both sides with the same objects in the same order, a placeholder where one side has none, so the diff editor pairs them. */
function alignedTexts(
  before: RenderedObject[] | undefined,
  after: RenderedObject[] | undefined,
  reveal: boolean,
  beforeName: string,
  afterName: string,
): [string, string] {
  const rows = new Map<string, { label: string; sort: string; before?: string; after?: string }>();
  const add = (objects: RenderedObject[] | undefined, side: 'before' | 'after') => {
    for (const o of objects ?? []) {
      const id = resIdOf(o.object);
      const label = `${id.kind} ${id.namespace === '' ? '' : id.namespace + '/'}${id.name}`;
      let key = `${id.group}/${label}`;
      for (let n = 2; rows.get(key)?.[side] !== undefined && n < 10_000; n++) key = `${id.group}/${label}#${n}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { label, sort: `${id.kind}\n${id.namespace}\n${id.name}\n${key}` }));
      row[side] = emitYaml(maskSecrets(o.object, reveal, o.resource.secretValuePaths));
    }
  };
  add(before, 'before');
  add(after, 'after');
  const sorted = [...rows.values()].sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
  const side = (which: 'before' | 'after', objects: RenderedObject[] | undefined, name: string, other: string) => {
    const docs = objects === undefined ? [`# the environment does not exist at ${name}\n`] : [];
    for (const row of sorted)
      docs.push(row[which] !== undefined ? `# ${row.label}\n${row[which]}` : `# ${row.label}: not at ${name} (only at ${other})\n`);
    return docs.join('---\n');
  };
  return [side('before', before, beforeName, afterName), side('after', after, afterName, beforeName)];
}

/** The live fleet against HEAD and, on a branch that has left the default branch, against the merge base. */
export async function renderedChanges(
  indexes: Indexes,
  fleets: RevisionFleets,
  params: RenderedChangesParams,
): Promise<RenderedChangesResult> {
  const groups: RenderedChangesGroup[] = [];
  const errors: string[] = [];
  const list = indexList(indexes);
  for (const live of list) {
    const repo = await fleets.repositoryOf(live);
    if (!repo.root) {
      errors.push(repo.error ?? `${live.root} is not in a git repository`);
      continue;
    }
    const folderName = list.length > 1 ? `${path.posix.basename(live.root)}: ` : '';
    // Asked together: on every edit the view asks again, and these are separate git processes.
    const [head, mergeBase] = await Promise.all([resolveCommit(repo.root, 'HEAD'), defaultBaseRevision(repo.root)]);
    if (!head.ok || !head.value) {
      errors.push(head.ok ? `${repo.root} has no commits yet` : head.error.message);
      continue;
    }
    const against: Array<{ kind: RenderedChangesGroup['against']; commit: string; label: string }> = [
      { kind: 'HEAD', commit: head.value, label: `${folderName}Uncommitted changes (against HEAD)` },
    ];
    if (mergeBase.ok && mergeBase.value.commit !== head.value)
      against.push({
        kind: 'mergeBase',
        commit: mergeBase.value.commit,
        label: `${folderName}Branch changes (against ${mergeBase.value.against})`,
      });
    for (const side of against) {
      const at = await fleets.at(live, repo.root, side.commit);
      if (!at.index) {
        errors.push(at.error ?? 'the revision could not be read');
        continue;
      }
      const base = at.index;
      const environments = environmentNames(base, live).map((name) =>
        toProtocol(diffEnvironment(name, base, live, { revealSecrets: params.revealSecrets, keepTexts: true })),
      );
      groups.push({ against: side.kind, label: side.label, commit: side.commit, environments });
    }
  }
  return { groups, ...(errors.length > 0 ? { error: errors.join('\n') } : {}) };
}

export function toProtocol(env: EnvironmentChanges): RenderedChangesEnvironment {
  return {
    name: env.name,
    ...(env.onlyIn ? { onlyIn: env.onlyIn } : {}),
    counts: env.counts,
    objects: env.kustomizations.flatMap((k) =>
      k.objects.map((o) => ({
        kustomization: k.namespace === '' ? k.name : `${k.namespace}/${k.name}`,
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.namespace,
        name: o.name,
        change: o.change,
        ...(o.movedFrom ? { movedFrom: o.movedFrom } : {}),
        ...(o.before !== undefined ? { before: o.before } : {}),
        ...(o.after !== undefined ? { after: o.after } : {}),
      })),
    ),
    errors: env.kustomizations.flatMap((k) =>
      Object.entries(k.errors ?? {}).flatMap(([side, messages]) =>
        messages.map((m) => `${k.namespace === '' ? k.name : `${k.namespace}/${k.name}`} (${side === 'base' ? 'before' : 'now'}): ${m}`),
      ),
    ),
  };
}
