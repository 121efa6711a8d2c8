// Severity names: the setting's enum in package.json, the server and .fluxenv.yaml accept the same names
// (with the aliases warn and information); anything else is reported, never turned into another severity.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readRepoRuleConfig, runRules } from '../../../server/src/rules/run';
import { readSeverities, SEVERITY_NAMES } from '../../../server/src/rules/severity';
import { makeFleet } from './harness';

const fluxKustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: false
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

describe('severity names', () => {
  it('the Settings UI offers exactly the names the server accepts', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
    const setting = manifest.contributes.configuration
      .flatMap((c: { properties: Record<string, unknown> }) => Object.entries(c.properties))
      .find(([key]: [string]) => key === 'fluxEnvironments.rules')[1];
    assert.deepEqual(setting.additionalProperties.enum, Object.keys(SEVERITY_NAMES));
    assert.equal(setting.additionalProperties.enumDescriptions.length, Object.keys(SEVERITY_NAMES).length);
  });

  it('the setting "information" gives info and "warn" gives warning, not error', () => {
    const read = readSeverities(
      { 'prune-disabled': 'information', 'wait-missing': 'warn' },
      new Set(['prune-disabled', 'wait-missing']),
      'Setting fluxEnvironments.rules',
    );
    assert.deepEqual(read, { severities: { 'prune-disabled': 'info', 'wait-missing': 'warning' }, problems: [] });
    const fleet = makeFleet({ 'clusters/prod/apps.yaml': fluxKustomization });
    try {
      const [prune] = runRules(fleet.index, { severities: read.severities }).diagnostics.filter((d) => d.rule === 'prune-disabled');
      assert.equal(prune.severity, 'info');
    } finally {
      fleet.dispose();
    }
  });

  it('reports an unknown severity or rule id in the setting, naming it, and ignores the entry', () => {
    const read = readSeverities(
      { 'prune-disabled': 'severe', 'no-such-rule': 'off' },
      new Set(['prune-disabled']),
      'Setting fluxEnvironments.rules',
    );
    assert.deepEqual(read.severities, {});
    assert.deepEqual(read.problems, [
      'Setting fluxEnvironments.rules: rule \'prune-disabled\' is set to "severe", which is not a severity; use off, error, warning (or warn), info (or information) or hint. The rule keeps its default severity',
      "Setting fluxEnvironments.rules: 'no-such-rule' is not a rule id (the rules are listed in docs/rules); the entry is ignored",
    ]);
  });

  it('.fluxenv.yaml accepts the aliases and reports an unknown severity at its value', () => {
    const fleet = makeFleet({
      '.fluxenv.yaml': 'rules:\n  prune-disabled: information\n  wait-missing: warn\n  namespace-missing: severe\n',
      'clusters/prod/apps.yaml': fluxKustomization,
    });
    try {
      const config = readRepoRuleConfig(fleet.index);
      assert.deepEqual(config.severities, { 'prune-disabled': 'info', 'wait-missing': 'warning' });
      assert.equal(config.problems.length, 1);
      assert.equal(
        config.problems[0].message,
        'rule \'namespace-missing\' is set to "severe", which is not a severity: use off, error, warning (or warn), info (or information) or hint',
      );
      assert.deepEqual(config.problems[0].range?.start, { line: 3, character: 21 });
      const [prune] = runRules(fleet.index).diagnostics.filter((d) => d.rule === 'prune-disabled');
      assert.equal(prune.severity, 'info');
    } finally {
      fleet.dispose();
    }
  });
});
