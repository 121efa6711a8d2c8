import { valuesFromInvalid } from '../../../server/src/rules/values-from-invalid';
import { ruleTester } from '../../ruleTester';
import { chart, configMap, oneCluster, release } from './helmReleaseFixtures';

const valuesFrom = (entry: string) => `${chart}  valuesFrom:\n${entry}`;

ruleTester.run(valuesFromInvalid, {
  valid: [
    {
      name: 'a key that holds a values map',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: v\n    valuesKey: prod.yaml\n')),
        'cm.yaml': configMap('v', '  prod.yaml: "replicas: 3"\n'),
      }),
    },
    {
      name: 'a missing key on an optional entry, and a missing object (values-from-missing says so)',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: v\n    optional: true\n  - kind: ConfigMap\n    name: gone\n')),
        'cm.yaml': configMap('v', '  other: "x"\n'),
      }),
    },
    {
      name: 'a comma in a literal targetPath value',
      files: oneCluster({
        'release.yaml': release(
          valuesFrom('  - kind: ConfigMap\n    name: v\n    valuesKey: brokers\n    targetPath: kafka.brokers\n    literal: true\n'),
        ),
        'cm.yaml': configMap('v', '  brokers: "a:9092,b:9092"\n'),
      }),
    },
  ],
  invalid: [
    {
      name: 'a valuesKey the ConfigMap does not hold',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: v\n    valuesKey: prod.yml\n')),
        'cm.yaml': configMap('v', '  prod.yaml: "replicas: 3"\n  staging.yaml: "replicas: 1"\n'),
      }),
      errors: [
        {
          file: 'app/release.yaml',
          line: 17,
          column: 16,
          severity: 'error',
          message:
            'HelmRelease apps/web: ConfigMap "v" has no key "prod.yml" in environment dev, so helm-controller fails the release. It holds "prod.yaml", "staging.yaml"; set valuesKey to one of them.',
        },
      ],
    },
    {
      name: 'a targetPath helm cannot parse',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: v\n    valuesKey: n\n    targetPath: replicas[x]\n')),
        'cm.yaml': configMap('v', '  n: "3"\n'),
      }),
      errors: [
        {
          file: 'app/release.yaml',
          line: 18,
          message:
            'HelmRelease apps/web: targetPath "replicas[x]" is not a path helm can set (error parsing index: strconv.Atoi: parsing "x": invalid syntax). Write it as --set does: a.b[0].c, with \\ before a literal dot or comma.',
        },
      ],
    },
    {
      name: 'a comma in a targetPath value without literal',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: v\n    valuesKey: brokers\n    targetPath: kafka.brokers\n')),
        'cm.yaml': configMap('v', '  brokers: "a:9092,b:9092"\n'),
      }),
      errors: [{ file: 'app/release.yaml', line: 18, message: [/failed to merge value: key "b:9092" has no value/, /Set literal: true/] }],
    },
    {
      name: 'values text that is a list',
      files: oneCluster({
        'release.yaml': release(valuesFrom('  - kind: ConfigMap\n    name: v\n')),
        'cm.yaml': configMap('v', '  values.yaml: "- a\\n- b"\n'),
      }),
      errors: [{ file: 'app/release.yaml', line: 16, message: [/failed to read values data/, /must hold a YAML map/] }],
    },
  ],
});
