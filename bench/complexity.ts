// bench/complexity: how long the inputs that would expose quadratic (or worse) work take. The unit tests
// hold what these inputs must give (a limit problem, a cycle, the right order); the time is measured here,
// printed, never asserted: a busy machine must not fail a test.
// Usage: npm run bench:complexity
import { buildDependsOnGraph, dependsOnPath, transitiveDependencies } from '../server/src/flux/dependsOn';
import { readFluxObject, type FluxKustomization } from '../server/src/flux/objects';
import { FleetIndex } from '../server/src/fleet/fleetIndex';
import { memoryFileSystem } from '../server/src/kustomize/fs';
import { makeResource } from '../server/src/kustomize/resource';
import { compileSelector, selectorMatches } from '../server/src/kustomize/select';
import type { JsonObject } from '../server/src/kustomize/types';
import { emitYaml } from '../server/src/kustomize/yaml/emit';
import { parseYamlFile } from '../server/src/kustomize/yaml/parse';
import { dependsonCycle } from '../server/src/rules/dependson-cycle';
import { runRules } from '../server/src/rules/run';

function measure(what: string, action: () => unknown): void {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  action();
  const cpuMs = process.cpuUsage(cpu).user / 1000;
  const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  console.log(`${what.padEnd(60)} ${wallMs.toFixed(0).padStart(7)} ms wall ${cpuMs.toFixed(0).padStart(7)} ms CPU`);
}

function fluxKs(name: string, dependsOn: string[]): FluxKustomization {
  const object = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: {
      interval: '10m',
      prune: true,
      path: './shared',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      dependsOn: dependsOn.map((d) => ({ name: d })),
    },
  };
  return readFluxObject(object, { file: `/repo/${name}.yaml`, documentIndex: 0 }).value as FluxKustomization;
}

// flux/dependsOn (test/unit/flux/dependsOn.test.ts)
const chain = Array.from({ length: 2000 }, (_, i) =>
  fluxKs(`k${String(i).padStart(4, '0')}`, i > 0 ? [`k${String(i - 1).padStart(4, '0')}`] : []),
);
measure('dependsOn graph: a 2,000-node chain, path and closure', () => {
  const g = buildDependsOnGraph(chain);
  dependsOnPath(g, 'flux-system/k1999', 'flux-system/k0000');
  transitiveDependencies(g, 'flux-system/k1999');
});
const ring = Array.from({ length: 500 }, (_, i) =>
  fluxKs(`r${String(i).padStart(3, '0')}`, [`r${String((i + 1) % 500).padStart(3, '0')}`]),
);
measure('dependsOn graph: a 500-member cycle', () => buildDependsOnGraph(ring));

// rules/dependson-cycle (test/unit/rules/dependson-cycle.test.ts), on a fleet held in memory.
{
  const root = '/bench/repo';
  const files: Record<string, string> = {
    [`${root}/shared/kustomization.yaml`]: 'resources:\n- cm.yaml\n',
    [`${root}/shared/cm.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n',
  };
  for (let k = 0; k < 500; k++) {
    files[`${root}/clusters/prod/ks-${k}.yaml`] =
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ks-${k}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./shared\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  dependsOn:\n  - name: ks-${(k + 1) % 500}\n`;
  }
  const index = new FleetIndex(root, {}, memoryFileSystem(files));
  for (const [file, text] of Object.entries(files)) index.setBuffer(file, text);
  index.renderEnvironment(index.environments().environments[0]);
  measure('rule dependson-cycle: a 500-member ring (environment rendered)', () => runRules(index, { rules: [dependsonCycle] }));
}

// kustomize/select (test/unit/kustomize/select.test.ts)
measure('selector: nested repetition refused, matched against 60 a', () => {
  compileSelector({ name: '(a+)+b' });
  selectorMatches(
    { name: '(a+)+b' },
    makeResource({ kind: 'ConfigMap', metadata: { name: 'a'.repeat(60) } }, { file: '/x', documentIndex: 0 }),
  );
});

// kustomize/yaml (test/unit/kustomize/yaml-emit.test.ts, yaml-parse.test.ts)
{
  const big: JsonObject = {};
  for (let i = 0; i < 20000; i++) big[`key-${i}`] = { name: `value ${i} with some words`, list: [i, `x${i}`, { deep: 'y' }] };
  measure('yaml emit: a 1 MB document', () => {
    const text = emitYaml(big);
    if (text.length <= 1_000_000) throw new Error(`the document printed only ${text.length} bytes`);
  });
}
{
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  measure('yaml parse: a billion-laughs alias bomb', () => parseYamlFile('bomb.yaml', lines.join('\n') + '\n'));
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
  measure('yaml parse: 10,000 documents', () => parseYamlFile('many.yaml', Array(10000).fill(doc).join('---\n')));
  let block = '';
  for (let i = 0; i < 600; i++) block += ' '.repeat(i) + `k${i}:\n`;
  measure('yaml parse: 600 levels of block nesting', () => parseYamlFile('deep.yaml', block));
  measure('yaml parse: 50,000 levels of flow nesting', () =>
    parseYamlFile('flow.yaml', 'a: ' + '['.repeat(50000) + ']'.repeat(50000) + '\n'),
  );
  const deployment = (i: number): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  annotations:\n    note: "x ${i}"\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.${i}\n        args: [--a, --b=2, "x"]\n`;
  const docs: string[] = [];
  for (let i = 0, size = 0; size < 1_000_000; i++) {
    docs.push(deployment(i));
    size += docs[docs.length - 1].length + 4;
  }
  measure('yaml parse: a 1 MB file of Deployments', () => {
    const parsed = parseYamlFile('big.yaml', docs.join('---\n'));
    if (parsed.problems.length > 0) throw new Error(`the 1 MB file has problems: ${parsed.problems[0].message}`);
  });
}
