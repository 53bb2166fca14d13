import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { demoCommand } from '../../src/cli/demo.ts';
import { type CoreDeps, defaultOrgSettings } from '../../src/core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules } from '../../src/core/kernel/tagging/rules.ts';
import { silentLogger } from '../../src/core/ports/clock.ts';
import { buildDigest } from '../../src/core/reading/digests/build.ts';
import { digestFacts } from '../../src/core/reading/digests/facts.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { cliContext } from './cli-test-context.ts';
import { runLiaison } from './run-cli.ts';

const NOW = Date.UTC(2026, 10, 30, 2, 0);
const DAY = 86_400_000;

const count = async (db: Kysely<Database>, table: 'customers' | 'staff' | 'teams' | 'messages' | 'chats') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const deps = (db: Kysely<Database>): CoreDeps => ({
  db,
  clock: { now: () => NOW },
  logger: silentLogger,
  adapters: new Map(),
  org: defaultOrgSettings,
  tagging: { rules: compileRules(DEFAULT_RULE_SET), allowlist: [], llmTagging: false },
});

for (const dialect of dialectsUnderTest()) {
  describe(`liaison demo (${dialect.name})`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await dialect.open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    const demo = async (args: string[] = []) => {
      const ctx = cliContext(t, { now: NOW });
      const code = await demoCommand.run(args, ctx);
      return { code, out: ctx.stdout.join('\n'), err: ctx.stderr.join('\n') };
    };

    it('seeds a sales organisation whose customers /find, /stale and the digest show', {
      timeout: 120_000,
    }, async () => {
      const seeded = await demo();
      expect(seeded.code).toBe(0);
      expect(seeded.out).toMatch(/Seeded 6 teams, 20 staff, 300 customers and (\d+) messages\./);
      expect(seeded.out).toContain('web:demo-gz-rep1');
      // The playground's first acting staff member, who gets the walkthrough's alert (test/playground/walkthrough).
      expect(seeded.out).toContain(
        '/playground) starts as 林海峰, manager of 销售一部, who hears about new customers',
      );
      expect(await count(t.db, 'customers')).toBe(300);
      expect(await count(t.db, 'chats')).toBe(300);
      const teams = await t.db
        .selectFrom('teams')
        .select(['id', 'name', 'parent_id'])
        .orderBy('id')
        .execute();
      const teamId = (name: string) => teams.find((x) => x.name === name)?.id;
      expect(teams.map((x) => [x.name, x.parent_id])).toEqual([
        ['销售一部', null],
        ['广州组', teamId('销售一部')],
        ['深圳组', teamId('销售一部')],
        ['销售二部', null],
        ['东莞组', teamId('销售二部')],
        ['佛山组', teamId('销售二部')],
      ]);
      const staff = await t.db
        .selectFrom('staff')
        .innerJoin('staff_identities as si', 'si.staff_id', 'staff.id')
        .leftJoin('teams', 'teams.id', 'staff.team_id')
        .select(['staff.role', 'teams.name as team', 'si.platform', 'si.external_id'])
        .execute();
      expect(staff).toHaveLength(20);
      expect(staff.every((s) => s.platform === 'web' && s.external_id.startsWith('demo-'))).toBe(true);
      const roles = (role: string) =>
        staff
          .filter((s) => s.role === role)
          .map((s) => s.external_id)
          .sort();
      expect(roles('admin')).toEqual(['demo-admin']);
      expect(roles('director')).toEqual(['demo-director']);
      expect(roles('manager')).toEqual([
        'demo-d1-manager',
        'demo-d2-manager',
        'demo-dg-manager',
        'demo-fs-manager',
        'demo-gz-manager',
        'demo-sz-manager',
      ]);
      expect(staff.filter((s) => s.role === 'rep' && s.team === '广州组')).toHaveLength(3);

      const sources = await t.db
        .selectFrom('customer_tags')
        .select(['source', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('source')
        .execute();
      expect(sources.map((s) => s.source).sort()).toEqual(['llm', 'manual', 'rule']);
      const stages = await t.db.selectFrom('customers').select('stage').distinct().execute();
      expect(stages.map((s) => s.stage).sort()).toEqual(['interested', 'lead', 'lost', 'repeat', 'won']);
      expect(await t.db.selectFrom('deals').select('id').executeTakeFirst()).toBeDefined();
      expect(
        await t.db.selectFrom('reminders').select('id').where('status', '=', 'pending').execute(),
      ).toHaveLength(12);

      // /find by a two-character Chinese name.
      const named = await t.db.selectFrom('customers').select(['id', 'display_name']).orderBy('id').execute();
      const twoChars = named.find((c) => [...c.display_name].length === 2);
      if (!twoChars) throw new Error('no two-character name among the demo customers');
      const found = await searchCustomers(t.db, { q: twoChars.display_name, limit: 50 });
      expect(found.map((c) => c.id)).toContain(twoChars.id);

      // /stale: some rep has customers silent for over 30 days.
      const stale = await t.db
        .selectFrom('customers')
        .select('owner_staff_id')
        .where('owner_staff_id', 'is not', null)
        .where((eb) => eb(eb.fn.coalesce('last_contact_at', 'first_contact_at'), '<', NOW - 30 * DAY))
        .execute();
      expect(stale.length).toBeGreaterThan(10);

      // A team's digest has something in every section a manager reads first.
      const scope = { teamId: teamId('广州组') ?? null };
      const facts = await digestFacts(deps(t.db), scope, NOW - DAY, NOW);
      expect(facts.messages.inbound).toBeGreaterThan(0);
      expect(facts.waiting.count).toBeGreaterThan(0);
      expect(facts.stale.count).toBeGreaterThan(0);
      expect(facts.funnel.reduce((n, f) => n + f.count, 0)).toBeGreaterThan(20);
      expect(facts.reps.length).toBeGreaterThanOrEqual(3);
      const digest = await buildDigest(deps(t.db), scope, 'zh');
      expect(digest.text).toContain(facts.waiting.top[0]?.name ?? '(none)');
    });

    it('is the same every time, leaves an existing demo alone, and --reset removes only the demo', {
      timeout: 120_000,
    }, async () => {
      const first = await demo(['--customers', '40']);
      expect(first.out).toContain('40 customers');
      const messages = await count(t.db, 'messages');
      const again = await demo(['--customers', '40']);
      expect(again.code).toBe(0);
      expect(again.out).toContain('already there (40 demo customers); nothing changed');
      expect(await count(t.db, 'customers')).toBe(40);

      // Someone's own data beside the demo: a team under 销售一部, its staff member and a customer.
      const parent = await t.db
        .selectFrom('teams')
        .select('id')
        .where('name', '=', '销售一部')
        .executeTakeFirstOrThrow();
      const team = await t.db
        .insertInto('teams')
        .values({ name: '大客户组', parent_id: parent.id, created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const own = await t.db
        .insertInto('staff')
        .values({
          display_name: '真实员工',
          role: 'rep',
          team_id: team.id,
          language: 'zh',
          active: 1,
          created_at: NOW,
          updated_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('customers')
        .values({
          display_name: '真实客户',
          stage: 'lead',
          do_not_contact: 0,
          origin_key: 'telegram::42',
          search_text: '真实客户',
          owner_staff_id: own.id,
          first_contact_at: NOW,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();

      const reset = await demo(['--reset', '--customers', '40']);
      expect(reset.code).toBe(0);
      expect(reset.out).toContain('Removed the previous demo (40 customers).');
      expect(await count(t.db, 'customers')).toBe(41);
      expect(await count(t.db, 'staff')).toBe(21);
      expect(await count(t.db, 'teams')).toBe(7);
      expect(await count(t.db, 'messages')).toBe(messages);
      const kept = await t.db
        .selectFrom('customers')
        .select('owner_staff_id')
        .where('display_name', '=', '真实客户')
        .execute();
      expect(kept).toEqual([{ owner_staff_id: own.id }]);
    });

    it('refuses a bad customer count', async () => {
      expect((await demo(['--customers', 'many'])).code).toBe(2);
      expect((await demo(['--colour'])).code).toBe(2);
    });
  });
}

describe('npm run demo (the real command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-demo-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds a SQLite database from the shell', { timeout: 120_000 }, async () => {
    const file = join(dir, 'demo.sqlite');
    const result = await runLiaison(['demo', '--customers', '25'], { DATABASE_URL: file }, dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Seeded 6 teams, 20 staff, 25 customers');
    const db = openSqlite(file);
    try {
      expect(await count(db, 'customers')).toBe(25);
    } finally {
      await db.destroy();
    }
  });
});
