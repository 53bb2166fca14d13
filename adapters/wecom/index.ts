import type { PlatformAdapter } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import { checkRobotUrl, type RobotUrlOptions, robotHosts } from '../robot-urls.ts';
import { wecomActions } from './actions.ts';
import { WecomApi } from './api.ts';
import { isExternalId, wecomArchive } from './archive.ts';
import { wecomContactWays } from './channels.ts';
import { wecomDirectory } from './contacts.ts';
import { decodeWecom } from './decode.ts';
import { wecomMassSends } from './mass-sends.ts';
import { wecomMedia } from './media.ts';
import { sendWecom, wecomRateLimits, wecomReplyWindow } from './send.ts';
import { wecomServiceInbox } from './service.ts';
import { wecomSignIn } from './sign-in.ts';
import type { WecomConfig } from './types.ts';
import { verifyWecom } from './verify.ts';

export type { WecomConfig } from './types.ts';

export function createWecomAdapter(
  config: WecomConfig,
  clock: Clock,
  robots: Pick<RobotUrlOptions, 'extraHosts'> = {},
): PlatformAdapter {
  const apiBase = config.apiBase.replace(/\/+$/, '');
  // No address check: a robot's key is posted to WECOM_API_BASE, never to the host its URL names.
  const hosts = robotHosts('wecom', {
    base: apiBase,
    ...(robots.extraHosts ? { extra: robots.extraHosts } : {}),
  });
  const api = new WecomApi(config.corpId, apiBase, clock, hosts);
  const service = wecomServiceInbox(api, config);
  const archive = wecomArchive(config, clock);
  return {
    platform: 'wecom',
    workspace: config.corpId,
    peopleWorkspace: config.corpId,
    verify: async (request) => verifyWecom(request, config, clock),
    decode: (payload) => decodeWecom(payload, config.corpId),
    send: (message, signal) => sendWecom(api, config, message, signal),
    checkRobot: async (ref) => {
      const verdict = checkRobotUrl('wecom', ref, hosts);
      return verdict.ok ? null : verdict.reason;
    },
    perform: wecomActions(api, config, clock),
    rateLimits: wecomRateLimits,
    replyWindow: wecomReplyWindow,
    // 微信客服 answers count against the customer's 5-message window and go as text only (send.ts).
    // 客户群 are the members' own: the app has no API to post in them; nor in a member's archived chat with a customer.
    writesIn: (target) =>
      target.chatKind !== 'external_group' && !(target.chatKind === 'private' && isExternalId(target.chatId)),
    sendsImagesTo: (target) => target.kind === 'robot' || target.chatKind !== 'service',
    massSends: wecomMassSends,
    contacts: wecomDirectory(api, config),
    channels: wecomContactWays(api, config),
    signIn: wecomSignIn(api, config, clock),
    media: wecomMedia(api, config),
    ...(service ? { service } : {}),
    ...(archive ? { archive } : {}),
  };
}
