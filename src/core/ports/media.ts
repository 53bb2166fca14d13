// The optional `media` port of PlatformAdapter: downloading a stored message's file after the acknowledgement.

/** The file a stored message carries, as `MessageMedia.fetch` is asked for it. */
export interface MediaRequest {
  /** The message's `attachment`: the platform's reference to the file. */
  attachment: { type: string; key: string; name?: string };
  /** The platform's id of the message (Feishu serves a message's files under it). */
  messageId: string;
  /** The chat it was written in: its kind (WeCom 微信客服 `service` media take that secret) and platform id. */
  chat: { kind: string; platformChatId: string };
  /** Files larger than this are not downloaded whole: the answer is `too_large`. */
  maxBytes: number;
}

/** What a download gave: the bytes with the type the platform claims, or a file over the limit (never read whole). */
export type MediaDownload =
  | { kind: 'file'; bytes: Uint8Array; contentType: string | null }
  | { kind: 'too_large'; size: number | null };

/**
 * Downloading message files from the platform (Telegram getFile, Feishu message resources, WeCom media/get), only from
 * the configured API base. A refusal throws a `PlatformRefusal` (`retryable` where waiting helps: rate limits, 5xx,
 * network errors); a file the platform no longer has or never served is not retryable.
 */
export interface MessageMedia {
  fetch(request: MediaRequest, signal?: AbortSignal): Promise<MediaDownload>;
}
