import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDigestChartRenderer } from '../../adapters/charts/digest-chart.ts';
import type { DigestChartData } from '../../src/core/ports/charts.ts';

const SAMPLE: DigestChartData = {
  title: '每日客户简报',
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

interface Decoded {
  width: number;
  height: number;
  channels: number;
  pixels: Buffer;
}

/** A minimal PNG decoder (8-bit RGB/RGBA, not interlaced): IDAT inflated with node:zlib, then the row filters undone. */
function decodePng(png: Uint8Array): Decoded {
  const buf = Buffer.from(png);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8); // bit depth
      expect(body[12]).toBe(0); // not interlaced
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** The rows of the main title (drawn at the top, centred), as bytes. */
function titleBand(image: Decoded): Buffer {
  const stride = image.width * image.channels;
  return image.pixels.subarray(0, 50 * stride);
}

/** How many pixels in a band are dark (text ink on the white background). */
function inked(band: Buffer, channels: number): number {
  let dark = 0;
  for (let i = 0; i < band.length; i += channels) if (band[i]! + band[i + 1]! + band[i + 2]! < 300) dark++;
  return dark;
}

describe('digest chart renderer', () => {
  const renderer = createDigestChartRenderer({ width: 800, height: 600 });

  it('renders a valid PNG of the configured size, small enough for a WeCom robot', async () => {
    const png = await renderer.renderPng(SAMPLE);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(Buffer.from(png).toString('latin1', 12, 16)).toBe('IHDR');
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(view.getUint32(16)).toBe(800);
    expect(view.getUint32(20)).toBe(600);
    expect(png.byteLength).toBeLessThan(500 * 1024);
    const image = decodePng(png);
    expect(image.pixels[0]).toBe(255); // white background, top-left corner
  });

  it('honours a custom size', async () => {
    const image = decodePng(await createDigestChartRenderer({ width: 640, height: 480 }).renderPng(SAMPLE));
    expect([image.width, image.height]).toEqual([640, 480]);
  });

  it('draws Chinese glyphs, not tofu: two same-length titles differ in pixels', async () => {
    // Tofu draws every missing character as the same box, so equal-length titles would come out identical.
    const a = decodePng(await renderer.renderPng({ ...SAMPLE, title: '客户漏斗' }));
    const b = decodePng(await renderer.renderPng({ ...SAMPLE, title: '近期趋势' }));
    expect(inked(titleBand(a), a.channels)).toBeGreaterThan(200);
    expect(titleBand(a).equals(titleBand(b))).toBe(false);
    // The rest of the picture is the same: the difference is the title's glyphs alone.
    expect(a.pixels.subarray(titleBand(a).length).equals(b.pixels.subarray(titleBand(b).length))).toBe(true);
  });

  it('the comparison does catch tofu: two titles in a script the font lacks (Thai) come out the same', async () => {
    const a = decodePng(await renderer.renderPng({ ...SAMPLE, title: 'กขคง' }));
    const b = decodePng(await renderer.renderPng({ ...SAMPLE, title: 'จฉชซ' }));
    expect(titleBand(a).equals(titleBand(b))).toBe(true);
  });

  it('renders empty data without throwing', async () => {
    const empty: DigestChartData = {
      title: '每日客户简报',
      funnel: { title: '客户漏斗', stages: [] },
      trend: { title: '近7天趋势', days: [], series: [] },
    };
    const zeros: DigestChartData = {
      ...SAMPLE,
      funnel: { ...SAMPLE.funnel, stages: SAMPLE.funnel.stages.map((s) => ({ ...s, count: 0 })) },
      trend: {
        ...SAMPLE.trend,
        series: SAMPLE.trend.series.map((s) => ({ ...s, values: s.values.map(() => 0) })),
      },
    };
    for (const data of [empty, zeros]) {
      const image = decodePng(await renderer.renderPng(data));
      expect([image.width, image.height]).toEqual([800, 600]);
    }
  });
});
