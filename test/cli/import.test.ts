import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { importCommand } from '../../src/cli/import.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { createStaff } from '../../src/core/records/staff/registry.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { cliContext } from './cli-test-context.ts';

const NOW = Date.UTC(2026, 10, 30, 2, 0);
const dir = mkdtempSync(join(tmpdir(), 'liaison-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function counts(db: Kysely<Database>) {
  const n = async (table: 'customers' | 'customer_tags' | 'identities' | 'notes' | 'customer_events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'customers.imported')
    .executeTakeFirstOrThrow();
  return {
    customers: await n('customers'),
    tags: await n('customer_tags'),
    identities: await n('identities'),
    notes: await n('notes'),
    events: await n('customer_events'),
    audits: Number(audits.n),
  };
}

async function addStaff(db: Kysely<Database>, id: string, name: string) {
  const staffId = await createStaff(
    db,
    { platform: 'web', workspace: '', externalId: id },
    { displayName: name },
    'rep',
    NOW,
  );
  if (staffId === null) throw new Error('staff not created');
  return staffId;
}

for (const dialect of dialectsUnderTest()) {
  describe(`liaison import (${dialect.name})`, () => {
    const fileTag = dialect.name.replace(/\W+/g, '-');
    let t: TestDatabase;
    beforeEach(async () => {
      t = await dialect.open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    const run = async (args: string[]) => {
      const ctx = cliContext(t, { now: NOW });
      const code = await importCommand.run(args, ctx);
      return { code, out: ctx.stdout.join('\n'), err: ctx.stderr.join('\n') };
    };

    it('recognises Chinese headers, refuses a file with bad rows naming row, column and reason, and writes nothing', async () => {
      await addStaff(t.db, 'li', '李娜');
      const path = file(
        `bad-${fileTag}.csv`,
        [
          '姓名,公司,手机号码,邮箱,阶段,负责人,标签,备注',
          '王芳,广州恒信贸易有限公司,138 1234 5678,wang@example.com,意向,李娜,高意向、VIP,展会认识',
          '张伟,深圳华锐科技,12ab,,,,,',
          '刘洋,,13912345678,not-an-email,签约,赵六,,',
          ',空名公司,13700000000,,,,,',
        ].join('\n'),
      );
      const refused = await run([path]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('row 3, column 手机号码 "12ab": not a phone number');
      expect(refused.err).toContain('row 4, column 邮箱 "not-an-email": not an email address');
      expect(refused.err).toMatch(/row 4, column 阶段 "签约": not a stage/);
      expect(refused.err).toContain('row 4, column 负责人 "赵六": no active staff member');
      expect(refused.err).toContain('row 5, column 姓名: empty');
      expect(refused.err).toContain('Nothing imported: 3 row(s) invalid');
      expect(await counts(t.db)).toMatchObject({ customers: 0, tags: 0, audits: 0 });

      const imported = await run([path, '--skip-invalid']);
      expect(imported.code).toBe(0);
      expect(imported.out).toContain(
        '4 rows: 1 created, 0 merged into 0 existing customer(s), 0 duplicate rows merged, 3 invalid',
      );
      const [wang] = await searchCustomers(t.db, { q: '王芳', limit: 5 });
      expect(wang).toMatchObject({
        name: '王芳',
        company: '广州恒信贸易有限公司',
        phone: '13812345678',
        email: 'wang@example.com',
        stage: 'interested',
        owner: { name: '李娜' },
        tags: ['VIP', '高意向'],
      });
      const tag = await t.db
        .selectFrom('customer_tags')
        .select(['source', 'source_ref'])
        .executeTakeFirstOrThrow();
      expect(tag).toEqual({ source: 'manual', source_ref: 'import' });
      const customer = await t.db
        .selectFrom('customers')
        .select(['source', 'stage_source'])
        .executeTakeFirstOrThrow();
      expect(customer).toEqual({ source: `import:bad-${fileTag}.csv`, stage_source: 'manual' });
      expect((await searchCustomers(t.db, { q: '5678', limit: 5 })).map((c) => c.name)).toEqual(['王芳']);
      const auditRow = await t.db
        .selectFrom('audit_log')
        .select(['detail', 'via'])
        .where('action', '=', 'customers.imported')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(auditRow.detail ?? '{}')).toMatchObject({ created: 1, invalidSkipped: 3 });
      expect(auditRow.detail).not.toContain('王芳');
      expect(auditRow.detail).not.toContain('13812345678');
    });

    it('merges into existing customers by phone, unionid, then name and company, filling only empty fields', async () => {
      const li = await addStaff(t.db, 'li', '李娜');
      const chen = await addStaff(t.db, 'chen', '陈强');
      const first = file(
        `first-${fileTag}.csv`,
        [
          'name,company,phone,stage,owner,unionid,tags',
          '王芳,,+86 138-1234-5678,interested,李娜,,老客户',
          'Li Lei,Acme Ltd,,lead,,oABCDEF123,',
          '赵敏,华锐科技,,,,,',
        ].join('\n'),
      );
      expect((await run([first])).code).toBe(0);
      const ids = Object.fromEntries(
        (await t.db.selectFrom('customers').select(['id', 'display_name']).execute()).map((c) => [
          c.display_name,
          c.id,
        ]),
      );
      const second = file(
        `second-${fileTag}.csv`,
        [
          '客户名称,公司名称,手机,阶段,跟进人,unionid,标签',
          '王芳芳,恒信贸易,13812345678,won,陈强,,VIP',
          '李雷,Acme Ltd,13900001111,,,oABCDEF123,',
          '赵敏,华锐科技,13700002222,,李娜,,',
          '新客户,新公司,13600003333,,,,',
          '新客户二号,新公司,13600003333,,,,重复',
        ].join('\n'),
      );
      const preview = await run([second, '--dry-run']);
      expect(preview.code).toBe(0);
      expect(preview.out).toContain(`row 2: merge 王芳芳 into #${ids.王芳} (same phone)`);
      expect(preview.out).toContain(`row 3: merge 李雷 into #${ids['Li Lei']} (same unionid)`);
      expect(preview.out).toContain(`row 4: merge 赵敏 into #${ids.赵敏} (same name and company)`);
      expect(preview.out).toContain('row 5: create 新客户');
      expect(preview.out).toContain('row 6: same person as row 5 新客户二号 (same phone), merged');
      expect(preview.out).toContain(
        '5 rows: 1 would be created, 3 would be merged into 3 existing customer(s), 1 duplicate rows would be merged',
      );
      expect(preview.err).toContain(`row 2: owner of #${ids.王芳} kept as 李娜 (the file says 陈强)`);
      expect(preview.err).toContain(`row 2: stage of #${ids.王芳} kept as interested (the file says won)`);
      expect(await counts(t.db)).toMatchObject({ customers: 3, audits: 1 });

      const real = await run([second]);
      expect(real.code).toBe(0);
      expect(real.out).toContain(
        '5 rows: 1 created, 3 merged into 3 existing customer(s), 1 duplicate rows merged, 0 invalid, 2 conflict(s).',
      );
      const after = await t.db
        .selectFrom('customers')
        .select(['id', 'display_name', 'company', 'phone', 'stage', 'owner_staff_id'])
        .orderBy('id')
        .execute();
      expect(after).toEqual([
        {
          id: ids.王芳,
          display_name: '王芳',
          company: '恒信贸易',
          phone: '13812345678',
          stage: 'interested',
          owner_staff_id: li,
        },
        {
          id: ids['Li Lei'],
          display_name: 'Li Lei',
          company: 'Acme Ltd',
          phone: '13900001111',
          stage: 'lead',
          owner_staff_id: null,
        },
        {
          id: ids.赵敏,
          display_name: '赵敏',
          company: '华锐科技',
          phone: '13700002222',
          stage: 'lead',
          owner_staff_id: li,
        },
        expect.objectContaining({ display_name: '新客户', phone: '13600003333' }),
      ]);
      expect(chen).toBeGreaterThan(0);
      const tagsOf = (await searchCustomers(t.db, { q: '王芳', limit: 5 }))[0]?.tags;
      expect(tagsOf).toEqual(['VIP', '老客户']);
      expect((await searchCustomers(t.db, { q: '新客户', limit: 5 }))[0]?.tags).toEqual(['重复']);
      // The filled phone is searchable at once.
      expect((await searchCustomers(t.db, { q: '13900001111', limit: 5 })).map((c) => c.id)).toEqual([
        ids['Li Lei'],
      ]);
      const unionIdentity = await t.db
        .selectFrom('identities')
        .select(['customer_id', 'platform', 'union_id'])
        .executeTakeFirstOrThrow();
      expect(unionIdentity).toEqual({
        customer_id: ids['Li Lei'],
        platform: 'wecom',
        union_id: 'oABCDEF123',
      });
    });

    it('imports the first sheet of an xlsx workbook, phones typed as numbers included', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('客户');
      sheet.addRow(['姓名', '公司', '电话', 'Email', '标签']);
      sheet.addRow(['陈静', '佛山美居家具', 13912345678, 'chen@example.com', '询价']);
      sheet.addRow(['Tom Baker', 'Baker & Sons', '+44 20 7946 0958', null, 'export,vip']);
      const path = join(dir, `book-${fileTag}.xlsx`);
      await workbook.xlsx.writeFile(path);
      const result = await run([path]);
      expect(result.code).toBe(0);
      expect(result.out).toContain('2 rows: 2 created');
      const found = await searchCustomers(t.db, { q: '陈静', limit: 5 });
      expect(found[0]).toMatchObject({ phone: '13912345678', company: '佛山美居家具', tags: ['询价'] });
      const tom = await searchCustomers(t.db, { q: 'baker', limit: 5 });
      expect(tom[0]).toMatchObject({ name: 'Tom Baker', phone: '+442079460958', tags: ['export', 'vip'] });
    });

    it('imports 50,000 rows with duplicates and bad rows: exact counts, refusal, and the counts the dry run reported', {
      timeout: 240_000,
    }, async () => {
      // On both dialects: about 30 s on SQLite and 50 s on PostgreSQL on a busy 2-core machine (the limit allows a
      // busier one). 2,000 customers already there, then a file where every 25 rows hold 1 bad phone, 1 repeat of
      // the row before, 1 existing customer (same name and phone) and 22 new people.
      const pad = (n: number) => String(n).padStart(8, '0');
      const seed = file(
        `seed-${fileTag}.csv`,
        [
          '姓名,公司,手机',
          ...Array.from({ length: 2000 }, (_, e) => `存量${e},存量公司${e},137${pad(e)}`),
        ].join('\n'),
      );
      expect((await run([seed])).code).toBe(0);
      const lines = ['姓名,公司,手机,阶段,标签'];
      for (let i = 0; i < 50_000; i++) {
        const group = Math.floor(i / 25);
        const k = i % 25;
        if (k === 0) lines.push(`坏行${i},坏公司${i},12345,,`);
        else if (k === 2) lines.push(`客户${i - 1},重复公司${i},139${pad(i - 1)},,复购客户`);
        else if (k === 3) lines.push(`存量${group},,137${pad(group)},,老客户`);
        else lines.push(`客户${i},公司${i},139${pad(i)},意向,批量导入`);
      }
      const big = file(`big-${fileTag}.csv`, lines.join('\n'));
      const before = await counts(t.db);
      const expected =
        '50000 rows: 44000 {}created, 2000 {}merged into 2000 existing customer(s), 2000 duplicate rows {}merged, 2000 invalid';

      const refused = await run([big]);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain(expected.replaceAll('{}', 'would be '));
      expect(refused.err.split('\n').filter((l) => /^row \d+, column 手机 "12345"/.test(l))).toHaveLength(
        2000,
      );
      expect(refused.err).toContain('row 2, column 手机 "12345": a phone number has 7 to 15 digits');
      expect(await counts(t.db)).toEqual(before);

      const dry = await run([big, '--skip-invalid', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain(expected.replaceAll('{}', 'would be '));
      expect(dry.out).toContain('row 4: same person as row 3 客户1 (same phone), merged');
      expect(await counts(t.db)).toEqual(before);

      const started = Date.now();
      const real = await run([big, '--skip-invalid']);
      const seconds = (Date.now() - started) / 1000;
      console.info(`50,000-row import on ${dialect.name}: ${seconds.toFixed(1)} s`);
      expect(real.code).toBe(0);
      expect(real.out).toContain(expected.replaceAll('{}', ''));
      expect(real.err).toContain('matching: 100% (48000/48000)');
      expect(real.err).toContain('writing: 100% (46000/46000)');
      const after = await counts(t.db);
      expect(after.customers).toBe(before.customers + 44_000);
      // 44,000 new customers tagged 批量导入 (2,000 of them also 复购客户 from their repeat), 2,000 existing 老客户.
      expect(after.tags).toBe(before.tags + 44_000 + 2_000 + 2_000);
      expect(after.audits).toBe(before.audits + 1);
      expect((await searchCustomers(t.db, { q: '客户49999', limit: 5 })).map((c) => c.phone)).toEqual([
        '13900049999',
      ]);
      expect((await searchCustomers(t.db, { q: '存量7', limit: 1, tag: '老客户' })).length).toBe(1);
    });

    it('leaves nothing behind when the database refuses a row half-way through the write', {
      timeout: 120_000,
    }, async () => {
      const pad = (n: number) => String(n).padStart(8, '0');
      const rows = Array.from({ length: 5000 }, (_, i) => `客户${i},公司${i},139${pad(i)},高意向`);
      const path = file(`fail-${fileTag}.csv`, ['姓名,公司,手机,标签', ...rows].join('\n'));
      expect((await run([file(`one-${fileTag}.csv`, '姓名,手机\n存量,13700000001\n')])).code).toBe(0);
      const before = await counts(t.db);
      // A failure only the database can find, at row 2,502 of 5,001: everything written before it goes too.
      await injectFailure(t, '客户2500');
      const failed = await run([path]);
      expect(failed.code).toBe(1);
      expect(failed.err).toContain('the import failed and was rolled back, nothing was written');
      expect(failed.err).toContain('writing: 40% (2000/5000)');
      expect(await counts(t.db)).toEqual(before);
      expect(await searchCustomers(t.db, { q: '客户1', limit: 5 })).toEqual([]);
      expect(await searchCustomers(t.db, { q: '13900000001', limit: 5 })).toEqual([]);
      await removeFailure(t);
      const again = await run([path]);
      expect(again.code).toBe(0);
      expect(again.out).toContain('5000 rows: 5000 created');
      expect((await searchCustomers(t.db, { q: '客户1', limit: 5 })).length).toBe(5);
    });

    it('reads a GBK-encoded CSV (what Excel saves in China), gives --owner to new customers, and finds +86 numbers', async () => {
      const li = await addStaff(t.db, 'li', '李娜');
      // A customer the chat path stored with the number as typed: +8613812345678.
      await t.db
        .insertInto('customers')
        .values({
          display_name: '老王',
          phone: '+8613812345678',
          stage: 'lead',
          do_not_contact: 0,
          origin_key: 'web::old-wang',
          search_text: '老王',
          first_contact_at: NOW,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
      // 姓名,手机 / 王芳,13812345678 / 王芳,13900000000 in GBK bytes.
      const gbk = Buffer.concat([
        Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0x0a]),
        Buffer.from([0xcd, 0xf5, 0xb7, 0xbc]),
        Buffer.from(',13812345678\n'),
        Buffer.from([0xcd, 0xf5, 0xb7, 0xbc]),
        Buffer.from(',13900000000\n'),
      ]);
      const path = join(dir, `gbk-${fileTag}.csv`);
      writeFileSync(path, gbk);
      expect((await run([path, '--owner', 'nobody'])).err).toContain(
        '--owner nobody: no active staff member',
      );
      const result = await run([path, '--owner', 'web:li']);
      expect(result.code).toBe(0);
      expect(result.out).toContain('2 rows: 1 created, 1 merged into 1 existing customer(s)');
      const rows = await t.db
        .selectFrom('customers')
        .select(['display_name', 'owner_staff_id'])
        .orderBy('id')
        .execute();
      // The existing customer keeps having no owner: --owner is for new customers only.
      expect(rows).toEqual([
        { display_name: '老王', owner_staff_id: null },
        { display_name: '王芳', owner_staff_id: li },
      ]);
    });

    it('explains bad usage and unknown columns', async () => {
      expect((await run([])).code).toBe(2);
      expect((await run(['customers.pdf'])).code).toBe(2);
      const path = file(`cols-${fileTag}.csv`, '客户,地址,手机号\n王芳,广州,13812345678\n');
      const mapped = await run([path, '--map', '客户=name,手机号=phone,地址=ignore', '--dry-run']);
      expect(mapped.code).toBe(0);
      expect(mapped.out).toContain('row 2: create 王芳');
      const unnamed = file(`noname-${fileTag}.csv`, '称呼,手机号\n王芳,13812345678\n');
      const noName = await run([unnamed]);
      expect(noName.code).toBe(1);
      expect(noName.err).toContain("no column holds the customer's name");
      expect((await run([unnamed, '--map', '称呼=nickname'])).code).toBe(2);
    });
  });
}

/** A row the database refuses at write time (a trigger), to fail an import part-way. */
async function injectFailure(t: TestDatabase, name: string) {
  if (t.dialect === 'sqlite') {
    await sql`create trigger refuse_row before insert on customers when new.display_name = ${sql.lit(name)}
      begin select raise(abort, 'injected failure'); end`.execute(t.db);
    return;
  }
  await sql`create function refuse_row() returns trigger language plpgsql as $$
    begin if new.display_name = ${sql.lit(name)} then raise exception 'injected failure'; end if; return new; end $$`.execute(
    t.db,
  );
  await sql`create trigger refuse_row before insert on customers for each row execute function refuse_row()`.execute(
    t.db,
  );
}

async function removeFailure(t: TestDatabase) {
  await sql`drop trigger refuse_row${t.dialect === 'postgres' ? sql` on customers` : sql``}`.execute(t.db);
  if (t.dialect === 'postgres') await sql`drop function refuse_row()`.execute(t.db);
}
