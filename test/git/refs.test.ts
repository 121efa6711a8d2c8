import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { branchNameFromTemplate, checkRefName, formatTimestamp, refNameProblem, sanitizeRefComponent } from '../../server/src/git/refs';
import { git } from './gitFixture';

describe('ref names', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxenv-refs-'));
    git(dir, 'init', '-q');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses names that could be options, shell or git syntax', () => {
    for (const name of [
      '',
      '-x',
      '--upload-pack=x',
      'a b',
      'a\nb',
      'a\tb',
      'a\u0007',
      'a..b',
      'a@{1}',
      '@',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[b',
      'a\\b',
      '/a',
      'a/',
      'a//b',
      'a.',
      '.a',
      'a/.b',
      'a.lock',
      'a/b.lock/c',
      'x'.repeat(201),
    ]) {
      assert.ok(refNameProblem(name), JSON.stringify(name));
    }
    for (const name of ['main', 'promote/production/20240501-101500', 'release-1.2.3', 'feature/a_b', 'v1.0.0']) {
      assert.equal(refNameProblem(name), undefined, name);
    }
  });

  it('asks git check-ref-format too, for branches and tags', async () => {
    assert.deepEqual(await checkRefName('promote/production/x', 'branch', dir), { ok: true, value: 'promote/production/x' });
    const hostile = await checkRefName('--upload-pack=x', 'branch', dir);
    assert.equal(!hostile.ok && hostile.error.kind, 'refInvalid');
    const head = await checkRefName('HEAD', 'branch', dir);
    assert.equal(!head.ok && head.error.kind, 'refInvalid');
    const tag = await checkRefName('production-2024.05.01', 'tag', dir);
    assert.ok(tag.ok);
  });

  it('sanitises environment and workload names into one safe component', () => {
    assert.equal(sanitizeRefComponent('production'), 'production');
    assert.equal(sanitizeRefComponent('$(rm -rf ~)'), 'rm-rf');
    assert.equal(sanitizeRefComponent('--upload-pack=x'), 'upload-pack-x');
    assert.equal(sanitizeRefComponent('a b\nc'), 'a-b-c');
    assert.equal(sanitizeRefComponent('../..'), '');
    assert.equal(sanitizeRefComponent('x.lock'), 'x');
    assert.equal(sanitizeRefComponent('Prod Ünïcode'), 'Prod-Unicode');
    assert.equal(sanitizeRefComponent('a/b'), 'a-b');
  });

  it('builds promote/<target>/<yyyymmdd-hhmmss> from the template setting', async () => {
    const timestamp = new Date(Date.UTC(2024, 4, 1, 9, 5, 7));
    assert.equal(formatTimestamp(timestamp), '20240501-090507');
    const name = branchNameFromTemplate('promote/{target}/{timestamp}', { target: 'production', timestamp });
    assert.deepEqual(name, { ok: true, value: 'promote/production/20240501-090507' });
    const hostile = branchNameFromTemplate('promote/{target}/{timestamp}', { target: '$(rm -rf ~) --force', timestamp });
    assert.deepEqual(hostile, { ok: true, value: 'promote/rm-rf-force/20240501-090507' });
    assert.ok(hostile.ok && (await checkRefName(hostile.value, 'branch', dir)).ok);
    const custom = branchNameFromTemplate('env/{source}-to-{target}/{date}', { source: 'staging', target: 'prod', timestamp });
    assert.deepEqual(custom, { ok: true, value: 'env/staging-to-prod/20240501' });
    const unknown = branchNameFromTemplate('promote/{oops}', { target: 'p' });
    assert.equal(!unknown.ok && unknown.error.kind, 'invalidInput');
    const empty = branchNameFromTemplate('promote/{target}', { target: '$$$' });
    assert.equal(!empty.ok && empty.error.kind, 'invalidInput');
    const badLiteral = branchNameFromTemplate('-promote/{target}', { target: 'p' });
    assert.equal(!badLiteral.ok && badLiteral.error.kind, 'refInvalid');
  });
});
