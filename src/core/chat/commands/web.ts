import { messages } from '../../kernel/i18n/index.ts';
import { issueSignInLink, SIGN_IN_LINK_TTL_MS } from '../../records/staff/web-sessions.ts';
import type { Command } from './command.ts';
import { helpOf } from './common.ts';

/**
 * `/web 网页`: a one-time link that signs the asker in to the web app in any browser (10 minutes, used once). Private
 * chats only: in a group, anyone who read the link (customers included) could sign in as the asker.
 */
export const webCommand: Command = {
  name: 'web',
  aliases: ['网页'],
  ...helpOf('web'),
  hints: ['网页版', '浏览器', 'web app', 'browser'],
  where: 'private',
  async run(ctx) {
    const t = messages(ctx.lang).commands.web;
    const base = ctx.deps.webAppUrl;
    if (!base) return t.off;
    const { token } = await issueSignInLink(
      ctx.deps.db,
      ctx.staff.id,
      ctx.chat.platform,
      ctx.deps.clock.now(),
    );
    return t.link(`${base}/link?t=${token}`, SIGN_IN_LINK_TTL_MS / 60_000);
  },
};
