import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver, telegramSentTo } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ADMIN, GZ_REP, SZ_REP } from './console-people.ts';
import { signInByLink, WEB_ENV, WebClient } from './web-client.ts';

// The panel's JSON routes as the page calls them (test/web/panel.test.ts drives the page itself in Chromium).

const CUSTOMER_TG = '7300000001';

describe.each(serverDialectsUnderTest())('the panel API on $name', (dialect) => {
  let h: Harness;
  let customer: number;
  const chat = () => telegramDriver(h);

  const signedIn = (telegramId: string) => signInByLink(h, telegramId);

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
      '/quick add hello 您好{name}，我是您的顾问。',
    ])
      await chat().ask(ADMIN, line);
    customer = await telegramCustomer(h, CUSTOMER_TG, '韩梅梅', '我的电话是13912345678，请回电');
    await chat().ask(ADMIN, `/assign #${customer} telegram:${SZ_REP}`);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('answers nobody without a session, and refuses a write without the CSRF token', async () => {
    expect((await new WebClient(h).request(`/app/api/customers/${customer}`)).status).toBe(401);
    const web = await signedIn(ADMIN);
    const refused = await web.request(`/app/api/customers/${customer}/notes`, {
      json: { text: '没有令牌' },
      csrf: null,
    });
    expect(refused.status).toBe(403);
    const notes = await h.db.selectFrom('notes').select('body').where('customer_id', '=', customer).execute();
    expect(notes.map((n) => n.body)).not.toContain('没有令牌');
  });

  it('gives the rep who owns the customer a masked record, and a rep of another team a 404 for reads and writes', async () => {
    const owner = await signedIn(SZ_REP);
    const res = await owner.request(`/app/api/customers/${customer}`);
    expect(res.status).toBe(200);
    const record = (await res.json()) as { name: string; timeline: Array<{ text: string }> };
    expect(record.name).toBe('韩梅梅');
    const said = record.timeline.map((m) => m.text).join('\n');
    expect(said).toContain('请回电');
    expect(said).not.toContain('13912345678');

    const other = await signedIn(GZ_REP);
    expect((await other.request(`/app/api/customers/${customer}`)).status).toBe(404);
    const write = await other.request(`/app/api/customers/${customer}/stage`, { json: { stage: 'won' } });
    expect(write.status).toBe(404);
    expect((await other.request(`/app/api/lookup?telegram=${CUSTOMER_TG}`)).status).toBe(404);
    const row = await h.db
      .selectFrom('customers')
      .select('stage')
      .where('id', '=', customer)
      .executeTakeFirst();
    expect(row?.stage).not.toBe('won');
  });

  it('finds the customer by Telegram user id and by name, and edits tags and reminders', async () => {
    const web = await signedIn(ADMIN);
    const byId = await web.request(`/app/api/lookup?telegram=${CUSTOMER_TG}`);
    expect(await byId.json()).toEqual({ customers: [{ id: customer }] });
    const byName = await web.request(`/app/api/lookup?q=${encodeURIComponent('韩梅梅')}`);
    expect(((await byName.json()) as { customers: Array<{ id: number }> }).customers[0]?.id).toBe(customer);

    const tag = await web.request(`/app/api/customers/${customer}/tags`, { json: { name: '回访' } });
    expect(await tag.json()).toEqual({ changed: true });
    const due = new Date(FIXTURE_TIME + 3_600_000).toISOString();
    const reminder = await web.request(`/app/api/customers/${customer}/reminders`, {
      json: { at: due, text: '回电话' },
    });
    expect(reminder.status).toBe(201);
    const shown = await chat().ask(ADMIN, `/show #${customer}`);
    expect(shown).toContain('回访');
    expect(shown).toContain('回电话');
    const untag = await web.request(`/app/api/customers/${customer}/tags`, {
      json: { name: '回访', on: false },
    });
    expect(await untag.json()).toEqual({ changed: true });
  });

  it('lists quick replies and sends one to the customer through the reply route', async () => {
    const web = await signedIn(ADMIN);
    const list = (await (await web.request('/app/api/quick-replies')).json()) as {
      quickReplies: Array<{ key: string }>;
    };
    expect(list.quickReplies.map((q) => q.key)).toContain('hello');
    const sent = await web.request(`/app/api/customers/${customer}/reply`, { json: { text: ':hello' } });
    expect(sent.status).toBe(202);
    await waitFor(() => telegramSentTo(h, CUSTOMER_TG).includes('您好韩梅梅，我是您的顾问。'));
    const unknown = await web.request(`/app/api/customers/${customer}/reply`, { json: { text: ':nosuch' } });
    expect(unknown.status).toBe(422);
  });
});
