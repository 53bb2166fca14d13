import type { SyncJobView, SyncSummary } from '../core/inbound/sync/jobs.ts';
import { cliActor } from '../core/kernel/permissions/actor.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../core/kernel/tagging/default-rules.ts';
import { compileRules } from '../core/kernel/tagging/rules.ts';
import type { Logger } from '../core/ports/clock.ts';
import type { CliCommand, CliContext } from './command.ts';
import { type Progress, startProgress } from './progress-bar.ts';

const usage = [
  'Usage: liaison sync wecom',
  '',
  'Reads the whole WeCom contact book into Liaison: the members with 客户联系, every customer with the members who',
  'hold them (remarks, remark phones, corp tags), the tag catalogue, and customer groups with their members. Each',
  'customer is stored as an add_external_contact event would store them. Safe to run again: a second run changes',
  'nothing, and a run that was stopped (Ctrl-C, a crash) carries on from where it was when started again.',
  'Paced under WeCom’s frequency limits; a rate limit (45009) is waited out. The server runs the same sync',
  'nightly; `POST /api/sync/wecom` starts one in the background.',
].join('\n');

const PLATFORMS = ['wecom'];
/** Lines (when stderr is not a terminal) while contacts are read: their total is unknown until the last page. */
const READ_REPORT_EVERY_MS = 2_000;

/** `liaison sync wecom`: a full directory sync, run here with a progress bar, and what it changed. */
export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Read the whole WeCom contact book into Liaison (sync wecom; resumable, idempotent)',
  usage,
  async run(args, ctx) {
    const [platform, ...extra] = args;
    if (!platform || !PLATFORMS.includes(platform) || extra.length > 0) {
      ctx.err(usage);
      return 2;
    }
    if (!ctx.config.wecom) {
      ctx.err('liaison sync: WeCom is not configured; set WECOM_CORP_ID, WECOM_AGENT_SECRET and the rest.');
      return 1;
    }
    const deps = await coreDeps(ctx);
    // Loaded on use: `liaison help` should not wait for the core's sync modules.
    const { startSync, readSyncJob } = await import('../core/inbound/sync/jobs.ts');
    const { runSyncStep } = await import('../core/inbound/sync/run.ts');
    const started = await startSync(deps, cliActor, platform);
    if ('refused' in started) {
      ctx.err(`liaison sync: ${platform} has no contact directory to read in bulk`);
      return 1;
    }
    const id = started.job.id;
    ctx.err(`${started.started ? 'Started' : 'Resuming'} sync #${id} of ${platform}.`);
    const owner = `cli:${crypto.randomUUID()}`;
    const bars = new Map<string, Progress>();
    let readAt = 0;
    let job: SyncJobView = started.job;
    try {
      for (;;) {
        const worked = await runSyncStep(deps, {
          owner,
          // Short: a run stopped with Ctrl-C holds the job only this long before the next run (or the server) takes it.
          leaseMs: 15_000,
          retryBaseMs: 2_000,
          retryMaxMs: 5 * 60_000,
        });
        const read = await readSyncJob(deps, cliActor, id);
        if (!read || read === 'not_allowed') throw new Error(`sync #${id} vanished`);
        job = read;
        if (job.status === 'done' || job.status === 'failed') break;
        if (job.phase === 'contacts' && Date.now() - readAt >= READ_REPORT_EVERY_MS) {
          readAt = Date.now();
          ctx.err(`Reading contacts: ${job.progress.contacts?.done ?? 0} so far`);
        }
        for (const phase of ['apply', 'groups'] as const) {
          const p = job.progress[phase];
          if (!p || job.phase !== phase) continue;
          const bar =
            bars.get(phase) ?? startProgress(ctx, phase === 'apply' ? 'Storing contacts' : 'Groups');
          bars.set(phase, bar);
          bar.update(p.done, p.total ?? Math.max(p.done, 1));
        }
        // Nothing due: waiting out a rate limit, or the server holds this job's lease and is running it.
        if (!worked)
          await new Promise((r) =>
            setTimeout(r, Math.min(1_000, Math.max(50, (job.retryAt ?? 0) - Date.now()))),
          );
      }
    } finally {
      for (const bar of bars.values()) bar.stop();
    }
    if (job.status === 'failed') {
      ctx.err(`liaison sync: sync #${id} failed: ${job.lastError ?? 'unknown error'}`);
      ctx.err('Run the command again to carry on from where it stopped.');
      return 1;
    }
    report(ctx, job.summary, job.unchanged);
    return 0;
  },
};

function report(ctx: CliContext, s: SyncSummary, unchanged: boolean): void {
  ctx.out(`Read ${s.membersSeen} members, ${s.contactsSeen} customer relations, ${s.groupsSeen} groups.`);
  if (unchanged) {
    ctx.out('Nothing changed: Liaison already agreed with WeCom.');
    return;
  }
  const lines: Array<[number, string]> = [
    [s.membersAdded, 'new staff members'],
    [s.customersCreated, 'customers created'],
    [s.customersUpdated, 'customers updated'],
    [s.relationsLost, 'relations lost (gone on WeCom)'],
    [s.groupsAdded, 'new groups'],
    [s.groupMembersJoined, 'group members joined'],
    [s.groupMembersLeft, 'group members left'],
  ];
  for (const [n, what] of lines) if (n > 0) ctx.out(`  ${n} ${what}`);
}

async function coreDeps(ctx: CliContext): Promise<CoreDeps> {
  const rules = compileRules(DEFAULT_RULE_SET);
  const warn = (fields: object, message: string) =>
    ctx.err(`warning: ${message}${'code' in fields ? ` (code ${String(fields.code)})` : ''}`);
  const logger: Logger = { debug() {}, info() {}, warn, error: warn };
  const clock = { now: ctx.now };
  const { buildAdapters } = await import('../wiring/adapters.ts');
  const adapters = await buildAdapters(ctx.config, clock);
  return {
    db: ctx.db,
    clock,
    logger,
    adapters,
    org: ctx.config.org,
    tagging: { rules, allowlist: rules.tags, llmTagging: false },
  };
}
