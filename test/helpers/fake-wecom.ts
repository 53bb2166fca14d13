import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FormRecord, formRecord, multipartBoundary } from './multipart.ts';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, the raw text if it was not JSON, or undefined when empty. */
  body: unknown;
  at: number;
  /** The files of a multipart/form-data request (media/upload), by field name; `body` then holds its plain fields. */
  files?: FormRecord['files'];
  /** The secret the access_token was issued for (absent for gettoken, the robot, and unknown tokens). */
  secret?: string;
}

export type ScriptedReply = { status?: number; body: unknown };
export type CorpTag = { id: string; name: string; create_time: number; order: number; deleted?: boolean };
export type KfCustomer = { nickname: string; unionid?: string; gender?: number; avatar?: string };

export interface CorpTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  tag: CorpTag[];
  deleted?: boolean;
}

export interface Transfer {
  handover: string;
  takeover: string;
  externalUserId: string;
  resigned: boolean;
  /** 1 done, 2 waiting, 3 refused by the customer, 4 takeover member at limit, 5 no record. */
  status: 1 | 2 | 3 | 4 | 5;
  takeoverTime: number;
}

export type Json = Record<string, unknown>;
export type Handler = (body: Json, query: Record<string, string>, files: FormRecord['files']) => Json;

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/wecom/${name}`, import.meta.url), 'utf8'));
const record = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const texts = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const bytes = (v: unknown): number => Buffer.byteLength(text(v), 'utf8');
const now = (): number => Math.floor(Date.now() / 1000);
const error = (errcode: number, errmsg: string): Json => ({ errcode, errmsg });

const config = record(fixture('config.json'));

/**
 * A loopback fake of the WeCom (企业微信) server API (qyapi.weixin.qq.com) for end-to-end tests: issues and
 * checks access tokens per secret, records every call, plays scripted replies first (500s, errcodes, or
 * 'hang' to hold a request open until close()), then answers like WeCom from small in-memory stores
 * (contacts, 微信客服 pages and customers, corp tags, transfers, members, customer groups, robot keys).
 */
export class FakeWecom {
  readonly calls: RecordedCall[] = [];
  /** externalcontact/get bodies by external_userid (with or without errcode/errmsg). */
  readonly contacts = new Map<string, unknown>();
  /** Full kf/sync_msg response bodies, played in order; see kfSyncFixture(). */
  readonly kfPages: unknown[] = [];
  readonly kfCustomers = new Map<string, KfCustomer>();
  /** Members who are receiving servicers (接待人员) of the kf accounts; `service_state/trans` to others is 95014. */
  readonly kfServicers = new Set<string>();
  /** Welcome codes used with send_welcome_msg. */
  readonly welcomed = new Set<string>();
  /** Session state per `${open_kfid}|${external_userid}` (absent: 0, the API may answer). */
  readonly kfSessions = new Map<string, { state: number; servicer?: string }>();
  /** Corp tag ids marked per `${userid}|${external_userid}`. */
  readonly marked = new Map<string, Set<string>>();
  /** External ids whose transfer_customer answers the per-customer errcode 40129. */
  readonly transferRefusedNow = new Set<string>();
  readonly transfers: Transfer[] = [];
  readonly memberNames = new Map<string, string>();
  /** externalcontact/groupchat/get `group_chat` objects by chat_id. */
  readonly groups = new Map<string, unknown>();
  readonly robotKeys = new Set<string>(['robot-key-1']);
  /** Temporary media uploaded through media/upload, by media_id; image messages must name one of them. */
  readonly media = new Map<string, { type: string; filename: string; size: number }>();
  /** Files `media/get` serves, by media_id (what customers sent through 微信客服 or the app). */
  readonly downloads = new Map<string, { bytes: Buffer; contentType: string; filename: string }>();
  readonly corpId: string;
  /** Chaos testing: consulted for every call nothing is scripted for; may answer a fault instead (or 'hang'). */
  chaos?: (call: RecordedCall) => ScriptedReply | 'hang' | undefined;
  readonly secrets: string[];
  private readonly tokens = new Map<string, { secret: string; expired: boolean }>();
  private readonly tagGroups: CorpTagGroup[] = [];
  private readonly scripts = new Map<string, Array<ScriptedReply | 'hang'>>();
  private readonly hanging = new Set<ServerResponse>();
  private seq = 0;
  private server = createServer((req, res) => void this.handle(req, res));

  /** Defaults to the fixture corp id and its agent, contact and kf secrets (test/fixtures/wecom/config.json). */
  constructor(options?: { corpId: string; secrets: string[] }) {
    this.corpId = options?.corpId ?? text(config.corpId);
    this.secrets = options?.secrets ?? texts([config.agentSecret, config.contactSecret, config.kfSecret]);
    const contact = record(fixture('api-externalcontact-get.json'));
    this.contacts.set(text(record(contact.external_contact).external_userid), contact);
    for (const follow of list(contact.follow_user))
      for (const t of list(record(follow).tags).map(record))
        this.tagNamed(this.groupNamed(text(t.group_name)), text(t.tag_name), text(t.tag_id));
  }

  /** A fresh parsed copy of the kf/sync_msg fixture (two customer text messages, has_more 0). */
  static kfSyncFixture(): Json {
    return record(fixture('api-kf-sync-msg.json'));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Replies to play, in order, for the next calls of `path` (before the token check). */
  script(path: string, ...replies: Array<ScriptedReply | 'hang'>): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...replies]);
  }

  /** Adds (or replaces) the handler of an API path, for endpoints a suite's own fake module implements. */
  route(path: string, handler: Handler): void {
    this.routes[path] = handler;
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  tokensIssued(secret: string): number {
    return [...this.tokens.values()].filter((t) => t.secret === secret).length;
  }

  /** Every token issued so far now answers 42001. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expired = true;
  }

  /** The live tag store (tests may flip `deleted`). */
  corpTagGroups(): CorpTagGroup[] {
    return this.tagGroups;
  }

  /** Adds a group (or reuses the one of that name) with the tags it lacks; returns it, ids included. */
  addCorpTagGroup(groupName: string, tagNames: string[]): CorpTagGroup {
    const group = this.groupNamed(groupName);
    for (const name of tagNames) this.tagNamed(group, name);
    return group;
  }

  /** Sets the outcome of the latest transfer of this customer (takeover_time is set when status is 1). */
  settleTransfer(externalUserId: string, status: 1 | 2 | 3 | 4 | 5): void {
    const transfer = this.transfers.findLast((t) => t.externalUserId === externalUserId);
    if (!transfer) throw new Error(`no transfer of ${externalUserId}`);
    transfer.status = status;
    transfer.takeoverTime = status === 1 ? now() : 0;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private readonly routes: Record<string, Handler> = {
    '/cgi-bin/gettoken': (_, q) => this.getToken(q),
    '/cgi-bin/webhook/send': (b, q) => this.robot(b, q),
    '/cgi-bin/message/send': (b) =>
      bytes(record(b.text).content) > 2048
        ? error(40058, 'content exceed max length')
        : (this.unknownMedia(b) ?? {
            ...record(fixture('api-message-send-ok.json')),
            msgid: `msg-${++this.seq}`,
          }),
    '/cgi-bin/appchat/send': (b) => this.unknownMedia(b) ?? {},
    '/cgi-bin/media/upload': (_, q, files) => this.upload(q.type ?? '', files.media),
    '/cgi-bin/kf/send_msg': (b) =>
      // Like WeCom: once a person took the session, the API may not write in it.
      (this.kfSessions.get(`${text(b.open_kfid)}|${text(b.touser)}`)?.state ?? 0) >= 2
        ? error(95018, 'send msg session status invalid')
        : { msgid: `kfmsg-${++this.seq}` },
    '/cgi-bin/externalcontact/send_welcome_msg': (b) => {
      // Like WeCom: a code greets once; again, it answers that the customer has started chatting.
      const code = text(b.welcome_code);
      if (this.welcomed.has(code)) return error(41051, 'externaluser has started chatting');
      this.welcomed.add(code);
      return {};
    },
    '/cgi-bin/kf/send_msg_on_event': (b) =>
      text(b.code) ? { msgid: `kfevent-${++this.seq}` } : error(95007, 'invalid msg code'),
    '/cgi-bin/kf/service_state/get': (b) => {
      const session = this.kfSessions.get(`${text(b.open_kfid)}|${text(b.external_userid)}`);
      return {
        service_state: session?.state ?? 0,
        ...(session?.state === 3 ? { servicer_userid: session.servicer } : {}),
      };
    },
    '/cgi-bin/kf/service_state/trans': (b) => {
      const servicer = text(b.servicer_userid);
      const from = this.kfSessions.get(`${text(b.open_kfid)}|${text(b.external_userid)}`)?.state ?? 0;
      // WeCom's state table: 0 → 1, 2, 3; 1 → 2, 3; 2 → 3; 3 → 3, 4; 4 → nothing.
      const allowed: Record<number, number[]> = { 0: [1, 2, 3], 1: [2, 3], 2: [3], 3: [3, 4], 4: [] };
      if (!allowed[from]?.includes(Number(b.service_state)))
        return error(95016, 'invalid service state transition');
      if (b.service_state === 3 && !this.kfServicers.has(servicer))
        return error(95014, 'user is not servicer');
      this.kfSessions.set(`${text(b.open_kfid)}|${text(b.external_userid)}`, {
        state: Number(b.service_state),
        servicer,
      });
      return { msg_code: `msgcode-${++this.seq}` };
    },
    '/cgi-bin/externalcontact/get': (_, q) => {
      const contact = this.contacts.get(q.external_userid ?? '');
      return contact === undefined ? error(84061, 'not external contact') : record(contact);
    },
    '/cgi-bin/kf/sync_msg': (b) =>
      this.kfPages.length > 0
        ? record(this.kfPages.shift())
        : { next_cursor: text(b.cursor), has_more: 0, msg_list: [] },
    '/cgi-bin/kf/customer/batchget': (b) => {
      const ids = texts(b.external_userid_list);
      return {
        customer_list: ids.flatMap((id) => {
          const c = this.kfCustomers.get(id);
          return c ? [{ external_userid: id, avatar: '', gender: 0, ...c }] : [];
        }),
        invalid_external_userid: ids.filter((id) => !this.kfCustomers.has(id)),
      };
    },
    '/cgi-bin/externalcontact/get_corp_tag_list': (b) => {
      // Like WeCom: deleted tags only show (flagged) when asked for by tag_id or group_id.
      const ids = [...texts(b.tag_id), ...texts(b.group_id)];
      const shown = (g: CorpTagGroup, t: CorpTag) =>
        ids.length === 0 ? !t.deleted : ids.includes(g.group_id) || ids.includes(t.id);
      const groups = this.tagGroups.map((g) => ({ ...g, tag: g.tag.filter((t) => shown(g, t)) }));
      return { tag_group: ids.length === 0 ? groups : groups.filter((g) => g.tag.length > 0) };
    },
    '/cgi-bin/externalcontact/add_corp_tag': (b) => {
      const groupName = text(b.group_name);
      const group = b.group_id
        ? this.tagGroups.find((g) => g.group_id === b.group_id)
        : groupName
          ? this.groupNamed(groupName)
          : undefined;
      if (!group) return error(40068, 'invalid tagid');
      const names = list(b.tag).map((t) => text(record(t).name));
      if (names.every((name) => group.tag.some((t) => t.name === name && !t.deleted)))
        return error(40071, 'UserTag Name Already Exist');
      return { tag_group: { ...group, tag: names.map((name) => this.tagNamed(group, name)) } };
    },
    '/cgi-bin/externalcontact/mark_tag': (b) => {
      const add = texts(b.add_tag);
      const remove = texts(b.remove_tag);
      const live = new Set(this.tagGroups.flatMap((g) => g.tag.filter((t) => !t.deleted).map((t) => t.id)));
      if (![...add, ...remove].every((id) => live.has(id))) return error(40068, 'invalid tagid');
      const key = `${text(b.userid)}|${text(b.external_userid)}`;
      const set = this.marked.get(key) ?? new Set<string>();
      for (const id of add) set.add(id);
      for (const id of remove) set.delete(id);
      this.marked.set(key, set);
      return {};
    },
    '/cgi-bin/externalcontact/transfer_customer': (b) => this.transfer(b, false),
    '/cgi-bin/externalcontact/resigned/transfer_customer': (b) => this.transfer(b, true),
    '/cgi-bin/externalcontact/transfer_result': (b) => this.transferResult(b, false),
    '/cgi-bin/externalcontact/resigned/transfer_result': (b) => this.transferResult(b, true),
    '/cgi-bin/user/get': (_, q) => ({
      userid: q.userid,
      name: this.memberNames.get(q.userid ?? '') ?? q.userid,
    }),
    '/cgi-bin/externalcontact/groupchat/get': (b) => {
      const group = this.groups.get(text(b.chat_id));
      return group === undefined ? error(40050, 'chatid not found') : { group_chat: group };
    },
  };

  /** Like WeCom: image ≤ 10 MB (JPG, PNG), at least 5 bytes; answers a media_id valid for 3 days. */
  private upload(type: string, file: FormRecord['files'][string] | undefined): Json {
    if (!['image', 'voice', 'video', 'file'].includes(type)) return error(40004, 'invalid media type');
    if (!file?.filename) return error(41001, 'media data missing');
    if (file.size < 5 || (type === 'image' && file.size > 10 * 1024 * 1024))
      return error(40006, 'invalid file size');
    const mediaId = `media-${++this.seq}`;
    this.media.set(mediaId, { type, filename: file.filename, size: file.size });
    return { type, media_id: mediaId, created_at: String(now()) };
  }

  /** 40007 for an image message whose media_id was never uploaded. */
  private unknownMedia(b: Json): Json | undefined {
    if (b.msgtype !== 'image') return undefined;
    return this.media.has(text(record(b.image).media_id)) ? undefined : error(40007, 'invalid media_id');
  }

  private transfer(b: Json, resigned: boolean): Json {
    const ids = texts(b.external_userid);
    if (ids.length > 100) return error(40058, 'external_userid exceed max');
    const [handover, takeover] = [text(b.handover_userid), text(b.takeover_userid)];
    const customer = ids.map((externalUserId) => {
      if (this.transferRefusedNow.has(externalUserId))
        return { external_userid: externalUserId, errcode: 40129 };
      this.transfers.push({ handover, takeover, externalUserId, resigned, status: 2, takeoverTime: 0 });
      return { external_userid: externalUserId, errcode: 0 };
    });
    return { customer };
  }

  private transferResult(b: Json, resigned: boolean): Json {
    const customer = this.transfers
      .filter((t) => t.resigned === resigned)
      .filter((t) => t.handover === b.handover_userid && t.takeover === b.takeover_userid)
      .map((t) => ({ external_userid: t.externalUserId, status: t.status, takeover_time: t.takeoverTime }));
    return { customer, next_cursor: '' };
  }

  private groupNamed(name: string): CorpTagGroup {
    const found = this.tagGroups.find((g) => g.group_name === name && !g.deleted);
    if (found) return found;
    const group: CorpTagGroup = {
      group_id: `grp-${++this.seq}`,
      group_name: name,
      create_time: now(),
      order: 0,
      tag: [],
    };
    this.tagGroups.push(group);
    return group;
  }

  private tagNamed(group: CorpTagGroup, name: string, id?: string): CorpTag {
    const found = group.tag.find((t) => t.name === name && !t.deleted);
    if (found) return found;
    const tag: CorpTag = { id: id ?? `tag-${++this.seq}`, name, create_time: now(), order: 0 };
    group.tag.push(tag);
    return tag;
  }

  private getToken(query: Record<string, string>): Json {
    const index = this.secrets.indexOf(query.corpsecret ?? '');
    if (query.corpid !== this.corpId || index < 0) return error(40001, 'invalid credential');
    const token = `tok-${index}-${++this.seq}`;
    this.tokens.set(token, { secret: this.secrets[index] as string, expired: false });
    return { ...record(fixture('api-gettoken.json')), access_token: token, expires_in: 7200 };
  }

  private robot(b: Json, query: Record<string, string>): Json {
    if (!this.robotKeys.has(query.key ?? '')) return error(93000, 'invalid webhook url');
    if (bytes(record(b.markdown).content) > 4096)
      return error(40058, 'markdown.content exceed max length 4096');
    if (bytes(record(b.text).content) > 2048) return error(40058, 'text.content exceed max length 2048');
    return {};
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const boundary = multipartBoundary(req.headers['content-type']);
    const form = boundary === undefined ? undefined : formRecord(Buffer.concat(chunks), boundary);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = form?.fields;
    let badJson = false;
    try {
      if (!form) body = raw ? JSON.parse(raw) : undefined;
    } catch {
      [body, badJson] = [raw, true];
    }
    const token = query.access_token === undefined ? undefined : this.tokens.get(query.access_token);
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path,
      query,
      body,
      at: Date.now(),
      secret: token?.secret,
      ...(form ? { files: form.files } : {}),
    };
    this.calls.push(call);
    const scripted = this.scripts.get(path)?.shift() ?? this.chaos?.(call);
    if (scripted === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (scripted) return this.reply(res, scripted.status ?? 200, scripted.body);
    // media/get answers the file itself, with a Content-Disposition; refusals are JSON like any call.
    const download = path === '/cgi-bin/media/get' ? this.downloads.get(query.media_id ?? '') : undefined;
    if (download && token && !token.expired) {
      res.writeHead(200, {
        'content-type': download.contentType,
        'content-length': download.bytes.length,
        'content-disposition': `attachment; filename="${download.filename}"`,
      });
      return void res.end(download.bytes);
    }
    if (path === '/cgi-bin/media/get' && token && !token.expired)
      return this.reply(res, 200, error(40007, 'invalid media_id'));
    const handler = this.routes[path];
    if (!handler) return this.reply(res, 404, error(404, 'not found'));
    // gettoken authenticates with corpid + corpsecret, the group robot with its key.
    const open = path === '/cgi-bin/gettoken' || path === '/cgi-bin/webhook/send';
    let answer: Json;
    if (badJson) answer = error(47001, 'data format error');
    else if (!open && !token) answer = error(40014, 'invalid access_token');
    else if (!open && token?.expired) answer = record(fixture('api-error-42001.json'));
    else answer = handler(record(body), query, form?.files ?? {});
    return this.reply(res, 200, { errcode: 0, errmsg: 'ok', ...answer });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

export const wecomFixture = fixture;
