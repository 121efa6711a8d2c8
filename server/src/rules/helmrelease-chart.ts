// A HelmRelease must say where its chart comes from in exactly one way: `spec.chart` (a chart template) or
// `spec.chartRef` (an OCIRepository or HelmChart). The API server refuses one with both or neither
// (helm-controller api/v2/helmrelease_types.go: "either chart or chartRef must be set"), so the apply of the
// whole Kustomization fails. The kinds either may name are sourceref-unknown's business.
import { fluxObjectsAsApplied } from './support/asApplied';
import { rangeIn } from './support/fluxClusters';
import type { Finding, Rule } from './rule';

export const helmreleaseChart: Rule = {
  id: 'helmrelease-chart',
  severity: 'error',
  category: 'flux',
  description: 'HelmRelease with both spec.chart and spec.chartRef, or neither.',
  check({ index }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const applied of fluxObjectsAsApplied(index)) {
      const o = applied.object;
      if (o.kind !== 'HelmRelease') continue;
      const hasChart = o.chart !== undefined;
      const hasRef = o.chartRef !== undefined;
      // Nothing applies it (the fleet's clusters are known): the API server never sees it.
      if (hasChart !== hasRef || applied.appliedByNoCluster) continue;
      const key = `${applied.file}#${applied.documentIndex}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const keyRange = (...path: string[]) => rangeIn(index, o.place, path, true);
      // A patch may have added one of the two: then the other, or spec, is what the file shows.
      const range = (hasChart ? (keyRange('spec', 'chartRef') ?? keyRange('spec', 'chart')) : keyRange('spec')) ?? o.place.range;
      if (!range) continue;
      findings.push({
        file: applied.file,
        range,
        message: hasChart
          ? `HelmRelease ${o.namespace}/${o.name} sets both spec.chart and spec.chartRef; the API server refuses it ("either chart or chartRef must be set"). Keep one.`
          : `HelmRelease ${o.namespace}/${o.name} sets neither spec.chart nor spec.chartRef; the API server refuses it ("either chart or chartRef must be set"). Add spec.chart.spec (chart, sourceRef) or spec.chartRef (an OCIRepository or HelmChart).`,
      });
    }
    return findings;
  },
};
