import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerCommand } from '../../src/cli/privacy.ts';
import { resolveCustomer } from '../../src/core/records/customers/resolve.ts';
import { cliContext } from '../cli/cli-test-context.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';

const NOW = Date.UTC(2026, 10, 30, 2, 0);
const dir = mkdtempSync(join(tmpdir(), 'liaison-privacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(dialectsUnderTest())('liaison customer export|erase on $name', (dialect) => {
  let t: TestDatabase;
  let id = 0;
  beforeEach(async () => {
    t = await dialect.open();
    const person = { externalId: '8833000001', workspace: '', displayName: '顾清', username: 'guqing' };
    id = (await resolveCustomer(t.db, 'telegram', person, NOW, { source: 'telegram' })).customerId;
    await t.db
      .insertInto('notes')
      .values({
        customer_id: id,
        author_staff_id: null,
        body: '顾清要发票',
        created_at: NOW,
        request_key: null,
      })
      .execute();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const run = async (...args: string[]) => {
    const ctx = cliContext(t, { now: NOW });
    const code = await customerCommand.run(args, ctx);
    return { code, out: ctx.stdout.join('\n'), err: ctx.stderr.join('\n') };
  };

  it('exports to a file only its owner can read, audited', async () => {
    const file = join(dir, `export-${dialect.name.replace(/\W/g, '')}.json`);
    const { code, out } = await run('export', String(id), '--out', file);
    expect(code).toBe(0);
    expect(out).toContain(`Exported customer #${id}`);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(data.customers[0]).toMatchObject({ id, displayName: '顾清' });
    expect(data.notes[0]).toMatchObject({ body: '顾清要发票', createdAt: new Date(NOW).toISOString() });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'via']).execute();
    expect(audit).toContainEqual({ action: 'customer.exported', via: 'cli' });
    expect(JSON.parse((await run('export', String(id))).out).customerId).toBe(id);
  });

  it('shows what erasing would remove without --yes, erases with it, and explains mistakes', async () => {
    const dry = await run('erase', String(id));
    expect(dry.code).toBe(1);
    expect(dry.out).toMatch(/notes\s+1/);
    expect(dry.out).toMatch(/identities\s+1/);
    expect(dry.err).toContain('--yes');
    expect(await t.db.selectFrom('customers').select('id').execute()).toHaveLength(1);

    const done = await run('erase', String(id), '--yes');
    expect(done.code).toBe(0);
    expect(done.out).toContain(`Erased customer #${id}`);
    expect(await t.db.selectFrom('customers').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('notes').select('id').execute()).toEqual([]);
    const erased = await t.db
      .selectFrom('audit_log')
      .select(['detail', 'via'])
      .where('action', '=', 'customer.erased')
      .execute();
    expect(erased).toHaveLength(1);
    expect(erased[0]?.via).toBe('cli');
    expect(erased[0]?.detail).not.toContain('顾清');

    expect((await run('erase', String(id), '--yes')).code).toBe(1); // gone: "no customer #id"
    for (const bad of [[], ['erase'], ['erase', 'abc'], ['purge', '1'], ['erase', '1', '2'], ['export', '0']])
      expect((await run(...bad)).code).toBe(2);
  });
});
