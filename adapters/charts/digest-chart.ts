import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartRenderer, DigestChartData } from '../../src/core/ports/charts.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

/** The family name inside the shipped OTF (Noto Sans CJK SC, GB2312 subset, with Latin and digits). */
const FONT_FAMILY = 'Noto Sans S Chinese';
const COLORS = ['#2f6fde', '#18a058', '#f0a020', '#d03050', '#7c5cd6', '#0e9aa7'];
const TEXT = '#1f2329';
const MUTED = '#646a73';

let loaded: Promise<Uint8Array[]> | undefined;

/**
 * Starts resvg's wasm and reads the CJK fonts, once per process. The wasm build rather than the native one: it takes
 * fonts as in-memory buffers, where the native build re-reads the 8 MB font file for every text element (~7× slower).
 */
function loadRasteriser(): Promise<Uint8Array[]> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    // The font package's `exports` hide its folder, so go via its entry point.
    const fonts = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    const [wasm, regular, bold] = await Promise.all([
      readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
      readFile(join(fonts, 'NotoSansHans-Regular.otf')),
      readFile(join(fonts, 'NotoSansHans-Bold.otf')),
    ]);
    await initWasm(wasm);
    return [regular, bold];
  })();
  loaded.catch(() => {
    loaded = undefined; // a failed start is tried again on the next render
  });
  return loaded;
}

function chartOption(data: DigestChartData, width: number, height: number): echarts.EChartsCoreOption {
  const funnelTop = 92;
  const funnelHeight = Math.round((height - 150) * 0.42);
  const trendTitleTop = funnelTop + funnelHeight + 24;
  const trendTop = trendTitleTop + 64;
  const stages = [...data.funnel.stages].reverse(); // the y category axis draws bottom-up; the funnel reads top-down
  const maxCount = Math.max(1, ...stages.map((s) => s.count));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: COLORS,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 14, color: TEXT },
    title: [
      {
        text: data.title,
        left: 'center',
        top: 14,
        textStyle: { fontSize: 24, fontWeight: 'bold', color: TEXT },
      },
      {
        text: data.funnel.title,
        left: 24,
        top: 58,
        textStyle: { fontSize: 18, fontWeight: 'bold', color: TEXT },
      },
      {
        text: data.trend.title,
        left: 24,
        top: trendTitleTop,
        textStyle: { fontSize: 18, fontWeight: 'bold', color: TEXT },
      },
    ],
    legend: {
      top: trendTitleTop + 32,
      left: 24,
      itemWidth: 22,
      itemHeight: 12,
      textStyle: { fontSize: 15, color: TEXT },
      data: data.trend.series.map((s) => s.label),
    },
    grid: [
      {
        left: 24,
        right: 72,
        top: funnelTop,
        height: funnelHeight,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      {
        left: 24,
        right: 32,
        top: trendTop,
        bottom: 24,
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
    ],
    xAxis: [
      { type: 'value', gridIndex: 0, show: false, max: maxCount },
      {
        type: 'category',
        gridIndex: 1,
        data: data.trend.days,
        axisLabel: { fontSize: 14, color: MUTED },
        axisLine: { lineStyle: { color: '#c9cdd4' } },
      },
    ],
    yAxis: [
      {
        type: 'category',
        gridIndex: 0,
        data: stages.map((s) => s.label),
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: { fontSize: 16, color: TEXT },
      },
      {
        type: 'value',
        gridIndex: 1,
        minInterval: 1,
        axisLabel: { fontSize: 14, color: MUTED },
        splitLine: { lineStyle: { color: '#eef0f3' } },
      },
    ],
    series: [
      {
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 30,
        data: stages.map((s) => s.count),
        itemStyle: { color: COLORS[0], borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right', fontSize: 16, fontWeight: 'bold', color: TEXT },
        showBackground: true,
        backgroundStyle: { color: '#f2f3f5' },
      },
      ...data.trend.series.map((s) => ({
        type: 'line' as const,
        name: s.label,
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: s.values,
        symbolSize: 7,
        lineStyle: { width: 3 },
        label: { show: width >= 600 && data.trend.days.length <= 7, position: 'top', fontSize: 14 },
        labelLayout: { hideOverlap: true },
      })),
    ],
  };
}

/**
 * A digest chart renderer for Node: ECharts draws the funnel (horizontal bars, counts labelled) above the 7-day trend
 * (a line per series) as SVG server-side, and resvg rasterises it to PNG with a bundled CJK font (Noto Sans SC), so
 * Chinese renders on any machine `npm ci` set up. Default 800×600, white, no animation.
 */
export function createDigestChartRenderer(options: { width?: number; height?: number } = {}): ChartRenderer {
  const width = options.width ?? 800;
  const height = options.height ?? 600;
  return {
    async renderPng(data: DigestChartData): Promise<Uint8Array> {
      const fontBuffers = await loadRasteriser();
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
      let svg: string;
      try {
        chart.setOption(chartOption(data, width, height));
        svg = chart.renderToSVGString();
      } finally {
        chart.dispose(); // an undisposed SSR chart keeps an animation timer that holds the process open
      }
      const resvg = new Resvg(svg, {
        font: { fontBuffers, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
        background: '#ffffff',
      });
      try {
        const image = resvg.render();
        try {
          return image.asPng();
        } finally {
          image.free(); // wasm memory is not garbage-collected
        }
      } finally {
        resvg.free();
      }
    },
  };
}
