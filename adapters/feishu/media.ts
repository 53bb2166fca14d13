import type { Client } from '@larksuiteoapi/node-sdk';
import type { MediaDownload, MediaRequest, MessageMedia } from '../../src/core/ports/adapter.ts';
import { fetchMedia, MediaError, readCapped } from '../media-body.ts';
import { TOKEN_CODES } from './api.ts';

const WHAT = 'message resource';
/** Frequency limits and internal errors: worth another try later. */
const RETRYABLE_CODES = new Set([99991400, 1000004, 1000005]);

/**
 * Message files through `GET /open-apis/im/v1/messages/{message_id}/resources/{file_key}?type=image|file` on the
 * configured domain, with the app's tenant_access_token (the SDK's, from its cache).
 */
export function feishuMedia(client: Client): MessageMedia {
  const base = String(client.domain).replace(/\/+$/, '');
  return {
    async fetch(request: MediaRequest, signal?: AbortSignal): Promise<MediaDownload> {
      let token: unknown;
      try {
        token = await (
          client.tokenManager as { getTenantAccessToken(): Promise<unknown> }
        ).getTenantAccessToken();
      } catch {
        throw new MediaError(0, 'could not get a tenant_access_token', true);
      }
      if (typeof token !== 'string' || !token) throw new MediaError(0, 'no tenant_access_token', true);
      const type = request.attachment.type === 'image' ? 'image' : 'file';
      const url =
        `${base}/open-apis/im/v1/messages/${encodeURIComponent(request.messageId)}` +
        `/resources/${encodeURIComponent(request.attachment.key)}?type=${type}`;
      const response = await fetchMedia(url, WHAT, {
        headers: { authorization: `Bearer ${token}` },
        ...(signal ? { signal } : {}),
      });
      if (!response.ok) throw await refusal(response);
      return readCapped(response, request.maxBytes, WHAT);
    },
  };
}

/** Feishu answers a refused download with a JSON `{ code, msg }` and a 4xx/5xx status. */
async function refusal(response: Response): Promise<MediaError> {
  let code = 0;
  try {
    const body = (await response.json()) as { code?: unknown };
    if (typeof body.code === 'number') code = body.code;
  } catch {
    // not JSON: the status says enough
  }
  const retryable =
    response.status >= 500 || response.status === 429 || RETRYABLE_CODES.has(code) || TOKEN_CODES.has(code);
  return new MediaError(code || response.status, `${WHAT}: HTTP ${response.status} code ${code}`, retryable);
}
