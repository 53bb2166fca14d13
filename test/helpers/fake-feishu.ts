import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FormRecord, formRecord, multipartBoundary } from './multipart.ts';

export interface RecordedCall {
  method: string;
  /** The request path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text if it was not JSON, a multipart request's plain fields, or undefined. */
  body: unknown;
  /** The files of a multipart/form-data request (an image upload), by field name. */
  files?: FormRecord['files'];
  at: number;
}

export type ScriptedReply = {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Answer this long after the request arrived (a slow Feishu). */
  delayMs?: number;
};
export type FeishuUser = { name: string; union_id?: string; user_id?: string };
export type ChatMember = { member_id: string; name: string; tenant_key: string };

/** What reached a chat (uuid repeats are not delivered again). */
export interface Delivery {
  via: 'create' | 'reply' | 'patch' | 'hook';
  /** The receive_id for create, the message id for reply and patch, the hook token for hook. */
  chatOrMessageId: string;
  msgType: string;
  /** The parsed `content` (a hook's `card` object when it sends one). */
  content: unknown;
  uuid?: string;
}

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json };
type Route = {
  method: string;
  pattern: RegExp;
  handle: (
    ids: string[],
    body: Json,
    query: Record<string, string>,
    size: number,
    files: FormRecord['files'],
  ) => Answer;
};

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/feishu/${name}`, import.meta.url), 'utf8'));
const record = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const ok = (data: Json): Answer => ({ status: 200, body: { code: 0, msg: 'success', data } });
const fail = (status: number, code: number, msg: string): Answer => ({ status, body: { code, msg } });

const config = record(fixture('config.json'));
const signedHook = record(fixture('custom-bot-webhook-signed.json'));
const KB = 1024;
const TENANT_KEY = '2ed263bf32cf1651';
const ZHANG_SAN = 'ou_0028f3516910a0480e104e37b7b65e71';
const LI_SI = 'ou_b570a463a65682bc6f5aa7ca630b4d73';

/** Answers 230001 unless `content` is a string holding JSON, 230025 when it is too large for its type. */
const checkContent = (content: unknown, msgType: string): Answer | undefined => {
  try {
    if (typeof content !== 'string') throw new TypeError('content');
    JSON.parse(content);
  } catch {
    return fail(400, 230001, 'param invalid: content is not a string in json format');
  }
  // Feishu: text up to 150 KB; cards, rich text (post) and the rest up to 30 KB.
  const limit = msgType === 'text' ? 150 * KB : 30 * KB;
  if (Buffer.byteLength(content, 'utf8') > limit) return fail(400, 230025, 'message content too large');
  return undefined;
};

/**
 * A loopback fake of the Feishu / Lark open API for end-to-end tests, reached through the official
 * `@larksuiteoapi/node-sdk` (`domain: fake.domain`) and through plain fetch (custom bot webhooks). Issues and
 * checks tenant_access_tokens, records every call, plays scripted replies first (error bodies, 5xx, or
 * 'hang' to hold a request open until close()), then answers like Feishu: message create / reply (with
 * uuid dedup and size limits) / patch, contact users, chat members and signed custom bot webhooks.
 * Everything that reached a chat lands in `deliveries`.
 */
export class FakeFeishu {
  readonly calls: RecordedCall[] = [];
  readonly deliveries: Delivery[] = [];
  /** contact/v3/users by open_id (张三 and 李四 of the fixtures). */
  readonly users = new Map<string, FeishuUser>([
    [ZHANG_SAN, { name: '张三', union_id: 'on_7ecabedfe20f727dc845b375fb7fffc1', user_id: 'e7c3b2f1' }],
    [LI_SI, { name: '李四', union_id: 'on_8be9950b394a2982033c9ca40451d9dc', user_id: 'a9d4e6c2' }],
  ]);
  /** im/v1/chats/:chat_id/members by chat_id (the fixture group chat holds 张三 and 李四). */
  readonly chatMembers = new Map<string, ChatMember[]>([
    [
      'oc_c23ec10b81f66f74211dafde2e23c238',
      [
        { member_id: ZHANG_SAN, name: '张三', tenant_key: TENANT_KEY },
        { member_id: LI_SI, name: '李四', tenant_key: TENANT_KEY },
      ],
    ],
  ]);
  /** The bot's p2p chat_id per receive_id, answered as `chat_id` when sending by open_id etc. */
  readonly p2pChats = new Map<string, string>([[ZHANG_SAN, 'oc_c72232ea007e07596598e442973b0fac']]);
  /** Custom bots: hook token → signing secret ('' turns the signature check off). */
  readonly bots = new Map<string, string>([[text(signedHook.hookToken), text(signedHook.secret)]]);
  /** Images uploaded through im/v1/images, by image_key; image messages and card img elements must name one. */
  readonly images = new Map<string, { imageType: string; size: number }>();
  /**
   * im/v1/messages/:message_id by id: the items Feishu lists for a message, the message first (a merge_forward
   * bundle's messages follow, naming it in `upper_message_id`). `sender.sender_name` is answered only when asked for.
   */
  readonly messages = new Map<string, Json[]>();
  /** Message resources (files and pictures in messages), by `${message_id}/${file_key}`, with the `type` they need. */
  readonly resources = new Map<string, { type: 'image' | 'file'; bytes: Buffer; contentType: string }>();
  /** Web app sign-in codes (`tt.requestAccess`), each answering once with the user's open_id. */
  readonly authCodes = new Map<string, string>();
  /** user_access_tokens issued for codes, by token: whose they are. */
  readonly userTokens = new Map<string, string>();
  /** The fake's clock in ms, for the custom bot timestamp window and create_time. */
  now: () => number = Date.now;
  readonly appId: string;
  /** Chaos testing: consulted for every call nothing is scripted for; may answer a fault instead (or 'hang'). */
  chaos?: (call: RecordedCall) => ScriptedReply | 'hang' | undefined;
  readonly appSecret: string;
  private readonly tokens = new Map<string, { expired: boolean }>();
  /** Answers by uuid, replayed for repeats. */
  private readonly sent = new Map<string, Json>();
  private readonly chatOf = new Map<string, string>();
  private readonly scripts = new Map<string, Array<ScriptedReply | 'hang'>>();
  private readonly hanging = new Set<ServerResponse>();
  private messageSeq = 0;
  private server = createServer((req, res) => void this.handle(req, res));

  /** Defaults to the fixture app (test/fixtures/feishu/config.json). */
  constructor(options?: { appId: string; appSecret: string }) {
    this.appId = options?.appId ?? text(config.appId);
    this.appSecret = options?.appSecret ?? text(config.appSecret);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The base URL to pass as the SDK's `domain` (no trailing slash). */
  get domain(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Replies to play, in order, for the next `method` calls of exactly `path` (before any checks). */
  script(method: string, path: string, ...replies: Array<ScriptedReply | 'hang'>): void {
    const key = `${method.toUpperCase()} ${path}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...replies]);
  }

  callsTo(method: string, pathPrefix: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method.toUpperCase() && c.path.startsWith(pathPrefix));
  }

  tokensIssued(): number {
    return this.tokens.size;
  }

  /** Every token issued so far now answers HTTP 400 with code 99991663. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expired = true;
  }

  /** The bot's own open_id, as in the shared fixtures (the @_user_1 mention of the group sample). */
  static readonly BOT_OPEN_ID = 'ou_2c61a8527c6b2e38d25e19ab425c50cc';

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private readonly routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/,
      handle: (_, b) => this.issueToken(b),
    },
    { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages$/, handle: (_, b, q) => this.create(b, q) },
    {
      method: 'POST',
      pattern: /^\/open-apis\/im\/v1\/images$/,
      handle: (_, b, _q, _s, files) => this.upload(text(b.image_type), files.image?.size ?? 0),
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/,
      handle: ([id = ''], b) => this.send('reply', id, this.chatOf.get(id) ?? '', b, id),
    },
    {
      method: 'PATCH',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
      handle: ([id = ''], b) => {
        const invalid = checkContent(b.content, 'interactive');
        if (invalid) return invalid;
        const content: unknown = JSON.parse(text(b.content));
        this.deliveries.push({ via: 'patch', chatOrMessageId: id, msgType: 'interactive', content });
        return ok({});
      },
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
      handle: ([id = ''], _, q) => this.message(id, q),
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/contact\/v3\/users\/([^/]+)$/,
      handle: ([id = ''], _, q) => this.user(id, q),
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/,
      handle: ([id = ''], _, q) => this.members(id, q),
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/bot\/v3\/info$/,
      handle: () => ({
        status: 200,
        body: {
          code: 0,
          msg: 'ok',
          bot: { activate_status: 2, app_name: '客户助手', open_id: FakeFeishu.BOT_OPEN_ID },
        },
      }),
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/authen\/v2\/oauth\/token$/,
      handle: (_, b) => this.userToken(b),
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/authen\/v1\/user_info$/,
      handle: () => fail(401, 20005, 'invalid access token'),
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/,
      handle: ([token = ''], b, _, size) => this.hook(token, b, size),
    },
  ];

  private issueToken(b: Json): Answer {
    if (b.app_id !== this.appId || b.app_secret !== this.appSecret)
      return fail(200, 10014, 'app secret invalid');
    const token = `t-${this.tokens.size + 1}`;
    this.tokens.set(token, { expired: false });
    const base = record(fixture('api-tenant-access-token.json'));
    return { status: 200, body: { ...base, tenant_access_token: token, expire: 7200 } };
  }

  /** Like Feishu: `image_type` message or avatar, an image of 1 byte to 10 MB. */
  private upload(imageType: string, size: number): Answer {
    if (!['message', 'avatar'].includes(imageType)) return fail(400, 234001, 'Invalid request param.');
    if (size === 0) return fail(400, 234010, 'File size is 0.');
    if (size > 10 * KB * KB) return fail(400, 234006, 'The file size exceed the max value.');
    const imageKey = `img_v3_${this.images.size + 1}`;
    this.images.set(imageKey, { imageType, size });
    return ok({ image_key: imageKey });
  }

  /** Image keys a message names that were never uploaded: an image message's, or a card's img elements'. */
  private unknownImages(msgType: string, content: unknown): string[] {
    const keys =
      msgType === 'image'
        ? [text(record(content).image_key)]
        : msgType === 'interactive'
          ? list(record(record(content).body).elements)
              .map(record)
              .filter((e) => e.tag === 'img')
              .map((e) => text(e.img_key))
          : [];
    return keys.filter((k) => !this.images.has(k));
  }

  private create(b: Json, query: Record<string, string>): Answer {
    const type = query.receive_id_type ?? '';
    if (!['open_id', 'chat_id', 'user_id', 'union_id', 'email'].includes(type))
      return fail(400, 99992402, 'field validation failed');
    const receiveId = text(b.receive_id);
    const chatId = type === 'chat_id' ? receiveId : (this.p2pChats.get(receiveId) ?? `oc_p2p_${receiveId}`);
    return this.send('create', receiveId, chatId, b);
  }

  private send(via: 'create' | 'reply', target: string, chatId: string, b: Json, parentId?: string): Answer {
    const msgType = text(b.msg_type);
    const invalid = checkContent(b.content, msgType);
    if (invalid) return invalid;
    const uuid = text(b.uuid) || undefined;
    const seen = uuid === undefined ? undefined : this.sent.get(uuid);
    if (seen) return { status: 200, body: seen };
    if (this.unknownImages(msgType, JSON.parse(text(b.content))).length > 0)
      return fail(400, 230001, 'param invalid: image_key is invalid');
    const base = record(fixture('api-im-message-create.json'));
    const messageId = `om_${++this.messageSeq}`;
    const time = String(this.now());
    const data = {
      ...record(base.data),
      message_id: messageId,
      ...(parentId === undefined ? {} : { root_id: parentId, parent_id: parentId }),
      msg_type: msgType,
      create_time: time,
      update_time: time,
      chat_id: chatId,
      sender: { ...record(record(base.data).sender), id: this.appId },
      body: { content: b.content },
    };
    const answer = { ...base, data };
    this.chatOf.set(messageId, chatId);
    if (uuid !== undefined) this.sent.set(uuid, answer);
    const content: unknown = JSON.parse(text(b.content));
    this.deliveries.push({ via, chatOrMessageId: target, msgType, content, ...(uuid ? { uuid } : {}) });
    return { status: 200, body: answer };
  }

  private user(id: string, query: Record<string, string>): Answer {
    const type = query.user_id_type ?? 'open_id';
    const found = [...this.users].find(([openId, u]) => {
      return (type === 'user_id' ? u.user_id : type === 'union_id' ? u.union_id : openId) === id;
    });
    if (!found) return fail(400, 41050, 'no user authority error');
    const [openId, user] = found;
    return ok({ user: { open_id: openId, ...user } });
  }

  /** Like Feishu: an unknown id is refused; sender names only with `with_sender_name=true`. */
  private message(id: string, query: Record<string, string>): Answer {
    const items = this.messages.get(id);
    if (!items) return fail(400, 230001, 'param invalid: message_id is invalid');
    const named = query.with_sender_name === 'true';
    return ok({
      items: items.map((i) => {
        const { sender_name: _, ...sender } = record(i.sender);
        return { ...i, sender: named ? record(i.sender) : sender };
      }),
    });
  }

  /** Like authen/v2/oauth/token: the app's credentials and an unused code give a user_access_token (RFC 6749 body). */
  private userToken(b: Json): Answer {
    if (b.grant_type !== 'authorization_code') return fail(400, 20001, 'invalid grant_type');
    if (b.client_id !== this.appId || b.client_secret !== this.appSecret)
      return fail(400, 20002, 'invalid client');
    const openId = this.authCodes.get(text(b.code));
    if (openId === undefined) return fail(400, 20003, 'invalid authorization code');
    this.authCodes.delete(text(b.code));
    const token = `u-${this.userTokens.size + 1}`;
    this.userTokens.set(token, openId);
    return {
      status: 200,
      body: { code: 0, access_token: token, expires_in: 7200, token_type: 'Bearer', scope: '' },
    };
  }

  /** Like authen/v1/user_info: the user a user_access_token belongs to. */
  private userInfo(headers: Record<string, string>): Answer | undefined {
    const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1] ?? '';
    const openId = this.userTokens.get(bearer);
    if (openId === undefined) return undefined;
    const user = this.users.get(openId);
    return ok({
      open_id: openId,
      name: user?.name ?? '',
      union_id: user?.union_id ?? '',
      tenant_key: TENANT_KEY,
    });
  }

  private members(chatId: string, query: Record<string, string>): Answer {
    const all = this.chatMembers.get(chatId) ?? [];
    const size = Math.min(Math.max(Number(query.page_size) || 20, 1), 100);
    const start = Number(query.page_token) || 0;
    const items = all.slice(start, start + size).map((m) => ({ member_id_type: 'open_id', ...m }));
    const more = start + size < all.length;
    return ok({
      items,
      page_token: more ? String(start + size) : '',
      has_more: more,
      member_total: all.length,
    });
  }

  private hook(token: string, b: Json, size: number): Answer {
    if (size > 20 * KB) return fail(200, 9499, 'request body too large');
    const secret = this.bots.get(token);
    if (secret === undefined) return fail(200, 19001, 'param invalid: incoming webhook access token invalid');
    if (secret !== '') {
      const timestamp = typeof b.timestamp === 'number' ? String(b.timestamp) : text(b.timestamp);
      const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
      const drift = Math.abs(this.now() / 1000 - Number(timestamp));
      if (b.sign !== sign || !(drift <= 3600))
        return fail(200, 19021, 'sign match fail or timestamp is not within one hour from current time');
    }
    const content = b.card ?? b.content;
    this.deliveries.push({ via: 'hook', chatOrMessageId: token, msgType: text(b.msg_type), content });
    return ok({});
  }

  /** HTTP 400 unless an im or contact call carries `Authorization: Bearer <live token>`. */
  private authFailure(path: string, headers: Record<string, string>): Answer | undefined {
    if (!/^\/open-apis\/(im|contact)\//.test(path)) return undefined;
    const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
    const token = bearer === undefined ? undefined : this.tokens.get(bearer);
    if (!token) return fail(400, 99991661, 'Missing access token for authorization.');
    if (token.expired) {
      const msg = 'Invalid access token for authorization. Please make a request with token attached.';
      return fail(400, 99991663, msg);
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const [method, path] = [req.method ?? 'GET', url.pathname];
    const query = Object.fromEntries(url.searchParams);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const boundary = multipartBoundary(headers['content-type']);
    const form = boundary === undefined ? undefined : formRecord(raw, boundary);
    let body: unknown = form?.fields;
    let badJson = false;
    try {
      if (!form) body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      [body, badJson] = [raw.toString('utf8'), true];
    }
    const call: RecordedCall = {
      method,
      path,
      query,
      headers,
      body,
      ...(form ? { files: form.files } : {}),
      at: Date.now(),
    };
    this.calls.push(call);
    const scripted = this.scripts.get(`${method} ${path}`)?.shift() ?? this.chaos?.(call);
    if (scripted === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
    if (scripted) return this.reply(res, scripted.status ?? 200, scripted.body, scripted.headers);
    // im/v1/messages/:message_id/resources/:file_key answers the file's bytes, not JSON.
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(path);
    if (method === 'GET' && resource) {
      const refused = this.authFailure(path, headers);
      if (refused) return this.reply(res, refused.status, refused.body);
      const file = this.resources.get(`${resource[1]}/${resource[2]}`);
      if (!file || file.type !== query.type)
        return this.reply(res, 400, { code: 234003, msg: 'File not in msg.' });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
      return void res.end(file.bytes);
    }
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    const ids = (route?.pattern.exec(path) ?? []).slice(1);
    const answer =
      this.authFailure(path, headers) ??
      (method === 'GET' && path === '/open-apis/authen/v1/user_info' ? this.userInfo(headers) : undefined) ??
      (!route
        ? fail(404, 404, 'not found')
        : badJson
          ? fail(400, 9499, 'Bad Request')
          : route.handle(ids, record(body), query, raw.length, form?.files ?? {}));
    return this.reply(res, answer.status, answer.body);
  }

  private reply(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
}

export const feishuFixture = fixture;
