import { helmreleaseChart } from '../../../server/src/rules/helmrelease-chart';
import { ruleTester } from '../../ruleTester';
import { chart, oneCluster, release } from './helmReleaseFixtures';

const chartRef = '  chartRef:\n    kind: OCIRepository\n    name: web\n';

ruleTester.run(helmreleaseChart, {
  valid: [
    { name: 'chart only', files: oneCluster({ 'release.yaml': release(chart) }) },
    { name: 'chartRef only', files: oneCluster({ 'release.yaml': release(chartRef) }) },
    {
      // controlplaneio-fluxcd/d2-apps: a component's per-environment values patch, in a repository with no cluster.
      name: 'a file a component uses as a patch (values only) is a patch, not a HelmRelease',
      files: {
        'components/web/production/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: web-values.yaml\n',
        'components/web/production/web-values.yaml': release('  values:\n    replicas: 3\n'),
      },
    },
    {
      // artazar/flux2-general: a patch file whose entry in the overlay is commented out; nothing applies it.
      name: 'a HelmRelease document no cluster applies',
      files: { ...oneCluster({ 'release.yaml': release(chart) }), 'app/unused.patch.yaml': release('  values:\n    replicas: 3\n') },
    },
  ],
  invalid: [
    {
      name: 'both',
      files: oneCluster({ 'release.yaml': release(chart + chartRef) }),
      errors: [
        {
          file: 'app/release.yaml',
          line: 14,
          column: 3,
          message:
            'HelmRelease apps/web sets both spec.chart and spec.chartRef; the API server refuses it ("either chart or chartRef must be set"). Keep one.',
        },
      ],
    },
    {
      name: 'neither',
      files: oneCluster({ 'release.yaml': release('') }),
      errors: [{ file: 'app/release.yaml', line: 6, message: /sets neither spec.chart nor spec.chartRef/ }],
    },
    {
      name: 'a patch of the applying overlay adds chartRef to a base with chart',
      files: {
        ...oneCluster({ 'release.yaml': release(chart) }, 'resources:\n- release.yaml\npatches:\n- path: patch.yaml\n'),
        'app/patch.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: web\n',
      },
      errors: [{ file: 'app/release.yaml', line: 8, message: /sets both spec.chart and spec.chartRef/ }],
    },
  ],
});
