import type { MediaDownload, PlatformRefusal } from '../src/core/ports/adapter.ts';

/** A platform refusing (or failing) a file download, with whether trying again later may help. */
export class MediaError extends Error implements PlatformRefusal {
  override readonly name = 'MediaError';
  constructor(
    readonly code: number,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** How long one file download may take, headers to last byte. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The signal a download runs under: the caller's, bounded by DOWNLOAD_TIMEOUT_MS. */
export const downloadSignal = (signal?: AbortSignal): AbortSignal =>
  signal
    ? AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)])
    : AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);

/**
 * GETs a platform URL (built from the configured API base only) without following redirects, which could carry a
 * token elsewhere. Network failures and timeouts are retryable; `what` names the call in errors, never the URL.
 */
export async function fetchMedia(
  url: string,
  what: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      ...(init.headers ? { headers: init.headers } : {}),
      signal: downloadSignal(init.signal),
    });
  } catch (error) {
    throw new MediaError(0, `${what}: ${error instanceof Error ? error.name : 'network error'}`, true);
  }
}

/**
 * Reads a download's body up to `maxBytes`: a declared or actual size over the limit stops reading (`too_large`),
 * so an oversize file never sits whole in memory.
 */
export async function readCapped(response: Response, maxBytes: number, what: string): Promise<MediaDownload> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const contentType = response.headers.get('content-type');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'too_large', size: declared };
  }
  const reader = response.body?.getReader();
  if (!reader) return { kind: 'file', bytes: new Uint8Array(0), contentType };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { kind: 'too_large', size: null };
      }
      chunks.push(value);
    }
  } catch (error) {
    throw new MediaError(0, `${what}: ${error instanceof Error ? error.name : 'read failed'}`, true);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { kind: 'file', bytes, contentType };
}

/** An HTTP failure of a download as a refusal: 5xx and 429 may pass, other statuses will not. */
export function httpRefusal(status: number, what: string): MediaError {
  return new MediaError(status, `${what}: HTTP ${status}`, status >= 500 || status === 429);
}
