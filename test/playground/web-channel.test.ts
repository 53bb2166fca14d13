import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import {
  customerPost,
  inboxCount,
  pageSecret,
  postId,
  postWeb,
  readFeed,
  requestWithHost,
  SECRET_HEADER,
  staffPost,
} from './helpers.ts';

const MANAGER = { id: 'playground-manager', name: 'Playground manager' };

/** What the page does first: list the staff it can act as (seeding the playground's own on an empty database). */
const openStaffPane = (h: Harness, secret: string) =>
  fetch(`${h.url}/playground/api/staff`, {
    headers: { [SECRET_HEADER]: secret, 'accept-language': 'en-US' },
  });

describe('PLAYGROUND', () => {
  it('is on for a local server and off when the server is clearly in production, unless set', () => {
    expect(loadConfig({}).playground).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).playground).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://crm.example.com' }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PLAYGROUND: 'on' }).playground).toBe(true);
    expect(loadConfig({ PLAYGROUND: ' OFF ' }).playground).toBe(false);
    expect(() => loadConfig({ PLAYGROUND: 'yes' })).toThrow('PLAYGROUND must be on or off');
  });
});

describe.each(serverDialectsUnderTest())('the playground over HTTP on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('answers 404 everywhere when off: page, reads and the web webhook', async () => {
    h = await startHarness(dialect, { env: { PLAYGROUND: 'off' } });
    expect((await fetch(`${h.url}/playground`)).status).toBe(404);
    expect((await fetch(`${h.url}/playground/api/staff`)).status).toBe(404);
    const res = await postWeb(h.url, customerPost('Wang Fang', 'hello'), { [SECRET_HEADER]: 'x'.repeat(43) });
    expect(res.status).toBe(404);
    expect(await inboxCount(h)).toBe(0);
  });

  it('serves the page to this computer only, with its secret, a strict CSP and no caching', async () => {
    h = await startHarness(dialect);
    const res = await fetch(`${h.url}/playground`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('not connected to WeCom, Feishu/Lark, Telegram or any real platform');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).not.toMatch(/<script>|\son[a-z]+=/); // no inline script or handler for injected text to join
    const script = await fetch(`${h.url}/playground/assets/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).not.toContain('innerHTML');
    // A page on another site rebinding its DNS name to 127.0.0.1 still sends its own Host: refused.
    const rebound = await requestWithHost(`${h.url}/playground`, 'attacker.example');
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('secret');
  });

  it('rejects posts without the secret, with a wrong one, or from another site, and stores nothing', async () => {
    h = await startHarness(dialect);
    const secret = await pageSecret(h.url);
    const post = customerPost('Wang Fang', 'I want to complain');
    expect((await postWeb(h.url, post)).status).toBe(401);
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`; // one character off, never the same
    expect((await postWeb(h.url, post, { [SECRET_HEADER]: wrong })).status).toBe(401);
    const rebound = await requestWithHost(`${h.url}/webhooks/web`, 'attacker.example:80', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
      body: JSON.stringify(post),
    });
    expect(rebound.status).toBe(403);
    expect(
      (await postWeb(h.url, post, { [SECRET_HEADER]: secret, origin: 'https://attacker.example' })).status,
    ).toBe(403);
    expect((await postWeb(h.url, '{"type":"message"', { [SECRET_HEADER]: secret })).status).toBe(400);
    expect((await postWeb(h.url, { ...post, text: '' }, { [SECRET_HEADER]: secret })).status).toBe(400);
    expect(await inboxCount(h)).toBe(0);
    expect((await h.db.selectFrom('customers').selectAll().execute()).length).toBe(0);
    // Reads need the secret too: they show customers' words.
    for (const path of ['staff', 'customers', 'feed', 'images/1']) {
      expect((await fetch(`${h.url}/playground/api/${path}`)).status).toBe(401);
    }
  });

  it('seeds an admin, a manager and a rep once on an empty database; configured web admins need none', async () => {
    h = await startHarness(dialect);
    const secret = await pageSecret(h.url);
    const staff = () =>
      fetch(`${h.url}/playground/api/staff`, {
        headers: { [SECRET_HEADER]: secret, 'accept-language': 'en-US' },
      }).then(
        (r) => r.json() as Promise<{ staff: Array<{ id: string; role: string; team: string | null }> }>,
      );
    const [first, second] = await Promise.all([staff(), staff()]);
    expect(first.staff.map((s) => [s.id, s.role, s.team])).toEqual([
      ['playground-admin', 'admin', null],
      ['playground-manager', 'manager', 'Playground'],
      ['playground-rep', 'rep', 'Playground'],
    ]);
    expect(second.staff).toHaveLength(3);
    const web = await h.db.selectFrom('staff_identities').selectAll().where('platform', '=', 'web').execute();
    expect(web).toHaveLength(3);
    await h.close();

    h = await startHarness(dialect, { env: { ADMIN_IDS: 'web:alice' } });
    const listed = await fetch(`${h.url}/playground/api/staff`, {
      headers: { [SECRET_HEADER]: await pageSecret(h.url) },
    }).then((r) => r.json() as Promise<{ staff: Array<{ id: string; role: string }> }>);
    expect(listed.staff).toEqual([expect.objectContaining({ id: 'alice', role: 'admin' })]);
  });

  it('takes a customer message through inbox, core and outbox: tag, alert and /find, text kept verbatim', async () => {
    h = await startHarness(dialect);
    const secret = await pageSecret(h.url);
    await openStaffPane(h, secret);
    const attack = 'I will file a complaint <img src=x onerror=alert(1)>';
    const post = customerPost('Wang Fang', attack);
    expect((await postWeb(h.url, post, { [SECRET_HEADER]: secret })).status).toBe(200);
    // A redelivery of the same post is stored once.
    expect((await postWeb(h.url, post, { [SECRET_HEADER]: secret })).status).toBe(200);
    expect(await inboxCount(h)).toBe(1);

    const alert = await waitFor(
      async () =>
        (await readFeed(h, secret)).outbound.find(
          (m) => m.chatId === MANAGER.id && m.text.includes('Complaint'),
        ),
      10_000,
    );
    expect(alert.text).toContain('Wang Fang');
    const tags = await h.db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select('tags.name')
      .execute();
    expect(tags.map((t) => t.name)).toContain('投诉');

    await postWeb(h.url, staffPost(MANAGER, '/find Wang Fang'), { [SECRET_HEADER]: secret });
    const found = await waitFor(
      async () => (await readFeed(h, secret)).outbound.find((m) => m.text.includes('match "Wang Fang"')),
      10_000,
    );
    expect(found.chatId).toBe(MANAGER.id);
    expect(found.text).toMatch(/#\d+ Wang Fang/);

    // The feed is JSON, never sniffed as HTML; the customer's words come back exactly as written.
    const res = await fetch(`${h.url}/playground/api/feed`, { headers: { [SECRET_HEADER]: secret } });
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const feed = (await res.json()) as Awaited<ReturnType<typeof readFeed>>;
    expect(feed.inbound.map((m) => m.text)).toContain(attack);
  });

  it('previews the digest in the group chat with its chart as a PNG', async () => {
    h = await startHarness(dialect);
    const secret = await pageSecret(h.url);
    await openStaffPane(h, secret);
    const group = { id: 'team-group', kind: 'group' as const };
    await postWeb(h.url, staffPost(MANAGER, '/digest now', group), { [SECRET_HEADER]: secret });
    const digest = await waitFor(
      async () => (await readFeed(h, secret)).outbound.find((m) => m.chatId === 'team-group'),
      15_000,
    );
    expect(digest.text).toContain('Customer digest');
    expect(digest.hasImage).toBe(true);
    const image = await fetch(`${h.url}/playground/api/images/${digest.id}`, {
      headers: { [SECRET_HEADER]: secret },
    });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await image.arrayBuffer()).slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    // A group message not addressed to the bot is not a command: nothing answers it.
    const chatter = staffPost(MANAGER, 'good morning team', group);
    await postWeb(h.url, chatter, { [SECRET_HEADER]: secret });
    await waitFor(
      async () =>
        (await h.db.selectFrom('inbox').select('status').execute()).every((r) => r.status === 'done'),
      10_000,
    );
    expect((await readFeed(h, secret)).outbound.filter((m) => m.chatId === 'team-group')).toHaveLength(1);
  });

  it('erasing a web customer removes what the playground showed of them', async () => {
    h = await startHarness(dialect);
    const secret = await pageSecret(h.url);
    await openStaffPane(h, secret);
    await postWeb(h.url, customerPost('Zhao Min', 'I will file a complaint about order 7781'), {
      [SECRET_HEADER]: secret,
    });
    await waitFor(
      async () => (await readFeed(h, secret)).outbound.find((m) => m.text.includes('Zhao Min')),
      10_000,
    );
    const customer = await h.db.selectFrom('customers').select('id').executeTakeFirstOrThrow();
    const erased = await h.api(`/customers/${customer.id}`, undefined, { method: 'DELETE' });
    expect(erased, JSON.stringify(erased.body)).toMatchObject({ status: 200 });
    const left = await h.db.selectFrom('web_messages').select(['chat_id', 'text']).execute();
    expect(left.filter((m) => /Zhao Min|zhao-min|7781/i.test(`${m.chat_id} ${m.text}`))).toEqual([]);
    const feed = await readFeed(h, secret);
    expect(JSON.stringify(feed)).not.toMatch(/Zhao Min|7781/);
  });

  it('lists web customers for the customer pane, and a card’s “followed up” button notes the follow-up once', async () => {
    h = await startHarness(dialect);
    const secret = await pageSecret(h.url);
    await openStaffPane(h, secret);
    await postWeb(h.url, customerPost('Li Lei', 'Hello, is the price negotiable?'), {
      [SECRET_HEADER]: secret,
    });
    const listed = await waitFor(async () => {
      const res = await fetch(`${h.url}/playground/api/customers`, { headers: { [SECRET_HEADER]: secret } });
      const body = (await res.json()) as { customers: Array<{ id: string; name: string }> };
      return body.customers.length > 0 ? body.customers : undefined;
    }, 10_000);
    expect(listed).toEqual([{ id: 'customer-li-lei', name: 'Li Lei' }]);
    const customer = await h.db.selectFrom('customers').select('id').executeTakeFirstOrThrow();
    await postWeb(h.url, staffPost(MANAGER, `/show #${customer.id}`), { [SECRET_HEADER]: secret });
    const card = await waitFor(
      async () => (await readFeed(h, secret)).outbound.find((m) => m.chatId === MANAGER.id && m.card),
      10_000,
    );
    const click = {
      type: 'card_action',
      id: postId(),
      chat: { id: MANAGER.id },
      from: { id: MANAGER.id, name: MANAGER.name, language: 'en' },
      messageId: card.messageKey,
      value: { action: 'mark_followed_up', customer: customer.id },
    };
    // A redelivered click is one click: the button's effect happens once.
    for (const post of [click, click])
      expect((await postWeb(h.url, post, { [SECRET_HEADER]: secret })).status).toBe(200);
    const notes = await waitFor(async () => {
      const rows = await h.db
        .selectFrom('notes')
        .select('body')
        .where('customer_id', '=', customer.id)
        .execute();
      return rows.length > 0 ? rows : undefined;
    }, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await h.db.selectFrom('notes').select('body').where('customer_id', '=', customer.id).execute(),
    ).toEqual(notes);
    expect(notes.map((n) => n.body)).toEqual(['已跟进 / followed up']);
  });
});
