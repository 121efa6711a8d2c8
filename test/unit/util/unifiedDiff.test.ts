import * as assert from 'assert';
import { unifiedDiff } from '../../../server/src/util/unifiedDiff';

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    assert.strictEqual(unifiedDiff('a\nb\n', 'a\nb\n'), '');
  });

  it('shows one changed line with three lines of context, numbered as diff -u does', () => {
    const before = lines(10);
    const after = before.replace('line 5\n', 'line five\n');
    assert.strictEqual(
      unifiedDiff(before, after),
      '@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n',
    );
  });

  it('keeps distant changes in separate hunks and near ones in one', () => {
    const before = lines(30);
    const far = before.replace('line 3\n', 'x\n').replace('line 25\n', 'y\n');
    assert.strictEqual((unifiedDiff(before, far).match(/^@@/gm) ?? []).length, 2);
    const near = before.replace('line 3\n', 'x\n').replace('line 8\n', 'y\n');
    assert.strictEqual((unifiedDiff(before, near).match(/^@@/gm) ?? []).length, 1);
  });

  it('shows an added text as additions from line 0', () => {
    assert.strictEqual(unifiedDiff('', 'a\nb\n'), '@@ -0,0 +1,2 @@\n+a\n+b\n');
    assert.strictEqual(unifiedDiff('a\nb\n', ''), '@@ -1,2 +0,0 @@\n-a\n-b\n');
  });

  it('aligns an insertion in the middle instead of replacing everything after it', () => {
    const before = 'a\nb\nc\nd\n';
    const after = 'a\nb\nnew\nc\nd\n';
    assert.strictEqual(unifiedDiff(before, after), '@@ -1,4 +1,5 @@\n a\n b\n+new\n c\n d\n');
  });

  it('gives up aligning past the edit bound and still shows every line once', () => {
    const before = lines(50);
    const after = lines(50, 1000);
    const diff = unifiedDiff(before, after, { maxEdits: 10 });
    assert.strictEqual((diff.match(/^-/gm) ?? []).length, 50);
    assert.strictEqual((diff.match(/^\+/gm) ?? []).length, 50);
  });
});
