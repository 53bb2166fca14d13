// Digest chart rendering: ECharts SSR to SVG, then resvg (wasm) to PNG with the bundled CJK font. Renders a few
// charts to warm up (wasm tier-up, font load), then times BENCH_CHARTS (default 50) and prints mean, p95 and PNG size.
// Run alone: `npx tsx bench/chart.ts`. Exit code 1 when the mean is over the target.
import { createDigestChartRenderer } from '../adapters/charts/digest-chart.ts';
import type { DigestChartData } from '../src/core/ports/charts.ts';

const CHARTS = Number(process.env.BENCH_CHARTS ?? 50);
const WARM_UP = 5;
const TARGET_MEAN_MS = 200;

const DATA: DigestChartData = {
  title: '每日客户简报 · 3月8日',
  funnel: {
    title: '客户漏斗',
    stages: [
      { label: '潜在', count: 128 },
      { label: '意向', count: 46 },
      { label: '成交', count: 17 },
      { label: '复购', count: 6 },
      { label: '流失', count: 9 },
    ],
  },
  trend: {
    title: '近7天趋势',
    days: ['03-02', '03-03', '03-04', '03-05', '03-06', '03-07', '03-08'],
    series: [
      { label: '新客户', values: [5, 8, 3, 11, 7, 9, 6] },
      { label: '收到消息', values: [42, 55, 38, 61, 47, 52, 44] },
      { label: '回复', values: [39, 50, 36, 58, 45, 49, 41] },
    ],
  },
};

export async function benchChart(): Promise<boolean> {
  const renderer = createDigestChartRenderer();
  const coldStarted = performance.now();
  await renderer.renderPng(DATA);
  const coldMs = performance.now() - coldStarted;
  for (let i = 1; i < WARM_UP; i++) await renderer.renderPng(DATA);

  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < CHARTS; i++) {
    const started = performance.now();
    const png = await renderer.renderPng({ ...DATA, title: `每日客户简报 · 第${i + 1}天` });
    times.push(performance.now() - started);
    bytes = png.byteLength;
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!;
  const pass = mean <= TARGET_MEAN_MS;
  console.log(`Digest chart 800x600, ${CHARTS} renders after ${WARM_UP} warm-up; Node ${process.version}`);
  console.log(`  first render (wasm start, font load) ${coldMs.toFixed(0)} ms`);
  console.log(
    `  mean ${mean.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   PNG ${(bytes / 1024).toFixed(1)} KB`,
  );
  console.log(`  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  console.log(
    `Digest chart render mean ${mean.toFixed(1)} ms   target <= ${TARGET_MEAN_MS} ms   ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}` && !(await benchChart())) process.exitCode = 1;
