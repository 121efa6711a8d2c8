// The editor's rendered changes over a real repository: the live index (an unsaved buffer included)
// against HEAD and against the branch's merge base, and an environment beside itself at a revision.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareWithRevision, renderedChanges, revisionChoices, RevisionFleets } from '../../../server/src/features/revisionChanges';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { FLEET_FILES } from '../../renderedDiffFleet';
import { git, snapshot, useIsolatedGitConfig, writeFile } from '../gitFixture';

describe('rendered changes in the editor (real git)', () => {
  useIsolatedGitConfig();
  let tmp: string;
  let work: string;
  let live: FleetIndex;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-revision-')));
    work = path.join(tmp, 'work');
    fs.mkdirSync(work);
    git(work, 'init', '-q', '-b', 'main');
    for (const [file, text] of Object.entries(FLEET_FILES)) writeFile(work, file, text);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'fleet');
    live = new FleetIndex(work);
    live.scan();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('an unsaved edit shows as an uncommitted change of the environments it reaches, with both texts', async () => {
    const before = snapshot(work);
    const file = path.join(work, 'apps/staging/kustomization.yaml');
    live.setBuffer(file, FLEET_FILES['apps/staging/kustomization.yaml'].replace('1.1.0', '1.3.0'));
    const result = await renderedChanges(live, new RevisionFleets(), {});
    assert.strictEqual(result.error, undefined);
    assert.deepStrictEqual(
      result.groups.map((g) => g.label),
      ['Uncommitted changes (against HEAD)'],
    );
    const [staging, production] = result.groups[0].environments;
    assert.deepStrictEqual(
      staging.objects.map((o) => `${o.change} ${o.kind} ${o.namespace}/${o.name} in ${o.kustomization}`),
      ['changed Deployment staging/web in flux-system/apps'],
    );
    assert.match(staging.objects[0].before ?? '', /image: ghcr.io\/example\/web:1.1.0/);
    assert.match(staging.objects[0].after ?? '', /image: ghcr.io\/example\/web:1.3.0/);
    assert.deepStrictEqual(production.objects, []);
    assert.deepStrictEqual(snapshot(work), before);
  });

  it('on a branch, also the changes against the merge base with main', async () => {
    git(work, 'switch', '-q', '-c', 'feature');
    writeFile(work, 'apps/base/deployment.yaml', FLEET_FILES['apps/base/deployment.yaml'].replace('replicas: 1', 'replicas: 2'));
    git(work, 'commit', '-q', '-am', 'two replicas');
    live.diskChanged(path.join(work, 'apps/base/deployment.yaml'));
    const result = await renderedChanges(live, new RevisionFleets(), {});
    assert.deepStrictEqual(
      result.groups.map((g) => `${g.label}: ${g.environments.map((e) => `${e.name} ${e.counts.changed}`).join(', ')}`),
      ['Uncommitted changes (against HEAD): staging 0, production 0', 'Branch changes (against main): staging 1, production 1'],
    );
  });

  it('"Compare Environment with Revision…" puts the environment at the revision on the left, live on the right, aligned', async () => {
    live.setBuffer(path.join(work, 'apps/production/config.yaml'), FLEET_FILES['apps/production/config.yaml'].replace('info', 'debug'));
    const fleets = new RevisionFleets();
    const result = await compareWithRevision(live, fleets, { environment: 'production', revision: 'main' });
    assert.strictEqual(result.error, undefined);
    assert.match(result.leftYaml, /^# ConfigMap production\/web-config\n(.*\n)* {2}level: info$/m);
    assert.match(result.rightYaml, /^# ConfigMap production\/web-config\n(.*\n)* {2}level: debug$/m);
    assert.strictEqual(result.leftYaml.split('---\n').length, result.rightYaml.split('---\n').length);
    assert.ok(!result.leftYaml.includes('hunter2') && !result.rightYaml.includes('hunter2'), 'a Secret value was shown');
    const missing = await compareWithRevision(live, fleets, { environment: 'production', revision: 'nope' });
    assert.match(missing.error ?? '', /the revision 'nope' does not exist/);
    const choices = await revisionChoices(live, fleets);
    assert.ok(choices.revisions.some((r) => r.kind === 'branch' && r.revision === 'main' && r.description === 'fleet'));
    assert.ok(choices.revisions.some((r) => r.kind === 'commit' && /^[0-9a-f]{40}$/.test(r.revision)));
  });
});

describe('what a past commit changed in an environment (real git)', () => {
  useIsolatedGitConfig();
  let tmp: string;

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('renders the environment before the commit (left) and at it (right), whatever the work tree holds', async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-revision-')));
    const work = path.join(tmp, 'work');
    fs.mkdirSync(work);
    git(work, 'init', '-q', '-b', 'main');
    for (const [file, text] of Object.entries(FLEET_FILES)) writeFile(work, file, text);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'fleet');
    writeFile(work, 'apps/production/config.yaml', FLEET_FILES['apps/production/config.yaml'].replace('info', 'warn'));
    git(work, 'commit', '-q', '-am', 'production logs less');
    const commit = git(work, 'rev-parse', 'HEAD');
    // The work tree has moved on: the right side is the commit, not the live fleet.
    writeFile(work, 'apps/production/config.yaml', FLEET_FILES['apps/production/config.yaml'].replace('info', 'error'));
    const live = new FleetIndex(work);
    live.scan();
    const result = await compareWithRevision(live, new RevisionFleets(), {
      environment: 'production',
      revision: `${commit}^`,
      headRevision: commit,
    });
    assert.strictEqual(result.error, undefined);
    assert.match(result.leftYaml, /^ {2}level: info$/m);
    assert.match(result.rightYaml, /^ {2}level: warn$/m);
  });

  it('opens a revision again when the settings changed (fluxEnvironments.helm turned on)', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-revision-helm-')));
    try {
      const work = path.join(tmp, 'work');
      fs.mkdirSync(work);
      git(work, 'init', '-q', '-b', 'main');
      writeFile(work, 'base/kustomization.yaml', 'helmCharts:\n- name: hello\n  releaseName: web\n');
      writeFile(work, 'base/charts/hello/Chart.yaml', 'apiVersion: v2\nname: hello\nversion: 0.1.0\n');
      writeFile(work, 'base/charts/hello/values.yaml', '{}\n');
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'chart');
      const fleets = new RevisionFleets();
      const withoutHelm = new FleetIndex(work);
      const before = await fleets.atRevision(withoutHelm, 'HEAD');
      assert.strictEqual(before.index?.renderFolder(path.join(work, 'base')).problems[0]?.code, 'helm-not-enabled');
      const run = () => ({ ok: true as const, output: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-hello\n', args: [] });
      const withHelm = new FleetIndex(work, { helm: { command: 'helm', run } });
      const after = await fleets.atRevision(withHelm, 'HEAD');
      assert.notStrictEqual(after.index, before.index);
      const rendered = after.index?.renderFolder(path.join(work, 'base'));
      assert.match(rendered?.yaml ?? JSON.stringify(rendered?.problems), /name: web-hello/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
