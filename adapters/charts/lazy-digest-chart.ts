import type { ChartRenderer, DigestChartData } from '../../src/core/ports/charts.ts';

/**
 * The digest chart renderer, loaded on the first chart: ECharts and resvg add 40–70 MB to the resident memory of a
 * server that may never draw one (measured with bench/run.ts).
 */
export function lazyDigestChartRenderer(): ChartRenderer {
  let renderer: Promise<ChartRenderer> | undefined;
  return {
    async renderPng(data: DigestChartData): Promise<Uint8Array> {
      renderer ??= import('./digest-chart.ts').then((m) => m.createDigestChartRenderer());
      renderer.catch(() => {
        renderer = undefined; // a failed load is tried again on the next chart
      });
      return (await renderer).renderPng(data);
    },
  };
}
