import type { ChannelLinks } from '../../src/core/ports/adapter.ts';

/**
 * Feishu has no link that carries a code: a channel code is bound to an external chat, whose joiners came through
 * it (`by: 'chat'`). Nothing to create or remove on the platform.
 */
export const feishuChannels: ChannelLinks = { by: 'chat', maxCodeLength: 64 };
