import { valuesFromMissing } from '../../../server/src/rules/values-from-missing';
import { ruleTester } from '../../ruleTester';
import { chart, configMap, fluxKustomization, oneCluster, release } from './helmReleaseFixtures';

const valuesFrom = (entry: string) => `${chart}  valuesFrom:\n${entry}`;

ruleTester.run(valuesFromMissing, {
  valid: [
    {
      name: 'the ConfigMap is a manifest of the environment',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: web-values\n')),
        'cm.yaml': configMap('web-values', '  values.yaml: "a: 1"\n'),
      }),
    },
    {
      name: 'the entry is optional',
      files: oneCluster({ 'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: gone\n    optional: true\n')) }),
    },
    {
      name: 'an ExternalSecret makes the Secret (spec.target.name)',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: Secret\n    name: web-creds\n')),
        'es.yaml':
          'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: creds\n  namespace: apps\nspec:\n  target:\n    name: web-creds\n',
      }),
    },
    {
      name: 'a SealedSecret makes the Secret',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: Secret\n    name: web-creds\n')),
        'sealed.yaml': 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: web-creds\n  namespace: apps\nspec: {}\n',
      }),
    },
    {
      name: 'a generated ConfigMap whose hash suffix the reference follows (configurations: nameReference)',
      files: oneCluster(
        {
          'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: web-values\n')),
          'values.yaml': 'replicas: 2\n',
          'kustomizeconfig.yaml':
            'nameReference:\n- kind: ConfigMap\n  version: v1\n  fieldSpecs:\n  - path: spec/valuesFrom/name\n    kind: HelmRelease\n',
        },
        'namespace: apps\nresources:\n- release.yaml\nconfigurations:\n- kustomizeconfig.yaml\nconfigMapGenerator:\n- name: web-values\n  files:\n  - values.yaml\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'a ConfigMap nothing makes',
      files: oneCluster({ 'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: web-values\n')) }),
      errors: [
        {
          file: 'app/release.yaml',
          line: 16,
          column: 11,
          severity: 'warning',
          message:
            'HelmRelease apps/web: valuesFrom ConfigMap "web-values" in namespace "apps" is made by nothing in environment dev. helm-controller fails the release unless it is created outside git. Add it, fix the name, or mark the entry optional: true.',
        },
      ],
      output: null,
    },
    {
      name: 'a generated ConfigMap whose hash suffix the reference does not follow',
      files: oneCluster(
        { 'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: web-values\n')), 'values.yaml': 'replicas: 2\n' },
        'namespace: apps\nresources:\n- release.yaml\nconfigMapGenerator:\n- name: web-values\n  files:\n  - values.yaml\n',
      ),
      errors: [
        {
          file: 'app/release.yaml',
          line: 16,
          message: [
            /kustomize generates it as "web-values-[a-z0-9]{10}" \(with a hash suffix\)/,
            /add a nameReference for HelmRelease spec\/valuesFrom\/name/,
          ],
        },
      ],
    },
    {
      name: 'a base release missing its ConfigMap in two environments: one finding naming both',
      files: {
        'clusters/dev/app.yaml': fluxKustomization('./dev'),
        'clusters/prod/app.yaml': fluxKustomization('./prod'),
        'base/kustomization.yaml': 'resources:\n- release.yaml\n',
        'base/release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: web-values\n')),
        'dev/kustomization.yaml': 'resources:\n- ../base\n',
        'prod/kustomization.yaml': 'resources:\n- ../base\n',
      },
      errors: [{ file: 'base/release.yaml', line: 16, message: /is made by nothing in environments dev, prod\./ }],
    },
  ],
});
