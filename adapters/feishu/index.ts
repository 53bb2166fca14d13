import { Client, Domain } from '@larksuiteoapi/node-sdk';
import type { PlatformAdapter } from '../../src/core/adapter.ts';
import type { Clock } from '../../src/core/runtime.ts';
import { checkRobotTarget, type RobotUrlOptions, robotHosts } from '../robot-urls.ts';
import { decodeFeishu, type FeishuSelf } from './decode.ts';
import { asFeishuError, type FeishuCall, FeishuError, TOKEN_CODES } from './errors.ts';
import { feishuPeople } from './people.ts';
import { feishuRateLimits, sendFeishu } from './send.ts';
import type { FeishuConfig } from './types.ts';
import { feishuVerifier } from './verify.ts';

export type { FeishuConfig } from './types.ts';

/** The SDK logs request details (customer data included): Liaison logs what it needs itself. */
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export function createFeishuAdapter(
  config: FeishuConfig,
  clock: Clock,
  robots: RobotUrlOptions = {},
): PlatformAdapter {
  const self: FeishuSelf = { appId: config.appId, botOpenId: null };
  // The SDK's default token cache is process-wide; each adapter keeps its own, and drops it when Feishu refuses it.
  const tokens = new Map<string, { value: unknown; expiresAt: number }>();
  const keyOf = (key: unknown, namespace?: string) => `${namespace ?? ''}/${String(key)}`;
  const client = new Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain:
      config.domain === 'feishu'
        ? Domain.Feishu
        : config.domain === 'lark'
          ? Domain.Lark
          : config.domain.replace(/\/+$/, ''),
    logger: silent,
    cache: {
      async set(key, value, expiresAt, options) {
        tokens.set(keyOf(key, options?.namespace), {
          value,
          expiresAt: expiresAt ?? Number.POSITIVE_INFINITY,
        });
        return true;
      },
      async get(key, options) {
        const hit = tokens.get(keyOf(key, options?.namespace));
        return hit && hit.expiresAt > Date.now() ? hit.value : undefined;
      },
    },
  });
  const call: FeishuCall = async (request) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await request();
        if (answer.code !== undefined && answer.code !== 0)
          throw new FeishuError(answer.code, 200, `code ${answer.code}: ${answer.msg ?? ''}`);
        return answer;
      } catch (error) {
        const e = asFeishuError(error);
        if (attempt === 0 && TOKEN_CODES.has(e.code)) {
          tokens.clear();
          continue;
        }
        throw e;
      }
    }
  };

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
    // Feishu has no link that carries a code: a code is bound to an external chat, whose joiners came through it.
    channels: { by: 'chat', maxCodeLength: 64 },
    describePerson: feishuPeople(client, call),
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
