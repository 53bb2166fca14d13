import { z } from 'zod';
import type { WebSignIn } from '../../src/core/ports/adapter.ts';
import { checkPayload } from '../payload.ts';
import { FeishuError } from './api.ts';
import type { FeishuConfig } from './types.ts';

// The Feishu / Lark web app's sign-in: the client's `tt.requestAccess` code (3 min, once) is exchanged for a
// user_access_token (POST /open-apis/authen/v2/oauth/token, the current form; authen/v1/oidc/access_token is marked
// historical), which names the user (GET /open-apis/authen/v1/user_info). The token is used for that and dropped.

const CALL_TIMEOUT_MS = 10_000;
/** The code is invalid, expired or used (20003, 20004, 20005); the user may not use the app (20010). */
const REFUSED_CODES = new Set([20003, 20004, 20005, 20010]);

const tokenAnswer = z.object({ access_token: z.string().min(1) }).loose();
const userAnswer = z
  .object({
    code: z.literal(0),
    data: z
      .object({ open_id: z.string().min(1), name: z.string().optional(), en_name: z.string().optional() })
      .loose(),
  })
  .loose();

export function feishuSignIn(config: FeishuConfig): WebSignIn {
  const base =
    config.domain === 'feishu'
      ? 'https://open.feishu.cn'
      : config.domain === 'lark'
        ? 'https://open.larksuite.com'
        : config.domain.replace(/\/+$/, '');
  return {
    clientConfig: { appId: config.appId },
    async identify(code) {
      if (!/^[A-Za-z0-9_-]{1,512}$/.test(code)) return null;
      const token = await post(`${base}/open-apis/authen/v2/oauth/token`, {
        grant_type: 'authorization_code',
        client_id: config.appId,
        client_secret: config.appSecret,
        code,
      });
      if (token.refused) return null;
      const read = checkPayload(tokenAnswer, token.body);
      if (!read.ok)
        throw new FeishuError(0, token.status, `oauth/token answered in an unexpected shape: ${read.reason}`);
      const info = await request(`${base}/open-apis/authen/v1/user_info`, {
        headers: { authorization: `Bearer ${read.value.access_token}` },
      });
      const user = checkPayload(userAnswer, info.body);
      if (!user.ok)
        throw new FeishuError(0, info.status, `user_info answered in an unexpected shape: ${user.reason}`);
      const name = user.value.data.name || user.value.data.en_name;
      return { externalId: user.value.data.open_id, ...(name ? { displayName: name } : {}) };
    },
  };
}

/** Posts the code exchange; a refused code is `refused`, any other failure throws (the platform could not say). */
async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; body: unknown; refused: boolean }> {
  const answer = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  const code = (answer.body as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && REFUSED_CODES.has(code)) return { ...answer, refused: true };
  if (answer.status !== 200 || (typeof code === 'number' && code !== 0))
    throw new FeishuError(
      typeof code === 'number' ? code : 0,
      answer.status,
      `oauth/token: code ${String(code)}`,
    );
  return { ...answer, refused: false };
}

async function request(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    // A redirect would carry the secret or the user's token elsewhere: never followed.
    response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new FeishuError(0, 0, error instanceof Error ? error.name : 'network error');
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    throw new FeishuError(0, response.status, `HTTP ${response.status}: unreadable answer`);
  }
  return { status: response.status, body };
}
