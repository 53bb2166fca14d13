/** The chaos test's faults: platform and LLM APIs answering 5xx, 429 and hanging; the database kept busy. */
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { FakeFeishu } from '../helpers/fake-feishu.ts';
import type { FakeOpenAi } from '../helpers/fake-openai.ts';
import type { FakeTelegram } from '../helpers/fake-telegram.ts';
import type { FakeWecom } from '../helpers/fake-wecom.ts';

export type FaultKind = '5xx' | '429' | 'timeout';
type Fault = { status: number; body: unknown } | 'hang';

/** The endpoints that deliver a message to a chat: only these hang (a hung lookup would only slow processing down). */
const SEND_PATHS = new Set(['sendMessage', '/cgi-bin/message/send', '/open-apis/im/v1/messages']);

/** Answers a share of the fakes' calls with faults while `active`; counts them, and remembers which calls failed. */
export class ApiFaults {
  active = false;
  readonly counts: Record<string, Record<FaultKind, number>> = {};
  readonly failed = new WeakSet<object>();

  constructor(
    private readonly rate: number,
    private readonly random: () => number,
  ) {}

  install(fakes: { telegram: FakeTelegram; wecom: FakeWecom; feishu: FakeFeishu; openai: FakeOpenAi }): void {
    fakes.telegram.chaos = (call) =>
      this.pick('telegram', call, call.method, {
        '5xx': { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } },
        '429': {
          status: 429,
          body: {
            ok: false,
            error_code: 429,
            description: 'Too Many Requests: retry after 1',
            parameters: { retry_after: 1 },
          },
        },
      });
    fakes.wecom.chaos = (call) =>
      this.pick('wecom', call, call.path, {
        '5xx': { status: 503, body: 'Service Unavailable' },
        // WeCom answers a rate limit with HTTP 200 and errcode 45009.
        '429': { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } },
      });
    fakes.feishu.chaos = (call) =>
      this.pick('feishu', call, call.path, {
        '5xx': { status: 500, body: { code: 1500, msg: 'internal error' } },
        '429': { status: 429, body: { code: 99991400, msg: 'request trigger frequency limit' } },
      });
    const answer = fakes.openai.respond;
    fakes.openai.respond = (req) => {
      if (!this.active || this.random() >= this.rate) return answer(req);
      const kind: FaultKind = this.random() < 0.5 ? '5xx' : '429';
      this.count('llm', kind);
      return kind === '5xx' ? { status: 500, error: 'injected' } : { status: 429, error: 'rate limited' };
    };
  }

  total(kind?: FaultKind): number {
    return Object.values(this.counts).reduce(
      (sum, c) => sum + (kind ? c[kind] : c['5xx'] + c['429'] + c.timeout),
      0,
    );
  }

  private pick(api: string, call: object, endpoint: string, answers: Record<'5xx' | '429', Fault>) {
    if (!this.active || this.random() >= this.rate) return undefined;
    const roll = this.random();
    const kind: FaultKind = SEND_PATHS.has(endpoint) && roll < 0.34 ? 'timeout' : roll < 0.67 ? '5xx' : '429';
    this.count(api, kind);
    this.failed.add(call);
    return kind === 'timeout' ? 'hang' : (answers[kind] as Exclude<Fault, 'hang'>);
  }

  private count(api: string, kind: FaultKind): void {
    this.counts[api] ??= { '5xx': 0, '429': 0, timeout: 0 };
    this.counts[api][kind]++;
  }
}

/** Holds the database's write lock from another connection for a while, the way a long report or a backup would. */
export async function holdDatabaseBusy(
  dialect: 'sqlite' | 'postgres',
  url: string,
  ms: number,
): Promise<void> {
  if (dialect === 'sqlite') {
    const db = new Sqlite(url, { timeout: 10_000 });
    try {
      db.exec('BEGIN IMMEDIATE');
      await new Promise((r) => setTimeout(r, ms));
      db.exec('COMMIT');
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('lock table inbox, outbox in exclusive mode');
    await client.query('select pg_sleep($1)', [ms / 1000]);
    await client.query('commit');
  } finally {
    await client.end();
  }
}
