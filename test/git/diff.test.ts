// `fluxenv diff` on real repositories the tests create: revisions read from git objects, the work tree
// (uncommitted changes included) as the default head, exit codes, and nothing in the work tree, the index
// or the refs changed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../server/src/cli/main';
import { FLEET_FILES } from '../renderedDiffFleet';
import { git, snapshot, useIsolatedGitConfig, writeFile } from './gitFixture';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

interface JsonDiff {
  base: string;
  head: string;
  environments: Array<{
    name: string;
    kustomizations: Array<{
      name: string;
      namespace: string;
      errors?: unknown;
      objects: Array<{ kind: string; namespace: string; name: string; change: string; diff: string }>;
    }>;
  }>;
}

function changes(json: JsonDiff): string[] {
  return json.environments.flatMap((e) =>
    e.kustomizations.flatMap((k) => k.objects.map((o) => `${e.name} ${k.name} ${o.change} ${o.kind} ${o.namespace}/${o.name}`)),
  );
}

describe('fluxenv diff (real git)', function () {
  useIsolatedGitConfig();
  let tmp: string;
  let work: string;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-diff-')));
    work = path.join(tmp, 'work');
    fs.mkdirSync(work);
    git(work, 'init', '-q', '-b', 'main');
    for (const [file, text] of Object.entries(FLEET_FILES)) writeFile(work, file, text);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'fleet');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const edit = (file: string, from: string, to: string) =>
    writeFile(work, file, fs.readFileSync(path.join(work, file), 'utf8').replace(from, to));

  it('a committed base change on a branch reaches every environment (merge base with main to HEAD)', async () => {
    git(work, 'switch', '-q', '-c', 'bigger-memory');
    edit('apps/base/deployment.yaml', '128Mi', '256Mi');
    git(work, 'commit', '-q', '-am', 'more memory');
    const before = snapshot(work);
    const r = await cli(['diff', '--head', 'HEAD', '--format', 'json', '--exit-code'], work);
    assert.strictEqual(r.stderr, '');
    assert.strictEqual(r.code, 1);
    const json = JSON.parse(r.stdout) as JsonDiff;
    assert.strictEqual(json.base, 'merge base with main');
    assert.strictEqual(json.head, 'HEAD');
    assert.deepStrictEqual(changes(json), [
      'staging apps changed Deployment staging/web',
      'production apps changed Deployment production/web',
    ]);
    assert.match(json.environments[0].kustomizations[0].objects[0].diff, /^\+\s+memory: 256Mi$/m);
    assert.deepStrictEqual(snapshot(work), before, 'the work tree, index or refs changed');
  });

  it('the default head is the work tree with its uncommitted changes; nothing in the repository changes', async () => {
    edit('apps/staging/kustomization.yaml', '1.1.0', '1.2.0');
    writeFile(work, 'apps/production/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
    edit('apps/production/kustomization.yaml', '- config.yaml\n', '- config.yaml\n- extra.yaml\n');
    git(work, 'add', 'apps/production/extra.yaml');
    const before = snapshot(work);
    const r = await cli(['diff', '--format', 'json'], work);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(changes(JSON.parse(r.stdout) as JsonDiff), [
      'staging apps changed Deployment staging/web',
      'production apps added ConfigMap production/extra',
    ]);
    assert.deepStrictEqual(snapshot(work), before, 'the work tree, index or refs changed');
    // And the last commit as the head sees none of it.
    const committed = await cli(['diff', '--base', 'main', '--head', 'HEAD', '--format', 'json', '--exit-code'], work);
    assert.strictEqual(committed.code, 0, committed.stdout + committed.stderr);
    assert.deepStrictEqual(changes(JSON.parse(committed.stdout) as JsonDiff), []);
  });

  it("in a clone, the default base is the merge base with the remote's default branch (origin/HEAD)", async () => {
    const clone = path.join(tmp, 'clone');
    git(tmp, 'clone', '-q', `file://${work}`, clone);
    git(clone, 'switch', '-q', '-c', 'feature');
    writeFile(clone, 'apps/staging/kustomization.yaml', FLEET_FILES['apps/staging/kustomization.yaml'].replace('1.1.0', '2.0.0'));
    git(clone, 'commit', '-q', '-am', 'staging 2.0.0');
    const r = await cli(['diff', '--head', 'HEAD', '--format', 'json'], clone);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as JsonDiff & { baseCommit: string };
    assert.strictEqual(json.base, 'merge base with origin/main');
    assert.strictEqual(json.baseCommit, git(work, 'rev-parse', 'main'));
    assert.deepStrictEqual(changes(json), ['staging apps changed Deployment staging/web']);
  });

  it('text and markdown name each environment, Kustomization and object; -o writes the file', async () => {
    edit('apps/base/secret.yaml', 'hunter2-base', 'hunter2-rotated');
    edit('apps/staging/kustomization.yaml', '1.1.0', '1.2.0');
    const text = await cli(['diff', '--env', 'staging'], work);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Rendered changes: merge base with main \([0-9a-f]{12}\) -> work tree$/m);
    assert.match(text.stdout, /^staging: 2 changed$/m);
    assert.match(text.stdout, /^ {2}Kustomization flux-system\/apps$/m);
    assert.match(text.stdout, /^ {4}~ changed v1 Secret staging\/web-token$/m);
    assert.match(text.stdout, /^ {6}# masked values changed: stringData.token$/m);
    assert.ok(!text.stdout.includes('hunter2'), 'a Secret value was printed');
    assert.ok(!text.stdout.includes('production'), 'only --env staging was asked');
    const md = await cli(['diff', '--format', 'markdown', '-o', 'diff.md'], work);
    assert.strictEqual(md.code, 0, md.stderr);
    assert.strictEqual(md.stdout, '');
    const written = fs.readFileSync(path.join(work, 'diff.md'), 'utf8');
    assert.match(written, /^\| staging \| 0 \| 2 \| 0 \| 0 \| 0 \|$/m);
    assert.match(written, /^\| production \| 0 \| 1 \| 0 \| 0 \| 0 \|$/m);
    assert.match(written, /<details><summary><b>staging<\/b>: 2 changed<\/summary>/);
    assert.match(written, /^```diff\n(.*\n)*-\s+- image: ghcr.io\/example\/web:1.1.0$/m);
    assert.ok(!written.includes('hunter2'));
  });

  it('a deleted overlay file removes its object, and a renamed Kustomization shows its objects moved (committed on a branch)', async () => {
    git(work, 'switch', '-q', '-c', 'cleanup');
    git(work, 'rm', '-q', 'apps/production/config.yaml');
    edit('apps/production/kustomization.yaml', '- config.yaml\n', '');
    edit('clusters/staging/apps.yaml', 'name: apps\n', 'name: web-apps\n');
    git(work, 'commit', '-q', '-am', 'cleanup');
    const r = await cli(['diff', '--head', 'HEAD', '--format', 'json', '--exit-code'], work);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.deepStrictEqual(changes(JSON.parse(r.stdout) as JsonDiff), [
      'staging flux-system removed Kustomization flux-system/apps',
      'staging flux-system added Kustomization flux-system/web-apps',
      'staging web-apps moved Deployment staging/web',
      'staging web-apps moved Secret staging/web-token',
      'production apps removed ConfigMap production/web-config',
    ]);
    const text = await cli(['diff', '--head', 'HEAD', '--env', 'staging'], work);
    assert.match(text.stdout, /^ {4}> moved apps\/v1 Deployment staging\/web \(moved from flux-system\/apps\)$/m);
  });

  it('a render error at one side is reported under its Kustomization, and exit is not a failure', async () => {
    edit('apps/staging/kustomization.yaml', '- ../base\n', '- ../base\n- gone.yaml\n');
    const r = await cli(['diff', '--format', 'json'], work);
    assert.strictEqual(r.code, 0, r.stderr);
    const staging = (JSON.parse(r.stdout) as JsonDiff).environments[0];
    assert.strictEqual(staging.name, 'staging');
    const apps = staging.kustomizations.find((k) => k.name === 'apps') as { errors?: { head?: string[] } } | undefined;
    assert.ok(apps?.errors?.head?.[0].includes('gone.yaml'), JSON.stringify(staging));
  });

  it('works on a detached HEAD', async () => {
    edit('apps/base/deployment.yaml', '128Mi', '512Mi');
    git(work, 'commit', '-q', '-am', 'bigger');
    git(work, 'switch', '-q', '--detach', 'HEAD');
    const r = await cli(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], work);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(changes(JSON.parse(r.stdout) as JsonDiff).length, 2);
  });

  it('a revision that does not exist is named, exit 2', async () => {
    const before = snapshot(work);
    const r = await cli(['diff', '--base', 'no-such-branch'], work);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(
      r.stderr,
      `fluxenv: the revision 'no-such-branch' does not exist in ${work}. Check the name with 'git log --oneline --all' or 'git branch -a'.\n`,
    );
    const head = await cli(['diff', '--base', 'main', '--head', '--upload-pack=evil'], work);
    assert.strictEqual(head.code, 2);
    assert.match(head.stderr, /the revision '--upload-pack=evil' does not exist/);
    assert.deepStrictEqual(snapshot(work), before);
  });

  it('in a shallow clone, a base it does not have says so and how to fetch it', async () => {
    edit('apps/base/deployment.yaml', '128Mi', '256Mi');
    git(work, 'commit', '-q', '-am', 'second');
    const shallow = path.join(tmp, 'shallow');
    git(tmp, 'clone', '-q', '--depth', '1', `file://${work}`, shallow);
    const r = await cli(['diff', '--base', 'HEAD~1'], shallow);
    assert.strictEqual(r.code, 2);
    assert.match(
      r.stderr,
      /^fluxenv: the revision 'HEAD~1' does not exist in .*\. This is a shallow clone: fetch more history \(git fetch --unshallow, or fetch-depth: 0 in actions\/checkout\)/,
    );
  });

  it('an unknown environment, a folder outside git and a bad format are usage errors (exit 2)', async () => {
    const env = await cli(['diff', '--env', 'nowhere'], work);
    assert.strictEqual(env.code, 2);
    assert.match(env.stderr, /^fluxenv: no environment 'nowhere' at either side; there are: staging, production\n/);
    const format = await cli(['diff', '--format', 'html'], work);
    assert.strictEqual(format.code, 2);
    assert.match(format.stderr, /--format must be text, markdown or json, not 'html'/);
    const outside = path.join(tmp, 'plain');
    fs.mkdirSync(outside);
    const r = await cli(['diff'], outside);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stderr, `fluxenv: ${outside} is not inside a git repository: a rendered diff compares git revisions.\n`);
  });
});
