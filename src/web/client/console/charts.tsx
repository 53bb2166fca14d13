import type { ComponentChildren, RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

// Small hand-written SVG charts for the console (no chart library in the bundle). Each draws at its container's
// width in pixels (so its text keeps its size), says its numbers in an aria-label, and takes every label as text:
// Preact writes text nodes, so a customer's name can never become markup.

/** The width drawn before the chart is measured (and the least it draws at). */
const WIDTH = 480;
const NARROWEST = 260;
const ROW = 24;
const LABEL = 130;
const VALUE = 90;
/** Labels longer than this are cut on the chart (the whole label is in its tooltip and in the table). */
const LABEL_CHARS = 14;

const cut = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);
const scale = (values: number[]) => Math.max(1, ...values);

/** The chart's own width on the page, followed as the window resizes (the SVG is as wide as its container). */
function useWidth(): [RefObject<SVGSVGElement>, number] {
  const ref = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(WIDTH);
  useLayoutEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const measure = () => setWidth(Math.max(NARROWEST, Math.round(svg.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(svg);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A row of a bar chart: one value per series, and how the values are said (default: the numbers). */
export interface BarRow {
  label: string;
  values: number[];
  text?: string;
}

/**
 * Horizontal bars, one row per label, one bar per series in a row (series `i` has the class `s<i>`). `title` heads
 * the aria-label, which lists every row's label and text.
 */
export function BarChart({ title, rows, series = 1 }: { title: string; rows: BarRow[]; series?: number }) {
  const [ref, width] = useWidth();
  const max = scale(rows.flatMap((r) => r.values));
  const band = ROW * Math.max(1, series * 0.6);
  const height = Math.max(ROW, rows.length * band);
  const thick = (band - 6) / series;
  const area = width - LABEL - VALUE;
  return (
    <svg
      ref={ref}
      class="chart bars"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${title}: ${rows.map((r) => `${r.label} ${r.text ?? r.values.join(' / ')}`).join(', ')}`}
    >
      {rows.map((r, i) => (
        <g key={`${i}-${r.label}`} transform={`translate(0 ${i * band})`}>
          <text class="label" x={LABEL - 6} y={band / 2} text-anchor="end" dominant-baseline="middle">
            <title>{r.label}</title>
            {cut(r.label)}
          </text>
          {r.values.map((v, s) => (
            <rect
              key={s}
              class={`bar s${s}`}
              x={LABEL}
              y={3 + s * thick}
              width={Math.max(v > 0 ? 2 : 0, (v / max) * area)}
              height={Math.max(2, thick - 2)}
            />
          ))}
          <text
            class="value"
            x={LABEL + (Math.max(...r.values, 0) / max) * area + 6}
            y={band / 2}
            dominant-baseline="middle"
          >
            {r.text ?? r.values.join(' / ')}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** A stage of the funnel: its name, its count, and what is said beside the bar (count, change, value). */
export interface FunnelStage {
  label: string;
  value: number;
  text: string;
}

/** The funnel: a centred bar per stage, in stage order, as wide as its count. */
export function FunnelChart({ title, stages }: { title: string; stages: FunnelStage[] }) {
  const [ref, width] = useWidth();
  const max = scale(stages.map((s) => s.value));
  const height = Math.max(ROW, stages.length * (ROW + 4));
  const area = width - LABEL - VALUE - 40;
  return (
    <svg
      ref={ref}
      class="chart funnel"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${title}: ${stages.map((s) => `${s.label} ${s.text}`).join(', ')}`}
    >
      {stages.map((s, i) => {
        const w = Math.max(2, (s.value / max) * area);
        return (
          <g key={`${i}-${s.label}`} transform={`translate(0 ${i * (ROW + 4)})`}>
            <text class="label" x={LABEL - 6} y={ROW / 2} text-anchor="end" dominant-baseline="middle">
              <title>{s.label}</title>
              {cut(s.label)}
            </text>
            <rect
              class={`bar s${i % 6}`}
              x={LABEL + (area - w) / 2}
              y={2}
              width={w}
              height={ROW - 4}
              rx={3}
            />
            <text class="value" x={LABEL + area + 8} y={ROW / 2} dominant-baseline="middle">
              {s.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A line of a line chart: its name and one value per point. */
export interface Line {
  label: string;
  values: number[];
}

/** Lines over a few points (days), with a legend; the aria-label says every line's values. */
export function LineChart({ title, points, lines }: { title: string; points: string[]; lines: Line[] }) {
  const [ref, width] = useWidth();
  const height = 200;
  const left = 34;
  const bottom = 22;
  const top = 10;
  const max = scale(lines.flatMap((l) => l.values));
  const x = (i: number) => left + (points.length < 2 ? 0 : (i * (width - left - 16)) / (points.length - 1));
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const ticks = [0, Math.round(max / 2), max].filter((t, i, a) => a.indexOf(t) === i);
  return (
    <>
      <ul class="legend">
        {lines.map((l, i) => (
          <li key={l.label}>
            <span class={`swatch s${i}`} aria-hidden="true" />
            {l.label}
          </li>
        ))}
      </ul>
      <svg
        ref={ref}
        class="chart lines"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${title}: ${lines.map((l) => `${l.label} ${points.map((p, i) => `${p} ${l.values[i] ?? 0}`).join(', ')}`).join('; ')}`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={left} x2={width - 8} y1={y(t)} y2={y(t)} />
            <text class="tick" x={left - 6} y={y(t)} text-anchor="end" dominant-baseline="middle">
              {t}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p} class="tick" x={x(i)} y={height - 6} text-anchor="middle">
            {p}
          </text>
        ))}
        {lines.map((l, s) => (
          <g key={l.label} class={`line s${s}`}>
            <polyline points={l.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
            {l.values.map((v, i) => (
              <circle key={points[i] ?? i} cx={x(i)} cy={y(v)} r={3} />
            ))}
          </g>
        ))}
      </svg>
    </>
  );
}

/** The numbers of a chart as a table, for screen readers (and anyone who copies them); hidden on screen. */
export function ChartTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: string[];
  rows: Array<{ key: string | number; cells: ComponentChildren[] }>;
}) {
  return (
    <table class="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            {r.cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
