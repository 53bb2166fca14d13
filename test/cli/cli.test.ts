import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { createStaff } from '../../src/core/records/staff/registry.ts';
import { serverDialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { FakeTelegram } from '../helpers/fake-telegram.ts';
import { BOT_TOKEN, WEBHOOK_SECRET } from '../helpers/harness.ts';
import { runLiaison } from './run-cli.ts';

// Each run starts a Node process through tsx; on a busy machine that takes seconds.
const SLOW = 120_000;
const MIGRATION_COUNT = Object.keys(migrations).length;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liaison-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('liaison (the command line)', () => {
  it('lists its commands, shows one command’s usage, and refuses no command with exit 2', {
    timeout: SLOW,
  }, async () => {
    const help = await runLiaison(['help'], {}, dir);
    expect(help.code).toBe(0);
    for (const name of ['migrate', 'doctor', 'backup', 'staff', 'telegram', 'digest'])
      expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));

    const staffHelp = await runLiaison(['help', 'staff'], {}, dir);
    expect(staffHelp.code).toBe(0);
    expect(staffHelp.stdout).toContain('liaison staff add <platform:userId> --name <name> --role');

    const nothing = await runLiaison([], {}, dir);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Usage: liaison');
  });

  it('suggests the command meant when one is mistyped, with exit 2', { timeout: SLOW }, async () => {
    const typo = await runLiaison(['mirgate'], {}, dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "mirgate". Did you mean "migrate"?');
    const helpTypo = await runLiaison(['help', 'doctr'], {}, dir);
    expect(helpTypo.code).toBe(2);
    expect(helpTypo.stderr).toContain('Did you mean "doctor"?');
    const nonsense = await runLiaison(['xyzzy'], {}, dir);
    expect(nonsense.stderr).not.toContain('Did you mean');
  });

  it('names a configuration problem instead of running a command on a broken setup', {
    timeout: SLOW,
  }, async () => {
    const result = await runLiaison(
      ['staff', 'list'],
      { DATABASE_URL: join(dir, 'broken.sqlite'), TELEGRAM_BOT_TOKEN: BOT_TOKEN },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TELEGRAM_WEBHOOK_SECRET is required');
    expect(result.stderr).toContain('liaison doctor');
    expect(result.stderr).not.toContain(BOT_TOKEN);
  });

  it('says in one line when the database cannot be reached, without the password or a stack trace', {
    timeout: SLOW,
  }, async () => {
    const result = await runLiaison(
      ['staff', 'list', '--database', 'postgres://liaison:pw-0123456789@127.0.0.1:1/x'],
      {},
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'liaison: cannot use the database (postgres postgres://liaison:***@127.0.0.1:1/x (pool 10)): cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — is PostgreSQL running and listening on that address and port?',
    );
    expect(result.stderr).not.toContain('pw-0123456789');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which SQLite file cannot be opened and why, without a stack trace', {
    timeout: SLOW,
  }, async () => {
    const aFile = join(dir, 'in-the-way');
    writeFileSync(aFile, 'x');
    const path = join(aFile, 'data', 'liaison.sqlite');
    const result = await runLiaison(['staff', 'list', '--database', path], {}, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`liaison: cannot use the database (sqlite ${path}): `);
    expect(result.stderr).toContain(
      `${aFile} is a file, so the folder ${join(aFile, 'data')} cannot be made`,
    );
    // Not a migration that failed: the database could not be opened at all.
    expect(result.stderr).not.toContain('migration failed');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('liaison telegram set-webhook', () => {
  let telegram: FakeTelegram;
  beforeEach(async () => {
    telegram = await new FakeTelegram(BOT_TOKEN).start();
  });
  afterEach(() => telegram.close());
  const env = (token = BOT_TOKEN) => ({
    DATABASE_URL: join(dir, 'webhook.sqlite'),
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
  });

  it('registers the webhook with the secret token and the update kinds, and says Telegram accepted it', {
    timeout: SLOW,
  }, async () => {
    const result = await runLiaison(['telegram', 'set-webhook', 'https://crm.example.com'], env(), dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Telegram answered ok: webhook set to https://crm.example.com/webhooks/telegram',
    );
    const [call] = telegram.callsTo('setWebhook');
    expect(call?.body).toMatchObject({
      url: 'https://crm.example.com/webhooks/telegram',
      secret_token: WEBHOOK_SECRET,
      allowed_updates: expect.arrayContaining(['message', 'business_message', 'business_connection']),
    });
    expect(result.stdout).not.toContain(WEBHOOK_SECRET);
  });

  it('refuses a URL Telegram would not deliver to, without calling Telegram', { timeout: SLOW }, async () => {
    const result = await runLiaison(
      ['telegram', 'set-webhook', 'http://crm.example.com/webhooks/telegram'],
      env(),
      dir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('only delivers webhooks to https URLs');
    expect(telegram.callsTo('setWebhook')).toHaveLength(0);
  });

  it('says what Telegram answered when it refuses, without printing the token', {
    timeout: SLOW,
  }, async () => {
    const wrongToken = '7012345678:AAwrongwrongwrongwrongwrongwrong';
    const result = await runLiaison(
      ['telegram', 'set-webhook', 'https://crm.example.com/hook'],
      env(wrongToken),
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Telegram refused the webhook: 404 Not Found (check TELEGRAM_BOT_TOKEN)');
    expect(result.stderr + result.stdout).not.toContain(wrongToken);
  });
});

for (const dialect of serverDialectsUnderTest()) {
  describe(`liaison on ${dialect.name}`, () => {
    let t: TestDatabase;
    let env: Record<string, string>;
    beforeEach(async () => {
      t = await dialect.open({ migrate: false });
      env = {
        DATABASE_URL: t.url as string,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      };
    });
    afterEach(() => t.cleanup());

    it('migrate applies every migration once, then says the database is up to date', {
      timeout: SLOW,
    }, async () => {
      const first = await runLiaison(['migrate'], env, dir);
      expect(first.code).toBe(0);
      expect(first.stdout.match(/^applied \d{4}-\d{2}-\d{2}-/gm)).toHaveLength(MIGRATION_COUNT);
      expect(first.stdout).toContain(`Applied ${MIGRATION_COUNT} migration(s)`);
      const second = await runLiaison(['migrate'], env, dir);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('Database is up to date');
      expect(second.stdout).not.toContain('applied ');
    });

    it('staff add registers a staff member in a team (audited), and staff list shows them', {
      timeout: SLOW,
    }, async () => {
      await runLiaison(['migrate'], env, dir);
      await t.db
        .insertInto('teams')
        .values({ name: '华东', parent_id: null, created_at: Date.now() })
        .execute();

      const added = await runLiaison(
        ['staff', 'add', 'telegram:5123456789', '--name', '张三', '--role', 'manager', '--team', '华东'],
        env,
        dir,
      );
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect(added.stdout).toContain('Added 张三 (telegram:5123456789) as manager in team "华东".');

      const promoted = await runLiaison(
        ['staff', 'add', 'telegram:5123456789', '--name', '张三', '--role', 'director'],
        env,
        dir,
      );
      expect(promoted.stdout).toContain('Updated 张三 (telegram:5123456789) as director.');

      const list = await runLiaison(['staff', 'list'], env, dir);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^ID +NAME +ROLE +TEAM +ACCOUNTS$/m);
      expect(list.stdout).toMatch(/^\d+ +张三 +director +- +telegram:5123456789$/m);

      const audits = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject_kind', '=', 'staff')
        .orderBy('id')
        .execute();
      expect(audits.map((a) => [a.action, a.via])).toEqual([
        ['staff.added', 'cli'],
        ['staff.updated', 'cli'],
      ]);
    });

    it('staff add refuses a team that does not exist, a wrong role, and a platform that is off', {
      timeout: SLOW,
    }, async () => {
      await runLiaison(['migrate'], env, dir);
      const noTeam = await runLiaison(
        ['staff', 'add', 'telegram:1', '--name', 'A', '--role', 'rep', '--team', '火星'],
        env,
        dir,
      );
      expect(noTeam.code).toBe(1);
      expect(noTeam.stderr).toContain(
        'there is no team "火星" (no teams yet). Create it in chat with /team add 火星.',
      );
      const badRole = await runLiaison(
        ['staff', 'add', 'telegram:1', '--name', 'A', '--role', 'boss'],
        env,
        dir,
      );
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toContain('--role must be one of rep, manager, director, admin');
      const off = await runLiaison(
        ['staff', 'add', 'wecom:zhangsan', '--name', 'A', '--role', 'rep'],
        env,
        dir,
      );
      expect(off.code).toBe(1);
      expect(off.stderr).toContain('wecom is not on');
      expect(await t.db.selectFrom('staff').selectAll().execute()).toEqual([]);
    });

    it('digest preview prints the digest of a team, a staff member or a subscribed chat, within its scope', {
      timeout: SLOW,
    }, async () => {
      await runLiaison(['migrate'], env, dir);
      const now = Date.now();
      const [east, west] = await Promise.all(
        ['华东', '华西'].map((name) =>
          t.db
            .insertInto('teams')
            .values({ name, parent_id: null, created_at: now })
            .returning('id')
            .executeTakeFirstOrThrow(),
        ),
      );
      const rep = await createStaff(
        t.db,
        { platform: 'telegram', workspace: '', externalId: '5123456789' },
        { displayName: '张三' },
        'rep',
        now,
      );
      await t.db
        .updateTable('staff')
        .set({ team_id: east?.id ?? null })
        .where('id', '=', rep as number)
        .execute();
      await t.db
        .insertInto('customers')
        .values({
          display_name: '王小明',
          company: null,
          phone: '13800138000',
          email: null,
          owner_staff_id: rep,
          stage: 'lead',
          language: 'zh',
          source: 'telegram',
          do_not_contact: 0,
          merged_into_id: null,
          origin_key: 'test:wang',
          search_text: '王小明',
          first_contact_at: now - 3_600_000,
          last_contact_at: now - 3_600_000,
          last_inbound_at: now - 3_600_000,
          last_outbound_at: null,
          created_at: now - 3_600_000,
          updated_at: now - 3_600_000,
          value_tier: null,
          sentiment: null,
          summary: null,
        })
        .execute();
      const subscription = await t.db
        .insertInto('digest_subscriptions')
        .values({
          kind: 'daily',
          platform: 'telegram',
          workspace: '7012345678',
          target_kind: 'chat',
          target_ref: '-1001234567890',
          scope_team_id: west?.id ?? null,
          subscriber_staff_id: null,
          language: 'en',
          enabled: 1,
          created_at: now,
          updated_at: now,
          send_at: null,
          time_zone: null,
          target_secret: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      const team = await runLiaison(['digest', 'preview', '华东'], env, dir);
      expect(team.code).toBe(0);
      expect(team.stderr).toContain('Digest for team "华东" (daily, zh), not sent:');
      expect(team.stdout).toContain('📊 客户日报');
      expect(team.stdout).toContain(`王小明`);
      expect(team.stdout).not.toContain('13800138000');

      const person = await runLiaison(['digest', 'preview', 'telegram:5123456789', '--lang', 'en'], env, dir);
      expect(person.stderr).toContain('Digest for 张三 (rep) (daily, en)');
      expect(person.stdout).toContain('Customer digest');
      expect(person.stdout).toContain('王小明');

      const chat = await runLiaison(['digest', 'preview', 'telegram:-1001234567890'], env, dir);
      expect(chat.stderr).toContain(`Digest for subscription ${subscription.id} (telegram chat) (daily, en)`);
      expect(chat.stdout).toContain('Customer digest');
      expect(chat.stdout).not.toContain('王小明'); // the subscription covers 华西, not 张三's 华东

      const unknown = await runLiaison(['digest', 'preview', 'nobody'], env, dir);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('no team, staff member or subscribed chat matches "nobody"');
    });

    if (dialect.name === 'sqlite') {
      it('digest preview --chart writes the chart as a PNG', { timeout: SLOW }, async () => {
        const out = join(dir, 'digest.png');
        const result = await runLiaison(['digest', 'preview', 'all', '--chart', out], env, dir);
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(`Chart written to ${out}.`);
        expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
      });
    }
  });
}
