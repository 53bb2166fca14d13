import { request } from 'node:http';
import type { Harness } from '../helpers/harness.ts';

export const SECRET_HEADER = 'x-liaison-playground-secret';

/** The secret as a browser on this computer gets it: inside the page. */
export async function pageSecret(url: string): Promise<string> {
  const html = await (await fetch(`${url}/playground`)).text();
  const secret = /name="liaison-playground-secret" content="([^"]+)"/.exec(html)?.[1];
  if (!secret) throw new Error('the playground page carries no secret');
  return secret;
}

let counter = 0;
/** A post id as the page makes them (12+ characters of A-Z a-z 0-9 _ -). */
export const postId = () => `test${Date.now().toString(36)}${(counter++).toString(36).padStart(4, '0')}`;

export const customerPost = (name: string, text: string, id = postId()) => {
  const customerId = `customer-${name.toLowerCase().replace(/\s+/g, '-')}`;
  return {
    type: 'message',
    id,
    chat: { id: customerId, kind: 'private', title: name },
    from: { id: customerId, name, language: 'en', side: 'customer' },
    text,
  };
};

export const staffPost = (
  staff: { id: string; name: string },
  text: string,
  chat: { id: string; kind: 'private' | 'group' } = { id: staff.id, kind: 'private' },
) => ({
  type: 'message',
  id: postId(),
  chat,
  from: { ...staff, language: 'en', side: 'staff' },
  text,
});

/** Posts to the web channel's webhook as the page does. */
export function postWeb(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/webhooks/web`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface Feed {
  inbound: Array<{ id: number; chatId: string; from: { id: string; name: string }; text: string }>;
  outbound: Array<{
    id: number;
    chatId: string;
    messageKey: string;
    text: string;
    card: {
      title: string;
      fields: Array<{ label: string; value: string }>;
      buttons: Array<{ label: string; value: Record<string, string | number> }>;
    } | null;
    hasImage: boolean;
  }>;
  lastIn: number;
  lastOut: number;
}

export async function readFeed(h: Harness, secret: string): Promise<Feed> {
  const res = await fetch(`${h.url}/playground/api/feed`, { headers: { [SECRET_HEADER]: secret } });
  if (res.status !== 200) throw new Error(`feed answered ${res.status}`);
  return (await res.json()) as Feed;
}

export const inboxCount = async (h: Harness) =>
  Number(
    (
      await h.db
        .selectFrom('inbox')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('platform', '=', 'web')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A request with a Host header of our choosing (fetch always sends the URL's): what a DNS-rebinding page sends. */
export function requestWithHost(
  url: string,
  host: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: { ...init.headers, host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
