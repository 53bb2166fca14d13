import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { loadConfig } from '../../src/config.ts';
import type { PlatformAdapter, WebhookRequest } from '../../src/core/ports/adapter.ts';
import type { InboundEvent } from '../../src/core/ports/events.ts';
import { buildAdapters } from '../../src/wiring/adapters.ts';
import { ARCHIVE_SECRET, archiveHeaders } from '../helpers/wecom-archive.ts';

/**
 * Every platform adapter is built the same way (docs/architecture.md, "Adding an adapter"): the fixed files, the
 * support files it needs, and one file per optional port it has, named after the port. Built with every option
 * configured, an adapter has a port member exactly when it has the port's file; and `decode` is a function of the
 * payload and the time it was received, nothing else.
 */

const ROOT = join(import.meta.dirname, '../..');
const ADAPTERS = join(ROOT, 'adapters');

/** The files every platform adapter has. */
const FIXED = ['index.ts', 'types.ts', 'verify.ts', 'decode.ts', 'send.ts'];
/**
 * Files an adapter has where it needs them: its API client and errors; rich content (cards, markdown, escaping); how
 * a message's content reads.
 */
const SUPPORT = ['api.ts', 'render.ts', 'content.ts'];

/** The optional members of PlatformAdapter. */
type OptionalMember = {
  [K in keyof PlatformAdapter]-?: object extends Pick<PlatformAdapter, K> ? K : never;
}[keyof PlatformAdapter];

/**
 * Every optional member of PlatformAdapter, classified (a new one fails to compile until it is): a port has a file of
 * its own, named after it; a declaration (a send rule, the robot check, start-up) is defined in send.ts or index.ts.
 */
const MEMBERS = {
  perform: 'actions.ts',
  topics: 'topics.ts',
  contacts: 'contacts.ts',
  service: 'service.ts',
  archive: 'archive.ts',
  channels: 'channels.ts',
  massSends: 'mass-sends.ts',
  describePerson: 'people.ts',
  completeContent: 'forwarded.ts',
  lookupConnection: 'connections.ts',
  media: 'media.ts',
  signIn: 'sign-in.ts',
  rateLimits: null,
  replyWindow: null,
  copiesTo: null,
  writesIn: null,
  sendsImagesTo: null,
  checkRobot: null,
  start: null,
  registerWebhook: null,
} satisfies Record<OptionalMember, string | null>;

const PORT_FILES = Object.entries(MEMBERS).flatMap(([member, file]) =>
  file ? [[member as OptionalMember, file] as const] : [],
);

/** Folders of adapters/ that implement other ports than PlatformAdapter: the `Llm`, the `ChartRenderer`, `FileStorage`. */
const OTHER_PORTS = ['llm', 'charts', 'storage'];

const platformFolders = readdirSync(ADAPTERS)
  .filter((name) => statSync(join(ADAPTERS, name)).isDirectory() && !OTHER_PORTS.includes(name))
  .sort();

/** The fixtures' moment (2026-03-02 10:15 +08:00): their signed requests are fresh at it. */
const FIXTURE_TIME = 1772417700_000;
const clock = { now: () => FIXTURE_TIME };
const fixture = (platform: string, name: string) =>
  readFileSync(join(ROOT, 'test/fixtures', platform, name), 'utf8');
const fixtureNames = (platform: string, pattern: RegExp) =>
  existsSync(join(ROOT, 'test/fixtures', platform))
    ? readdirSync(join(ROOT, 'test/fixtures', platform))
        .filter((f) => pattern.test(f))
        .sort()
    : [];
const json = <T>(platform: string, name: string) => JSON.parse(fixture(platform, name)) as T;

/** Every adapter, as the wiring builds it, with every option configured; APIs on a closed port (nothing is called). */
async function buildAll(): Promise<Map<string, PlatformAdapter>> {
  const telegram = json<{ botToken: string; webhookSecret: string }>('telegram', 'config.json');
  const wecom = json<Record<string, string | number>>('wecom', 'config.json');
  const feishu = json<Record<string, string>>('feishu', 'config.json');
  const nowhere = 'http://127.0.0.1:9';
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: telegram.botToken,
    TELEGRAM_WEBHOOK_SECRET: telegram.webhookSecret,
    TELEGRAM_API_ROOT: nowhere,
    WECOM_CORP_ID: String(wecom.corpId),
    WECOM_TOKEN: String(wecom.token),
    WECOM_ENCODING_AES_KEY: String(wecom.encodingAESKey),
    WECOM_AGENT_ID: String(wecom.agentId),
    WECOM_AGENT_SECRET: String(wecom.agentSecret),
    WECOM_CONTACT_SECRET: String(wecom.contactSecret),
    WECOM_KF_SECRET: String(wecom.kfSecret),
    WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET,
    WECOM_API_BASE: nowhere,
    FEISHU_APP_ID: feishu.appId,
    FEISHU_APP_SECRET: feishu.appSecret,
    FEISHU_ENCRYPT_KEY: feishu.encryptKey,
    FEISHU_VERIFICATION_TOKEN: feishu.verificationToken,
    FEISHU_DOMAIN: nowhere,
  });
  // The web channel stores its sends in the database: never reached here, nothing is sent.
  return buildAdapters(config, clock, { db: {} as Kysely<Database>, secret: 's'.repeat(32) });
}

function request(method: string, url: string, body: string, headers: Record<string, string> = {}) {
  return { method, url, headers: new Headers(headers), body } satisfies WebhookRequest;
}

/**
 * What each platform's fixtures give its `decode`: the payloads verify stores for the signed requests (verified with
 * the adapter itself), and the payloads as stored (decrypted callbacks, updates, playground posts).
 */
const DELIVERIES: Record<string, (adapter: PlatformAdapter) => Promise<Array<[string, string]>>> = {
  async telegram() {
    return fixtureNames('telegram', /^update-.*\.json$/).map((name) => [name, fixture('telegram', name)]);
  },
  async wecom(adapter) {
    const requests = fixtureNames('wecom', /^post-.*\.json$/).map((name) => {
      const f = json<{ rawQuery: string; body: string }>('wecom', name);
      return [name, request('POST', `http://localhost/webhooks/wecom?${f.rawQuery}`, f.body)] as const;
    });
    const stored = fixtureNames('wecom', /\.xml$/).map(
      (name) => [name, fixture('wecom', name)] as [string, string],
    );
    // Chat archive pushes, signed the Standard Webhooks way, one delivery per record.
    const pushes = fixtureNames('wecom-archive', /\.json$/).map((name) => {
      const body = fixture('wecom-archive', name);
      const headers = archiveHeaders(body, FIXTURE_TIME);
      return [name, request('POST', 'http://localhost/webhooks/wecom-archive', body, headers)] as const;
    });
    const archive = adapter.archive;
    if (!archive) throw new Error('the WeCom adapter has no archive with WECOM_ARCHIVE_SECRET set');
    return [
      ...(await verified(adapter, requests)),
      ...stored,
      ...(await verified({ ...adapter, verify: (r) => archive.verify(r) }, pushes)),
    ];
  },
  async feishu(adapter) {
    const requests = fixtureNames('feishu', /^post-.*\.json$/).map((name) => {
      const f = json<{ rawBody: string; headers: Record<string, string> }>('feishu', name);
      return [name, request('POST', 'http://localhost/webhooks/feishu', f.rawBody, f.headers)] as const;
    });
    const stored = fixtureNames('feishu', /^event-.*\.json$/).map(
      (name) => [name, fixture('feishu', name)] as [string, string],
    );
    return [...(await verified(adapter, requests)), ...stored];
  },
  async web() {
    const from = { id: 'wang-fang', name: '王芳', language: 'zh-CN', side: 'customer' };
    const posts = {
      'customer message': {
        type: 'message',
        id: 'msg-00000001',
        chat: { id: 'wang-fang', kind: 'private' },
        from,
        text: '你好，想了解报价',
      },
      'staff mention in the group': {
        type: 'message',
        id: 'msg-00000002',
        chat: { id: 'team-group', kind: 'group', title: 'Team' },
        from: { id: 'zhangsan', name: '张三', side: 'staff' },
        text: '@Liaison find 王芳',
      },
      'card click': {
        type: 'card_action',
        id: 'click-0000001',
        chat: { id: 'team-group' },
        from: { id: 'zhangsan', name: '张三' },
        messageId: 'card-1',
        value: { action: 'claim', customer: 12 },
      },
    };
    return Object.entries(posts).map(([name, post]) => [name, JSON.stringify(post)]);
  },
};

/** The payloads an adapter's verify accepts from signed requests; a request it refuses fails the test. */
async function verified(
  adapter: PlatformAdapter,
  requests: ReadonlyArray<readonly [string, WebhookRequest]>,
): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const [name, req] of requests) {
    const verdict = await adapter.verify(req);
    expect(verdict.kind, `${name}: ${verdict.kind === 'reject' ? verdict.reason : ''}`).not.toBe('reject');
    if (verdict.kind === 'accept')
      verdict.deliveries.forEach((d, i) => {
        out.push([`${name} (delivery ${i + 1})`, d.payload]);
      });
  }
  return out;
}

/** What is wrong with a platform adapter's folder and the adapter it builds, one line each. */
function conformanceProblems(folder: string, adapter: PlatformAdapter | undefined): string[] {
  const dir = join(ADAPTERS, folder);
  const entries = readdirSync(dir).sort();
  const allowed = new Set([...FIXED, ...SUPPORT, ...PORT_FILES.map(([, file]) => file)]);
  const problems: string[] = [];
  for (const file of FIXED)
    if (!entries.includes(file))
      problems.push(`adapters/${folder}/${file} is missing (every adapter has it)`);
  for (const entry of entries)
    if (!allowed.has(entry))
      problems.push(
        `adapters/${folder}/${entry} is not an adapter file: ${FIXED.join(', ')}, ${SUPPORT.join(', ')} where ` +
          'needed, or a port file',
      );
  if (!adapter) return [...problems, `adapters/${folder} is not built by src/wiring/adapters.ts`];
  if (adapter.platform !== folder) problems.push(`adapters/${folder} builds the ${adapter.platform} adapter`);
  const built = adapter as unknown as Record<string, unknown>;
  for (const [member, file] of PORT_FILES) {
    const has = built[member] !== undefined;
    const exists = entries.includes(file);
    if (has && !exists) problems.push(`${folder}: has \`${member}\` but no ${file}`);
    if (exists && !has) problems.push(`${folder}: has ${file} but no \`${member}\``);
  }
  return problems;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('adapters', () => {
  it('are one folder per platform, plus the Llm and chart implementations', async () => {
    const adapters = await buildAll();
    expect([...adapters.keys()].sort()).toEqual(platformFolders);
    expect(platformFolders).toEqual(expect.arrayContaining(['feishu', 'telegram', 'web', 'wecom']));
    expect(existsSync(join(ADAPTERS, 'llm/openai.ts'))).toBe(true);
    expect(existsSync(join(ADAPTERS, 'charts/digest-chart.ts'))).toBe(true);
    expect(existsSync(join(ROOT, 'src/llm'))).toBe(false);
    expect(existsSync(join(ROOT, 'src/charts'))).toBe(false);
  });

  describe.each(platformFolders)('adapters/%s', (folder) => {
    it('has the fixed files, support files where needed, and a file for each port it has (and no other)', async () => {
      const adapter = (await buildAll()).get(folder);
      expect(conformanceProblems(folder, adapter)).toEqual([]);
    });

    it('decodes each fixture payload the same way every time, whatever the clock says', async () => {
      const adapter = (await buildAll()).get(folder);
      if (!adapter) throw new Error(`adapters/${folder} is not built by src/wiring/adapters.ts`);
      const deliveries = await DELIVERIES[folder]?.(adapter);
      if (!deliveries) throw new Error(`no fixture payloads for adapters/${folder}: add them to DELIVERIES`);
      expect(deliveries.length).toBeGreaterThan(0);
      vi.useFakeTimers({ toFake: ['Date'] });
      let events = 0;
      for (const [name, payload] of deliveries) {
        const receivedAt = FIXTURE_TIME + 1_000;
        vi.setSystemTime(FIXTURE_TIME);
        const first: InboundEvent[] = adapter.decode(payload, receivedAt);
        vi.setSystemTime(FIXTURE_TIME + 86_400_000);
        const second: InboundEvent[] = adapter.decode(payload, receivedAt);
        expect(second, name).toEqual(first);
        for (const event of first) {
          expect(event.platform, name).toBe(adapter.platform);
          expect(event.workspace, name).toBe(adapter.workspace);
        }
        events += first.length;
      }
      expect(events).toBeGreaterThan(0);
    });
  });
});
