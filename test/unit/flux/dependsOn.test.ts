import { strict as assert } from 'node:assert';
import { buildDependsOnGraph, dependsOnGraphOf, dependsOnPath, transitiveDependencies } from '../../../server/src/flux/dependsOn';
import { readFluxObject, type FluxKustomization } from '../../../server/src/flux/objects';
import { editDistance, nearestNames } from '../../../server/src/util/editDistance';

function ks(
  name: string,
  dependsOn: Array<string | { name: string; namespace: string }> = [],
  namespace = 'flux-system',
): FluxKustomization {
  const object = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace },
    spec: {
      interval: '10m',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      dependsOn: dependsOn.map((d) => (typeof d === 'string' ? { name: d } : d)),
    },
  };
  return readFluxObject(object, { file: `/repo/clusters/prod/${name}.yaml`, documentIndex: 0 }).value as FluxKustomization;
}

/** A bare Kustomization view for big graphs: only what the graph reads. */
function bare(name: string, dependsOn: string[]): FluxKustomization {
  return {
    name,
    namespace: 'flux-system',
    place: { file: `/repo/${name}.yaml`, documentIndex: 0 },
    dependsOn: dependsOn.map((d, i) => ({ name: d, namespace: 'flux-system', namespaceWritten: false, path: ['spec', 'dependsOn', i] })),
  } as unknown as FluxKustomization;
}

describe('flux/dependsOn', () => {
  it('orders the docs example: cert-manager before certs', () => {
    const g = buildDependsOnGraph([ks('certs', ['cert-manager']), ks('cert-manager')]);
    assert.deepEqual(g.problems, []);
    assert.deepEqual(g.order, ['flux-system/cert-manager', 'flux-system/certs']);
    assert.deepEqual(dependsOnPath(g, 'flux-system/certs', 'flux-system/cert-manager'), ['flux-system/certs', 'flux-system/cert-manager']);
    assert.equal(dependsOnPath(g, 'flux-system/cert-manager', 'flux-system/certs'), undefined);
  });

  it('gives a stable order, by name among Kustomizations that are ready together', () => {
    const g = buildDependsOnGraph([
      ks('apps', ['infra-controllers']),
      ks('zeta'),
      ks('infra-configs', ['infra-controllers']),
      ks('infra-controllers'),
      ks('alpha'),
    ]);
    assert.deepEqual(g.order, [
      'flux-system/alpha',
      'flux-system/infra-controllers',
      'flux-system/apps',
      'flux-system/infra-configs',
      'flux-system/zeta',
    ]);
  });

  it('reports an unknown target with the nearest name', () => {
    const g = buildDependsOnGraph([ks('apps', ['infrastucture']), ks('infrastructure')]);
    assert.equal(g.unknown.length, 1);
    assert.deepEqual(g.unknown[0].suggestions, ['flux-system/infrastructure']);
    assert.equal(g.problems[0].code, 'flux-depends-on-unknown');
    assert.equal(g.problems[0].file, '/repo/clusters/prod/apps.yaml');
    assert.match(
      g.problems[0].message,
      /dependsOn "infrastucture" names no Kustomization in namespace "flux-system" \(the namespace of "apps", since the entry names none\).*Did you mean "infrastructure"\?/,
    );
  });

  it('suggests the namespace when the name exists elsewhere (dependsOn namespace defaults to the referrer’s)', () => {
    const g = buildDependsOnGraph([ks('apps', ['infra']), ks('infra', [], 'infra-system')]);
    assert.match(g.problems[0].message, /Did you mean the one in namespace "infra-system"\? Add namespace: infra-system\./);
    const fixed = buildDependsOnGraph([ks('apps', [{ name: 'infra', namespace: 'infra-system' }]), ks('infra', [], 'infra-system')]);
    assert.deepEqual(fixed.problems, []);
  });

  it('finds every cycle, including self-dependencies, and reports each edge in it', () => {
    const g = buildDependsOnGraph([ks('a', ['b']), ks('b', ['c']), ks('c', ['a']), ks('d', ['d']), ks('e', ['a'])]);
    assert.deepEqual(g.cycles, [['flux-system/a', 'flux-system/b', 'flux-system/c'], ['flux-system/d']]);
    const cycleProblems = g.problems.filter((p) => p.code === 'flux-depends-on-cycle');
    assert.equal(cycleProblems.length, 4);
    assert.match(cycleProblems[0].message, /flux-system\/a -> flux-system\/b -> flux-system\/c -> flux-system\/a/);
    assert.ok(g.order.indexOf('flux-system/e') > g.order.indexOf('flux-system/c'), 'dependents of a cycle still come after it');
  });

  it('reports a duplicate definition', () => {
    const g = buildDependsOnGraph([ks('a'), ks('a')]);
    assert.equal(g.problems[0].code, 'flux-duplicate-kustomization');
  });

  // How fast: bench/complexity.ts (npm run bench:complexity).
  it('handles a 2,000-node chain and a 500-member cycle without recursion', () => {
    const chain = Array.from({ length: 2000 }, (_, i) =>
      bare(`k${String(i).padStart(4, '0')}`, i > 0 ? [`k${String(i - 1).padStart(4, '0')}`] : []),
    );
    const g = buildDependsOnGraph(chain);
    assert.equal(g.order.length, 2000);
    assert.equal(g.order[0], 'flux-system/k0000');
    assert.equal(dependsOnPath(g, 'flux-system/k1999', 'flux-system/k0000')!.length, 2000);
    assert.equal(transitiveDependencies(g, 'flux-system/k1999').size, 1999);

    const ring = Array.from({ length: 500 }, (_, i) =>
      bare(`r${String(i).padStart(3, '0')}`, [`r${String((i + 1) % 500).padStart(3, '0')}`]),
    );
    const c = buildDependsOnGraph(ring);
    assert.equal(c.cycles.length, 1);
    assert.equal(c.cycles[0].length, 500);
    assert.equal(c.problems.length, 500);
    assert.match(c.problems[0].message, /… 494 more/);
    assert.equal(c.order.length, 500);
  });

  it('edit distance: bounded and case-aware suggestions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('a'.repeat(1000), 'b'.repeat(1000), 2), 3);
    assert.deepEqual(nearestNames('Apps', ['apps', 'app', 'infra']), ['apps']);
    assert.deepEqual(nearestNames('infrastucture', ['infrastructure', 'infra', 'apps']), ['infrastructure']);
    assert.deepEqual(nearestNames('zzz', ['apps']), []);
  });
});

describe('dependsOnGraphOf', () => {
  it('reuses the graph of the same objects, and builds again when one of them is another object', () => {
    const apps = ks('apps', ['infra']);
    const infra = ks('infra');
    const first = dependsOnGraphOf([apps, infra]);
    assert.equal(dependsOnGraphOf([apps, infra]), first, 'the same objects in the same order: the same graph');
    assert.deepEqual(first.order, ['flux-system/infra', 'flux-system/apps']);
    // An edit gives a Kustomization a new object: its new dependsOn must show.
    const edited = dependsOnGraphOf([ks('apps', ['missing']), infra]);
    assert.notEqual(edited, first);
    assert.deepEqual(
      edited.unknown.map((u) => u.ref.name),
      ['missing'],
    );
    assert.deepEqual(dependsOnGraphOf([infra, apps]).order, first.order, 'another order is another list, with the same answer');
  });
});
