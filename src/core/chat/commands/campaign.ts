import { type Lang, lookup, messages } from '../../kernel/i18n/index.ts';
import { staffActor } from '../../kernel/permissions/actor.ts';
import { customerScope } from '../../kernel/permissions/scope.ts';
import {
  type CampaignActor,
  type CampaignRow,
  campaignFor,
  cancelCampaign,
  listCampaigns,
  pauseCampaign,
  reachedOf,
  recipientCounts,
  resumeCampaign,
  type TransitionOutcome,
} from '../../marketing/campaigns/campaigns.ts';
import { type CampaignPreview, previewCampaign } from '../../marketing/campaigns/preview.ts';
import { campaignReport, campaignReportText } from '../../reading/evaluation/campaign-report.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf } from './common.ts';

const LISTED = 20;

/** The words after a campaign's name that act on it, in both languages. */
const ACTIONS: Record<string, 'preview' | 'pause' | 'resume' | 'cancel'> = {
  preview: 'preview',
  预览: 'preview',
  pause: 'pause',
  暂停: 'pause',
  resume: 'resume',
  继续: 'resume',
  恢复: 'resume',
  cancel: 'cancel',
  取消: 'cancel',
};

const status = (s: string, lang: Lang) => lookup(messages(lang).commands.campaign.status, s) ?? s;

/**
 * `/campaign 活动` (managers and above): the campaigns with their status and how many customers each reached;
 * `/campaign 活动 <name>`: its effect report; `<name> preview|pause|resume|cancel` (预览|暂停|继续|取消): as the API.
 */
export const campaignCommand: Command = {
  name: 'campaign',
  aliases: ['活动'],
  ...helpOf('campaign'),
  hints: ['活动', '群发', 'campaign'],
  where: 'private',
  async run(ctx) {
    const t = messages(ctx.lang).commands.campaign;
    if (ctx.viewer.role === 'rep') return t.repRefused;
    const words = ctx.args.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return listAnswer(ctx);
    const last = words.at(-1)?.toLowerCase() ?? '';
    const action = words.length > 1 && Object.hasOwn(ACTIONS, last) ? ACTIONS[last] : undefined;
    const ref = (action ? words.slice(0, -1) : words).join(' ');
    const campaign = await campaignFor(ctx.deps.db, ctx.viewer, ref);
    if (!campaign) return t.notFound(ref);
    const now = ctx.deps.clock.now();
    if (!action)
      return campaignReportText(
        await campaignReport(ctx.deps, campaign.id, now, customerScope(ctx.deps.db, ctx.viewer)),
        ctx.lang,
      );
    if (action === 'preview')
      return previewText(campaign, await previewCampaign(ctx.deps, campaign, now), ctx.lang);
    const actor: CampaignActor = staffActor(ctx.viewer, ctx.chat.platform);
    const change = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign }[action];
    return changeText(campaign, action, await change(ctx.deps, campaign.id, actor), ctx.lang);
  },
};

async function listAnswer(ctx: CommandContext): Promise<string> {
  const t = messages(ctx.lang).commands.campaign;
  const rows = await listCampaigns(ctx.deps.db, ctx.viewer, LISTED);
  if (rows.length === 0) return t.none;
  const lines: string[] = [];
  for (const c of rows) {
    const counts = await recipientCounts(ctx.deps.db, c.id);
    const reached = reachedOf(counts.byStatus);
    const delivered = counts.byStatus.delivered ?? 0;
    const shown = status(c.status, ctx.lang);
    lines.push(t.line({ id: c.id, name: c.name, status: shown, reached, total: counts.total, delivered }));
  }
  return [t.listHead, ...lines, t.listFoot].join('\n');
}

function previewText(c: CampaignRow, p: CampaignPreview, lang: Lang): string {
  const t = messages(lang).commands.campaign;
  if (!p.segmentFound) return t.segmentGone(c.name);
  const platforms = Object.entries(p.reachable.byPlatform)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ');
  const senders = p.wecomSenders.map((w) => `${w.sender} ${w.customers}`).join(' · ');
  return t.preview({
    name: c.name,
    status: status(c.status, lang),
    segmentSize: p.segmentSize,
    holdout: p.holdout,
    skipped: p.skipped,
    reachable: p.reachable.total,
    chat: p.reachable.byRoute.chat,
    wecomTemplate: p.reachable.byRoute.wecom_template,
    platforms,
    senders,
  });
}

function changeText(
  c: CampaignRow,
  action: 'pause' | 'resume' | 'cancel',
  o: TransitionOutcome,
  lang: Lang,
): string {
  const t = messages(lang).commands.campaign;
  const verb = t.actions[action];
  if (o.ok) return t.changed(c.name, verb, status(o.campaign.status, lang));
  if (o.status === 404) return t.gone(c.name);
  return t.cannot(c.name, status(o.state ?? c.status, lang), verb);
}
