// Structural traps: include cycles, symbolic link loops, links and `../` chains leaving the repository,
// absolute paths, remote URLs and file://. Each gets its diagnostic at the entry that causes it, in
// bounded time, and no file outside the repository is ever read.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { checkRepo, describe as show, isInside, makeHostileRepo, type HostileRepo } from './harness';

const HANG_GUARD_MS = 10_000;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const resources = (entries: string[]) => 'resources:\n' + entries.map((e) => `  - ${e}\n`).join('');

function withRepo(
  files: Record<string, string>,
  setup: ((repo: HostileRepo) => void) | undefined,
  body: (repo: HostileRepo, checked: ReturnType<typeof checkRepo>) => void,
): void {
  const repo = makeHostileRepo(files, setup);
  try {
    const checked = checkRepo(repo);
    const outside = checked.reads.filter((p) => !isInside(p, repo.root));
    assert.deepEqual(outside, [], 'read outside the repository');
    assert.ok(checked.ms < HANG_GUARD_MS, `took ${checked.ms.toFixed(0)} ms`);
    body(repo, checked);
  } finally {
    repo.dispose();
  }
}

function expectAt(checked: ReturnType<typeof checkRepo>, repo: HostileRepo, rule: string, rel: string, line: number, says: RegExp): void {
  const ok = checked.diagnostics.some(
    (d) => d.rule === rule && d.file === repo.file(rel) && d.range.start.line === line - 1 && says.test(d.message),
  );
  assert.ok(
    ok,
    `expected ${rule} at ${rel}:${line} saying ${says}; got:\n${checked.diagnostics.map((d) => show(d, repo.root)).join('\n')}`,
  );
}

describe('hostile repository structure', function () {
  this.timeout(30_000);

  it('a includes b includes a: an include cycle at each entry', () => {
    withRepo({ 'a/kustomization.yaml': resources(['../b']), 'b/kustomization.yaml': resources(['../a']) }, undefined, (repo, checked) => {
      expectAt(checked, repo, 'render-error', 'a/kustomization.yaml', 2, /cycle detected/);
      expectAt(checked, repo, 'render-error', 'b/kustomization.yaml', 2, /cycle detected/);
    });
  });

  it('a folder including itself: an include cycle at the entry, like kustomize', () => {
    withRepo({ 'a/kustomization.yaml': resources(['cm.yaml', '.']), 'a/cm.yaml': configMap('x') }, undefined, (repo, checked) => {
      expectAt(checked, repo, 'render-error', 'a/kustomization.yaml', 3, /cycle detected/);
    });
  });

  it('a symbolic link loop (a folder linking to itself): scanned once, the entry is a cycle', () => {
    withRepo(
      { 'a/kustomization.yaml': resources(['cm.yaml', 'loop']), 'a/cm.yaml': configMap('x') },
      (repo) => fs.symlinkSync('.', repo.file('a/loop')),
      (repo, checked) => {
        expectAt(checked, repo, 'render-error', 'a/kustomization.yaml', 3, /cycle detected/);
        assert.deepEqual(checked.index.yamlFiles(), [repo.file('a/cm.yaml'), repo.file('a/kustomization.yaml')]);
      },
    );
  });

  it('symbolic links out of the repository: skipped by the scan, refused as entries, never read', () => {
    const setup = (repo: HostileRepo) => {
      fs.symlinkSync(repo.outside, repo.file('a/out'));
      fs.symlinkSync(`${repo.outside}/secret.yaml`, repo.file('a/secret.yaml'));
      fs.symlinkSync('../../../../../../../../../..', repo.file('a/slash'));
      fs.symlinkSync('missing-target', repo.file('a/dangling.yaml'));
    };
    withRepo({ 'a/kustomization.yaml': resources(['out', 'secret.yaml', 'slash/etc']) }, setup, (repo, checked) => {
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 2, /leads outside the repository/);
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 3, /leads outside the repository/);
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 4, /leads outside the repository/);
      const reasons = checked.index.skipped.map((s) => `${s.file.slice(repo.root.length + 1)}: ${s.reason}`).sort();
      assert.deepEqual(reasons, [
        'a/dangling.yaml: broken symbolic link',
        'a/out: symbolic link leading outside the repository',
        'a/secret.yaml: symbolic link leading outside the repository',
        'a/slash: symbolic link leading outside the repository',
      ]);
      assert.ok(
        !JSON.stringify(checked.index.renderFolder(repo.file('a'))).includes('aHVudGVyMg'),
        'the secret outside leaked into a render',
      );
    });
  });

  it('../ chains, absolute paths and the file-system root: refused at the entry', () => {
    const entries = ['../../outside', '../../../../../../../../../../../../etc', '/etc/passwd', '/', '../../../../../../../../../../..'];
    withRepo({ 'a/kustomization.yaml': resources(entries), 'a/patch.yaml': configMap('p') }, undefined, (repo, checked) => {
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 2, /leads outside the repository/);
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 3, /leads outside the repository/);
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 4, /absolute path/);
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 5, /absolute path/);
      expectAt(checked, repo, 'path-outside-repo', 'a/kustomization.yaml', 6, /leads outside the repository/);
    });
  });

  it('remote URLs and file://: a remote-resource diagnostic, nothing fetched', () => {
    const entries = [
      'https://github.com/org/repo//deploy?ref=v1',
      'file:///etc/passwd',
      'github.com/org/repo',
      'git@github.com:org/repo.git',
      'ssh://git@host/x',
    ];
    withRepo({ 'a/kustomization.yaml': resources(entries) }, undefined, (repo, checked) => {
      for (let line = 2; line <= 2 + entries.length - 1; line++)
        expectAt(checked, repo, 'remote-resource', 'a/kustomization.yaml', line, /never fetches/);
    });
  });

  it('a patch or generator file behind a link out of the repository is never read', () => {
    const files = {
      'a/kustomization.yaml': `${resources(['cm.yaml'])}patches:\n  - path: secret.yaml\nconfigMapGenerator:\n  - name: g\n    files:\n      - secret.yaml\n`,
      'a/cm.yaml': configMap('x'),
    };
    withRepo(
      files,
      (repo) => fs.symlinkSync(`${repo.outside}/secret.yaml`, repo.file('a/secret.yaml')),
      (repo, checked) => {
        assert.ok(
          checked.diagnostics.some((d) => d.file === repo.file('a/kustomization.yaml')),
          checked.diagnostics.map((d) => show(d, repo.root)).join('\n'),
        );
        assert.ok(
          !JSON.stringify(checked.index.renderFolder(repo.file('a'))).includes('aHVudGVyMg'),
          'the secret outside leaked into a render',
        );
      },
    );
  });
});
