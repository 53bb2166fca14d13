import { z } from 'zod';
import type { PageSignature, WebSignIn } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import { readAnswer, type WecomApi, WecomError } from './api.ts';
import type { WecomConfig, WecomResponse } from './types.ts';

// The 聊天工具栏 sidebar's sign-in: the OAuth2 code names the member (cgi-bin/auth/getuserinfo), and the page's JS-SDK
// (`ww.register`) gets its corp and app signatures from tickets fetched once and cached until shortly before expiry.

/** WeCom: the code is invalid, used or expired. */
const INVALID_CODE = 40029;
/** Tickets are renewed this long before WeCom says they expire (like access tokens). */
const EARLY_RENEWAL_MS = 5 * 60_000;

const userInfo = z.object({ userid: z.string().min(1).optional(), openid: z.string().optional() }).loose();
const ticketAnswer = z.object({ ticket: z.string().min(1), expires_in: z.number().int().positive() }).loose();

/** Where each kind of ticket comes from (the app-level one with `type=agent_config`; both with the app's token). */
const TICKETS = {
  corp: { path: '/cgi-bin/get_jsapi_ticket', query: {} },
  agent: { path: '/cgi-bin/ticket/get', query: { type: 'agent_config' } },
} as const;

export function wecomSignIn(api: WecomApi, config: WecomConfig, clock: Clock): WebSignIn {
  const cached = new Map<string, { ticket: string; expiresAt: number }>();
  const fetching = new Map<string, Promise<string>>();

  const ticket = (kind: keyof typeof TICKETS): Promise<string> => {
    const hit = cached.get(kind);
    if (hit && hit.expiresAt > clock.now()) return Promise.resolve(hit.ticket);
    const inFlight = fetching.get(kind);
    if (inFlight) return inFlight;
    const { path, query } = TICKETS[kind];
    const fetched = api
      .call<WecomResponse>(config.agentSecret, path, { query })
      .then((answer) => {
        const t = readAnswer(ticketAnswer, answer, path);
        cached.set(kind, {
          ticket: t.ticket,
          expiresAt: clock.now() + t.expires_in * 1000 - EARLY_RENEWAL_MS,
        });
        return t.ticket;
      })
      .finally(() => fetching.delete(kind));
    fetching.set(kind, fetched);
    return fetched;
  };

  return {
    clientConfig: { corpId: config.corpId, agentId: String(config.agentId) },
    async identify(code) {
      if (!/^[A-Za-z0-9_-]{1,512}$/.test(code)) return null;
      let answer: WecomResponse;
      try {
        answer = await api.call<WecomResponse>(config.agentSecret, '/cgi-bin/auth/getuserinfo', {
          query: { code },
        });
      } catch (error) {
        if (error instanceof WecomError && error.code === INVALID_CODE) return null;
        throw error;
      }
      // A non-member (a WeChat user) comes back with an openid and no userid: not staff of the corp.
      const who = readAnswer(userInfo, answer, '/cgi-bin/auth/getuserinfo');
      return who.userid ? { externalId: who.userid } : null;
    },
    async signPage(kind, url): Promise<PageSignature> {
      const t = await ticket(kind);
      const timestamp = Math.floor(clock.now() / 1000);
      const nonceStr = nonce();
      return {
        appId: config.corpId,
        ...(kind === 'agent' ? { agentId: String(config.agentId) } : {}),
        timestamp,
        nonceStr,
        signature: await jsApiSignature(t, nonceStr, timestamp, url),
      };
    },
  };
}

/** sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, in this order, nothing URL-encoded (WeCom document 90506). */
export async function jsApiSignature(ticket: string, nonceStr: string, timestamp: number, url: string) {
  const text = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** 16 random letters and digits. */
function nonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => alphabet[b % alphabet.length]).join('');
}
