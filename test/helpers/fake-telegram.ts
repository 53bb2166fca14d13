import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FormRecord, formRecord, multipartBoundary } from './multipart.ts';

export interface RecordedCall {
  method: string;
  /** The JSON body, or a multipart request's plain fields (as strings). */
  body: Record<string, unknown>;
  /** The files of a multipart/form-data request (sendPhoto with an upload), by field name. */
  files?: FormRecord['files'];
  at: number;
  /** What the fake answered (e.g. the `message_id` of a sent message). */
  answer?: { status: number; body: unknown };
}

export interface ScriptedReply {
  status: number;
  body: unknown;
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/telegram/${name}`, import.meta.url), 'utf8'));

/**
 * A Bot API server on loopback: answers like Telegram, records every call, and plays scripted replies first
 * (429s, 500s, or 'hang' to hold a request open until the server closes).
 */
export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  private readonly scripts = new Map<string, Array<ScriptedReply | 'hang'>>();
  private readonly hanging = new Set<ServerResponse>();
  private nextMessageId = 1000;
  private server = createServer((req, res) => void this.handle(req, res));
  /** Chaos testing: consulted for every call nothing is scripted for; may answer a fault instead (or 'hang'). */
  chaos?: (call: RecordedCall) => ScriptedReply | 'hang' | undefined;
  /** The reply for getBusinessConnection when nothing is scripted (Telegram's answer for an unknown id). */
  businessConnection: unknown = null;
  /** Supergroups with topics on (`is_forum`), by chat id: createForumTopic and message_thread_id work there. */
  readonly forums = new Set<string>();
  /** Files getFile serves, by file_id: the path it answers and the bytes `/file/bot<token>/<path>` sends. */
  readonly files = new Map<string, { path: string; bytes: Buffer; declaredSize?: number }>();
  /** Topics created so far, as `chatId:message_thread_id`. */
  private readonly topics = new Set<string>();

  constructor(readonly token: string) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Replies to play, in order, for the next calls of `method`. */
  script(method: string, ...replies: Array<ScriptedReply | 'hang'>): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...replies]);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // File downloads, as the Bot API serves them: GET /file/bot<token>/<file_path>, recorded as method `file`.
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (download)
      return this.serveFile(res, download[1] as string, decodeURIComponent(download[2] as string));
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || match[1] !== this.token)
      return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = match[2] as string;
    const raw = Buffer.concat(chunks);
    const boundary = multipartBoundary(req.headers['content-type']);
    const form = boundary === undefined ? undefined : formRecord(raw, boundary);
    const text = raw.toString('utf8');
    const body = form ? form.fields : text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const call: RecordedCall = { method, body, ...(form ? { files: form.files } : {}), at: Date.now() };
    this.calls.push(call);
    const scripted = this.scripts.get(method)?.shift() ?? this.chaos?.(call);
    if (scripted === 'hang') {
      this.hanging.add(res);
      return;
    }
    const reply = scripted ?? this.defaultReply(method, body, form?.files);
    call.answer = { status: reply.status, body: reply.body };
    return this.reply(res, reply.status, reply.body);
  }

  private defaultReply(
    method: string,
    body: Record<string, unknown>,
    files: FormRecord['files'] = {},
  ): ScriptedReply {
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    switch (method) {
      case 'getMe':
        return { status: 200, body: fixture('api-get-me.json') };
      case 'setWebhook':
        return { status: 200, body: fixture('api-set-webhook.json') };
      case 'sendMessage': {
        const thread = body.message_thread_id;
        if (thread !== undefined && !this.topics.has(`${body.chat_id}:${thread}`))
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: message thread not found' },
          };
        return ok({
          message_id: this.nextMessageId++,
          chat: { id: Number(body.chat_id) },
          date: 1772417825,
          text: body.text,
          ...(thread !== undefined ? { message_thread_id: thread, is_topic_message: true } : {}),
        });
      }
      case 'getChat': {
        const forum = this.forums.has(String(body.chat_id));
        const group = Number(body.chat_id) < 0;
        return ok({
          id: Number(body.chat_id),
          type: group ? 'supergroup' : 'private',
          ...(group ? { title: '客服收件箱' } : { first_name: 'User' }),
          ...(forum ? { is_forum: true } : {}),
          accent_color_id: 0,
          max_reaction_count: 11,
        });
      }
      case 'createForumTopic': {
        const name = typeof body.name === 'string' ? body.name : '';
        if (!this.forums.has(String(body.chat_id)))
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: the chat is not a forum' },
          };
        if (name.length < 1 || name.length > 128)
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: TOPIC_NAME_INVALID' },
          };
        // Like Telegram: the topic's id is the id of the service message that opened it.
        const thread = this.nextMessageId++;
        this.topics.add(`${body.chat_id}:${thread}`);
        return ok({ message_thread_id: thread, name, icon_color: 7322096 });
      }
      case 'sendPhoto': {
        const size = files.photo?.size ?? 0;
        if (size === 0 && typeof body.photo !== 'string')
          return {
            status: 400,
            body: {
              ok: false,
              error_code: 400,
              description: 'Bad Request: there is no photo in the request',
            },
          };
        return ok({
          message_id: this.nextMessageId++,
          chat: { id: Number(body.chat_id) },
          date: 1772417825,
          photo: [
            {
              file_id: `photo-${this.nextMessageId}`,
              file_unique_id: 'p',
              width: 1,
              height: 1,
              file_size: size,
            },
          ],
        });
      }
      case 'copyMessage':
        // Like Telegram: a copy of a message the bot cannot see (no such id in that chat) is refused.
        if (!Number.isInteger(body.message_id) || !body.from_chat_id)
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: message to copy not found' },
          };
        return ok({ message_id: this.nextMessageId++ });
      case 'getFile': {
        const file = this.files.get(String(body.file_id));
        if (!file)
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' },
          };
        const size = file.declaredSize ?? file.bytes.length;
        // Like Telegram: files over 20 MB are not served through getFile at all.
        if (size > 20 * 1024 * 1024)
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' },
          };
        return ok({ file_id: body.file_id, file_unique_id: 'u', file_size: size, file_path: file.path });
      }
      case 'getBusinessConnection':
        return this.businessConnection
          ? ok(this.businessConnection)
          : {
              status: 400,
              body: { ok: false, error_code: 400, description: 'Bad Request: business connection not found' },
            };
      default:
        return ok(true);
    }
  }

  private serveFile(res: ServerResponse, token: string, path: string): void {
    const file = [...this.files.values()].find((f) => f.path === path);
    this.calls.push({ method: 'file', body: { path }, at: Date.now() });
    if (token !== this.token || !file) {
      this.reply(res, 404, { ok: false, error_code: 404 });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

export const telegramFixture = fixture;
