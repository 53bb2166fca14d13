/** What a digest chart shows: the funnel by stage and a 7-day trend. Labels come already in the reader's language. */
export interface DigestChartData {
  title: string;
  funnel: { title: string; stages: Array<{ label: string; count: number }> };
  trend: {
    title: string;
    /** One entry per day, oldest first (labels like `03-02`). */
    days: string[];
    series: Array<{ label: string; values: number[] }>;
  };
}

/**
 * Draws a digest chart as a PNG picture, server-side. A port: the Node runtime renders with ECharts and a rasteriser;
 * a runtime without one leaves it out and digests go as text alone.
 */
export interface ChartRenderer {
  renderPng(data: DigestChartData): Promise<Uint8Array>;
}
