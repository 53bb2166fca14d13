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
} from '../campaigns/campaigns.ts';
import { type CampaignPreview, previewCampaign } from '../campaigns/preview.ts';
import { campaignReport, campaignReportText } from '../evaluation/campaign-report.ts';
import type { Lang } from '../i18n.ts';
import { staffActor } from '../permissions/actor.ts';
import { customerScope } from '../permissions/scope.ts';
import type { Command, CommandContext } from './command.ts';

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

const STATUS: Record<string, Record<Lang, string>> = {
  draft: { zh: '草稿', en: 'draft' },
  scheduled: { zh: '已排期', en: 'scheduled' },
  running: { zh: '发送中', en: 'running' },
  paused: { zh: '已暂停', en: 'paused' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  done: { zh: '已完成', en: 'done' },
};
const status = (s: string, lang: Lang) => STATUS[s]?.[lang] ?? s;

/**
 * `/campaign 活动` (managers and above): the campaigns with their status and how many customers each reached;
 * `/campaign 活动 <name>`: its effect report; `<name> preview|pause|resume|cancel` (预览|暂停|继续|取消): as the API.
 */
export const campaignCommand: Command = {
  name: 'campaign',
  aliases: ['活动'],
  usage: {
    zh: '/campaign 活动 [名称|#编号] [预览|暂停|继续|取消]',
    en: '/campaign [name|#id] [preview|pause|resume|cancel]',
  },
  summary: {
    zh: '群发活动：列表、效果、预览、暂停、继续、取消',
    en: 'campaigns: list, effect, preview, pause, resume, cancel',
  },
  hints: ['活动', '群发', 'campaign'],
  where: 'private',
  async run(ctx) {
    const zh = ctx.lang === 'zh';
    if (ctx.viewer.role === 'rep')
      return zh ? '只有经理及以上可以管理群发活动。' : 'Campaigns are for managers and above.';
    const words = ctx.args.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return listAnswer(ctx);
    const last = words.at(-1)?.toLowerCase() ?? '';
    const action = words.length > 1 && Object.hasOwn(ACTIONS, last) ? ACTIONS[last] : undefined;
    const ref = (action ? words.slice(0, -1) : words).join(' ');
    const campaign = await campaignFor(ctx.deps.db, ctx.viewer, ref);
    if (!campaign)
      return zh
        ? `没有找到活动「${ref}」。发送 /campaign 查看全部。`
        : `No campaign "${ref}". Send /campaign to list them.`;
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
  const zh = ctx.lang === 'zh';
  const rows = await listCampaigns(ctx.deps.db, ctx.viewer, LISTED);
  if (rows.length === 0)
    return zh
      ? '还没有群发活动（通过 API 创建：POST /api/campaigns）。'
      : 'No campaigns yet (create them with POST /api/campaigns).';
  const lines: string[] = [];
  for (const c of rows) {
    const counts = await recipientCounts(ctx.deps.db, c.id);
    const reached = reachedOf(counts.byStatus);
    const delivered = counts.byStatus.delivered ?? 0;
    lines.push(
      zh
        ? `#${c.id} ${c.name} · ${status(c.status, 'zh')} · 已触达 ${reached}/${counts.total} · 已送达 ${delivered}`
        : `#${c.id} ${c.name} · ${status(c.status, 'en')} · reached ${reached}/${counts.total} · delivered ${delivered}`,
    );
  }
  const head = zh ? '群发活动：' : 'Campaigns:';
  const foot = zh
    ? '发送 /campaign <名称> 查看效果，或加 预览/暂停/继续/取消。'
    : 'Send /campaign <name> for its report, or add preview/pause/resume/cancel.';
  return [head, ...lines, foot].join('\n');
}

function previewText(c: CampaignRow, p: CampaignPreview, lang: Lang): string {
  const zh = lang === 'zh';
  if (!p.segmentFound)
    return zh
      ? `活动「${c.name}」的分群已不存在，发送时不会触达任何人。`
      : `The segment of "${c.name}" is gone: nobody would be reached.`;
  const s = p.skipped;
  const platforms = Object.entries(p.reachable.byPlatform)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ');
  const senders = p.wecomSenders.map((w) => `${w.sender} ${w.customers}`).join(' · ');
  const lines = zh
    ? [
        `活动「${c.name}」预览（${status(c.status, 'zh')}）：`,
        `分群人数 ${p.segmentSize}，对照组 ${p.holdout}`,
        `将跳过：免打扰 ${s.do_not_contact} · 频次上限 ${s.frequency_cap} · 无可用渠道 ${s.no_channel} · 不在平台窗口内 ${s.outside_window}`,
        `可触达 ${p.reachable.total}：聊天消息 ${p.reachable.byRoute.chat} · 企业微信群发 ${p.reachable.byRoute.wecom_template}`,
        platforms ? `按平台：${platforms}` : '',
        senders ? `需确认群发的成员：${senders}` : '',
      ]
    : [
        `Preview of "${c.name}" (${status(c.status, 'en')}):`,
        `Segment ${p.segmentSize}, holdout ${p.holdout}`,
        `Skipped: do-not-contact ${s.do_not_contact} · frequency cap ${s.frequency_cap} · no channel ${s.no_channel} · outside window ${s.outside_window}`,
        `Reachable ${p.reachable.total}: chat ${p.reachable.byRoute.chat} · WeCom mass send ${p.reachable.byRoute.wecom_template}`,
        platforms ? `By platform: ${platforms}` : '',
        senders ? `Members to confirm: ${senders}` : '',
      ];
  return lines.filter(Boolean).join('\n');
}

function changeText(
  c: CampaignRow,
  action: 'pause' | 'resume' | 'cancel',
  o: TransitionOutcome,
  lang: Lang,
): string {
  const zh = lang === 'zh';
  const verb = {
    pause: { zh: '暂停', en: 'paused' },
    resume: { zh: '继续', en: 'resumed' },
    cancel: { zh: '取消', en: 'cancelled' },
  }[action];
  if (o.ok)
    return zh
      ? `活动「${c.name}」已${verb.zh}，当前状态：${status(o.campaign.status, 'zh')}。`
      : `"${c.name}" ${verb.en}; it is now ${status(o.campaign.status, 'en')}.`;
  if (o.status === 404) return zh ? `没有找到活动「${c.name}」。` : `No campaign "${c.name}".`;
  const now = o.state ?? c.status;
  return zh
    ? `活动「${c.name}」当前${status(now, 'zh')}，不能${verb.zh}。`
    : `"${c.name}" is ${status(now, 'en')}: it cannot be ${verb.en}.`;
}
