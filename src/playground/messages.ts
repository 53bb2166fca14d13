import type { Lang } from '../core/kernel/i18n/index.ts';

// Everything the playground page shows, in each language it speaks. `{name}` marks a value filled in where it is
// shown; the page (server) and its script (browser) read the same catalogue.

const en = {
  title: 'Liaison playground (local)',
  switchLanguage: '中文',
  bannerLead: 'Local playground — a simulation on this computer.',
  bannerText:
    'It is not connected to WeCom, Feishu/Lark, Telegram or any real platform, and nothing here reaches a real person.',
  bannerPath: "Every message takes Liaison's real path: {path} → inbox → core → outbox → this page.",
  customerTitle: 'Customer',
  customerSubtitle: 'on a simulated chat app',
  customerName: 'Customer name',
  customerPlaceholder: 'Write as the customer, e.g. I want to file a complaint',
  staffTitle: 'Staff',
  staffSubtitle: 'a rep or manager, talking to the Liaison bot',
  actingAs: 'Acting as',
  tabPrivate: 'Private chat with Liaison',
  tabGroup: 'Team group (digests)',
  findCustomer: '/find this customer',
  digestPreview: 'Digest preview',
  staffPlaceholder: 'A command, e.g. /find Wang Fang',
  send: 'Send',
  connecting: 'Connecting…',
  teamGroupTitle: 'Playground team group',
  guest: 'Guest',
  bot: 'Liaison',
  roleAdmin: 'admin',
  roleDirector: 'director',
  roleManager: 'manager',
  roleRep: 'rep',
  refused: 'Liaison refused the message ({status}).',
  unreachable: 'Liaison is not reachable. Is the server running?',
  feedStatus: 'Local only · inbox waiting: {inbox} · outbox waiting: {outbox} · updated {time}',
  feedError: 'Cannot read the feed. Reload the page if Liaison restarted.',
  staffError: 'Cannot load the staff list. Reload the page if Liaison restarted.',
  chartAlt: 'Digest chart',
  chartError: 'The chart could not be loaded',
  notLocal:
    'The playground is served to this computer only: open it on the machine running Liaison, at http://localhost:<port>/playground.',
};

/** The playground's message catalogue: every language has every key (a missing or extra one fails `tsc`). */
export type PlaygroundMessages = { readonly [K in keyof typeof en]: string };

const zh: PlaygroundMessages = {
  title: 'Liaison 演练场（本机）',
  switchLanguage: 'English',
  bannerLead: '本地演练场：只在这台电脑上模拟。',
  bannerText: '它没有连接企业微信、飞书/Lark、Telegram 或任何真实平台，这里的消息不会发给任何真实的人。',
  bannerPath: '每条消息都走 Liaison 的真实路径：{path} → 收件箱 → 核心 → 发件箱 → 本页面。',
  customerTitle: '客户',
  customerSubtitle: '在模拟的聊天软件里',
  customerName: '客户姓名',
  customerPlaceholder: '以客户身份发消息，例如：我要投诉，快递太慢了',
  staffTitle: '员工',
  staffSubtitle: '销售或经理，与 Liaison 机器人对话',
  actingAs: '当前身份',
  tabPrivate: '与 Liaison 私聊',
  tabGroup: '团队群（日报）',
  findCustomer: '/find 查找这位客户',
  digestPreview: '预览日报',
  staffPlaceholder: '输入命令，例如 /find Wang Fang',
  send: '发送',
  connecting: '正在连接…',
  teamGroupTitle: '演练场团队群',
  guest: '访客',
  bot: 'Liaison',
  roleAdmin: '管理员',
  roleDirector: '总监',
  roleManager: '经理',
  roleRep: '销售',
  refused: 'Liaison 拒收了这条消息（{status}）。',
  unreachable: '连不上 Liaison，服务还在运行吗？',
  feedStatus: '仅限本机 · 收件箱待处理：{inbox} · 发件箱待发送：{outbox} · 更新于 {time}',
  feedError: '读取消息失败。如果 Liaison 重启过，请刷新页面。',
  staffError: '读取员工列表失败。如果 Liaison 重启过，请刷新页面。',
  chartAlt: '日报图表',
  chartError: '图表加载失败',
  notLocal: '演练场只对本机开放：请在运行 Liaison 的电脑上打开 http://localhost:<端口>/playground。',
};

export const playgroundMessages: Readonly<Record<Lang, PlaygroundMessages>> = { en, zh };

/**
 * The page's language: `?lang=zh|en` when given (the page's language switch), else the first of Chinese or English
 * in the browser's `Accept-Language` by preference, else English.
 */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'zh' || query === 'en') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), weight: q ? Number(q.slice(2)) : 1, order };
    })
    .filter((t) => t.tag !== '' && t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** A message with its `{name}` places filled. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
