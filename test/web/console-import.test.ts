import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN, GZ_MANAGER, GZ_REP, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';
import { PUBLIC_URL, signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The console's import and export (src/web/console/import-routes.ts) as its page calls them, on every database.

const BASE = '/app/api/console/import';

interface Job {
  id: number;
  status: string;
  total: number;
  done: number;
  preview: {
    rows: number;
    created: number;
    matched: number;
    updated: number;
    duplicates: number;
    invalid: number;
    problems: Array<{ row: number; column: string; reason: string }>;
    importedBefore: { jobId: number } | null;
  };
  summary: { created: number; merged: number; skipped: number };
}

/** A CSV of lines (the header first). */
const csv = (lines: string[][]) =>
  new TextEncoder().encode(
    `${lines.map((l) => l.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n')}\n`,
  );

/**
 * The manager's file: 300 rows. Rows with problems (spreadsheet row numbers, the header being row 1): 11, 12, 13
 * without a name, 21 and 22 with a phone that is none, 31 with a broken email, 41 owned by the other team's rep, 51
 * the phone of the other team's customer. Row 61 is the GZ rep's existing customer (same phone); row 71 repeats row 70.
 */
function managerFile(): Uint8Array {
  const lines: string[][] = [['name', 'company', 'phone', 'email', 'owner', 'tags', 'note']];
  for (let i = 2; i <= 301; i++) {
    const n = String(i).padStart(3, '0');
    let row = [`导入客户${n}`, `公司${n}`, `1370000${String(i).padStart(4, '0')}`, '', '', '展会'];
    if ([11, 12, 13].includes(i)) row[0] = '';
    if ([21, 22].includes(i)) row[2] = 'abc';
    if (i === 31) row[3] = 'not-an-email';
    if (i === 41) row[4] = `telegram:${SZ_REP}`;
    if (i === 51) row = ['深圳客户', '', '13900000009', '', '', ''];
    if (i === 61) row = ['老客户甲', '甲公司', '13800000001', '', '', 'VIP', '展会上聊过'];
    if (i === 71) row = ['导入客户070', '公司070', '13700000070', '', '', ''];
    lines.push(row);
  }
  return csv(lines);
}

describe.each(serverDialectsUnderTest())('console import and export on $name', (dialect) => {
  let h: Harness;
  const chat = () => telegramDriver(h);
  let manager: WebClient;

  /** Posts a file's bytes as the page does: the session's cookies, the app's Origin, the CSRF token unless told not. */
  const upload = (web: WebClient, bytes: Uint8Array, name: string, csrf = true) =>
    fetch(`${h.url}${BASE}/uploads?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: {
        cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        origin: PUBLIC_URL,
        'content-type': 'application/octet-stream',
        'accept-language': 'zh-CN',
        ...(csrf ? { 'x-csrf-token': web.csrf } : {}),
      },
      body: new Blob([new Uint8Array(bytes)]),
    });
  const uploaded = async (web: WebClient, bytes: Uint8Array, name: string): Promise<Job> => {
    const res = await upload(web, bytes, name);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Job;
  };
  /** Starts the job and steps it to the end as the page does; the progress seen at each step. */
  const runToEnd = async (web: WebClient, job: Job) => {
    expect((await web.request(`${BASE}/jobs/${job.id}/run`, { json: {} })).status).toBe(200);
    const seen: number[] = [];
    let now = job;
    for (let i = 0; i < 50 && now.status !== 'done'; i++) {
      const res = await web.request(`${BASE}/jobs/${job.id}/step`, { json: {} });
      expect(res.status).toBe(200);
      now = (await res.json()) as Job;
      seen.push(now.done);
    }
    return { job: now, seen };
  };
  const customerCount = async () =>
    Number(
      (
        await h.db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('merged_into_id', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: { ...WEB_ENV, IMPORT_MAX_MB: '1' } });
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
    ])
      await chat().ask(ADMIN, line);
    // The customers there before: the admin's import (everyone's scope), one of them named like a formula.
    const admin = await signInByLink(h, ADMIN);
    const seed = await uploaded(
      admin,
      csv([
        ['姓名', '手机', '负责人'],
        ['老客户甲', '13800000001', `telegram:${GZ_REP}`],
        ['深圳客户', '13900000009', `telegram:${SZ_REP}`],
        ['=HYPERLINK("http://evil.example","点我")', '13800000002', `telegram:${GZ_REP}`],
      ]),
      'seed.csv',
    );
    expect((await runToEnd(admin, seed)).job.summary.created).toBe(3);
    manager = await signInByLink(h, GZ_MANAGER);
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('previews a 300-row CSV, imports it with progress to 300, and the customers show in the list and /find', async () => {
    const before = await customerCount();
    const job = await uploaded(manager, managerFile(), 'customers.csv');
    expect(job.status).toBe('previewed');
    expect(job.preview).toMatchObject({
      rows: 300,
      created: 290,
      matched: 1,
      updated: 1,
      duplicates: 1,
      invalid: 8,
      importedBefore: null,
    });
    expect([...new Set(job.preview.problems.map((p) => p.row))]).toEqual([11, 12, 13, 21, 22, 31, 41, 51]);
    // Said in the manager's language (the command line says the same in English).
    const reasonOf = (row: number) => job.preview.problems.find((p) => p.row === row)?.reason;
    expect(reasonOf(11)).toBe('为空：客户需要姓名');
    expect(reasonOf(21)).toBe('不是电话号码');
    expect(reasonOf(31)).toBe('不是邮箱地址');
    expect(reasonOf(41)).toBe('负责人不是你管理的员工');
    expect(reasonOf(51)).toBe('与其他团队的客户重复');
    // Nothing is written by the preview.
    expect(await customerCount()).toBe(before);

    const { job: done, seen } = await runToEnd(manager, job);
    expect(done.status).toBe('done');
    expect(seen).toEqual([100, 200, 300]);
    expect(done.summary).toEqual({ created: 290, merged: 2, skipped: 8 });
    expect(await customerCount()).toBe(before + 290);

    const list = await manager.request('/app/api/console/customers?q=导入客户150');
    const items = ((await list.json()) as { items: Array<{ name: string; company: string }> }).items;
    expect(items.map((i) => [i.name, i.company])).toEqual([['导入客户150', '公司150']]);
    // The existing customer gained the company the file gave; the other team's customer was not touched.
    const old = await manager.request('/app/api/console/customers?q=13800000001');
    expect(((await old.json()) as { items: Array<{ company: string }> }).items[0]?.company).toBe('甲公司');
    expect(await chat().ask(GZ_MANAGER, '/find 导入客户150')).toContain('导入客户150');
  });

  it('creates nothing when the same file is uploaded again', async () => {
    const before = await customerCount();
    const again = await uploaded(manager, managerFile(), 'customers.csv');
    expect(again.preview.created).toBe(0);
    expect(again.preview.importedBefore).not.toBeNull();
    const { job } = await runToEnd(manager, again);
    expect(job.summary.created).toBe(0);
    expect(await customerCount()).toBe(before);
    // Nor a second copy of a note the first upload added.
    const notes = await h.db.selectFrom('notes').select('body').where('body', '=', '展会上聊过').execute();
    expect(notes).toHaveLength(1);
  });

  it('reads an XLSX workbook with Chinese headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['客户姓名', '手机号码', '公司名称', '标签']);
    sheet.addRow(['表格客户一', 13600000001, '表格公司', '展会,高意向']);
    sheet.addRow(['表格客户二', '13600000002', '', '']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const job = await uploaded(manager, bytes, '客户.xlsx');
    expect(job.preview).toMatchObject({ rows: 2, created: 2, invalid: 0 });
    await runToEnd(manager, job);
    const res = await manager.request('/app/api/console/customers?q=13600000001');
    const items = ((await res.json()) as { items: Array<{ name: string; tags: string[] }> }).items;
    expect(items.map((i) => i.name)).toEqual(['表格客户一']);
    expect(items[0]?.tags).toEqual(expect.arrayContaining(['展会', '高意向']));
  });

  it('refuses a file over the size cap, and one that is neither CSV nor XLSX, saying why', async () => {
    const big = csv([
      ['name', 'note'],
      ...Array.from({ length: 12_000 }, (_, i) => [`客户${i}`, 'x'.repeat(100)]),
    ]);
    const tooLarge = await upload(manager, big, 'big.csv');
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: string }).error).toContain('1 MB');
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    const notTable = await upload(manager, png, 'customers.csv');
    expect(notTable.status).toBe(415);
    expect(((await notTable.json()) as { error: string }).error).toContain('CSV');
  });

  it('refuses an upload or a run without the CSRF token, and a rep altogether', async () => {
    const before = await customerCount();
    const bytes = csv([
      ['name', 'phone'],
      ['无令牌客户', '13500000001'],
    ]);
    expect((await upload(manager, bytes, 'x.csv', false)).status).toBe(403);
    const job = await uploaded(manager, bytes, 'x.csv');
    expect((await manager.request(`${BASE}/jobs/${job.id}/run`, { json: {}, csrf: null })).status).toBe(403);
    const rep = await signInByLink(h, GZ_REP);
    expect((await upload(rep, bytes, 'x.csv')).status).toBe(403);
    expect((await rep.request(`${BASE}/export?format=csv`)).status).toBe(403);
    // Another manager's job is not theirs to run.
    const admin = await signInByLink(h, ADMIN);
    expect((await admin.request(`${BASE}/jobs/${job.id}/run`, { json: {} })).status).toBe(404);
    expect(await customerCount()).toBe(before);
  });

  it("exports the manager's team's customers as CSV with formulas neutralised, and as XLSX", async () => {
    const res = await manager.request(`${BASE}/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text).toContain('老客户甲');
    expect(text).toContain('导入客户150');
    expect(text).not.toContain('深圳客户');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    // The list's filters narrow it: the tag only the XLSX's first customer has.
    const tagged = await (await manager.request(`${BASE}/export?format=csv&tag=高意向`)).text();
    expect(tagged.trim().split('\n')).toHaveLength(2);

    const xlsx = await manager.request(`${BASE}/export?format=xlsx`);
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const names = sheet?.getColumn(2).values.slice(2).map(String) ?? [];
    expect(names).toContain('老客户甲');
    expect(names).not.toContain('深圳客户');
    expect(names.find((n) => n.includes('HYPERLINK'))?.startsWith("'=")).toBe(true);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the import / export screen, in Chromium, on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    for (const line of [
      '/team add 广州组',
      '/team add 深圳组',
      `/staff add telegram:${GZ_MANAGER} manager 广州组`,
      `/staff add telegram:${GZ_REP} rep 广州组`,
      `/staff add telegram:${SZ_REP} rep 深圳组`,
    ])
      await telegramDriver(h).ask(ADMIN, line);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('uploads a file, shows the preview and the progress, and the result', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/import`);
    await page.locator('#import-file').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(managerFile()),
    });
    await page.locator('#import-upload button[type=submit]').click();
    await page.locator('#import-preview').waitFor();
    // No customers before: rows 51 and 61 are new here; row 71 repeats row 70.
    expect(await page.locator('[data-figure="created"]').textContent()).toBe('292');
    expect(await page.locator('[data-figure="invalid"]').textContent()).toBe('7');
    expect(await page.locator('.problems tr[data-row="21"]').innerText()).toContain('abc');
    await screenshot(page, 'console-import');
    await page.locator('#import-run').click();
    await page.locator('#import-result').waitFor({ timeout: 30_000 });
    expect(await page.locator('#import-count').textContent()).toContain('300 / 300');
    expect(await page.locator('#import-result').innerText()).toContain('292');
    expect(await telegramDriver(h).ask(GZ_MANAGER, '/find 导入客户150')).toContain('导入客户150');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
