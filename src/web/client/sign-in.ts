import { type Api, SignedOut } from './api.ts';

// Signing in by the host the page is opened in: the proof each platform's client gives is posted to the server
// (src/web/routes.ts `/app/sign-in/:platform`), which checks it with the platform. A plain browser has no proof: the
// page then says to ask `/web` in the chat.

/** What a host's client needs from the server to ask for a proof (`GET /app/host-config`): public ids only. */
type HostConfig = Record<string, Record<string, string> | undefined>;

/** Feishu/Lark's H5 JS-SDK as its webview injects it (`tt`, with `h5sdk.ready`). */
interface FeishuSdk {
  requestAccess?(o: FeishuRequest & { scopeList: string[] }): void;
  requestAuthCode?(o: FeishuRequest): void;
}
interface FeishuRequest {
  appID?: string;
  appId?: string;
  success(res: { code?: string }): void;
  fail(error: unknown): void;
}

/** The session: the one the page has, or one signed in through the host; SignedOut when there is neither. */
export async function ensureSession(api: Api): ReturnType<Api['me']> {
  try {
    return await api.me();
  } catch (error) {
    if (!(error instanceof SignedOut)) throw error;
    if (!(await signInByHost(api))) throw error;
    return api.me();
  }
}

/**
 * Signs in through the host, if the page is in one: true once signed in, false in a plain browser. Throws SignedOut
 * when the platform's proof is refused. In WeCom without a code yet, the page leaves for the OAuth2 authorize address
 * and this never settles.
 */
export async function signInByHost(api: Api): Promise<boolean> {
  const initData = telegramInitData();
  if (initData) return prove(api, 'telegram', initData);
  const w = window as unknown as { ww?: unknown; tt?: FeishuSdk; h5sdk?: { ready(f: () => void): void } };
  if (w.ww || /wxwork/i.test(navigator.userAgent)) return wecomSignIn(api);
  if (w.tt?.requestAccess || w.tt?.requestAuthCode)
    return prove(api, 'feishu', await feishuCode(w.tt, w.h5sdk));
  return false;
}

/**
 * A Telegram Mini App's `initData`: what Telegram's telegram-web-app.js reads, taken where it reads it — the launch
 * parameters Telegram puts in the page's fragment (`#tgWebAppData=…`). The script is not loaded: the page's CSP runs
 * only its own scripts. A `Telegram.WebApp` a host already put on the page is used first.
 */
export function telegramInitData(): string | null {
  const given = (window as unknown as { Telegram?: { WebApp?: { initData?: string } } }).Telegram?.WebApp;
  if (given?.initData) return given.initData;
  const data = new URLSearchParams(location.hash.slice(1)).get('tgWebAppData');
  return data || null;
}

/** WeCom: the OAuth2 `code` WeCom appended to the page's address, or a trip to get one (`snsapi_base`, silent). */
async function wecomSignIn(api: Api): Promise<boolean> {
  const here = new URL(location.href);
  const code = here.searchParams.get('code');
  if (code) {
    // The code is single-use: off the address before anything else reads or signs the page's URL.
    here.searchParams.delete('code');
    here.searchParams.delete('state');
    history.replaceState(history.state, '', here.href);
    return prove(api, 'wecom', code);
  }
  const wecom = (await hostConfig())?.wecom;
  if (!wecom?.corpId) return false;
  here.hash = '';
  const authorize = new URL('https://open.weixin.qq.com/connect/oauth2/authorize');
  authorize.search = new URLSearchParams({
    appid: wecom.corpId,
    redirect_uri: here.href,
    response_type: 'code',
    scope: 'snsapi_base',
    state: 'liaison',
    ...(wecom.agentId ? { agentid: wecom.agentId } : {}),
  }).toString();
  authorize.hash = 'wechat_redirect';
  location.replace(authorize.href);
  return new Promise<boolean>(() => {});
}

/** Feishu/Lark: the user's authorisation code for this app, from the webview's SDK. */
async function feishuCode(tt: FeishuSdk, h5sdk?: { ready(f: () => void): void }): Promise<string> {
  const appId = (await hostConfig())?.feishu?.appId;
  if (!appId) throw new SignedOut();
  await new Promise<void>((resolve) => (h5sdk ? h5sdk.ready(resolve) : resolve()));
  return new Promise<string>((resolve, reject) => {
    const request: FeishuRequest = {
      appID: appId,
      appId,
      success: (res) => (res.code ? resolve(res.code) : reject(new SignedOut())),
      fail: () => reject(new SignedOut()),
    };
    if (tt.requestAccess) tt.requestAccess({ ...request, scopeList: [] });
    else tt.requestAuthCode?.(request);
  });
}

async function prove(api: Api, platform: string, proof: string): Promise<boolean> {
  const res = await api.post<unknown>(`/app/sign-in/${platform}`, { proof });
  if (res.status !== 200) throw new SignedOut();
  return true;
}

async function hostConfig(): Promise<HostConfig | null> {
  const res = await fetch('/app/host-config', { credentials: 'same-origin' });
  return res.ok ? ((await res.json()) as HostConfig) : null;
}
