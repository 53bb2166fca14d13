/**
 * What a file is, read from its own first bytes (the platform's claim is not trusted alone), limited to an allow-list:
 * pictures, audio, video, PDF, office documents, plain text and zip archives. Anything else (an executable, a script
 * posing as a picture, an unknown binary) is null: not kept. Text is stored as text/plain, never as HTML.
 */
export function sniffFileType(bytes: Uint8Array, claimed: { contentType?: string | null; name?: string }) {
  return binaryType(bytes, claimed) ?? (isPlainText(bytes) ? 'text/plain; charset=utf-8' : null);
}

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const startsWith = (bytes: Uint8Array, prefix: number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** ISO base media (`ftyp` box) brands: pictures (HEIF, AVIF), audio (M4A) and the rest video. */
function isoMediaType(bytes: Uint8Array): string | null {
  if (!ascii(bytes, 4, 'ftyp')) return null;
  const brand = String.fromCharCode(...bytes.slice(8, 12));
  if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
  if (brand === 'avif' || brand === 'avis') return 'image/avif';
  if (brand.startsWith('M4A') || brand.startsWith('M4B')) return 'audio/mp4';
  if (brand === 'qt  ') return 'video/quicktime';
  if (brand.startsWith('3g')) return 'video/3gpp';
  return 'video/mp4';
}

function binaryType(bytes: Uint8Array, claimed: { contentType?: string | null; name?: string }) {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return 'audio/wav';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'AVI ')) return 'video/x-msvideo';
  if (ascii(bytes, 0, 'BM') && bytes.length > 14) return 'image/bmp';
  const iso = isoMediaType(bytes);
  if (iso) return iso;
  if (ascii(bytes, 0, 'OggS')) return 'audio/ogg';
  if (ascii(bytes, 0, '#!AMR')) return 'audio/amr';
  if (ascii(bytes, 0, '#!SILK') || ascii(bytes, 1, '#!SILK')) return 'audio/silk';
  if (ascii(bytes, 0, 'fLaC')) return 'audio/flac';
  if (ascii(bytes, 0, 'ID3')) return 'audio/mpeg';
  if (bytes.length > 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xf6) === 0xf0) return 'audio/aac';
  if (bytes.length > 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return 'audio/mpeg';
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
  if (ascii(bytes, 0, '%PDF-')) return 'application/pdf';
  if (ascii(bytes, 0, 'PK\x03\x04') || ascii(bytes, 0, 'PK\x05\x06')) return zipType(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return legacyOfficeType(claimed);
  return null;
}

/** Office documents are zip archives; their part names (`word/`, `xl/`, `ppt/`) say which. */
function zipType(bytes: Uint8Array): string {
  const head = String.fromCharCode(...bytes.slice(0, Math.min(bytes.length, 4096)));
  if (head.includes('word/'))
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (head.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (head.includes('ppt/'))
    return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return 'application/zip';
}

/** Old Office files share one container format (OLE2); the name or the claim tells Word, Excel and PowerPoint apart. */
function legacyOfficeType(claimed: { contentType?: string | null; name?: string }): string {
  const hint = `${claimed.name ?? ''} ${claimed.contentType ?? ''}`.toLowerCase();
  if (/\.xls\b|excel/.test(hint)) return 'application/vnd.ms-excel';
  if (/\.ppt\b|powerpoint/.test(hint)) return 'application/vnd.ms-powerpoint';
  return 'application/msword';
}

/** UTF-8 text without NUL or other control characters (tabs, line breaks and form feeds are text). */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
