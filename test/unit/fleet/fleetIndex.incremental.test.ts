// An index kept up to date edit by edit must show exactly what an index built from scratch over the same
// files shows: the environments, every folder and environment render, and every diagnostic. Each cache the
// index keeps (parses, builds, Flux renders, the Flux graph, rule results) is defended here by a sequence
// of edits a user makes on a home-lab-shaped fleet: a child's kustomization.yaml, the parent's patches, a
// ConfigMap the substitutions read, a file deleted and created, .fluxenv.yaml, buffers opened and closed.
import * as assert from 'assert';
import * as path from 'path';
import { keyOf } from '../../../server/src/flux/dependsOn';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import type { FileSystem } from '../../../server/src/kustomize/fs';
import { emitYaml } from '../../../server/src/kustomize/yaml/emit';
import { runRules } from '../../../server/src/rules/run';

const ROOT = '/repo';

/** A file system in memory that the test changes like a disk: the index hears of it through diskChanged & co. */
function mutableFileSystem(files: Map<string, string>): FileSystem {
  const dirEntries = (dir: string) => {
    const out = new Set<string>();
    const prefix = dir === '/' ? '/' : `${dir}/`;
    for (const f of files.keys()) if (f.startsWith(prefix)) out.add(f.slice(prefix.length).split('/')[0]);
    return [...out].sort();
  };
  return {
    readFile: (f) => files.get(f),
    kind: (p) => (files.has(p) ? 'file' : dirEntries(p).length > 0 ? 'dir' : undefined),
    readDir: (d) => dirEntries(d),
    realPath: (p) => p,
  };
}

const ks = (name: string, ns: string, spec: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;

const app = (name: string, extra = '') =>
  `---\n${ks(
    name,
    'flux-system',
    `  path: ./apps/default/${name}/app\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  targetNamespace: default\n  interval: 1h\n${extra}`,
  )}`;

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n    cluster: \${CLUSTER}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: ghcr.io/example/${name}:1.0.0\n`;

const parentPatch = (timeout: string) =>
  `  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          timeout: ${timeout}\n          prune: true\n          postBuild:\n            substituteFrom:\n              - kind: ConfigMap\n                name: cluster-settings\n      target:\n        group: kustomize.toolkit.fluxcd.io\n        kind: Kustomization\n`;

function initialFleet(): Record<string, string> {
  return {
    '.fluxenv.yaml': 'rules: {}\n',
    'clusters/main/flux-system/kustomization.yaml': 'resources:\n  - gotk-sync.yaml\n',
    'clusters/main/flux-system/gotk-sync.yaml':
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/home-ops\n  ref:\n    branch: main\n---\n' +
      ks(
        'flux-system',
        'flux-system',
        '  interval: 10m\n  path: ./clusters/main\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      ),
    'clusters/main/cluster-settings.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER: main\n',
    'clusters/main/apps.yaml': ks(
      'cluster-apps',
      'flux-system',
      '  interval: 1h\n  path: ./apps\n  prune: true\n  dependsOn: []\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n' +
        parentPatch('5m'),
    ),
    'apps/kustomization.yaml': 'resources:\n  - ./default\n',
    'apps/default/kustomization.yaml': 'resources:\n  - ./namespace.yaml\n  - ./web/ks.yaml\n  - ./api/ks.yaml\n',
    'apps/default/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n',
    'apps/default/web/ks.yaml': app('web', '  dependsOn:\n    - name: api\n'),
    'apps/default/web/app/kustomization.yaml': 'resources:\n  - ./deployment.yaml\n  - ./service.yaml\n',
    'apps/default/web/app/deployment.yaml': deployment('web'),
    'apps/default/web/app/service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n',
    'apps/default/api/ks.yaml': app('api'),
    'apps/default/api/app/kustomization.yaml': 'resources:\n  - ./deployment.yaml\n',
    'apps/default/api/app/deployment.yaml': deployment('api'),
  };
}

/** Everything a user sees of an index, as text: environments, renders, diagnostics. */
function snapshot(index: FleetIndex): string {
  const rel = (f: string) => path.posix.relative(ROOT, f);
  const out: string[] = [];
  const discovery = index.environments();
  for (const env of discovery.environments) {
    out.push(`environment ${env.name} (${env.kind}) dirs ${env.dirs.map(rel).join(',')}`);
    for (const k of env.kustomizations)
      out.push(`  kustomization ${keyOf(k)} at ${rel(k.place.file)}#${k.place.documentIndex} ${JSON.stringify(k)}`);
    const render = index.renderEnvironment(env);
    for (const o of render.objects) out.push(`  object by ${o.appliedBy ? keyOf(o.appliedBy) : o.overlay}:\n${emitYaml(o.object)}`);
    for (const p of render.problems) out.push(`  render problem ${rel(p.file)} ${p.code} ${p.message}`);
  }
  for (const p of discovery.problems) out.push(`discovery problem ${rel(p.file)} ${p.code} ${p.message}`);
  for (const file of index.kustomizationFiles()) {
    const render = index.renderFolder(path.posix.dirname(file));
    out.push(`folder ${rel(path.posix.dirname(file))}: ${render.resources.length} objects\n${render.yaml}`);
    for (const p of render.problems) out.push(`  folder problem ${rel(p.file)} ${p.code} ${p.message}`);
  }
  const checked = runRules(index);
  for (const d of checked.diagnostics)
    out.push(`diagnostic ${rel(d.file)}:${d.range.start.line}:${d.range.start.character} ${d.rule} ${d.severity} ${d.message}`);
  for (const f of checked.failures) out.push(`rule failure ${f.rule} ${f.error}`);
  for (const p of checked.configProblems) out.push(`config problem ${p.message}`);
  return out.join('\n');
}

describe('FleetIndex kept up to date edit by edit equals an index built afresh', () => {
  let disk: Map<string, string>;
  let index: FleetIndex;
  const abs = (rel: string) => path.posix.join(ROOT, rel);

  const fresh = () => {
    const copy = new Map(disk);
    const buffers = [...index['buffers'].entries()] as Array<[string, string]>;
    const other = new FleetIndex(ROOT, {}, mutableFileSystem(copy));
    for (const f of copy.keys()) other.diskCreated(f);
    for (const [f, text] of buffers) other.setBuffer(f, text);
    return other;
  };
  const same = (what: string) => {
    const incremental = snapshot(index);
    assert.strictEqual(incremental, snapshot(fresh()), `after ${what}`);
    return incremental;
  };

  // Disk writes, as a file watcher reports them.
  const write = (rel: string, text: string) => {
    const created = !disk.has(abs(rel));
    disk.set(abs(rel), text);
    if (created) index.diskCreated(abs(rel));
    else index.diskChanged(abs(rel));
  };
  const remove = (rel: string) => {
    disk.delete(abs(rel));
    index.diskDeleted(abs(rel));
  };

  beforeEach(() => {
    disk = new Map(Object.entries(initialFleet()).map(([rel, text]) => [abs(rel), text]));
    index = new FleetIndex(ROOT, {}, mutableFileSystem(disk));
    for (const f of disk.keys()) index.diskCreated(f);
  });

  it('follows edits of a child, its parent, the variables, deleted and created files and .fluxenv.yaml', () => {
    const first = same('the first index');
    assert.match(first, /kustomization flux-system\/web/, 'the fleet has the child Kustomization web');
    assert.match(first, /cluster: main/, 'the parent substitution reached the child objects');

    // A child's kustomization.yaml in the editor: a new annotation on everything it renders.
    const webKustomization = abs('apps/default/web/app/kustomization.yaml');
    index.setBuffer(webKustomization, `${disk.get(webKustomization)}commonAnnotations:\n  example.com/edit: one\n`);
    assert.match(same('an annotation in a child'), /example\.com\/edit: one/);

    // The same file lists a resource that does not exist: a diagnostic where it is listed.
    index.setBuffer(webKustomization, `${disk.get(webKustomization)}  - ./missing.yaml\n`);
    assert.match(same('a missing resource in a child'), /diagnostic apps\/default\/web\/app\/kustomization\.yaml:3:/);

    // The editor closes it unsaved: disk is the truth again.
    index.closeBuffer(webKustomization);
    assert.doesNotMatch(same('closing the child unsaved'), /example\.com\/edit|missing\.yaml/);

    // The parent's patches: every child gets the new timeout.
    write('clusters/main/apps.yaml', disk.get(abs('clusters/main/apps.yaml'))!.replace('timeout: 5m', 'timeout: 9m'));
    assert.match(same("the parent's patch"), /"timeout":"9m"/);

    // The ConfigMap the substitution reads.
    write(
      'clusters/main/cluster-settings.yaml',
      disk.get(abs('clusters/main/cluster-settings.yaml'))!.replace('CLUSTER: main', 'CLUSTER: lab'),
    );
    assert.match(same('the substituted variable'), /cluster: lab/);

    // A file deleted on disk, then created again.
    remove('apps/default/web/app/service.yaml');
    assert.doesNotMatch(same('a resource deleted'), /kind: Service/);
    write('apps/default/web/app/service.yaml', initialFleet()['apps/default/web/app/service.yaml']);
    assert.match(same('the resource created again'), /kind: Service/);

    // A new child: its ks.yaml created and listed by its namespace folder.
    write('apps/default/db/app/kustomization.yaml', 'resources:\n  - ./deployment.yaml\n');
    write('apps/default/db/app/deployment.yaml', deployment('db'));
    write('apps/default/db/ks.yaml', app('db'));
    write('apps/default/kustomization.yaml', `${disk.get(abs('apps/default/kustomization.yaml'))}  - ./db/ks.yaml\n`);
    assert.match(same('a new child'), /kustomization flux-system\/db/);

    // A child's Flux Kustomization edited in the editor (the graph's shape): it now depends on a Kustomization that does not exist.
    index.setBuffer(abs('apps/default/api/ks.yaml'), app('api', '  dependsOn:\n    - name: nowhere\n'));
    const withUnknown = same('a dependsOn edit');
    assert.match(withUnknown, /diagnostic apps\/default\/api\/ks\.yaml:\d+:\d+ dependson-unknown/);

    // .fluxenv.yaml turns that rule off.
    write('.fluxenv.yaml', 'rules:\n  dependson-unknown: off\n');
    assert.doesNotMatch(same('.fluxenv.yaml turning a rule off'), /dependson-unknown/);
    write('.fluxenv.yaml', 'rules:\n  dependson-unknown: hint\n');
    assert.match(same('.fluxenv.yaml changing a severity'), /dependson-unknown hint/);

    // A child folder deleted while its ks.yaml stays: the render problem and the diagnostic appear.
    remove('apps/default/db/app/deployment.yaml');
    remove('apps/default/db/app/kustomization.yaml');
    same('a child folder deleted');
  });

  it('gives the same results whatever order the edits of one child and its parent come in', () => {
    const child = abs('apps/default/api/app/kustomization.yaml');
    const parent = abs('clusters/main/apps.yaml');
    const initial = snapshot(fresh());
    for (let i = 0; i < 4; i++) {
      index.setBuffer(child, `resources:\n  - ./deployment.yaml\nnamePrefix: p${i}-\n`);
      same(`child edit ${i}`);
      index.setBuffer(parent, disk.get(parent)!.replace('timeout: 5m', `timeout: ${i + 1}m`));
      same(`parent edit ${i}`);
    }
    // Back to the first texts: the results of the first index, not a cached later one.
    index.setBuffer(child, disk.get(child)!);
    index.setBuffer(parent, disk.get(parent)!);
    assert.strictEqual(snapshot(index), initial);
  });
});
