import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Lang } from '../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../core/kernel/tagging/default-rules.ts';
import { compileRules } from '../core/kernel/tagging/rules.ts';
import type { Logger } from '../core/ports/clock.ts';
import { type DigestTarget, digestTargetOf } from '../core/reading/digests/preview-target.ts';
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

/** The target, or why it names no digest, in the operator's words. */
async function resolveTarget(ctx: CliContext, target: string): Promise<DigestTarget | string> {
  const found = await digestTargetOf(ctx.db, target);
  if (!('reason' in found)) return found;
  if (found.reason === 'no_subscription') return `there is no digest subscription ${found.id}.`;
  if (found.reason === 'ambiguous_staff')
    return `"${target}" names ${found.ids.length} staff members (ids ${found.ids.join(', ')}); use platform:userId.`;
  return `no team, staff member or subscribed chat matches "${target}" (try: all, a team name, platform:userId, sub:<id>).`;
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
