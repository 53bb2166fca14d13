import type { Messages } from './catalogue.ts';

/** A campaign in the list of `/campaign`. */
type CampaignLine = {
  id: number;
  name: string;
  status: string;
  reached: number;
  total: number;
  delivered: number;
};
/** A campaign's preview (`/campaign <name> preview`); `platforms` and `senders` are written out, or empty. */
type CampaignPreview = {
  name: string;
  status: string;
  segmentSize: number;
  holdout: number;
  skipped: { do_not_contact: number; frequency_cap: number; no_channel: number; outside_window: number };
  reachable: number;
  chat: number;
  wecomTemplate: number;
  platforms: string;
  senders: string;
};
/** Marketing commands: segments, campaigns, channel codes and referrals. */
const zh = {
  segment: {
    usage: '/segment 分群 [名称|#编号]',
    summary: '客户分群：人数和样本',
    none: '还没有分群。',
    listHead: '客户分群（人数为你可见范围内的客户）：',
    listFoot: '发送 /segment 分群 <名称> 查看人数和样本。',
    count: (n: number) => `${n} 人`,
    broken: '条件无效',
    invalid: (title: string, error: string) => `分群「${title}」的条件无效：${error}`,
    empty: '你可见范围内目前没有符合的客户。',
    total: (n: number) => `共 ${n} 位客户（你可见范围内），样本：`,
    owner: (name: string) => `负责人 ${name}`,
    unowned: '公海',
    more: (n: number) => `……另有 ${n} 位未列出。`,
    unknown: (ref: string) => `没有「${ref}」这个分群。`,
    didYouMean: (names: string) => `你是不是要找：${names}`,
    known: (names: string) => `现有分群：${names}`,
  },
  campaign: {
    usage: '/campaign 活动 [名称|#编号] [预览|暂停|继续|取消]',
    summary: '群发活动：列表、效果、预览、暂停、继续、取消',
    repRefused: '只有经理及以上可以管理群发活动。',
    notFound: (ref: string) => `没有找到活动「${ref}」。发送 /campaign 查看全部。`,
    none: '还没有群发活动（通过 API 创建：POST /api/campaigns）。',
    line: (c: CampaignLine) =>
      `#${c.id} ${c.name} · ${c.status} · 已触达 ${c.reached}/${c.total} · 已送达 ${c.delivered}`,
    listHead: '群发活动：',
    listFoot: '发送 /campaign <名称> 查看效果，或加 预览/暂停/继续/取消。',
    status: {
      draft: '草稿',
      scheduled: '已排期',
      running: '发送中',
      paused: '已暂停',
      cancelled: '已取消',
      done: '已完成',
    },
    segmentGone: (name: string) => `活动「${name}」的分群已不存在，发送时不会触达任何人。`,
    preview: (p: CampaignPreview) =>
      [
        `活动「${p.name}」预览（${p.status}）：`,
        `分群人数 ${p.segmentSize}，对照组 ${p.holdout}`,
        `将跳过：免打扰 ${p.skipped.do_not_contact} · 频次上限 ${p.skipped.frequency_cap} · 无可用渠道 ${p.skipped.no_channel} · 不在平台窗口内 ${p.skipped.outside_window}`,
        `可触达 ${p.reachable}：聊天消息 ${p.chat} · 企业微信群发 ${p.wecomTemplate}`,
        p.platforms ? `按平台：${p.platforms}` : '',
        p.senders ? `需确认群发的成员：${p.senders}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    /** What pausing, resuming and cancelling are called in the answers. */
    actions: { pause: '暂停', resume: '继续', cancel: '取消' },
    changed: (name: string, action: string, status: string) =>
      `活动「${name}」已${action}，当前状态：${status}。`,
    gone: (name: string) => `没有找到活动「${name}」。`,
    cannot: (name: string, status: string, action: string) => `活动「${name}」当前${status}，不能${action}。`,
  },
  channel: {
    usage: '/channel 渠道 [代码] | /channel 渠道 推荐 <客户>',
    summary: '渠道活码与老客户推荐',
    referralUsage: '/channel 渠道 推荐 <客户>',
    none: '还没有渠道活码。可通过 API（POST /api/channels）创建。',
    inactive: '（已停用）',
    counts: (first: number, any: number) => `首次来源 ${first} 人，累计 ${any} 人`,
    more: (n: number) => `……另有 ${n} 个`,
    listHead: '渠道活码：',
    listFoot: '查看详情：/channel 渠道 <代码>',
    unknown: (ref: string) => `没有渠道「${ref}」。发送 /channel 渠道 查看全部。`,
    channel: '渠道',
    kind: '类型',
    owner: '负责人',
    referrer: '推荐人',
    chat: '绑定群',
    link: '链接',
    customers: '客户',
    noFeishuLink: '飞书没有可带参数的联系链接，无法生成推荐链接。请在企业微信或 Telegram 上使用此命令。',
    refused: (error: string) => `平台拒绝生成链接：${error}`,
    noAccount: (platform: string) => `你还没有绑定 ${platform} 账号，无法生成推荐链接。`,
    cannot: (error: string) => `无法生成推荐链接：${error}`,
    /** `qr`: the link is a QR code (WeCom's contact way). */
    referral: (who: string, link: string, qr: boolean) =>
      `${who} 的老客户推荐${qr ? '二维码' : '链接'}：\n${link}\n新客户通过它联系你时，会记为 ${who} 推荐。`,
  },
};

const en: Messages<typeof zh> = {
  segment: {
    usage: '/segment [name|#id]',
    summary: 'customer segments: counts and a sample',
    none: 'No segments yet.',
    listHead: 'Segments (customers within what you can see):',
    listFoot: 'Send /segment <name> for the count and a sample.',
    count: (n) => `${n}`,
    broken: 'invalid filter',
    invalid: (title, error) => `The filter of segment "${title}" is invalid: ${error}`,
    empty: 'No customer within what you can see matches it now.',
    total: (n) => `${n} customer(s) within what you can see; a sample:`,
    owner: (name) => `owner ${name}`,
    unowned: 'unowned',
    more: (n) => `…and ${n} more.`,
    unknown: (ref) => `There is no segment "${ref}".`,
    didYouMean: (names) => ` Did you mean: ${names}`,
    known: (names) => ` Segments: ${names}`,
  },
  campaign: {
    usage: '/campaign [name|#id] [preview|pause|resume|cancel]',
    summary: 'campaigns: list, effect, preview, pause, resume, cancel',
    repRefused: 'Campaigns are for managers and above.',
    notFound: (ref) => `No campaign "${ref}". Send /campaign to list them.`,
    none: 'No campaigns yet (create them with POST /api/campaigns).',
    line: (c) =>
      `#${c.id} ${c.name} · ${c.status} · reached ${c.reached}/${c.total} · delivered ${c.delivered}`,
    listHead: 'Campaigns:',
    listFoot: 'Send /campaign <name> for its report, or add preview/pause/resume/cancel.',
    status: {
      draft: 'draft',
      scheduled: 'scheduled',
      running: 'running',
      paused: 'paused',
      cancelled: 'cancelled',
      done: 'done',
    },
    segmentGone: (name) => `The segment of "${name}" is gone: nobody would be reached.`,
    preview: (p) =>
      [
        `Preview of "${p.name}" (${p.status}):`,
        `Segment ${p.segmentSize}, holdout ${p.holdout}`,
        `Skipped: do-not-contact ${p.skipped.do_not_contact} · frequency cap ${p.skipped.frequency_cap} · no channel ${p.skipped.no_channel} · outside window ${p.skipped.outside_window}`,
        `Reachable ${p.reachable}: chat ${p.chat} · WeCom mass send ${p.wecomTemplate}`,
        p.platforms ? `By platform: ${p.platforms}` : '',
        p.senders ? `Members to confirm: ${p.senders}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    actions: { pause: 'paused', resume: 'resumed', cancel: 'cancelled' },
    changed: (name, action, status) => `"${name}" ${action}; it is now ${status}.`,
    gone: (name) => `No campaign "${name}".`,
    cannot: (name, status, action) => `"${name}" is ${status}: it cannot be ${action}.`,
  },
  channel: {
    usage: '/channel [code] | /channel referral <customer>',
    summary: 'channel codes and customer referrals',
    referralUsage: '/channel referral <customer>',
    none: 'No channel codes yet. Create them through the API (POST /api/channels).',
    inactive: ' (deactivated)',
    counts: (first, any) => `first source of ${first}, source of ${any} in all`,
    more: (n) => `…and ${n} more`,
    listHead: 'Channel codes:',
    listFoot: 'Details: /channel <code>',
    unknown: (ref) => `No channel "${ref}". Send /channel to see them all.`,
    channel: 'Channel',
    kind: 'Kind',
    owner: 'Rep',
    referrer: 'Referrer',
    chat: 'Bound chat',
    link: 'Link',
    customers: 'Customers',
    noFeishuLink:
      'Feishu has no contact link that carries a code, so there is no referral link there. Use this command in WeCom or Telegram.',
    refused: (error) => `The platform refused the link: ${error}`,
    noAccount: (platform) => `You have no ${platform} account linked, so no referral link can be made.`,
    cannot: (error) => `No referral link: ${error}`,
    referral: (who, link, qr) =>
      `Referral ${qr ? 'QR code' : 'link'} of ${who}:\n${link}\nNew customers who reach you through it are recorded as referred by ${who}.`,
  },
};

export const marketingCommands = { zh, en };
