import type { PlatformAdapter } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import { checkRobotTarget, type RobotUrlOptions, robotHosts } from '../robot-urls.ts';
import { createFeishuClient } from './api.ts';
import { feishuChannels } from './channels.ts';
import { decodeFeishu, type FeishuSelf } from './decode.ts';
import { feishuForwarded } from './forwarded.ts';
import { feishuMedia } from './media.ts';
import { feishuPeople } from './people.ts';
import { feishuRateLimits, sendFeishu } from './send.ts';
import { feishuSignIn } from './sign-in.ts';
import type { FeishuConfig } from './types.ts';
import { feishuVerifier } from './verify.ts';

export type { FeishuConfig } from './types.ts';

export function createFeishuAdapter(
  config: FeishuConfig,
  clock: Clock,
  robots: RobotUrlOptions = {},
  words: { mentionAll?: string } = {},
): PlatformAdapter {
  const self: FeishuSelf = { appId: config.appId, botOpenId: null, ...words };
  const { client, call } = createFeishuClient(config);
  const verify = feishuVerifier(config, clock);
  // Custom bots live on open.feishu.cn / open.larksuite.com, or under a FEISHU_DOMAIN base URL.
  const hosts = robotHosts('feishu', {
    base: /^https?:/i.test(config.domain) ? config.domain : null,
    ...(robots.extraHosts ? { extra: robots.extraHosts } : {}),
  });
  const checkBot = (ref: string) => checkRobotTarget('feishu', ref, hosts, robots.resolveHost);
  return {
    platform: 'feishu',
    workspace: config.appId,
    peopleWorkspace: config.appId,
    verify: async (request) => verify(request),
    decode: (payload) => decodeFeishu(payload, self),
    send: (message, signal) => sendFeishu(client, call, clock, checkBot, message, signal),
    checkRobot: async (ref) => {
      const verdict = await checkBot(ref);
      return verdict.ok ? null : verdict.reason;
    },
    rateLimits: feishuRateLimits,
    // A custom bot has no app token to upload a picture with.
    sendsImagesTo: (target) => target.kind === 'chat',
    channels: feishuChannels,
    describePerson: feishuPeople(client, call),
    signIn: feishuSignIn(config),
    completeContent: feishuForwarded(client, call, self),
    media: feishuMedia(client),
    async start() {
      const info = await call(() =>
        client.request<{ code?: number; msg?: string; bot?: { open_id?: string } }>({
          method: 'GET',
          url: '/open-apis/bot/v3/info',
        }),
      );
      self.botOpenId = info.bot?.open_id ?? null;
    },
  };
}
