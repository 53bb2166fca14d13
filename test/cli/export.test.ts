import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo.ts';
import { exportCommand, npmBannerInOutput } from '../../src/cli/export.ts';
import { importCommand } from '../../src/cli/import.ts';
import { exportCustomers } from '../../src/core/records/imports/export-customers.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { cliContext } from './cli-test-context.ts';
import { runLiaison } from './run-cli.ts';

const NOW = Date.UTC(2026, 10, 30, 2, 0);
const dir = mkdtempSync(join(tmpdir(), 'liaison-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  stage: string;
  owner: string | null;
  tags: string[];
}

/** What must survive a round trip, in a stable order. */
const comparable = (rows: Row[]) =>
  rows
    .map(({ name, company, phone, email, stage, owner, tags }) => ({
      name,
      company,
      phone,
      email,
      stage,
      owner,
      tags: [...tags].sort(),
    }))
    .sort((a, b) => `${a.phone}${a.name}`.localeCompare(`${b.phone}${b.name}`));

for (const dialect of dialectsUnderTest()) {
  describe(`liaison export customers (${dialect.name})`, () => {
    const fileTag = dialect.name.replace(/\W+/g, '-');
    let a: TestDatabase;
    beforeEach(async () => {
      a = await dialect.open();
      expect(await demoCommand.run(['--customers', '60'], cliContext(a, { now: NOW }))).toBe(0);
    });
    afterEach(async () => {
      await a.cleanup();
    });

    const exportJson = async (t: TestDatabase, args: string[] = []) => {
      const ctx = cliContext(t, { now: NOW });
      expect(await exportCommand.run(['customers', '--format', 'json', ...args], ctx)).toBe(0);
      return JSON.parse(ctx.stdout.join('\n')) as Row[];
    };

    it('round-trips through csv, xlsx and json into a database with the same staff', {
      timeout: 240_000,
    }, async () => {
      const original = await exportJson(a);
      expect(original).toHaveLength(60);
      expect(original.some((r) => r.tags.length > 0 && r.owner?.startsWith('web:demo-'))).toBe(true);
      for (const format of ['csv', 'xlsx', 'json']) {
        const out = join(dir, `customers-${fileTag}.${format}`);
        const exported = cliContext(a, { now: NOW });
        expect(await exportCommand.run(['customers', '--out', out], exported)).toBe(0);
        expect(exported.stderr.join('\n')).toContain(`Exported 60 customer(s) to ${out}`);
        const b = await dialect.open();
        try {
          expect(await demoCommand.run(['--customers', '0'], cliContext(b, { now: NOW }))).toBe(0);
          const imported = cliContext(b, { now: NOW });
          expect(await importCommand.run([out], imported)).toBe(0);
          expect(imported.stdout.join('\n')).toContain('60 ');
          expect(imported.stdout.join('\n')).toContain('60 created, 0 merged');
          expect(comparable(await exportJson(b)), format).toEqual(comparable(original));
        } finally {
          await b.cleanup();
        }
      }
    });

    it('exports what a rep sees: their own customers and the pool, phones and emails masked', async () => {
      const rep = await a.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', 'demo-gz-rep1')
        .executeTakeFirstOrThrow();
      const visible = await a.db
        .selectFrom('customers')
        .select(['id', 'phone'])
        .where((eb) => eb.or([eb('owner_staff_id', '=', rep.staff_id), eb('owner_staff_id', 'is', null)]))
        .orderBy('id')
        .execute();
      const rows = await exportJson(a, ['--as', 'web:demo-gz-rep1']);
      expect(rows.map((r) => r.id)).toEqual(visible.map((c) => c.id));
      expect(rows.every((r) => r.owner === null || r.owner === 'web:demo-gz-rep1')).toBe(true);
      expect(rows.every((r) => r.phone === null || /^1\d\d\*\*\*\*\d{4}$/.test(r.phone))).toBe(true);
      expect(rows.every((r) => r.email === null || r.email.includes('***@'))).toBe(true);

      const masked = await exportJson(a, ['--role', 'rep']);
      expect(masked).toHaveLength(60);
      expect(masked.every((r) => r.phone?.includes('****'))).toBe(true);
      const maskedReads = await a.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'customer.unmasked_read')
        .execute();
      expect(maskedReads).toHaveLength(0);

      const whole = await exportJson(a);
      expect(whole.every((r) => r.phone && /^1\d{10}$/.test(r.phone))).toBe(true);
      const audited = await a.db
        .selectFrom('audit_log')
        .select(['subject_id', 'via', 'detail'])
        .where('action', '=', 'customer.unmasked_read')
        .execute();
      expect(audited).toHaveLength(1);
      expect(audited[0]?.subject_id?.split(',')).toHaveLength(60);
      expect(audited[0]?.via).toBe('cli');
    });

    it('reads the customers in batches by id, each once', async () => {
      const seen: number[][] = [];
      const total = await exportCustomers(
        a.db,
        { unmask: false, actorStaffId: null, now: NOW, batchSize: 7 },
        async (b) => {
          seen.push(b.map((c) => c.id));
        },
      );
      expect(total).toBe(60);
      expect(seen).toHaveLength(9);
      expect(seen.every((b) => b.length <= 7)).toBe(true);
      const ids = seen.flat();
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(60);
    });

    it('explains bad usage', async () => {
      const run = async (args: string[]) => exportCommand.run(args, cliContext(a, { now: NOW }));
      expect(await run([])).toBe(2);
      expect(await run(['customers', '--format', 'pdf'])).toBe(2);
      expect(await run(['customers', '--format', 'xlsx'])).toBe(2);
      expect(await run(['customers', '--as', 'web:demo-admin', '--role', 'rep'])).toBe(2);
      expect(await run(['customers', '--as', 'web:nobody'])).toBe(1);
    });
  });
}

describe('export and import from the shell', () => {
  it('moves customers from one database to another through a CSV file', { timeout: 180_000 }, async () => {
    const from = join(dir, 'from.sqlite');
    const to = join(dir, 'to.sqlite');
    const csv = join(dir, 'shell.csv');
    expect((await runLiaison(['demo', '--customers', '30'], { DATABASE_URL: from }, dir)).code).toBe(0);
    const exported = await runLiaison(['export', 'customers', '--out', csv], { DATABASE_URL: from }, dir);
    expect(exported.stderr).toContain('Exported 30 customer(s)');
    expect(readFileSync(csv, 'utf8').startsWith('\uFEFFid,name,company,phone,email,stage,owner,')).toBe(true);
    expect((await runLiaison(['demo', '--customers', '0'], { DATABASE_URL: to }, dir)).code).toBe(0);
    const dry = await runLiaison(['import', csv, '--dry-run'], { DATABASE_URL: to }, dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('30 rows: 30 would be created');
    const imported = await runLiaison(['import', csv], { DATABASE_URL: to }, dir);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('30 rows: 30 created, 0 merged');
    const again = await runLiaison(['import', csv], { DATABASE_URL: to }, dir);
    expect(again.stdout).toContain('30 rows: 0 created, 30 merged into 30 existing customer(s)');
  });

  it('refuses standard output under plain `npm run` (npm writes its banner there too), not under `npm run -s`', {
    timeout: 180_000,
  }, async () => {
    const database = join(dir, 'npm.sqlite');
    const csv = join(dir, 'npm.csv');
    expect((await runLiaison(['migrate'], { DATABASE_URL: database }, dir)).code).toBe(0);
    // What npm puts in the environment of `npm run liaison -- …`; the test's stdout is a pipe, as with `> file`.
    const npmRun = { DATABASE_URL: database, npm_command: 'run', npm_lifecycle_event: 'liaison' };
    const refused = await runLiaison(['export', 'customers', '--format', 'csv'], npmRun, dir);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('npm prints its banner');
    expect(refused.stderr).toContain('Use --out <file>');
    const silent = await runLiaison(
      ['export', 'customers', '--format', 'csv'],
      { ...npmRun, npm_config_loglevel: 'silent' },
      dir,
    );
    expect(silent.code).toBe(0);
    expect(silent.stdout.startsWith('id,name,company,')).toBe(true);
    const toFile = await runLiaison(['export', 'customers', '--out', csv], npmRun, dir);
    expect(toFile.code).toBe(0);
    expect(readFileSync(csv, 'utf8').startsWith('\uFEFFid,name,company,')).toBe(true);
  });

  it('knows when npm would put its banner into the output', () => {
    const run = { npm_command: 'run', npm_lifecycle_event: 'liaison' };
    expect(npmBannerInOutput(run, false)).toBe(true);
    expect(npmBannerInOutput({ ...run, npm_command: 'run-script' }, false)).toBe(true);
    expect(npmBannerInOutput(run, true)).toBe(false);
    expect(npmBannerInOutput({ ...run, npm_config_loglevel: 'silent' }, false)).toBe(false);
    expect(npmBannerInOutput({ npm_command: 'exec', npm_lifecycle_event: 'npx' }, false)).toBe(false);
    expect(npmBannerInOutput({}, false)).toBe(false);
  });
});
