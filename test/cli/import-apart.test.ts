import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/import.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { cliContext } from './cli-test-context.ts';

const NOW = Date.UTC(2026, 10, 30, 2, 0);
const dir = mkdtempSync(join(tmpdir(), 'liaison-import-apart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

for (const dialect of dialectsUnderTest()) {
  describe(`liaison import: files a first import gets wrong (${dialect.name})`, () => {
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
    const customers = async () =>
      Number(
        (
          await t.db
            .selectFrom('customers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('keeps apart different names sharing a phone: not merged, listed as conflicts, offered as duplicates', async () => {
      expect((await run([file(`liu-${fileTag}.csv`, '姓名,手机\n刘洋,13800001111\n')])).code).toBe(0);
      const liu = (await t.db.selectFrom('customers').select('id').executeTakeFirstOrThrow()).id;
      const path = file(
        `shared-${fileTag}.csv`,
        [
          '姓名,公司,手机',
          '王芳,,13800001111',
          '刘总,,+86 138 0000 1111',
          '陈静,,13900002222',
          '李娜,,13900002222',
          '陈静,恒信贸易,13900002222',
        ].join('\n'),
      );
      const preview = await run([path, '--dry-run']);
      expect(preview.code).toBe(0);
      expect(preview.out).toContain('row 2: create 王芳');
      expect(preview.out).toContain(`row 3: merge 刘总 into #${liu} (same phone)`);
      expect(preview.out).toContain('row 5: create 李娜');
      expect(preview.out).toContain('row 6: same person as row 4 陈静 (same phone), merged');
      expect(preview.err).toContain(
        `row 2: not merged with #${liu} 刘洋 — same phone, different name (王芳); would be imported as a customer of its own`,
      );
      expect(preview.err).toContain(
        'row 5: not merged with row 4 陈静 — same phone, different name (李娜); would be imported as a customer of its own',
      );
      expect(preview.out).toContain(
        "5 rows: 3 would be created, 1 would be merged into 1 existing customer(s), 1 duplicate rows would be merged, 0 invalid, 2 conflict(s) (2 row(s) with another customer's phone but a different name, would be kept apart).",
      );

      const real = await run([path]);
      expect(real.code).toBe(0);
      expect(real.out).toContain('0 invalid, 2 conflict(s) (2 row(s) with another customer');
      expect(real.out).toMatch(/\d+ possible duplicate\(s\) of other customers .*\/dupes lists them/);
      const names = await t.db
        .selectFrom('customers')
        .select(['display_name', 'phone'])
        .orderBy('id')
        .execute();
      expect(names).toEqual([
        { display_name: '刘洋', phone: '13800001111' },
        { display_name: '王芳', phone: '13800001111' },
        { display_name: '陈静', phone: '13900002222' },
        { display_name: '李娜', phone: '13900002222' },
      ]);
      const detail = await t.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'customers.imported')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(detail.detail ?? '{}')).toMatchObject({ created: 3, keptApart: 2 });
    });

    it("refuses a file that starts with npm's banner, saying how to export a clean one", async () => {
      const path = file(
        `banner-${fileTag}.csv`,
        '\n> liaison@0.1.0 liaison\n> tsx src/entry/cli.ts export customers --format csv\n\n\uFEFFid,name,phone\n1,王芳,13812345678\n',
      );
      const result = await run([path]);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`liaison import: cannot read ${path}: it starts with npm's banner`);
      expect(result.err).toContain('Export again with --out <file>');
      expect(await customers()).toBe(0);
    });
  });
}
