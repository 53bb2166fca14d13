import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
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
  /** The reply for getBusinessConnection when nothing is scripted (Telegram's answer for an unknown id). */
  businessConnection: unknown = null;

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
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || match[1] !== this.token)
      return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = match[2] as string;
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    this.calls.push({ method, body, at: Date.now() });
    const scripted = this.scripts.get(method)?.shift();
    if (scripted === 'hang') {
      this.hanging.add(res);
      return;
    }
    const reply = scripted ?? this.defaultReply(method, body);
    return this.reply(res, reply.status, reply.body);
  }

  private defaultReply(method: string, body: Record<string, unknown>): ScriptedReply {
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    switch (method) {
      case 'getMe':
        return { status: 200, body: fixture('api-get-me.json') };
      case 'setWebhook':
        return { status: 200, body: fixture('api-set-webhook.json') };
      case 'sendMessage':
        return ok({
          message_id: this.nextMessageId++,
          chat: { id: Number(body.chat_id) },
          date: 1772417825,
          text: body.text,
        });
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

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

export const telegramFixture = fixture;
