import type { Config } from '../config.ts';

/** One line of `liaison doctor`: what was checked, and for a failure what is wrong and what to do. */
export interface Check {
  status: 'ok' | 'FAIL' | 'off';
  text: string;
}

/** Each network check gives up after this long: a doctor that hangs helps nobody. */
export const CHECK_TIMEOUT_MS = 5_000;
const LLM_TIMEOUT_MS = 15_000;

const ok = (text: string): Check => ({ status: 'ok', text });
const fail = (text: string): Check => ({ status: 'FAIL', text });

/** Why a request never got an answer: a timeout or the network error's code. Never the message (URLs hold tokens). */
export function unreachable(error: unknown, timeoutMs = CHECK_TIMEOUT_MS): string {
  let e = error as { name?: unknown; code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as typeof e) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.name === 'APIConnectionTimeoutError')
      return `no answer within ${timeoutMs / 1000} s`;
    if (typeof e.code === 'string') return e.code;
  }
  return error instanceof Error ? error.name : 'network error';
}

async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return { status: response.status, body };
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

/** Telegram: the bot token (getMe), then where Telegram delivers updates (getWebhookInfo). */
export async function checkTelegram(config: NonNullable<Config['telegram']>, publicUrl: string | null) {
  const root = config.apiRoot.replace(/\/+$/, '');
  const call = (method: string) => getJson(`${root}/bot${config.botToken}/${method}`);
  let me: Awaited<ReturnType<typeof call>>;
  try {
    me = await call('getMe');
  } catch (error) {
    return [
      fail(`telegram: cannot reach ${root} (${unreachable(error)}) — check the network or TELEGRAM_API_ROOT`),
    ];
  }
  const description = String(field(me.body, 'description') ?? '');
  if (me.status === 401 || me.status === 404)
    return [
      fail(
        `telegram: the bot token was refused (${me.status} ${description || 'Unauthorized'}) — check TELEGRAM_BOT_TOKEN`,
      ),
    ];
  const username = field(field(me.body, 'result'), 'username');
  if (me.status !== 200 || typeof username !== 'string')
    return [
      fail(`telegram: getMe answered ${me.status} ${description} — try again, or check TELEGRAM_API_ROOT`),
    ];
  return [ok(`telegram: bot @${username} answers`), ...(await checkTelegramWebhook(call, publicUrl))];
}

async function checkTelegramWebhook(
  call: (method: string) => Promise<{ status: number; body: unknown }>,
  publicUrl: string | null,
): Promise<Check[]> {
  const expected = publicUrl ? `${publicUrl}/webhooks/telegram` : null;
  const fix = `run liaison telegram set-webhook ${expected ?? 'https://<this server>/webhooks/telegram'}`;
  let info: unknown;
  try {
    info = field((await call('getWebhookInfo')).body, 'result');
  } catch (error) {
    return [fail(`telegram webhook: getWebhookInfo got no answer (${unreachable(error)})`)];
  }
  const url = field(info, 'url');
  if (typeof url !== 'string') return []; // an API server that does not report webhooks
  if (!url) return [fail(`telegram webhook: not set, so no update reaches Liaison — ${fix}`)];
  if (expected && url !== expected)
    return [fail(`telegram webhook: points at ${url}, not ${expected} — ${fix}`)];
  const lastError = field(info, 'last_error_message');
  const lastErrorAt = Number(field(info, 'last_error_date') ?? 0) * 1000;
  if (typeof lastError === 'string' && lastError && Date.now() - lastErrorAt < 3_600_000)
    return [
      fail(
        `telegram webhook: Telegram's last delivery to ${url} failed: "${lastError}" — check that it is reachable over https`,
      ),
    ];
  return [
    ok(`telegram webhook: ${url} (${Number(field(info, 'pending_update_count') ?? 0)} updates waiting)`),
  ];
}

const WECOM_HINTS: Record<number, (variable: string) => string> = {
  40001: (v) => `was refused (40001 invalid credential) — check ${v} (the app's Secret) and WECOM_CORP_ID`,
  40013: () => 'the corp id was refused (40013 invalid corpid) — check WECOM_CORP_ID',
  60020: (v) =>
    `was refused because this server's IP is not trusted (60020) — add it to the 企业可信IP of the app of ${v}`,
};

/** WeCom: an access token for each configured secret (agent, 客户联系, 微信客服). */
export async function checkWecom(config: NonNullable<Config['wecom']>): Promise<Check[]> {
  const secrets = [
    ['WECOM_AGENT_SECRET', config.agentSecret],
    ['WECOM_CONTACT_SECRET', config.contactSecret],
    ['WECOM_KF_SECRET', config.kfSecret],
  ] as const;
  return Promise.all(
    secrets.flatMap(([variable, secret]) => (secret ? [checkWecomSecret(config, variable, secret)] : [])),
  );
}

async function checkWecomSecret(config: NonNullable<Config['wecom']>, variable: string, secret: string) {
  const query = new URLSearchParams({ corpid: config.corpId, corpsecret: secret });
  let answer: { status: number; body: unknown };
  try {
    answer = await getJson(`${config.apiBase}/cgi-bin/gettoken?${query}`);
  } catch (error) {
    return fail(
      `wecom: cannot reach ${config.apiBase} (${unreachable(error)}) — check the network or WECOM_API_BASE`,
    );
  }
  const errcode = Number(field(answer.body, 'errcode') ?? (answer.status === 200 ? 0 : -1));
  if (answer.status === 200 && errcode === 0 && field(answer.body, 'access_token'))
    return ok(`wecom: ${variable} accepted`);
  const hint = WECOM_HINTS[errcode];
  if (hint) return fail(`wecom: ${variable} ${hint(variable)}`);
  const errmsg = String(field(answer.body, 'errmsg') ?? '').split(',')[0];
  return fail(
    `wecom: gettoken with ${variable} answered ${answer.status} errcode ${errcode} ${errmsg}`.trimEnd(),
  );
}

const FEISHU_HOSTS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
};

/** Feishu / Lark: a tenant_access_token for the app. */
export async function checkFeishu(config: NonNullable<Config['feishu']>): Promise<Check> {
  const host = FEISHU_HOSTS[config.domain] ?? config.domain.replace(/\/+$/, '');
  let answer: { status: number; body: unknown };
  try {
    answer = await getJson(`${host}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ app_id: config.appId, app_secret: config.appSecret }),
    });
  } catch (error) {
    return fail(`feishu: cannot reach ${host} (${unreachable(error)}) — check the network or FEISHU_DOMAIN`);
  }
  const code = Number(field(answer.body, 'code') ?? -1);
  const msg = String(field(answer.body, 'msg') ?? '');
  if (code === 0 && field(answer.body, 'tenant_access_token'))
    return ok(`feishu: app ${config.appId} accepted`);
  if (code === 10003) return fail(`feishu: the app id was refused (10003 ${msg}) — check FEISHU_APP_ID`);
  if (code === 10014 || code === 10015)
    return fail(
      `feishu: the app secret was refused (${code} ${msg}) — check FEISHU_APP_SECRET and FEISHU_APP_ID`,
    );
  return fail(
    `feishu: tenant_access_token answered ${answer.status} code ${code} ${msg} — check FEISHU_DOMAIN`,
  );
}

/** The language model: one tiny completion, exactly as Liaison calls it. */
export async function checkLlm(config: NonNullable<Config['llm']>): Promise<Check> {
  const { createOpenAiLlm } = await import('../../adapters/llm/openai.ts');
  const llm = createOpenAiLlm({ ...config, timeoutMs: LLM_TIMEOUT_MS, maxRetries: 0 });
  const where = `${config.model} at ${config.baseUrl}`;
  try {
    await llm.complete({ messages: [{ role: 'user', content: 'Reply with the single word OK.' }] });
    return ok(`llm: ${where} answers`);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401 || status === 403)
      return fail(`llm: the API key was refused (${status}) — check OPENAI_API_KEY`);
    if (status === 404)
      return fail(`llm: ${where} was not found (404) — check OPENAI_BASE_URL and OPENAI_MODEL`);
    if (status === 429)
      return fail(`llm: ${where} is rate-limited or out of quota (429) — check the account`);
    if (typeof status === 'number') return fail(`llm: ${where} answered ${status} — try again later`);
    const why = unreachable(error, LLM_TIMEOUT_MS);
    return fail(`llm: cannot reach ${config.baseUrl} (${why}) — check the network or OPENAI_BASE_URL`);
  }
}
