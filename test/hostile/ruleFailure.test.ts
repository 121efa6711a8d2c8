// A rule that throws is reported where the user looks (a warning on the file it was checking, or on the
// repository's root kustomization) and every other rule still runs.
import { strict as assert } from 'assert';
import { FleetIndex } from '../../server/src/fleet/fleetIndex';
import type { Rule } from '../../server/src/rules/rule';
import { allRules, ruleFailureProblem, runRules } from '../../server/src/rules/run';
import { recordingSession } from '../recordingSession';
import { makeHostileRepo } from './harness';

const files = {
  'kustomization.yaml': 'resources:\n  - apps\n',
  'apps/kustomization.yaml': 'resources:\n  - missing.yaml\n',
};

const throwing = (id: string, before?: (checking: ((file: string) => void) | undefined, index: FleetIndex) => void): Rule => ({
  id,
  severity: 'error',
  category: 'overlay',
  description: 'throws',
  check({ index, checking }) {
    before?.(checking, index);
    throw new TypeError('boom');
  },
});

describe('a rule that throws', () => {
  it('is a failure on the root kustomization when it named no file, on the checked file when it did; the other rules still run', () => {
    const repo = makeHostileRepo(files);
    try {
      const index = new FleetIndex(repo.root);
      index.scan();
      const missingPath = allRules().find((r) => r.id === 'missing-path')!;
      const result = runRules(index, {
        rules: [throwing('anywhere'), throwing('somewhere', (checking) => checking?.(repo.file('apps/kustomization.yaml'))), missingPath],
      });
      assert.deepEqual(
        result.failures.map((f) => [f.rule, f.file]),
        [
          ['anywhere', repo.file('kustomization.yaml')],
          ['somewhere', repo.file('apps/kustomization.yaml')],
        ],
      );
      assert.ok(
        result.diagnostics.some((d) => d.rule === 'missing-path'),
        'the rule after the failing ones ran',
      );
      const problem = ruleFailureProblem(result.failures[1]);
      assert.equal(problem.code, 'internal-error');
      assert.equal(problem.severity, 'warning');
      assert.match(problem.message, /rule 'somewhere' failed while checking this file \(TypeError: boom\).*please report it/);
    } finally {
      repo.dispose();
    }
  });

  it('a built-in rule that throws mid-file: the editor gets an internal-error warning on that file and the other diagnostics', async () => {
    const repo = makeHostileRepo(files);
    const unknownField = allRules().find((r) => r.id === 'unknown-field')!;
    const original = unknownField.check;
    // Throw on the second kustomization file the rule reaches, after it said which one it is on.
    unknownField.check = (ctx) => {
      let seen = 0;
      return original.call(unknownField, {
        ...ctx,
        checking: (file) => {
          ctx.checking?.(file);
          if (++seen === 2) throw new RangeError('rule bug');
        },
      });
    };
    const { session, published, logs } = recordingSession();
    try {
      session.setWorkspaceFolders([repo.root]);
      session.schedule(0);
      await session.idle();
      const secondFile = [...published.keys()].find((uri) => uri.endsWith('/repo/kustomization.yaml'))!;
      const onRoot = published.get(secondFile) ?? [];
      const failure = onRoot.find((d) => d.code === 'internal-error');
      assert.ok(failure, JSON.stringify([...published]));
      assert.match(failure.message, /rule 'unknown-field' failed while checking this file \(RangeError: rule bug\)/);
      assert.equal(failure.severity, 2);
      const apps = [...published.entries()].find(([uri]) => uri.endsWith('/apps/kustomization.yaml'))?.[1] ?? [];
      assert.ok(
        apps.some((d) => d.code === 'missing-path'),
        JSON.stringify(apps),
      );
      assert.ok(logs.some((l) => l.includes('rule unknown-field failed on') && l.includes('RangeError: rule bug')));
    } finally {
      unknownField.check = original;
      repo.dispose();
    }
  });
});
