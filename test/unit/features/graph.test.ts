import { strict as assert } from 'assert';
import { dependencyGraph } from '../../../server/src/features/graph';
import { runRules } from '../../../server/src/rules/run';
import { makeFeatureFleet, type FeatureFleet } from './harness';

const kustomization = (name: string, path: string, dependsOn: string[] = []) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${dependsOn.length > 0 ? `  dependsOn:\n${dependsOn.map((d) => `    - name: ${d}\n`).join('')}` : ''}`;

describe('features/graph', () => {
  let fleet: FeatureFleet;
  before(
    () =>
      (fleet = makeFeatureFleet({
        'clusters/dev/source.yaml':
          'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/fleet\n  ref:\n    tag: v1.0.0\n',
        'clusters/dev/infrastructure.yaml': kustomization('infrastructure', './infra'),
        'clusters/dev/apps.yaml': kustomization('apps', './apps'),
        'clusters/dev/ring.yaml': `${kustomization('ring-a', './apps', ['ring-b'])}---\n${kustomization('ring-b', './apps', ['ring-a'])}`,
        'clusters/dev/lonely.yaml': kustomization('lonely', './apps', ['ghost', 'infrastructure']),
        'infra/kustomization.yaml': 'resources:\n  - namespace.yaml\n',
        'infra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
        'apps/kustomization.yaml': 'resources:\n  - config.yaml\n',
        'apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: web\n',
      })),
  );
  after(() => fleet.dispose());

  const edge = (edges: ReturnType<typeof dependencyGraph>['edges'], from: string, to: string) =>
    edges.find((e) => e.from === `flux-system/${from}` && e.to === `flux-system/${to}`);

  it('draws every Kustomization of the environment with its declared edges', () => {
    const graph = dependencyGraph(fleet.index, { environment: 'dev' });
    assert.deepEqual(
      graph.nodes
        .filter((n) => !n.unknown)
        .map((n) => n.name)
        .sort(),
      ['apps', 'infrastructure', 'lonely', 'ring-a', 'ring-b'],
    );
    const apps = graph.nodes.find((n) => n.name === 'apps')!;
    assert.equal(apps.location.uri, fleet.uri('clusters/dev/apps.yaml'));
    assert.deepEqual(apps.location.range.start, fleet.at('clusters/dev/apps.yaml', 'apps'));
    assert.equal(edge(graph.edges, 'lonely', 'infrastructure')?.kind, 'declared');
  });

  it('marks a cycle: its members and the edges between them', () => {
    const graph = dependencyGraph(fleet.index, { environment: 'dev' });
    assert.deepEqual(
      graph.nodes
        .filter((n) => n.inCycle)
        .map((n) => n.name)
        .sort(),
      ['ring-a', 'ring-b'],
    );
    assert.equal(edge(graph.edges, 'ring-a', 'ring-b')?.inCycle, true);
    assert.equal(edge(graph.edges, 'ring-b', 'ring-a')?.inCycle, true);
    assert.equal(edge(graph.edges, 'lonely', 'infrastructure')?.inCycle, undefined);
  });

  it('shows a dependsOn naming nothing as an unknown node at the entry', () => {
    const graph = dependencyGraph(fleet.index, { environment: 'dev' });
    const ghost = graph.nodes.find((n) => n.name === 'ghost');
    assert.equal(ghost?.unknown, true);
    assert.deepEqual(ghost?.location.range.start, fleet.at('clusters/dev/lonely.yaml', 'ghost'));
    assert.equal(edge(graph.edges, 'lonely', 'ghost')?.kind, 'unknown');
  });

  it('adds a missing edge where dependson-missing says a dependsOn should exist', () => {
    const diagnostics = runRules(fleet.index).diagnostics;
    const graph = dependencyGraph(fleet.index, { environment: 'dev', diagnostics });
    const missing = edge(graph.edges, 'apps', 'infrastructure');
    assert.equal(missing?.kind, 'missing');
    assert.match(missing?.message ?? '', /needs "infrastructure"/);
    // Without diagnostics given, the rule is run for the graph.
    assert.equal(edge(dependencyGraph(fleet.index, { environment: 'dev' }).edges, 'apps', 'infrastructure')?.kind, 'missing');
    // A Kustomization that already depends on it gets no missing edge.
    assert.equal(graph.edges.filter((e) => e.from === 'flux-system/lonely' && e.kind === 'missing').length, 0);
  });

  it('gives an empty graph for an unknown environment', () => {
    assert.deepEqual(dependencyGraph(fleet.index, { environment: 'nope' }), { nodes: [], edges: [] });
  });
});
