// The rendered diff of two revisions of a fleet, each held in memory: what each environment gets.
import * as assert from 'assert';
import { diffRenderedFleets, type RenderedDiff } from '../../../server/src/features/renderedDiff';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { BuildCache } from '../../../server/src/kustomize/buildCache';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { FLEET_FILES, fluxKustomization } from '../../renderedDiffFleet';

const ROOT = '/fleet';

function fleet(files: Record<string, string>, cache: BuildCache): FleetIndex {
  const absolute = Object.fromEntries(Object.entries(files).map(([rel, text]) => [`${ROOT}/${rel}`, text]));
  const index = new FleetIndex(ROOT, {}, memoryFileSystem(absolute), { buildCache: cache, scanBase: true });
  index.scan();
  return index;
}

function diff(before: Record<string, string>, after: Record<string, string>, environments?: string[]): RenderedDiff {
  const cache = new BuildCache();
  return diffRenderedFleets(
    { index: fleet(before, cache), label: 'base' },
    { index: fleet(after, cache), label: 'head' },
    { environments },
  );
}

/** `env: kustomization: change kind namespace/name` lines, the shape a reviewer reads. */
function summary(d: RenderedDiff): string[] {
  const out: string[] = [];
  for (const env of d.environments)
    for (const k of env.kustomizations)
      for (const o of k.objects)
        out.push(
          `${env.name}: ${k.namespace}/${k.name}: ${o.change} ${o.kind} ${o.namespace}/${o.name}${o.movedFrom ? ` from ${o.movedFrom}` : ''}`,
        );
  return out;
}

describe('rendered diff between two revisions', () => {
  it('finds no change between equal revisions', () => {
    const d = diff(FLEET_FILES, FLEET_FILES);
    assert.deepStrictEqual(
      d.environments.map((e) => e.name),
      ['staging', 'production'],
    );
    assert.deepStrictEqual(summary(d), []);
  });

  it('a base change reaches every environment, with the diff of the rendered YAML', () => {
    const after = { ...FLEET_FILES, 'apps/base/deployment.yaml': FLEET_FILES['apps/base/deployment.yaml'].replace('128Mi', '256Mi') };
    const d = diff(FLEET_FILES, after);
    assert.deepStrictEqual(summary(d), [
      'staging: flux-system/apps: changed Deployment staging/web',
      'production: flux-system/apps: changed Deployment production/web',
    ]);
    const object = d.environments[0].kustomizations[0].objects[0];
    assert.strictEqual(object.apiVersion, 'apps/v1');
    assert.match(object.diff, /^-\s+memory: 128Mi\n\+\s+memory: 256Mi$/m);
    assert.deepStrictEqual(d.environments[0].counts, { added: 0, changed: 1, removed: 0, moved: 0 });
  });

  it('an overlay change reaches its environment only', () => {
    const after = {
      ...FLEET_FILES,
      'apps/staging/kustomization.yaml': FLEET_FILES['apps/staging/kustomization.yaml'].replace('1.1.0', '1.2.0'),
    };
    const d = diff(FLEET_FILES, after);
    assert.deepStrictEqual(summary(d), ['staging: flux-system/apps: changed Deployment staging/web']);
    assert.match(
      d.environments[0].kustomizations[0].objects[0].diff,
      /^-\s+- image: ghcr.io\/example\/web:1.1.0\n\+\s+- image: ghcr.io\/example\/web:1.2.0$/m,
    );
  });

  it('a deleted overlay file removes its objects, shown whole', () => {
    const after: Record<string, string> = {
      ...FLEET_FILES,
      'apps/production/kustomization.yaml': 'namespace: production\nresources:\n- ../base\n',
    };
    delete after['apps/production/config.yaml'];
    const d = diff(FLEET_FILES, after);
    assert.deepStrictEqual(summary(d), ['production: flux-system/apps: removed ConfigMap production/web-config']);
    assert.match(d.environments[1].kustomizations[0].objects[0].diff, /^- {2}level: info$/m);
  });

  it('an object another Kustomization applies is a move, not a removal and an addition', () => {
    const after = {
      ...FLEET_FILES,
      'apps/production/kustomization.yaml': 'namespace: production\nresources:\n- ../base\n',
      'infrastructure/production/kustomization.yaml': 'resources:\n- ../base\n- ../../apps/production/config.yaml\n',
    };
    const d = diff(FLEET_FILES, after);
    // The namespace came from the apps overlay: in infrastructure it has none, so the object differs too.
    assert.deepStrictEqual(summary(d), [
      'production: flux-system/apps: removed ConfigMap production/web-config',
      'production: flux-system/infrastructure: added ConfigMap /web-config',
    ]);
    const sameNamespace = {
      ...after,
      'infrastructure/production/kustomization.yaml': 'resources:\n- ../base\n- config.yaml\n',
      'infrastructure/production/config.yaml': FLEET_FILES['apps/production/config.yaml'].replace(
        '  name: web-config\n',
        '  name: web-config\n  namespace: production\n',
      ),
    };
    assert.deepStrictEqual(summary(diff(FLEET_FILES, sameNamespace)), [
      'production: flux-system/infrastructure: moved ConfigMap production/web-config from flux-system/apps',
    ]);
  });

  it('a renamed Kustomization shows its objects moved to the new name', () => {
    const after = { ...FLEET_FILES, 'clusters/staging/apps.yaml': fluxKustomization('applications', './apps/staging') };
    const d = diff(FLEET_FILES, after);
    // The Flux object itself is another object (a new name); what it applies moves with it.
    assert.deepStrictEqual(summary(d), [
      'staging: flux-system/applications: moved Deployment staging/web from flux-system/apps',
      'staging: flux-system/applications: moved Secret staging/web-token from flux-system/apps',
      'staging: flux-system/flux-system: added Kustomization flux-system/applications',
      'staging: flux-system/flux-system: removed Kustomization flux-system/apps',
    ]);
    assert.strictEqual(d.environments[0].kustomizations[0].objects[0].diff, '');
  });

  it('a Secret change counts as changed with its values masked and the changed keys named', () => {
    const after = { ...FLEET_FILES, 'apps/base/secret.yaml': FLEET_FILES['apps/base/secret.yaml'].replace('hunter2-base', 'hunter3-new') };
    const d = diff(FLEET_FILES, after, ['staging']);
    assert.deepStrictEqual(summary(d), ['staging: flux-system/apps: changed Secret staging/web-token']);
    const text = JSON.stringify(d);
    assert.ok(!text.includes('hunter'), `a Secret value was shown: ${text}`);
    assert.strictEqual(d.environments[0].kustomizations[0].objects[0].diff, '# masked values changed: stringData.token\n');
  });

  it('a render error on one side is reported under its Kustomization and the rest is still compared', () => {
    const after = {
      ...FLEET_FILES,
      'apps/staging/kustomization.yaml': 'namespace: staging\nresources:\n- ../base\n- missing.yaml\n',
      'apps/base/deployment.yaml': FLEET_FILES['apps/base/deployment.yaml'].replace('128Mi', '256Mi'),
    };
    const d = diff(FLEET_FILES, after);
    const staging = d.environments[0];
    const apps = staging.kustomizations.find((k) => k.name === 'apps');
    assert.ok(
      apps?.errors?.head?.some((m) => m.startsWith('apps/staging/kustomization.yaml: ') && m.includes('missing.yaml')),
      JSON.stringify(apps),
    );
    assert.strictEqual(apps?.errors?.base, undefined);
    assert.deepStrictEqual(
      summary(d).filter((l) => l.startsWith('production')),
      ['production: flux-system/apps: changed Deployment production/web'],
    );
  });

  it("a change of a Kustomization's postBuild variable reaches the objects it substitutes into, in that cluster only", () => {
    const withVariable = (level: string) => ({
      ...FLEET_FILES,
      'apps/production/config.yaml': FLEET_FILES['apps/production/config.yaml'].replace('level: info', 'level: ${LOG_LEVEL}'),
      'clusters/production/apps.yaml':
        fluxKustomization('apps', './apps/production') + `  postBuild:\n    substitute:\n      LOG_LEVEL: ${level}\n`,
    });
    const d = diff(withVariable('info'), withVariable('debug'));
    // Kustomizations in the environment's dependsOn order (as the render applies them).
    assert.deepStrictEqual(summary(d), [
      'production: flux-system/apps: changed ConfigMap production/web-config',
      'production: flux-system/flux-system: changed Kustomization flux-system/apps',
    ]);
    assert.match(d.environments[1].kustomizations[0].objects[0].diff, /^- {2}level: info\n\+ {2}level: debug$/m);
  });

  it('an environment only one side has is listed as such', () => {
    const after = {
      ...FLEET_FILES,
      ...Object.fromEntries(
        Object.entries(FLEET_FILES)
          .filter(([f]) => f.startsWith('clusters/staging/'))
          .map(([f, t]) => [f.replace('staging', 'qa'), t.replace('./clusters/staging', './clusters/qa')]),
      ),
    };
    const d = diff(FLEET_FILES, after);
    const qa = d.environments.find((e) => e.name === 'qa');
    assert.strictEqual(qa?.onlyIn, 'head');
    assert.ok((qa?.counts.added ?? 0) > 0);
  });
});
