import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Lang, languageOf } from '../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../core/kernel/tagging/default-rules.ts';
import { compileRules } from '../core/kernel/tagging/rules.ts';
import type { Logger } from '../core/ports/clock.ts';
import type { DigestScope } from '../core/reading/digests/scope.ts';
import { findStaffByRef } from '../core/records/staff/staff-ref.ts';
import type { CliCommand, CliContext } from './command.ts';

const usage = [
  'Usage: liaison digest preview <target> [--weekly] [--lang zh|en] [--chart <file.png>]',
  '',
  'Prints the digest as it would be sent now, without sending it. <target> is one of:',
  '  all                 the whole organisation',
  '  <team>              a team (with its sub-teams), by name',
  '  <staff>             a staff member, by platform:userId, @username or name: the scope /report gives them',
  '  sub:<id>            a digest subscription, by id',
  '  <platform:chat id>  the chat a subscription sends to (e.g. telegram:-1001234567890)',
  '',
  '--weekly   the weekly report instead of the daily digest (a subscription uses its own kind)',
  "--lang     the language (default: the subscription's or staff member's, else zh)",
  '--chart    also draw the chart and write it to this PNG file',
  'With OPENAI_API_KEY set, the summary lines on top come from the model, as in the sent digest.',
].join('\n');

interface Resolved {
  label: string;
  scope: DigestScope;
  lang?: Lang;
  weekly?: boolean;
}

/** `liaison digest preview <target>`: the digest text a team, staff member or subscribed chat would get. */
export const digestPreviewCommand: CliCommand = {
  name: 'digest',
  summary: 'Preview the digest of a team, staff member or subscribed chat (digest preview <target>)',
  usage,
  async run(args, ctx) {
    let options: ReturnType<typeof parseOptions>;
    try {
      options = parseOptions(args);
    } catch (error) {
      ctx.err(`liaison digest: ${(error as Error).message}`);
      ctx.err(usage);
      return 2;
    }
    const found = await resolveTarget(ctx, options.target);
    if (typeof found === 'string') {
      ctx.err(`liaison digest: ${found}`);
      return 1;
    }
    const lang = options.lang ?? found.lang ?? 'zh';
    const weekly = found.weekly ?? options.weekly;
    const deps = await coreDeps(ctx, options.chart !== undefined);
    // Loaded on use (with the chart and LLM modules): `liaison help` should not wait for them.
    const { buildDigest } = await import('../core/reading/digests/build.ts');
    const content = await buildDigest(deps, found.scope, lang, weekly ? 'weekly' : 'daily');
    ctx.err(`Digest for ${found.label} (${weekly ? 'weekly' : 'daily'}, ${lang}), not sent:`);
    ctx.out(content.text);
    if (options.chart !== undefined) {
      if (!content.image) {
        ctx.err('liaison digest: the chart could not be drawn (see the warning above).');
        return 1;
      }
      await writeFile(options.chart, Buffer.from(content.image.base64, 'base64'));
      ctx.err(`Chart written to ${options.chart}.`);
    }
    return 0;
  },
};

function parseOptions(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: {
      weekly: { type: 'boolean', default: false },
      lang: { type: 'string' },
      chart: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [sub, ...targetWords] = positionals;
  if (sub !== 'preview' || targetWords.length === 0) throw new Error('say which digest: preview <target>');
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en')
    throw new Error('--lang must be zh or en');
  if (values.chart !== undefined && !values.chart.trim()) throw new Error('--chart needs a file name');
  return {
    target: targetWords.join(' '),
    weekly: values.weekly,
    lang: values.lang as Lang | undefined,
    chart: values.chart,
  };
}

/** What a target names, in order: the organisation, a subscription id, a team, a staff member, a subscribed chat. */
async function resolveTarget(ctx: CliContext, target: string): Promise<Resolved | string> {
  const { db } = ctx;
  if (['all', 'org', 'organisation', 'organization'].includes(target.toLowerCase()))
    return { label: 'the whole organisation', scope: { teamId: null } };
  const subscriptions = db
    .selectFrom('digest_subscriptions')
    .select(['id', 'platform', 'target_ref', 'target_kind', 'scope_team_id', 'language', 'kind']);
  const subId = /^(?:sub(?:scription)?:|#)(\d+)$/i.exec(target)?.[1];
  if (subId) {
    const sub = await subscriptions.where('id', '=', Number(subId)).executeTakeFirst();
    return sub ? fromSubscription(sub) : `there is no digest subscription ${subId}.`;
  }
  const team = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('name', '=', target)
    .executeTakeFirst();
  if (team) return { label: `team "${team.name}"`, scope: { teamId: team.id } };
  const staff = await findStaffByRef(db, target, -1);
  if (staff.length > 1)
    return `"${target}" names ${staff.length} staff members (ids ${staff.map((s) => s.id).join(', ')}); use platform:userId.`;
  const person = staff[0];
  if (person) {
    const row = await db
      .selectFrom('staff')
      .select('language')
      .where('id', '=', person.id)
      .executeTakeFirst();
    const scope: DigestScope =
      person.role === 'admin' || person.role === 'director'
        ? { teamId: null }
        : person.role === 'manager' && person.teamId !== null
          ? { teamId: person.teamId }
          : { teamId: null, ownerId: person.id };
    return {
      label: `${person.name} (${person.role})`,
      scope,
      ...(row?.language ? { lang: languageOf(row.language) } : {}),
    };
  }
  const chat = /^(telegram|wecom|feishu|web):(.+)$/.exec(target);
  let bySub = subscriptions.where('target_ref', '=', chat?.[2] ?? target);
  if (chat) bySub = bySub.where('platform', '=', chat[1] as never);
  const subs = await bySub.orderBy('id').execute();
  const daily = subs.find((s) => s.kind !== 'weekly') ?? subs[0];
  if (daily) return fromSubscription(daily);
  return `no team, staff member or subscribed chat matches "${target}" (try: all, a team name, platform:userId, sub:<id>).`;
}

function fromSubscription(sub: {
  id: number;
  platform: string;
  target_kind: string;
  scope_team_id: number | null;
  language: string;
  kind: string;
}): Resolved {
  return {
    // A robot subscription's target is a webhook URL holding its key: never printed.
    label: `subscription ${sub.id} (${sub.platform} ${sub.target_kind})`,
    scope: { teamId: sub.scope_team_id },
    lang: languageOf(sub.language),
    weekly: sub.kind === 'weekly',
  };
}

async function coreDeps(ctx: CliContext, withChart: boolean): Promise<CoreDeps> {
  const rules = compileRules(DEFAULT_RULE_SET);
  const warn = (fields: object, message: string) =>
    ctx.err(`warning: ${message}${'error' in fields ? ` (${String(fields.error)})` : ''}`);
  const logger: Logger = { debug() {}, info() {}, warn, error: warn };
  const { config } = ctx;
  return {
    db: ctx.db,
    clock: { now: ctx.now },
    logger,
    adapters: new Map(),
    org: config.org,
    tagging: { rules, allowlist: rules.tags, llmTagging: false },
    ...(config.llm
      ? { llm: (await import('../../adapters/llm/openai.ts')).createOpenAiLlm(config.llm) }
      : {}),
    ...(withChart
      ? { charts: (await import('../../adapters/charts/digest-chart.ts')).createDigestChartRenderer() }
      : {}),
  };
}
