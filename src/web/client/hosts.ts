import type { Api } from './api.ts';

// Where the panel runs: WeCom's chat sidebar (the JS-SDK's `ww`), a Telegram Mini App, or a plain browser.

/** What the panel uses of WeCom's JS-SDK (`@wecom/jssdk`, or a `ww` the page already has). */
export interface ChatBridge {
  getCurExternalContact(): Promise<{ userId: string }>;
  sendChatMessage(message: { msgtype: 'text'; text: { content: string } }): Promise<unknown>;
}

interface Signature {
  appId: string;
  agentId?: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

const JS_APIS = ['getContext', 'getCurExternalContact', 'sendChatMessage'];

/**
 * WeCom's bridge: a `ww` already on the page (a host that injects the SDK), or, inside WeCom's webview, the bundled
 * SDK registered with the server's signatures for this page. Null elsewhere. Loaded on demand: no weight elsewhere.
 */
export async function wecomBridge(api: Api): Promise<ChatBridge | null> {
  const given = (window as unknown as { ww?: ChatBridge }).ww;
  if (given && typeof given.getCurExternalContact === 'function') return given;
  if (!/wxwork/i.test(navigator.userAgent)) return null;
  const ww = await import('@wecom/jssdk');
  const sign = async (kind: 'corp' | 'agent', url: string) => {
    const res = await api.post<Signature>('/app/page-signature/wecom', { kind, url });
    if (res.status !== 200) throw new Error(`page signature: ${res.status}`);
    return res.body;
  };
  const corp = await sign('corp', location.href);
  ww.register({
    corpId: corp.appId,
    ...(corp.agentId ? { agentId: corp.agentId } : {}),
    jsApiList: JS_APIS,
    getConfigSignature: async () => corp,
    getAgentConfigSignature: (url: string) => sign('agent', url),
  });
  return {
    getCurExternalContact: () => ww.getCurExternalContact(),
    sendChatMessage: (m) => ww.sendChatMessage(m),
  };
}

/**
 * A Telegram Mini App's start parameter (`startapp=c42` → customer 42), from the launch data Telegram puts in the
 * page's fragment (`tgWebAppStartParam`, or `start_param` inside `tgWebAppData`). Null elsewhere.
 */
export function telegramCustomer(): number | null {
  const hash = new URLSearchParams(location.hash.slice(1));
  const data = new URLSearchParams(hash.get('tgWebAppData') ?? '');
  const param = hash.get('tgWebAppStartParam') ?? data.get('start_param') ?? '';
  const id = /^c?(\d{1,15})$/.exec(param)?.[1];
  return id ? Number(id) : null;
}

/** `?customer=42` in the page's address. */
export function customerInAddress(): number | null {
  const raw = new URLSearchParams(location.search).get('customer') ?? '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}
