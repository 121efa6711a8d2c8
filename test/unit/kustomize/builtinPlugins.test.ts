import * as assert from 'assert';
import { memoryFileSystem } from '../../../server/src/kustomize/fs';
import { renderKustomization } from '../../../server/src/kustomize/render';
import type { Problem } from '../../../server/src/kustomize/types';

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n';

function render(files: Record<string, string>) {
  return renderKustomization('/repo', { fs: memoryFileSystem(files), repoRoot: '/repo' });
}

function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

describe('builtin plugin configs (transformers:, generators:, validators:)', () => {
  it('runs an inline LabelTransformer with its own fieldSpecs after the kustomization fields', () => {
    const out = render({
      '/repo/kustomization.yaml': [
        'resources:',
        '- cm.yaml',
        'namePrefix: a-',
        'transformers:',
        '- |-',
        '  apiVersion: builtin',
        '  kind: LabelTransformer',
        '  metadata:',
        '    name: team',
        '  labels:',
        '    team: blue',
        '  fieldSpecs:',
        '  - path: metadata/labels',
        '    create: true',
        '',
      ].join('\n'),
      '/repo/cm.yaml': configMap,
    });
    assert.deepStrictEqual(errorsOf(out.problems), []);
    assert.match(out.yaml!, /labels:\n {4}team: blue\n {2}name: a-settings\n/);
  });

  it('refuses a plugin that is not builtin at its entry, saying only builtin plugins run', () => {
    const out = render({
      '/repo/kustomization.yaml': 'resources:\n- cm.yaml\ntransformers:\n- decrypt.yaml\n',
      '/repo/cm.yaml': configMap,
      '/repo/decrypt.yaml': 'apiVersion: example.com/v1\nkind: SopsDecryptor\nmetadata:\n  name: d\n',
    });
    assert.strictEqual(out.yaml, undefined);
    const [p] = errorsOf(out.problems);
    assert.strictEqual(p.code, 'plugin-not-loaded');
    assert.strictEqual(
      p.message,
      "external plugins disabled; unable to load external plugin 'SopsDecryptor': only builtin plugins (apiVersion: builtin) are run",
    );
    assert.strictEqual(p.file, '/repo/decrypt.yaml');
  });

  it('names the chart and the missing --enable-helm for helmCharts, at the entry', () => {
    const out = render({
      '/repo/kustomization.yaml': 'resources:\n- cm.yaml\nhelmCharts:\n- name: podinfo\n  releaseName: web\n',
      '/repo/cm.yaml': configMap,
    });
    const [p] = errorsOf(out.problems);
    assert.strictEqual(p.code, 'helm-not-enabled');
    assert.match(p.message, /chart 'podinfo': must specify --enable-helm/);
    assert.strictEqual(p.file, '/repo/kustomization.yaml');
    assert.strictEqual(p.range?.start.line, 3);
  });

  it('fails a validator that changes an object, at the validator entry', () => {
    const out = render({
      '/repo/kustomization.yaml': [
        'resources:',
        '- cm.yaml',
        'validators:',
        '- |-',
        '  apiVersion: builtin',
        '  kind: AnnotationsTransformer',
        '  metadata:',
        '    name: not-a-validator',
        '  annotations:',
        '    checked: "true"',
        '  fieldSpecs:',
        '  - path: metadata/annotations',
        '    create: true',
        '',
      ].join('\n'),
      '/repo/cm.yaml': configMap,
    });
    const [p] = errorsOf(out.problems);
    assert.strictEqual(p.code, 'validator-changed-objects');
    assert.strictEqual(p.message, "validator shouldn't modify the resource map: nodes unequal: ConfigMap settings was changed");
    assert.strictEqual(p.range?.start.line, 3);
  });

  it('generates from a ConfigMapGenerator config, ignoring the kustomization generatorOptions', () => {
    const out = render({
      '/repo/kustomization.yaml': 'generatorOptions:\n  disableNameSuffixHash: true\ngenerators:\n- gen.yaml\n',
      '/repo/gen.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: settings\nliterals:\n- a=b\n',
    });
    assert.deepStrictEqual(errorsOf(out.problems), []);
    assert.match(out.yaml!, /name: settings-[a-z0-9]{10}\n/);
  });
});
