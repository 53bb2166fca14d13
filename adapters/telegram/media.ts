import { TelegramError } from 'telegraf';
import type { MediaDownload, MediaRequest, MessageMedia } from '../../src/core/ports/adapter.ts';
import { fetchMedia, httpRefusal, MediaError, readCapped } from '../media-body.ts';
import type { TgMessage } from './types.ts';

type Call = (method: string, payload: object) => Promise<unknown>;

/** The Bot API serves files up to 20 MB through getFile; larger ones it refuses with "file is too big". */
const GET_FILE_LIMIT = 20 * 1024 * 1024;

/**
 * Message files through the Bot API: `getFile` for the file's path and size, then the download from
 * `<apiRoot>/file/bot<token>/<file_path>`: the configured API root only, the path's segments escaped.
 */
export function telegramMedia(call: Call, apiRoot: string, botToken: string): MessageMedia {
  const root = apiRoot.replace(/\/+$/, '');
  return {
    async fetch(request: MediaRequest, signal?: AbortSignal): Promise<MediaDownload> {
      let file: { file_path?: string; file_size?: number };
      try {
        file = (await call('getFile', { file_id: request.attachment.key })) as typeof file;
      } catch (error) {
        if (error instanceof TelegramError) {
          if (/too big/i.test(error.description)) return { kind: 'too_large', size: null };
          const retryable = error.code === 429 || error.code >= 500;
          throw new MediaError(error.code, `getFile: ${error.code}`, retryable);
        }
        throw new MediaError(0, `getFile: ${error instanceof Error ? error.name : 'network error'}`, true);
      }
      const size = file.file_size;
      if (size !== undefined && size > Math.min(request.maxBytes, GET_FILE_LIMIT))
        return { kind: 'too_large', size };
      if (!file.file_path) throw new MediaError(400, 'getFile: no file_path', false);
      const path = file.file_path.split('/').map(encodeURIComponent).join('/');
      const response = await fetchMedia(`${root}/file/bot${botToken}/${path}`, 'file download', {
        ...(signal ? { signal } : {}),
      });
      if (!response.ok) throw httpRefusal(response.status, 'file download');
      return readCapped(response, request.maxBytes, 'file download');
    },
  };
}

type FileRef = { file_id?: unknown; file_name?: unknown };
const fileId = (v: unknown): string | undefined => {
  const id = (v as FileRef | undefined)?.file_id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
};

/**
 * The file a message carries, by its `file_id`: the largest size of a photo, a document, audio, voice note, video,
 * video note or animation (stickers are not kept). Read defensively: these fields are only checked for being there.
 */
export function telegramAttachment(m: TgMessage): { type: string; key: string; name?: string } | undefined {
  if (Array.isArray(m.photo)) {
    const sizes = m.photo.filter((p) => fileId(p) !== undefined);
    const largest = sizes.at(-1);
    return largest ? { type: 'photo', key: fileId(largest) as string } : undefined;
  }
  for (const type of ['document', 'audio', 'voice', 'video', 'video_note', 'animation'] as const) {
    const value = m[type];
    const key = fileId(value);
    if (!key) continue;
    const name = (value as FileRef).file_name;
    return { type, key, ...(typeof name === 'string' && name ? { name } : {}) };
  }
  return undefined;
}

/** The `attachment` field of a decoded message, when it carries a file. */
export function attachmentField(m: TgMessage) {
  const attachment = telegramAttachment(m);
  return attachment ? { attachment } : {};
}
