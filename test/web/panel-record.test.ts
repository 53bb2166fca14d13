import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpeg, messageIdOf, settledFile, tempFolder } from '../attachments/files.ts';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { ADMIN, GZ_REP, SZ_REP } from './console-people.ts';
import { signInByLink, WEB_ENV } from './web-client.ts';

// The panel's routes for the rest of a record: quick replies as they go out, tag sources in words, kept files,
// duplicates and merging one in (test/web/panel.test.ts drives the page in Chromium).

const EN_MANAGER = '5400000009';

type Record = {
  tags: Array<{ name: string; source: string; label: string }>;
  timeline: Array<{ id: number; file: string | null; text: string }>;
};

describe.each(serverDialectsUnderTest())('the rest of a record in the panel, on $name', (dialect) => {
  let h: Harness;
  let folder: ReturnType<typeof tempFolder>;
  const chat = () => telegramDriver(h);
  /** 王芳, GZ_REP's; 王女士, GZ_REP's too, who stated 王芳's phone; 陈伟, SZ_REP's. */
  let wangFang: number;
  let msWang: number;
  let chenWei: number;
  let photoId: number;

  beforeAll(async () => {
    folder = tempFolder();
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { ...WEB_ENV, ATTACHMENTS_DIR: folder.dir },
    });
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
      `/staff add telegram:${EN_MANAGER} manager 广州组`,
      '/quick add hello 您好{name}，我是您的顾问。',
    ])
      await chat().ask(ADMIN, line);
    wangFang = await telegramCustomer(h, '7600000001', '王芳', '合同什么时候能发过来？');
    chenWei = await telegramCustomer(h, '7600000003', '陈伟', '你好');
    await h.db.updateTable('customers').set({ phone: '13700000001' }).where('id', '=', wangFang).execute();
    msWang = await telegramCustomer(h, '7600000002', '王女士', '我电话13700000001');
    for (const [id, rep] of [
      [wangFang, GZ_REP],
      [msWang, GZ_REP],
      [chenWei, SZ_REP],
    ] as const)
      await chat().ask(ADMIN, `/assign #${id} telegram:${rep}`);
    await waitFor(async () =>
      (await h.db.selectFrom('merge_suggestions').select('id').where('status', '=', 'open').execute())
        .length > 0
        ? true
        : undefined,
    );
    // 王芳 sends a photo, kept by Liaison.
    h.telegram.files.set('AgAC-photo', { path: 'photos/file_9.jpg', bytes: jpeg(2_500) });
    const update = 997_000_001;
    await h.postUpdate({
      update_id: update,
      message: {
        message_id: update,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: 7600000001, type: 'private', first_name: '王芳' },
        from: { id: 7600000001, is_bot: false, first_name: '王芳' },
        photo: [{ file_id: 'AgAC-photo', file_unique_id: 'p', width: 800, height: 600 }],
      },
    });
    photoId = await messageIdOf(h, update);
    expect((await settledFile(h, photoId)).status).toBe('stored');
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    folder?.remove();
  });

  it("lists the staff member's hot leads on the panel's first screen, as /mine does", async () => {
    const buyer = await telegramCustomer(h, '7600000004', '赵敏', '我要下单，怎么付款？今天就买');
    await chat().ask(ADMIN, `/assign #${buyer} telegram:${GZ_REP}`);
    const rep = await signInByLink(h, GZ_REP);
    const listed = await waitFor(async () => {
      const body = (await (await rep.request('/app/api/hot-leads')).json()) as {
        leads: Array<{ id: number; name: string }>;
      };
      return body.leads.length > 0 ? body.leads : undefined;
    });
    expect(listed).toContainEqual(expect.objectContaining({ id: buyer, name: '赵敏' }));
    expect(await chat().ask(GZ_REP, '/mine')).toContain('赵敏');
    const other = await signInByLink(h, SZ_REP);
    const theirs = (await (await other.request('/app/api/hot-leads')).json()) as { leads: unknown[] };
    expect(theirs.leads).toEqual([]);
  });

  it('lists quick replies filled in for the open customer, as they would be sent', async () => {
    const rep = await signInByLink(h, GZ_REP);
    const res = await rep.request(`/app/api/customers/${wangFang}/quick-replies`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { quickReplies: Array<{ key: string; text: string }> };
    expect(body.quickReplies).toContainEqual(
      expect.objectContaining({ key: 'hello', text: '您好王芳，我是您的顾问。' }),
    );
    const other = await signInByLink(h, SZ_REP);
    expect((await other.request(`/app/api/customers/${wangFang}/quick-replies`)).status).toBe(404);
  });

  it("says who set a tag in the staff member's language", async () => {
    const labelsFor = async (telegramId: string, language = 'zh-hans') => {
      const web = await signInByLink(h, telegramId, language);
      const record = (await (await web.request(`/app/api/customers/${wangFang}`)).json()) as Record;
      return record.tags.filter((t) => t.source === 'rule').map((t) => t.label);
    };
    expect(await labelsFor(GZ_REP)).toContain('合同（规则）');
    expect(await labelsFor(EN_MANAGER, 'en')).toContain('合同 (rule)');
    // The chat's card says it the same way.
    expect(await chat().ask(GZ_REP, `/show #${wangFang}`)).toContain('合同（规则）');
  });

  it('serves a kept file to staff in scope, as a download, and audits the read; another team gets 404', async () => {
    const rep = await signInByLink(h, GZ_REP);
    const record = (await (await rep.request(`/app/api/customers/${wangFang}`)).json()) as Record;
    expect(record.timeline.find((m) => m.id === photoId)?.file).toBe('stored');
    const res = await rep.request(`/app/api/messages/${photoId}/file`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(jpeg(2_500))).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reads = await h.db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'message.file_read')
      .execute();
    expect(reads.map((r) => Number(r.subject_id))).toContain(photoId);

    const other = await signInByLink(h, SZ_REP);
    expect((await other.request(`/app/api/messages/${photoId}/file`)).status).toBe(404);
    expect((await other.request(`/app/api/messages/${photoId + 999_999}/file`)).status).toBe(404);
  });

  it('lists a likely duplicate, previews merging it in, and merges it once confirmed', async () => {
    const other = await signInByLink(h, SZ_REP);
    expect((await other.request(`/app/api/customers/${wangFang}/duplicates`)).status).toBe(404);
    const refused = await other.request(`/app/api/customers/${chenWei}/merge`, {
      json: { other: msWang, confirm: true },
    });
    expect(refused.status).toBe(404);

    const rep = await signInByLink(h, GZ_REP);
    const listed = (await (await rep.request(`/app/api/customers/${wangFang}/duplicates`)).json()) as {
      duplicates: Array<{ customerId: number; name: string; evidence: string }>;
    };
    expect(listed.duplicates).toEqual([
      expect.objectContaining({
        customerId: msWang,
        name: '王女士',
        evidence: expect.stringContaining('137****0001'),
      }),
    ]);
    const preview = await rep.request(`/app/api/customers/${wangFang}/merge`, { json: { other: msWang } });
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { preview: string }).preview).toContain(`#${msWang} 王女士`);
    expect(await customerGone(msWang)).toBe(false);

    const noToken = await rep.request(`/app/api/customers/${wangFang}/merge`, {
      json: { other: msWang, confirm: true },
      csrf: null,
    });
    expect(noToken.status).toBe(403);
    expect(await customerGone(msWang)).toBe(false);

    const merged = await rep.request(`/app/api/customers/${wangFang}/merge`, {
      json: { other: msWang, confirm: true },
    });
    expect(merged.status).toBe(201);
    expect(await customerGone(msWang)).toBe(true);
    const after = (await (await rep.request(`/app/api/customers/${wangFang}`)).json()) as Record;
    expect(after.timeline.map((m) => m.text).join('\n')).toContain('我电话137****0001');
    expect(
      ((await (await rep.request(`/app/api/customers/${wangFang}/duplicates`)).json()) as { duplicates: [] })
        .duplicates,
    ).toEqual([]);
  });

  const customerGone = async (id: number) =>
    (await h.db.selectFrom('customers').select('merged_into_id').where('id', '=', id).executeTakeFirst())
      ?.merged_into_id != null;
});
