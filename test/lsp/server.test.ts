// The language server over stdio with a real LSP client (vscode-languageserver-protocol's connection):
// it indexes the workspace, publishes diagnostics for files that are not open, follows edits of open
// buffers, and answers code actions with the rules' fixes.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const repoRoot = path.resolve(__dirname, '../..');
const serverJs = path.join(repoRoot, 'dist', 'server.js');

const fluxKustomization = (prune: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: ${prune}
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

interface Harness {
  connection: ProtocolConnection;
  server: ChildProcess;
  root: string;
  diagnostics: Map<string, Diagnostic[]>;
  waitFor(uri: string, predicate: (d: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]>;
  stderr: () => string;
}

/** `settings`: what the client answers to workspace/configuration (the server pulls fluxEnvironments.*). */
async function start(files: Record<string, string>, settings?: () => unknown): Promise<Harness> {
  if (!fs.existsSync(serverJs)) assert.fail('dist/server.js is missing: run `npm run build` (npm test does)');
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-lsp-')));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const server = spawn(process.execPath, [serverJs, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FLUX_ENVIRONMENTS_DOCS_DIR: path.join(repoRoot, 'docs', 'rules') },
  });
  let stderr = '';
  server.stderr!.on('data', (d) => (stderr += d));
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const waiters: Array<() => void> = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p.diagnostics);
    waiters.splice(0).forEach((w) => w());
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  if (settings) connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings()));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'fleet' }],
    capabilities: { window: { workDoneProgress: true }, ...(settings ? { workspace: { configuration: true } } : {}) },
  });
  await connection.sendNotification('initialized', {});
  const waitFor = (uri: string, predicate: (d: Diagnostic[]) => boolean, what: string) =>
    new Promise<Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what} on ${uri}; have ${JSON.stringify(diagnostics.get(uri))}\n${stderr}`)),
        15000,
      );
      const check = () => {
        const d = diagnostics.get(uri);
        if (d && predicate(d)) {
          clearTimeout(timer);
          resolve(d);
        } else waiters.push(check);
      };
      check();
    });
  return { connection, server, root, diagnostics, waitFor, stderr: () => stderr };
}

async function stop(h: Harness): Promise<void> {
  await h.connection.sendRequest('shutdown').catch(() => undefined);
  await h.connection.sendNotification('exit').catch(() => undefined);
  h.connection.dispose();
  h.server.kill();
  fs.rmSync(h.root, { recursive: true, force: true });
}

describe('language server over stdio', function () {
  this.timeout(60000);
  let h: Harness | undefined;
  afterEach(async () => {
    if (h) await stop(h);
    h = undefined;
  });

  it('publishes diagnostics for files that are not open, with rule codes and docs links', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n- missing.yaml\n',
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'clusters/prod/apps.yaml': fluxKustomization('false'),
    });
    const kustUri = pathToFileURL(path.join(h.root, 'apps/kustomization.yaml')).href;
    const [missing] = await h.waitFor(kustUri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path');
    assert.strictEqual(missing.source, 'flux-environments');
    assert.deepStrictEqual(missing.range.start, { line: 2, character: 2 });
    assert.match(String(missing.codeDescription?.href), /docs\/rules\/missing-path\.md$/);
    const ksUri = pathToFileURL(path.join(h.root, 'clusters/prod/apps.yaml')).href;
    const prune = await h.waitFor(ksUri, (d) => d.some((x) => x.code === 'prune-disabled'), 'prune-disabled');
    assert.ok(prune.length >= 1);
  });

  it('follows unsaved edits: fixing the path clears the diagnostic, breaking it again brings it back', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n- missing.yaml\n',
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    const uri = pathToFileURL(path.join(h.root, 'apps/kustomization.yaml')).href;
    await h.waitFor(uri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path');
    await h.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: 'resources:\n- cm.yaml\n- missing.yaml\n' },
    });
    await h.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'resources:\n- cm.yaml\n' }],
    });
    await h.waitFor(uri, (d) => d.length === 0, 'no diagnostics after the fix');
    await h.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: 'resources:\n- cm.yml\n' }],
    });
    const [again] = await h.waitFor(uri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path again');
    assert.deepStrictEqual(again.range.start, { line: 1, character: 2 });
    // nothing was written to disk
    assert.strictEqual(fs.readFileSync(path.join(h.root, 'apps/kustomization.yaml'), 'utf8'), 'resources:\n- cm.yaml\n- missing.yaml\n');
  });

  it('answers code actions with the rule fix as a workspace edit', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'clusters/prod/apps.yaml': fluxKustomization('false'),
    });
    const uri = pathToFileURL(path.join(h.root, 'clusters/prod/apps.yaml')).href;
    const diags = await h.waitFor(uri, (d) => d.some((x) => x.code === 'prune-disabled'), 'prune-disabled');
    const prune = diags.find((d) => d.code === 'prune-disabled')!;
    const actions = (await h.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: prune.range,
      context: { diagnostics: [prune] },
    })) as Array<{ title: string; kind: string; edit: { changes: Record<string, Array<{ newText: string; range: unknown }>> } }>;
    const fix = actions.find((a) => /prune: true/.test(a.title));
    assert.ok(fix, JSON.stringify(actions));
    assert.strictEqual(fix.kind, 'quickfix');
    assert.deepStrictEqual(
      fix.edit.changes[uri].map((e) => e.newText),
      ['true'],
    );
  });

  it('offers to fix all findings of one rule in the file at once', async () => {
    const old = (kind: string, name: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://charts.example.com\n`;
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- repos.yaml\n',
      'apps/repos.yaml': `${old('HelmRepository', 'one')}---\n${old('HelmRepository', 'two')}---\n${old('HelmRepository', 'three')}`,
    });
    const uri = pathToFileURL(path.join(h.root, 'apps/repos.yaml')).href;
    const diags = await h.waitFor(uri, (d) => d.filter((x) => x.code === 'invalid-flux-object').length === 3, 'three outdated apiVersions');
    const first = diags.find((d) => d.code === 'invalid-flux-object')!;
    const actions = (await h.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: first.range,
      context: { diagnostics: [first] },
    })) as Array<{ title: string; edit: { changes: Record<string, Array<{ newText: string; range: { start: { line: number } } }>> } }>;
    const all = actions.find((a) => a.title.startsWith('Fix all invalid-flux-object problems in this file'));
    assert.ok(all, JSON.stringify(actions.map((a) => a.title)));
    assert.strictEqual(all.title, 'Fix all invalid-flux-object problems in this file (3)');
    assert.deepStrictEqual(
      all.edit.changes[uri].map((e) => [e.range.start.line, e.newText]),
      [
        [0, 'source.toolkit.fluxcd.io/v1'],
        [9, 'source.toolkit.fluxcd.io/v1'],
        [18, 'source.toolkit.fluxcd.io/v1'],
      ],
    );
  });

  it('sees files created on disk through watched-file events', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n',
    });
    const uri = pathToFileURL(path.join(h.root, 'apps/kustomization.yaml')).href;
    await h.waitFor(uri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path');
    const created = path.join(h.root, 'apps/cm.yaml');
    fs.writeFileSync(created, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    await h.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(created).href, type: 1 }] });
    await h.waitFor(uri, (d) => d.length === 0, 'cleared after the file appeared');
  });

  it('follows a file changed on disk that was never opened', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    const file = path.join(h.root, 'apps/kustomization.yaml');
    const uri = pathToFileURL(file).href;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepStrictEqual(h.diagnostics.get(uri) ?? [], []);
    fs.writeFileSync(file, 'resources:\n- cm.yaml\n- gone.yaml\n');
    await h.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    const [missing] = await h.waitFor(uri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path after the change on disk');
    assert.deepStrictEqual(missing.range.start, { line: 2, character: 2 });
  });

  it('reads the folder again when .git/HEAD changes (a branch switch), even for files no event named', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n',
    });
    fs.writeFileSync(path.join(h.root, '.git/HEAD'), 'ref: refs/heads/main\n');
    const uri = pathToFileURL(path.join(h.root, 'apps/kustomization.yaml')).href;
    await h.waitFor(uri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path');
    // The other branch adds the missing file in a new folder and lists it; the watcher reported HEAD only.
    fs.mkdirSync(path.join(h.root, 'apps/config'));
    fs.writeFileSync(path.join(h.root, 'apps/config/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    fs.writeFileSync(path.join(h.root, 'apps/kustomization.yaml'), 'resources:\n- config/cm.yaml\n');
    fs.writeFileSync(path.join(h.root, '.git/HEAD'), 'ref: refs/heads/feature\n');
    const head = pathToFileURL(path.join(h.root, '.git/HEAD')).href;
    await h.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: head, type: 2 }] });
    await h.waitFor(uri, (d) => d.length === 0, 'cleared after the branch switch');
  });

  it('"Refresh Environments" (the rescan request) sees changes no watcher reported', async () => {
    h = await start({
      'apps/kustomization.yaml': 'resources:\n- cm.yaml\n',
    });
    const uri = pathToFileURL(path.join(h.root, 'apps/kustomization.yaml')).href;
    await h.waitFor(uri, (d) => d.some((x) => x.code === 'missing-path'), 'missing-path');
    fs.writeFileSync(path.join(h.root, 'apps/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    await h.connection.sendRequest('fluxEnvironments/rescan', {});
    await h.waitFor(uri, (d) => d.length === 0, 'cleared after the rescan');
  });

  it('the rules setting "information" gives Information diagnostics; an unknown severity is shown, not turned into an error', async () => {
    // No prune at all: a warning by default (an explicit prune: false is a choice, a hint at most).
    h = await start({ 'clusters/prod/apps.yaml': fluxKustomization('false').replace('  prune: false\n', '') });
    const messages: string[] = [];
    h.connection.onNotification('window/showMessage', (m: { message: string }) => messages.push(m.message));
    const uri = pathToFileURL(path.join(h.root, 'clusters/prod/apps.yaml')).href;
    const prune = (d: Diagnostic[]) => d.find((x) => x.code === 'prune-disabled');
    await h.waitFor(uri, (d) => prune(d)?.severity === 2, 'prune-disabled as a warning (its default)');
    await h.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { fluxEnvironments: { rules: { 'prune-disabled': 'information' } } },
    });
    await h.waitFor(uri, (d) => prune(d)?.severity === 3, 'prune-disabled as information');
    await h.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { fluxEnvironments: { rules: { 'prune-disabled': 'severe' } } },
    });
    await h.waitFor(uri, (d) => prune(d)?.severity === 2, 'prune-disabled back to its default');
    assert.deepEqual(messages.filter((m) => /severe/.test(m)).length, 1, JSON.stringify(messages));
    assert.match(messages.find((m) => /severe/.test(m)) ?? '', /rule 'prune-disabled' is set to "severe", which is not a severity/);
  });

  it('answers the custom requests: environments, and a folder preview equal to the renderer output', async () => {
    h = await start({
      'apps/kustomization.yaml': 'namespace: prod\nresources:\n- cm.yaml\n',
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n',
      // prune: false gives a hint: its publication says the first analysis is done.
      'clusters/prod/apps.yaml': fluxKustomization('false'),
    });
    const uri = pathToFileURL(path.join(h.root, 'clusters/prod/apps.yaml')).href;
    await h.waitFor(uri, (d) => d.some((x) => x.code === 'prune-disabled'), 'first analysis');
    const environments = (await h.connection.sendRequest('fluxEnvironments/environments', {})) as Array<{
      name: string;
      kustomizations: Array<{ name: string }>;
    }>;
    assert.deepStrictEqual(
      environments.map((e) => [e.name, e.kustomizations.map((k) => k.name)]),
      [['prod', ['apps']]],
    );
    const folder = pathToFileURL(path.join(h.root, 'apps')).href;
    const rendered = (await h.connection.sendRequest('fluxEnvironments/render', { target: { kind: 'folder', uri: folder } })) as {
      yaml: string;
    };
    assert.strictEqual(rendered.yaml, 'apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: prod\n');
    // The client sends the cursor; the server finds the document (the client reads no YAML).
    const target = await h.connection.sendRequest('fluxEnvironments/fluxKustomizationTarget', { uri, position: { line: 3, character: 2 } });
    assert.deepStrictEqual(target, { kind: 'fluxKustomization', uri, documentIndex: 0 });
  });
  it('renders kustomize helmCharts with helm once fluxEnvironments.helm.enabled is on, and stops when it is off', async () => {
    const stub = path.join(fs.realpathSync(os.tmpdir()), `fluxenv-lsp-stub-helm-${process.pid}`);
    // A stand-in for helm: the release name and the chart's values as one ConfigMap.
    fs.writeFileSync(
      stub,
      [
        '#!/usr/bin/env node',
        "const fs = require('fs');",
        'const args = process.argv.slice(2);',
        "const values = fs.readFileSync(args[args.indexOf('--values') + 1], 'utf8').trim();",
        "process.stdout.write('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ' + args[1] + '-stub\\ndata:\\n  ' + values + '\\n');",
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    let helm = { enabled: false, path: stub };
    try {
      h = await start(
        {
          'apps/kustomization.yaml': 'helmCharts:\n- name: hello\n  releaseName: web\n',
          'apps/charts/hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
          'apps/charts/hello/values.yaml': 'greeting: hi\n',
        },
        () => ({ helm }),
      );
      const uri = pathToFileURL(path.join(h.root, 'apps/kustomization.yaml')).href;
      const folder = pathToFileURL(path.join(h.root, 'apps')).href;
      const notEnabled = (d: Diagnostic[]) => d.some((x) => /chart 'hello': must specify --enable-helm/.test(x.message));
      await h.waitFor(uri, notEnabled, 'the helm-not-enabled error while the setting is off');

      helm = { enabled: true, path: stub };
      await h.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await h.waitFor(uri, (d) => !notEnabled(d), 'the error gone once helm is enabled');
      const rendered = (await h.connection.sendRequest('fluxEnvironments/render', { target: { kind: 'folder', uri: folder } })) as {
        yaml: string;
      };
      assert.strictEqual(rendered.yaml, 'apiVersion: v1\ndata:\n  greeting: hi\nkind: ConfigMap\nmetadata:\n  name: web-stub\n');

      helm = { enabled: false, path: stub };
      await h.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await h.waitFor(uri, notEnabled, 'the error back once helm is disabled again');
    } finally {
      fs.rmSync(stub, { force: true });
    }
  });
});
