// The rule tester must fail a case that does not hold: otherwise every table built on it would pass.
import * as assert from 'assert';
import { pruneDisabled } from '../../server/src/rules/prune-disabled';
import { checkCase, type InvalidCase } from '../ruleTester';

const ks = (spec: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n${spec}  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./apps\n`;
const file = 'clusters/prod/apps.yaml';
const good: InvalidCase = {
  name: 'missing prune',
  files: { [file]: ks('') },
  errors: [{ file, line: 6, message: /does not set prune/, severity: 'warning' }],
  output: { [file]: /prune: true\n$/ },
};

describe('ruleTester', () => {
  it('passes a case that holds', () => {
    checkCase(pruneDisabled, good, true);
    checkCase(pruneDisabled, { name: 'clean', files: { [file]: ks('  prune: true\n') } }, false);
  });

  it('fails a valid case with a finding, and an invalid case with a finding more or less than listed', () => {
    assert.throws(() => checkCase(pruneDisabled, { name: 'x', files: good.files }, false), /expected no finding[^]*does not set prune/);
    assert.throws(() => checkCase(pruneDisabled, { ...good, errors: [] }, true), /expected 0 finding/);
    assert.throws(() => checkCase(pruneDisabled, { ...good, errors: [good.errors[0], good.errors[0]] }, true), /expected 2 finding/);
  });

  it('fails on the wrong file, line, message, severity, range or fix title', () => {
    const e = good.errors[0];
    for (const wrong of [
      { ...e, file: 'clusters/prod/other.yaml' },
      { ...e, line: 7 },
      { ...e, message: 'does not set prune' },
      { ...e, message: [/does not set prune/, /never said/] },
      { ...e, severity: 'error' as const },
      { ...e, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 1 } } },
      { ...e, fixTitle: 'Not the title' },
    ]) {
      assert.throws(() => checkCase(pruneDisabled, { ...good, errors: [wrong] }, true), assert.AssertionError, JSON.stringify(wrong));
    }
  });

  it('fails when the fixed text differs, a fix is missing, or a finding is left after the fix', () => {
    assert.throws(() => checkCase(pruneDisabled, { ...good, output: { [file]: ks('') } }, true), /after the fix/);
    assert.throws(() => checkCase(pruneDisabled, { ...good, output: null }, true), /expected no fix/);
    assert.throws(() => checkCase(pruneDisabled, { ...good, fix: 3 }, true), /expected fix 4/);
    assert.throws(() => checkCase(pruneDisabled, { ...good, errorsAfterFix: [good.errors[0]] }, true), /after the fix/);
  });
});
