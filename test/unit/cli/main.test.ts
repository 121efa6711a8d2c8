import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { check, runCli } from '../../../server/src/cli/main';
import type { Rule } from '../../../server/src/rules/rule';
import { allRules } from '../../../server/src/rules/run';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('fluxenv render', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-'));
    fs.mkdirSync(path.join(tmp, '.git'));
    fs.mkdirSync(path.join(tmp, 'app'));
    fs.writeFileSync(
      path.join(tmp, 'app', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n',
    );
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints the rendered YAML and exits 0', async () => {
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'namePrefix: prod-\nresources:\n- cm.yaml\n');
    const r = await cli(['render', 'app'], tmp);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout, 'apiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  name: prod-settings\n');
  });

  it('prints file:line:col errors to stderr and exits 1', async () => {
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources:\n- cm.yaml\n- gone.yaml\n');
    const r = await cli(['render', 'app'], tmp);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^app\/kustomization\.yaml:3:3: error: .*gone\.yaml/m);
  });

  it('takes kubectl kustomize flags in both spellings and refuses bad values with exit 2', async () => {
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    const a = await cli(['render', 'app', '--reorder', 'none', '--load-restrictor=LoadRestrictionsNone', '--enable-managedby-label'], tmp);
    assert.strictEqual(a.code, 0, a.stderr);
    assert.match(a.stdout, /app\.kubernetes\.io\/managed-by: kustomize-\(devel\)/);
    const b = await cli(['render', 'app', '--reorder', 'sideways'], tmp);
    assert.strictEqual(b.code, 2);
    assert.match(b.stderr, /--reorder must be/);
    const c = await cli(['render', 'app', '--frobnicate'], tmp);
    assert.strictEqual(c.code, 2);
  });

  it('documents every flag in --help', async () => {
    const r = await cli(['render', '--help'], tmp);
    assert.strictEqual(r.code, 0);
    for (const flag of ['--reorder', '--load-restrictor', '--enable-managedby-label', '--enable-helm', '--helm-command', '--output']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  it('build, check and diff take --enable-helm and --helm-command as render does, and say so in --help', async () => {
    for (const command of ['build', 'check', 'diff']) {
      const r = await cli([command, '--help'], tmp);
      assert.strictEqual(r.code, 0);
      assert.match(r.stdout, /--enable-helm {2,}Render kustomize 'helmCharts' in folder builds/, command);
      assert.match(r.stdout, /--helm-command <path> {2,}The helm executable for --enable-helm/, command);
    }
  });

  it('fails helmCharts without --enable-helm as kubectl does, naming the chart and the flag, exit 1', async () => {
    fs.writeFileSync(
      path.join(tmp, 'app', 'kustomization.yaml'),
      'resources:\n- cm.yaml\nhelmCharts:\n- name: podinfo\n  releaseName: web\n',
    );
    const r = await cli(['render', 'app'], tmp);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /^app\/kustomization\.yaml:4:3: error: .*chart 'podinfo': must specify --enable-helm/m);
  });
});

describe('fluxenv check', () => {
  let tmp: string;
  // Without prune (a warning of prune-disabled, at the spec key); an explicit prune: false is only a hint.
  const ks = (prune?: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
${prune === undefined ? '' : `  prune: ${prune}\n`}  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-check-'));
    fs.mkdirSync(path.join(tmp, '.git'));
    fs.mkdirSync(path.join(tmp, 'clusters', 'prod'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'apps'));
    fs.writeFileSync(path.join(tmp, 'apps', 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    fs.writeFileSync(path.join(tmp, 'apps', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints findings like a compiler and exits 0 when there are only warnings', async () => {
    fs.writeFileSync(path.join(tmp, 'clusters', 'prod', 'apps.yaml'), ks());
    const r = await cli(['check', '.'], tmp);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^clusters\/prod\/apps\.yaml:6:1: warning .*prune.* \[prune-disabled\]$/m);
  });

  it('emits the JSON array the issue specifies, with 1-based positions and relative files', async () => {
    fs.writeFileSync(path.join(tmp, 'clusters', 'prod', 'apps.yaml'), ks());
    const r = await cli(['check', tmp, '--format', 'json'], '/');
    const findings = JSON.parse(r.stdout);
    const prune = findings.find((f: { rule: string }) => f.rule === 'prune-disabled');
    assert.deepStrictEqual(Object.keys(prune).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
    assert.strictEqual(prune.file, 'clusters/prod/apps.yaml');
    assert.strictEqual(prune.line, 6);
    assert.strictEqual(prune.severity, 'warning');
  });

  it('emits SARIF 2.1.0 with the rule catalogue', async () => {
    fs.writeFileSync(path.join(tmp, 'clusters', 'prod', 'apps.yaml'), ks());
    const r = await cli(['check', '.', '--format=sarif'], tmp);
    const sarif = JSON.parse(r.stdout);
    assert.strictEqual(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'prune-disabled'));
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'prune-disabled');
    assert.strictEqual(result.locations[0].physicalLocation.region.startLine, 6);
  });

  it("takes --limits, the editor's fluxEnvironments.limits object: a file past a limit is a finding; bad JSON is bad usage", async () => {
    fs.writeFileSync(
      path.join(tmp, 'apps', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    );
    assert.strictEqual((await cli(['check', '.'], tmp)).code, 0);
    const limited = await cli(['check', '.', '--format', 'json', '--limits', '{"parse":{"maxDocuments":1}}'], tmp);
    assert.strictEqual(limited.code, 1, limited.stderr);
    const finding = JSON.parse(limited.stdout).find((f: { file: string }) => f.file === 'apps/cm.yaml');
    assert.match(finding?.message ?? '', /more than 1 YAML documents \(setting fluxEnvironments\.limits\.parse\.maxDocuments\)/);
    const bad = await cli(['check', '.', '--limits', '{parse'], tmp);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--limits must be a JSON object/);
    const rendered = await cli(['render', 'apps', '--limits', '{"parse":{"maxDocuments":1}}'], tmp);
    assert.strictEqual(rendered.code, 1);
    assert.match(rendered.stderr, /apps\/cm\.yaml:.*more than 1 YAML documents/);
  });

  it('exits 1 when a rule reports an error, and 2 on bad usage', async () => {
    fs.writeFileSync(path.join(tmp, '.fluxenv.yaml'), 'rules:\n  prune-disabled: error\n');
    fs.writeFileSync(path.join(tmp, 'clusters', 'prod', 'apps.yaml'), ks());
    assert.strictEqual((await cli(['check', '.'], tmp)).code, 1);
    assert.strictEqual((await cli(['check', '.', '--format', 'xml'], tmp)).code, 2);
    assert.strictEqual((await cli(['check', 'no-such-folder'], tmp)).code, 2);
  });

  describe('a rule that throws', () => {
    // Says which file it is on (as the file-by-file rules do), then fails there.
    const throwing: Rule = {
      id: 'throws-on-apps',
      severity: 'error',
      category: 'overlay',
      description: 'a rule with a bug',
      check({ index, checking }) {
        checking?.(path.posix.join(index.root, 'clusters/prod/apps.yaml'));
        throw new TypeError("Cannot read properties of undefined (reading 'spec')");
      },
    };
    const prune = allRules().filter((r) => r.id === 'prune-disabled');
    const run = (format: string) => {
      let stdout = '';
      let stderr = '';
      const code = check(['.', '--format', format], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: tmp }, [
        throwing,
        ...prune,
      ]);
      return { code, stdout, stderr };
    };
    const message =
      /^The rule 'throws-on-apps' failed while checking this file \(TypeError: Cannot read properties of undefined \(reading 'spec'\)\), so its findings here are missing; the other rules still ran\./;

    beforeEach(() => fs.writeFileSync(path.join(tmp, 'clusters', 'prod', 'apps.yaml'), ks()));

    it('text: an internal-error warning on the file it was checking, the stack on stderr, exit 2', () => {
      const r = run('text');
      assert.strictEqual(r.code, 2);
      const line = r.stdout.split('\n').find((l) => l.endsWith('[internal-error]'));
      assert.ok(line, r.stdout);
      assert.match(line, /^clusters\/prod\/apps\.yaml:1:1: warning The rule 'throws-on-apps' failed while checking this file/);
      assert.match(r.stdout, /\[prune-disabled\]$/m, 'the other rules still report');
      assert.match(r.stdout, /^0 errors, 2 warnings, 0 notes$/m);
      assert.match(r.stderr, /^fluxenv: rule throws-on-apps failed on clusters\/prod\/apps\.yaml: TypeError: Cannot read properties/m);
      assert.match(r.stderr, /\n\s+at .*main\.test\.ts/, 'the stack trace is on stderr');
      assert.ok(!r.stdout.includes('main.test.ts'), 'no stack trace in the report');
    });

    it('json: a finding with rule internal-error, severity warning, at that file', () => {
      const r = run('json');
      assert.strictEqual(r.code, 2);
      const findings = JSON.parse(r.stdout);
      const failure = findings.find((f: { rule: string }) => f.rule === 'internal-error');
      assert.ok(failure, r.stdout);
      assert.deepStrictEqual(
        { ...failure, message: undefined },
        {
          rule: 'internal-error',
          severity: 'warning',
          file: 'clusters/prod/apps.yaml',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          message: undefined,
        },
      );
      assert.match(failure.message, message);
      assert.ok(findings.some((f: { rule: string }) => f.rule === 'prune-disabled'));
    });

    it('sarif: a warning result for internal-error at that file, with the rule in the catalogue', () => {
      const r = run('sarif');
      assert.strictEqual(r.code, 2);
      const sarif = JSON.parse(r.stdout);
      const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'internal-error');
      assert.ok(result, r.stdout);
      assert.strictEqual(result.level, 'warning');
      assert.match(result.message.text, message);
      assert.strictEqual(result.locations[0].physicalLocation.artifactLocation.uri, 'clusters/prod/apps.yaml');
      assert.strictEqual(result.locations[0].physicalLocation.region.startLine, 1);
      assert.ok(sarif.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'internal-error'));
    });

    it('a rule that names no file: the finding is on the root kustomization (or the first YAML file)', () => {
      const anywhere: Rule = {
        ...throwing,
        id: 'throws-anywhere',
        check: () => {
          throw new Error('boom');
        },
      };
      let stdout = '';
      const code = check(['.', '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: tmp }, [anywhere]);
      assert.strictEqual(code, 2);
      const [failure] = JSON.parse(stdout);
      assert.strictEqual(failure.rule, 'internal-error');
      assert.strictEqual(failure.file, 'apps/cm.yaml');
    });
  });

  it('honours a rule turned off in .fluxenv.yaml', async () => {
    fs.writeFileSync(path.join(tmp, '.fluxenv.yaml'), 'rules:\n  prune-disabled: off\n');
    fs.writeFileSync(path.join(tmp, 'clusters', 'prod', 'apps.yaml'), ks());
    const r = await cli(['check', '.', '--format', 'json'], tmp);
    assert.ok(!JSON.parse(r.stdout).some((f: { rule: string }) => f.rule === 'prune-disabled'));
  });
});

describe('fluxenv error messages name what failed, where, and what to do', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-errors-')))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('check on a folder with no fleet (no kustomization, no Flux object) names the folder and exits 2', async () => {
    fs.mkdirSync(path.join(tmp, 'docs'));
    fs.writeFileSync(path.join(tmp, 'docs', 'mkdocs.yaml'), 'site_name: handbook\n');
    const r = await cli(['check', 'docs'], tmp);
    assert.strictEqual(r.code, 2, r.stdout + r.stderr);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(
      r.stderr,
      `fluxenv: no fleet in ${path.join(tmp, 'docs')}: none of its 1 YAML files is a kustomization or holds a Flux object, so there is nothing to check. Pass the folder of the fleet repository (the one holding clusters/ and apps/), e.g. 'fluxenv check path/to/fleet'.\n`,
    );
  });

  it('check on a folder that does not exist, or on a file, names it and exits 2 without the whole usage', async () => {
    const missing = await cli(['check', 'nowhere'], tmp);
    assert.strictEqual(missing.code, 2);
    assert.strictEqual(
      missing.stderr,
      `fluxenv: the folder ${path.join(tmp, 'nowhere')} does not exist. Pass an existing folder, e.g. 'fluxenv check path/to/fleet'.\n`,
    );
    fs.writeFileSync(path.join(tmp, 'kustomization.yaml'), 'resources: []\n');
    const file = await cli(['check', 'kustomization.yaml'], tmp);
    assert.strictEqual(file.code, 2);
    assert.match(file.stderr, /is a file, not a folder\. Pass its folder/);
  });

  it('history on a missing folder names the folder (exit 2), not "git was not found on PATH"', async () => {
    const r = await cli(['history', 'nowhere'], tmp);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(
      r.stderr,
      `fluxenv: the folder ${path.join(tmp, 'nowhere')} does not exist. Pass an existing folder, e.g. 'fluxenv history path/to/fleet'.\n`,
    );
  });

  it('render of a missing folder exits 1 like kubectl kustomize, naming the folder', async () => {
    const r = await cli(['render', 'nowhere'], tmp);
    assert.strictEqual(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`^fluxenv: the folder ${path.join(tmp, 'nowhere').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`),
    );
  });

  it('-o into a folder that does not exist says so (exit 2), not an internal error with a stack', async () => {
    fs.mkdirSync(path.join(tmp, 'app'));
    fs.writeFileSync(path.join(tmp, 'app', 'kustomization.yaml'), 'resources: []\n');
    const r = await cli(['check', 'app', '-o', 'reports/check.txt'], tmp);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(
      r.stderr,
      `fluxenv: could not write ${path.join(tmp, 'reports', 'check.txt')}: the folder ${path.join(tmp, 'reports')} does not exist. Create the folder or choose another file with -o.\n`,
    );
  });
});

describe('fluxenv environments', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-'));
    fs.mkdirSync(path.join(tmp, '.git'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('says so when Flux Kustomizations are written but none is applied or can be taken for a root', async () => {
    // stefanprodan/flux-local-dev: applied with `kubectl apply -k`, each syncing an OCI artifact pushed by a script.
    const sync = (name: string, source: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  path: ./\n  prune: true\n  sourceRef:\n    kind: OCIRepository\n    name: ${source}\n`;
    fs.mkdirSync(path.join(tmp, 'local'));
    fs.writeFileSync(path.join(tmp, 'local', 'flux-sync.yaml'), sync('flux-sync', 'flux-manifests'));
    fs.writeFileSync(path.join(tmp, 'local', 'cluster-sync.yaml'), sync('cluster-sync', 'cluster-manifests'));
    const r = await cli(['environments', '.'], tmp);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No environments found: 2 Flux Kustomizations are written here, but no root applies them/);
  });

  it('says there is no Flux object and no overlay when there is none', async () => {
    fs.writeFileSync(path.join(tmp, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    const r = await cli(['environments', '.'], tmp);
    assert.match(r.stdout, /^No environments found: no Flux Kustomization, FluxInstance or overlay folder\./);
  });
});

describe('fluxenv build', () => {
  let tmp: string;
  const fluxKs = (name: string, specPath: string, extra = '') =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ${specPath}\n  prune: true\n${extra}`;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-cli-'));
    fs.mkdirSync(path.join(tmp, '.git'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    };
    write(
      'clusters/dev/flux.yaml',
      fluxKs('apps', './apps/web', '  buildMetadata:\n  - originAnnotations\n') + '---\n' + fluxKs('settings', './infra/settings'),
    );
    write('apps/web/kustomization.yaml', 'resources:\n- cm.yaml\n');
    write('apps/web/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n');
    write('infra/settings/kustomization.yaml', 'configMapGenerator:\n- name: settings\n  namespace: default\n  literals: [a=b]\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("prints the origin annotations kustomize-controller applies: spec.buildMetadata's, and those of a kustomization without resources", async () => {
    const apps = await cli(['build', '.', '--env', 'dev', '--kustomization', 'flux-system/apps'], tmp);
    assert.strictEqual(apps.code, 0, apps.stderr);
    assert.strictEqual(
      apps.stdout,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: cm.yaml\n  name: web\n  namespace: default\n',
    );
    const settings = await cli(['build', '.', '--env', 'dev', '--kustomization', 'flux-system/settings'], tmp);
    assert.strictEqual(settings.code, 0, settings.stderr);
    assert.match(
      settings.stdout,
      /config\.kubernetes\.io\/origin: \|\n {6}configuredIn: kustomization\.yaml\n {6}configuredBy:\n {8}apiVersion: builtin\n {8}kind: ConfigMapGenerator\n/,
    );
  });
});
