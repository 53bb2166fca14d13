import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { type Lang, stageLabel } from '../i18n.ts';
import type { Card, OutboundContent } from '../outbound.ts';
import { maskPhone } from '../permissions/mask.ts';
import { mayUnmask, type Viewer } from '../permissions/scope.ts';
import { getCustomerDetail } from './detail.ts';

const LAST_MESSAGES = 3;

/**
 * A customer at a glance (the 360° card of `/show`): owner, stage, tags with where they came from, the last messages,
 * and buttons to act on it. Platforms with cards show `card`; the others show `text`.
 */
export async function customerCard(
  db: Kysely<Database>,
  customerId: number,
  viewer: Viewer,
  lang: Lang,
): Promise<OutboundContent | null> {
  const d = await getCustomerDetail(db, customerId, 50);
  if (!d) return null;
  const t = words[lang];
  const phone = d.phone ? (mayUnmask(viewer) ? d.phone : maskPhone(d.phone)) : null;
  const fields = [
    { label: t.owner, value: d.owner?.name ?? t.unowned },
    { label: t.stage, value: stageLabel(d.stage, lang) },
    ...(d.company ? [{ label: t.company, value: d.company }] : []),
    ...(phone ? [{ label: t.phone, value: phone }] : []),
    {
      label: t.tags,
      value:
        d.tags.map((x) => (x.source === 'manual' ? x.name : `${x.name}（${x.source}）`)).join('、') || '—',
    },
    { label: t.platforms, value: [...new Set(d.identities.map((i) => i.platform))].join(', ') },
  ];
  const messages = d.timeline.filter((e) => e.type === 'message').slice(-LAST_MESSAGES);
  const last = messages.map((m) => `${m.author.name ?? t.bot}：${m.text || `[${m.contentType}]`}`);
  const card: Card = {
    title: `${d.name} #${d.id}`,
    fields,
    sections: last.length > 0 ? [`**${t.recent}**\n${last.join('\n')}`] : [],
    buttons: [
      { label: t.assignToMe, value: { action: 'assign_to_me', customer: d.id }, primary: true },
      { label: t.followedUp, value: { action: 'mark_followed_up', customer: d.id } },
    ],
  };
  const text = [
    card.title,
    ...fields.map((f) => `${f.label}：${f.value}`),
    ...(last.length ? [`${t.recent}：`, ...last] : []),
  ];
  return { text: text.join('\n'), card };
}

const zh = {
  owner: '负责人',
  unowned: '公海',
  stage: '阶段',
  company: '公司',
  phone: '电话',
  tags: '标签',
  platforms: '渠道',
  recent: '最近消息',
  bot: '客户助手',
  assignToMe: '分配给我',
  followedUp: '标记已跟进',
};

const words: Record<Lang, Record<keyof typeof zh, string>> = {
  zh,
  en: {
    owner: 'Owner',
    unowned: 'unowned',
    stage: 'Stage',
    company: 'Company',
    phone: 'Phone',
    tags: 'Tags',
    platforms: 'Platforms',
    recent: 'Last messages',
    bot: 'assistant',
    assignToMe: 'Assign to me',
    followedUp: 'Mark followed up',
  },
};
