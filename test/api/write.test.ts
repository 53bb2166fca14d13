import { afterEach, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { API_TOKEN, type Harness, startHarness } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const REP = '5500000002';
const OTHER_REP = '5500000003';
const PHONE = '13812345678';

interface Customer {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  stage: string;
  owner: { id: number; name: string } | null;
  tags: string[];
}
interface Detail extends Omit<Customer, 'tags'> {
  tags: Array<{ name: string; source: string }>;
  timeline: Array<{ type: string; kind?: string }>;
}
interface Failure {
  error: string;
  field?: string;
  id?: number;
  details?: Record<string, string[]>;
}

/** Writes through the integration API land where the chat and the reads see them, with the chat's rules. */
describe.each(serverDialectsUnderTest())('integration API writes on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  afterEach(async () => {
    await h?.close();
  });

  /** A request as an integration sends it: raw JSON text, optional Idempotency-Key. */
  async function call<T = Customer>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${h.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const apiAudit = async () =>
    (
      await h.db
        .selectFrom('audit_log')
        .select(['action', 'via', 'actor_kind', 'actor_staff_id', 'subject_id'])
        .where('via', '=', 'api')
        .where('action', '!=', 'customer.unmasked_read')
        .orderBy('id')
        .execute()
    ).map((r) => ({ ...r, subject_id: r.subject_id === null ? null : Number(r.subject_id) }));
  const search = async (q: string) =>
    (await call<{ items: Customer[] }>('GET', `/customers?q=${encodeURIComponent(q)}`)).body.items.map(
      (c) => c.id,
    );

  async function staffIds(): Promise<Record<string, number>> {
    const { body } = await call<{ items: Array<{ id: number; identities: Array<{ externalId: string }> }> }>(
      'GET',
      '/staff',
    );
    return Object.fromEntries(body.items.map((s) => [s.identities[0]?.externalId ?? '', s.id]));
  }

  it('creates, edits, notes and tags customers, seen by the list, the chat and the audit log', async () => {
    h = await startHarness(dialect);
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    const staff = await staffIds();

    const created = await call('POST', '/customers', {
      name: '周明',
      company: '杭州云栖贸易',
      phone: `+86 ${PHONE.slice(0, 3)} ${PHONE.slice(3, 7)} ${PHONE.slice(7)}`,
      email: 'zhou.ming@example.com',
      stage: 'interested',
      tags: ['展会', 'VIP'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      name: '周明',
      company: '杭州云栖贸易',
      phone: PHONE,
      stage: 'interested',
      owner: null,
      tags: ['VIP', '展会'],
    });
    // Found by name, company and phone digits at once (the search index is current).
    expect(await search('周明')).toEqual([id]);
    expect(await search('云栖')).toEqual([id]);
    expect(await search(PHONE.slice(-8))).toEqual([id]);

    // The same number in another spelling is the same customer: refused, naming it.
    const twin = await call<Failure>('POST', '/customers', { name: '周明2', phone: `0086${PHONE}` });
    expect(twin).toEqual({
      status: 409,
      body: { error: 'a customer with this phone number exists', field: 'phone', id },
    });

    const edited = await call('PATCH', `/customers/${id}`, {
      name: '周明远',
      email: null,
      stage: 'won',
      owner: staff[REP],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: '周明远',
      email: null,
      stage: 'won',
      owner: { id: staff[REP] },
    });
    expect(await search('明远')).toEqual([id]);
    expect(await search('zhou.ming')).toEqual([]);

    const note = await call<{ id: number; text: string }>('POST', `/customers/${id}/notes`, {
      text: '电话沟通，下周送样',
    });
    expect(note).toMatchObject({ status: 201, body: { text: '电话沟通，下周送样' } });
    expect(await call('POST', `/customers/${id}/tags`, { name: '高意向' })).toEqual({
      status: 200,
      body: { changed: true, mirrored: 0 },
    });
    expect(await call('DELETE', `/customers/${id}/tags/${encodeURIComponent('展会')}`)).toEqual({
      status: 200,
      body: { changed: true, mirrored: 0 },
    });

    const detail = (await call<Detail>('GET', `/customers/${id}`)).body;
    expect(detail.tags.map((t) => [t.name, t.source]).sort()).toEqual([
      ['VIP', 'manual'],
      ['高意向', 'manual'],
    ]);
    expect(detail.timeline.map((t) => t.kind).sort()).toEqual([
      'note_added',
      'owner_changed',
      'stage_changed',
    ]);

    // The rep who now owns the customer sees all of it in chat.
    const card = await chat.ask(REP, `/show #${id}`);
    for (const part of ['周明远', '杭州云栖贸易', '成交', '电话沟通，下周送样', '高意向', 'VIP'])
      expect(card).toContain(part);
    expect(card).not.toContain('展会');

    expect(await apiAudit()).toEqual(
      [
        'customer.created',
        'customer.tag_added',
        'customer.tag_added',
        'customer.updated',
        'customer.stage_changed',
        'customer.assigned',
        'customer.note_added',
        'customer.tag_added',
        'customer.tag_removed',
      ].map((action) => ({ action, via: 'api', actor_kind: 'api', actor_staff_id: null, subject_id: id })),
    );
  });

  it('writes once for a request retried with the same Idempotency-Key', async () => {
    h = await startHarness(dialect);
    const key = { 'idempotency-key': 'crm-sync-7f3a' };
    const body = { name: '吴倩', phone: '13900001111', tags: ['复购'] };
    // Sent twice at once (a client timing out and retrying), then once more later.
    const [first, second] = await Promise.all([
      call('POST', '/customers', body, key),
      call('POST', '/customers', body, key),
    ]);
    const third = await call('POST', '/customers', body, key);
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    const id = first.body.id;
    const rows = await h.db.selectFrom('customers').select('id').where('display_name', '=', '吴倩').execute();
    expect(rows).toEqual([{ id }]);
    // Without a key, the same body is a new request: the phone makes it a duplicate.
    expect((await call('POST', '/customers', body)).status).toBe(409);

    const noteKey = { 'Idempotency-Key': 'note-1' };
    const n1 = await call<{ id: number }>('POST', `/customers/${id}/notes`, { text: '已报价' }, noteKey);
    const n2 = await call<{ id: number }>('POST', `/customers/${id}/notes`, { text: '已报价' }, noteKey);
    expect(n1.status).toBe(201);
    expect(n2).toEqual(n1);
    const notes = await h.db.selectFrom('notes').select('body').where('customer_id', '=', id).execute();
    expect(notes).toEqual([{ body: '已报价' }]);
    // The key names one request: reused for another, nothing is written and the client is told.
    const reused = await call<Failure>('POST', `/customers/${id}/notes`, { text: '另一条' }, noteKey);
    expect(reused).toEqual({
      status: 422,
      body: { error: 'this Idempotency-Key was used for another request', field: 'Idempotency-Key' },
    });

    const actions = (await apiAudit()).map((a) => a.action);
    expect(actions.filter((a) => a === 'customer.created')).toHaveLength(1);
    expect(actions.filter((a) => a === 'customer.note_added')).toHaveLength(1);
  });

  it('answers bad requests with 400 naming the field, and refuses unreadable or oversized bodies', async () => {
    h = await startHarness(dialect);
    const id = (await call('POST', '/customers', { name: '郑洁' })).body.id;
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/customers', {}, 'name'],
      ['POST', '/customers', { name: '   ' }, 'name'],
      ['POST', '/customers', { name: 'x', email: 'not-an-email' }, 'email'],
      ['POST', '/customers', { name: 'x', phone: '12-34' }, 'phone'],
      ['POST', '/customers', { name: 'x', phone: '138****5678' }, 'phone'],
      ['POST', '/customers', { name: 'x', stage: 'someday' }, 'stage'],
      ['POST', '/customers', { name: 'x', owner: 'me' }, 'owner'],
      ['POST', '/customers', { name: 'x', tags: ['ok', ''] }, 'tags.1'],
      ['POST', '/customers', { name: 'x', phone_number: PHONE }, 'phone_number'],
      ['PATCH', `/customers/${id}`, { name: null }, 'name'],
      ['PATCH', '/customers/abc', { name: 'y' }, 'id'],
      ['POST', `/customers/${id}/notes`, { text: '' }, 'text'],
      ['POST', `/customers/${id}/notes`, { text: '长'.repeat(2001) }, 'text'],
      ['POST', `/customers/${id}/notes`, { note: 'hi' }, 'text'],
      ['POST', `/customers/${id}/tags`, { name: 'x'.repeat(51) }, 'name'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call<Failure>(method, path, body);
      expect(
        { status: res.status, field: res.body.field },
        `${method} ${path} ${JSON.stringify(body)}`,
      ).toEqual({
        status: 400,
        field,
      });
      expect(res.body.error).toMatch(/^invalid (body|path)$/);
    }
    const badKey = await call<Failure>(
      'POST',
      '/customers',
      { name: 'x' },
      { 'Idempotency-Key': 'has space' },
    );
    expect(badKey).toMatchObject({
      status: 400,
      body: { error: 'invalid header', field: 'Idempotency-Key' },
    });
    expect(await call<Failure>('PATCH', `/customers/${id}`, {})).toMatchObject({
      status: 400,
      body: { error: 'invalid body', details: { '': ['nothing to change'] } },
    });
    expect(await call<Failure>('POST', '/customers', '{"name": "x"')).toEqual({
      status: 400,
      body: { error: 'Malformed JSON in request body' },
    });
    expect(
      (await call('POST', '/customers', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(415);
    const big = await call<Failure>('POST', `/customers/${id}/notes`, { text: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(await call<Failure>('POST', '/customers/424242/notes', { text: 'hi' })).toEqual({
      status: 404,
      body: { error: 'no such customer' },
    });
    // Nothing of it was written.
    expect(await h.db.selectFrom('notes').select('id').execute()).toEqual([]);
    expect(await h.db.selectFrom('customers').select('display_name').execute()).toEqual([
      { display_name: '郑洁' },
    ]);
  });

  it('gives a staff-bound token that rep’s scope and rules: other reps’ customers do not exist', async () => {
    h = await startHarness(dialect, { env: { API_TOKEN_STAFF: `telegram:${REP}` } });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
    const mine = await telegramCustomer(h, '6300000001', '孙丽');
    const theirs = await telegramCustomer(h, '6300000002', '钱程');
    await chat.ask(ADMIN, `/assign #${mine} telegram:${REP}`);
    await chat.ask(ADMIN, `/assign #${theirs} telegram:${OTHER_REP}`);
    await h.db.updateTable('customers').set({ phone: PHONE }).where('id', '=', theirs).execute();
    const staff = await staffIds();
    expect(Object.keys(staff)).toEqual([REP]);
    const otherRepId = (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', OTHER_REP)
        .executeTakeFirstOrThrow()
    ).staff_id;

    // Outside the scope reads exactly like an id that does not exist.
    const unknown = await call<Failure>('POST', '/customers/424242/notes', { text: '跟进' });
    expect(unknown.status).toBe(404);
    for (const [method, path, body] of [
      ['POST', `/customers/${theirs}/notes`, { text: '跟进' }],
      ['POST', `/customers/${theirs}/tags`, { name: '高意向' }],
      ['DELETE', `/customers/${theirs}/tags/VIP`, undefined],
      ['PATCH', `/customers/${theirs}`, { stage: 'won' }],
    ] as const) {
      expect(await call<Failure>(method, path, body), `${method} ${path}`).toEqual(unknown);
    }
    // A rep assigns only to themselves, as /assign in chat.
    expect(await call<Failure>('PATCH', `/customers/${mine}`, { owner: otherRepId })).toEqual({
      status: 403,
      body: { error: 'a rep may only assign customers to themselves', field: 'owner' },
    });
    expect((await call<Failure>('POST', '/customers', { name: '李娜', owner: otherRepId })).status).toBe(403);
    // A duplicate outside the scope is refused without saying whose it is.
    expect(await call<Failure>('POST', '/customers', { name: '钱程', phone: PHONE })).toEqual({
      status: 409,
      body: { error: 'a customer with this phone number exists', field: 'phone' },
    });

    const own = await call('POST', '/customers', {
      name: '李娜',
      phone: '13700002222',
      owner: staff[REP],
    });
    expect(own.status).toBe(201);
    // The rep sees phones masked, here as in chat.
    expect(own.body.phone).toBe('137****2222');
    expect((await call('PATCH', `/customers/${mine}`, { stage: 'interested' })).body.stage).toBe(
      'interested',
    );
    expect((await call('POST', `/customers/${mine}/notes`, { text: '约了周五' })).status).toBe(201);

    expect(await chat.ask(REP, `/show #${mine}`)).toContain('约了周五');
    expect(await h.db.selectFrom('notes').select('customer_id').execute()).toEqual([{ customer_id: mine }]);
    const audited = await apiAudit();
    expect(audited.map((a) => [a.action, a.subject_id])).toEqual([
      ['customer.created', own.body.id],
      ['customer.stage_changed', mine],
      ['customer.note_added', mine],
    ]);
    expect(audited.every((a) => a.actor_staff_id === staff[REP])).toBe(true);
  });
});
