import type { MediaDownload, MediaRequest, MessageMedia } from '../../src/core/ports/adapter.ts';
import { downloadSignal, MediaError, readCapped } from '../media-body.ts';
import type { WecomApi } from './api.ts';
import { isExternalId } from './archive.ts';
import type { KfMessageRead, WecomConfig } from './types.ts';

/** Kinds of 微信客服 messages whose `media_id` names a file WeCom keeps for 3 days. */
const MEDIA_TYPES = ['image', 'voice', 'video', 'file'] as const;

/**
 * Message files through `cgi-bin/media/get` on the configured API base: 微信客服 media (chats of kind `service`) with
 * the 微信客服 secret, the app's own with the app secret. Archived files (`sdkfileid`) are the companion's to fetch:
 * WeCom refuses them here (40007), which is final.
 */
export function wecomMedia(api: WecomApi, config: WecomConfig): MessageMedia {
  return {
    async fetch(request: MediaRequest, signal?: AbortSignal): Promise<MediaDownload> {
      // Archived chats (customer groups, a member's chat with a customer) carry sdkfileids, not media ids: asking
      // media/get for them would only be refused, and repeated asking is what WeCom rate-limits (45033).
      const { kind, platformChatId } = request.chat;
      if (kind === 'external_group' || (kind === 'private' && isExternalId(platformChatId)))
        throw new MediaError(0, 'an archived file: the archive companion fetches those', false);
      const secret = request.chat.kind === 'service' ? config.kfSecret : config.agentSecret;
      if (!secret) throw new MediaError(0, 'media/get: no 微信客服 secret configured', false);
      const response = await api.download(
        secret,
        '/cgi-bin/media/get',
        { media_id: request.attachment.key },
        downloadSignal(signal),
      );
      return readCapped(response, request.maxBytes, 'media/get');
    },
  };
}

/** The `attachment` of a 微信客服 message that carries a file (`image`, `voice`, `video`, `file`: `media_id`). */
export function kfAttachmentField(m: KfMessageRead) {
  const type = MEDIA_TYPES.find((t) => t === m.msgtype);
  if (!type) return {};
  const item = (m as Record<string, unknown>)[type] as { media_id?: unknown } | undefined;
  const key = item?.media_id;
  return typeof key === 'string' && key ? { attachment: { type, key } } : {};
}
