import { existsSync, readFileSync } from 'node:fs';
import { migratorFor } from '../../db/migrate.ts';
import { databasePasswords, type OpenedDatabase, openDatabase, sqlitePathOf } from '../../db/open.ts';
import { sqliteCreateProblem } from '../../db/sqlite-problem.ts';
import { databaseWriteProblem, pingDatabase } from '../../db/write-check.ts';
import type { Config } from '../config.ts';
import { parseRuleSet } from '../core/kernel/tagging/rules.ts';
import type { CliCommand } from './command.ts';
import { checkAttachments } from './doctor-attachments.ts';
import {
  CHECK_TIMEOUT_MS,
  type Check,
  checkFeishu,
  checkLlm,
  checkTelegram,
  checkWecom,
  unreachable,
} from './doctor-platforms.ts';

const usage = [
  'Usage: liaison doctor',
  '',
  'Checks the configuration, the database (reachable? migrations pending?) and, for each configured platform and',
  'the language model, that it can be reached and accepts the credentials. Prints one line per check,',
  '"ok" or "FAIL" with what is wrong and what to do, and exits 1 when any check fails. Never prints a secret.',
  'Each network check gives up after a few seconds.',
].join('\n');

/** `liaison doctor`: one line per check of the setup, for whoever installs or runs Liaison. */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check the configuration, database, platforms and LLM, one line each',
  usage,
  needsDatabase: false,
  needsConfig: false,
  async run(args, ctx) {
    if (args.length > 0) {
      ctx.err(usage);
      return 2;
    }
    const { config } = ctx;
    const loaded = !ctx.configProblems?.length;
    const configChecks: Check[] = loaded
      ? [{ status: 'ok', text: 'config: loaded from the environment and .env' }, ...tagRules(config)]
      : (ctx.configProblems ?? []).map((p) => ({ status: 'FAIL', text: `config: ${p} (see .env.example)` }));
    const groups = await Promise.all([
      checkDatabase(config.databaseUrl, config.databasePoolSize),
      ...(loaded ? platformChecks(config) : []),
    ]);
    const checks = [...configChecks, ...groups.flat()];
    if (!loaded)
      checks.push({ status: 'off', text: 'platforms and llm: not checked until the configuration loads' });
    const scrub = scrubber(config);
    for (const check of checks) ctx.out(scrub(`${check.status.padEnd(4)} ${check.text}`));
    const failed = checks.filter((c) => c.status === 'FAIL').length;
    ctx.out(failed ? `${failed} check(s) failed.` : 'All checks passed.');
    return failed ? 1 : 0;
  },
};

function platformChecks(config: Config): Array<Promise<Check[]>> {
  const off = (text: string) => Promise.resolve([{ status: 'off', text } as Check]);
  return [
    config.telegram
      ? checkTelegram(config.telegram, config.publicUrl)
      : off('telegram: not configured (set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET)'),
    config.wecom
      ? checkWecom(config.wecom)
      : off('wecom: not configured (set WECOM_CORP_ID, WECOM_AGENT_SECRET, …)'),
    config.feishu
      ? checkFeishu(config.feishu).then((c) => [c])
      : off('feishu: not configured (set FEISHU_APP_ID, FEISHU_APP_SECRET, …)'),
    config.llm ? checkLlm(config.llm).then((c) => [c]) : off('llm: not configured (set OPENAI_API_KEY)'),
    checkAttachments(config),
  ];
}

/** The admin's tag rule file, read as `npm start` reads it (a bad file stops the start). */
function tagRules(config: Config): Check[] {
  const file = config.tagRulesFile;
  if (!file) return [];
  try {
    const rules = parseRuleSet(readFileSync(file, 'utf8'));
    return [{ status: 'ok', text: `tag rules: ${file} (${rules.rules.length} rules)` }];
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return [{ status: 'FAIL', text: `tag rules: ${file}: ${why} — fix the file or unset TAG_RULES_FILE` }];
  }
}

const withTimeout = <T>(promise: Promise<T>, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(Object.assign(new Error(what), { name: 'TimeoutError' })),
        CHECK_TIMEOUT_MS,
      ).unref(),
    ),
  ]);

/**
 * Connects, compares the applied migrations with the ones this version ships, and checks that the database takes
 * writes. Creates nothing: a SQLite file that does not exist yet is only checked for whether it could be created.
 */
async function checkDatabase(url: string, poolSize: number): Promise<Check[]> {
  const fail = (text: string): Check[] => [{ status: 'FAIL', text: `database: ${text}` }];
  const sqlitePath = sqlitePathOf(url);
  if (sqlitePath && sqlitePath !== ':memory:' && !existsSync(sqlitePath)) {
    const problem = sqliteCreateProblem(sqlitePath);
    return problem
      ? fail(
          `sqlite ${sqlitePath} does not exist and cannot be created: ${problem} — fix DATABASE_URL or the folder`,
        )
      : [{ status: 'ok', text: `database: sqlite ${sqlitePath} does not exist yet (npm start creates it)` }];
  }
  let opened: OpenedDatabase;
  try {
    opened = openDatabase(url, Math.min(poolSize, 2));
  } catch (error) {
    return fail(`${(error as Error).message}`);
  }
  try {
    await withTimeout(pingDatabase(opened.db), 'connect');
    const migrations = await withTimeout(
      migratorFor(opened.db).then((m) => m.getMigrations()),
      'read migrations',
    );
    const readOnly = await withTimeout(databaseWriteProblem(opened.db), 'try a write');
    if (readOnly) return fail(`${opened.description}: ${readOnly}`);
    const pending = migrations.filter((m) => m.executedAt === undefined).length;
    return [
      {
        status: 'ok',
        text: `database: ${opened.description} answers; ${migrations.length - pending} migrations applied${pending ? `, ${pending} pending (npm start or liaison migrate applies them)` : ''}`,
      },
    ];
  } catch (error) {
    const why = describeDbError(error);
    return fail(
      `cannot use ${opened.description}: ${why}${why.includes(' — ') ? '' : ' — check DATABASE_URL'}`,
    );
  } finally {
    await withTimeout(opened.db.destroy(), 'close').catch(() => {});
  }
}

function describeDbError(error: unknown): string {
  const text = error instanceof Error ? error.message.split('\n')[0]?.trim() : '';
  if ((error as Error | undefined)?.name === 'TimeoutError') return unreachable(error);
  return text || unreachable(error);
}

/** Every configured secret, replaced wherever it might appear: a last guard, since no check prints one on purpose. */
function scrubber(config: Config): (line: string) => string {
  const secrets = [
    config.apiToken,
    config.metricsToken,
    config.telegram?.botToken,
    config.telegram?.webhookSecret,
    config.wecom?.agentSecret,
    config.wecom?.contactSecret,
    config.wecom?.kfSecret,
    config.wecom?.token,
    config.wecom?.encodingAesKey,
    config.feishu?.appSecret,
    config.feishu?.encryptKey,
    config.feishu?.verificationToken,
    config.llm?.apiKey,
    config.attachments.s3?.secretAccessKey,
    ...databasePasswords(config.databaseUrl),
  ].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (line) => secrets.reduce((text, secret) => text.replaceAll(secret, '***'), line);
}
