import { useEffect, useMemo, useState } from 'preact/hooks';
import { encode } from 'uqr';

/** Modules of quiet zone around the code, as the QR standard asks (scanners find the code by it). */
const QUIET = 4;
/** Pixels per module of the PNG offered for download (print size). */
const PNG_SCALE = 8;

/** The dark modules of a QR code for `text` (medium error correction), quiet zone included, row by row. */
export function qrMatrix(text: string): boolean[][] {
  return encode(text, { ecc: 'M', border: QUIET }).data;
}

/** The SVG path of the dark modules, one unit square each. */
function modulesPath(m: boolean[][]): string {
  let d = '';
  m.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return d;
}

/** A standalone SVG file of the code, for the download link. */
function svgFile(m: boolean[][]): string {
  const n = m.length;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" width="${n * PNG_SCALE}" height="${n * PNG_SCALE}" shape-rendering="crispEdges">` +
    `<rect width="${n}" height="${n}" fill="#fff"/><path d="${modulesPath(m)}" fill="#000"/></svg>`
  );
}

/** A PNG of the code, drawn on a canvas, as a data: address (the page's CSP allows data: images). */
function pngFile(m: boolean[][]): string {
  const n = m.length;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = n * PNG_SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  m.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) ctx.fillRect(x * PNG_SCALE, y * PNG_SCALE, PNG_SCALE, PNG_SCALE);
    });
  });
  return canvas.toDataURL('image/png');
}

/**
 * A QR code of `text` drawn in the page as SVG (no picture from elsewhere), with links to download it as SVG and
 * PNG named after `file`. The encoded text is on the figure (`data-text`) for whoever checks what it says.
 */
export function QrCode({
  text,
  file,
  labels,
}: {
  text: string;
  file: string;
  labels: { downloadSvg: string; downloadPng: string };
}) {
  const matrix = useMemo(() => qrMatrix(text), [text]);
  const [png, setPng] = useState('');
  useEffect(() => setPng(pngFile(matrix)), [matrix]);
  const n = matrix.length;
  const safeName = file.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <figure class="qr" data-text={text}>
      <svg class="qr-svg" viewBox={`0 0 ${n} ${n}`} role="img" aria-label={text} shape-rendering="crispEdges">
        <rect width={n} height={n} fill="#fff" />
        <path d={modulesPath(matrix)} fill="#000" />
      </svg>
      <figcaption>
        <a
          class="qr-svg-download"
          download={`${safeName}.svg`}
          href={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgFile(matrix))}`}
        >
          {labels.downloadSvg}
        </a>
        {png ? (
          <a class="qr-png-download" download={`${safeName}.png`} href={png}>
            {labels.downloadPng}
          </a>
        ) : null}
      </figcaption>
    </figure>
  );
}
