import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import { actorMayUnmask, auditUnmaskedRead } from '../../kernel/permissions/contacts-shown.ts';
import { holdsContactData, maskTextFor, visibleContact } from '../../kernel/permissions/mask.ts';
import { readableMessage } from '../../kernel/readable-message.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { closeDateOf } from '../../kernel/time/calendar-day.ts';
import { formatTime } from '../../kernel/time/format.ts';
import type { Card, OutboundContent, TextSection } from '../../ports/outbound.ts';
import { tagLabel } from '../tags/tag-label.ts';
import { formatAmount } from './amount.ts';
import { getCustomerDetail } from './detail.ts';
import { sourceFields } from './source-text.ts';
import { stageName } from './stages.ts';

const LAST_MESSAGES = 3;

/**
 * A customer at a glance (the 360° card of `/show`): identities, owner, stage, tags with where they came from, open
 * deals, the latest note, open reminders, the last messages, and buttons to act on it. Phones, emails and ID numbers
 * (in the fields and in any text) are masked for actors without the right to see them; a read shown whole is
 * audited. Platforms with cards show `card`; the others show `text`.
 */
export async function customerCard(
  deps: CoreDeps,
  actor: Actor,
  customerId: number,
  lang: Lang,
  /** What the read was for, for the audit of an unmasked read (`{ command: 'show' }`). */
  readFor: Record<string, unknown>,
): Promise<OutboundContent | null> {
  const { db, org, clock } = deps;
  const unmask = actorMayUnmask(actor);
  const found = await getCustomerDetail(db, customerId, { unmask, timelineLimit: 50 });
  if (!found) return null;
  const d = found.detail;
  const now = clock.now();
  const [deals, dueReminders, lastNote, unreachable] = await Promise.all([
    db
      .selectFrom('deals')
      .select(['title', 'amount_minor', 'currency', 'stage', 'probability', 'expected_close_at'])
      .where('customer_id', '=', customerId)
      .where('closed_at', 'is', null)
      .orderBy('id', 'desc')
      .execute(),
    db
      .selectFrom('reminders')
      .select(['due_at', 'text'])
      .where('customer_id', '=', customerId)
      .where('status', '=', 'pending')
      .orderBy('due_at')
      .limit(3)
      .execute(),
    db
      .selectFrom('notes')
      .select(['body', 'created_at'])
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    // Channels the platform says no longer reach the customer (they blocked the bot): replies skip them.
    db
      .selectFrom('identities')
      .select(['platform', 'unreachable_at'])
      .where('customer_id', '=', customerId)
      .where('unreachable_at', 'is not', null)
      .orderBy('id')
      .execute(),
  ]);
  // Notes and reminders are staff-written but often quote a phone: masked like the customer's own words.
  const free = (text: string) => maskTextFor(unmask, text).text;
  const note = lastNote && { ...lastNote, body: free(lastNote.body) };
  const reminders = dueReminders.map((r) => ({ ...r, text: free(r.text) }));
  const t = messages(lang).card;
  const contact = visibleContact(unmask, d);
  const people = d.identities.map(
    (i) => `${i.platform}${i.displayName ? ` ${i.displayName}` : ''}${i.username ? ` @${i.username}` : ''}`,
  );
  const fields = [
    ...(d.doNotContact ? [{ label: t.doNotContact, value: messages(lang).doNotContact }] : []),
    { label: t.owner, value: d.owner?.name ?? t.unowned },
    { label: t.stage, value: stageName(org.stages, d.stage, lang) },
    ...(d.company ? [{ label: t.company, value: d.company }] : []),
    ...(contact.phone ? [{ label: t.phone, value: contact.phone }] : []),
    ...(contact.email ? [{ label: t.email, value: contact.email }] : []),
    {
      label: t.tags,
      value: d.tags.map((x) => tagLabel(x, lang)).join(messages(lang).listSep) || '—',
    },
    { label: t.identities, value: people.join(messages(lang).groupSep) || '—' },
    ...(unreachable.length > 0
      ? [
          {
            label: t.unreachable,
            value: unreachable
              .map((i) =>
                t.unreachableSince(i.platform, formatTime(i.unreachable_at ?? now, now, org.timeZone)),
              )
              .join(messages(lang).groupSep),
          },
        ]
      : []),
    ...sourceFields(d.sources, lang, now, org.timeZone),
  ];
  const sections: TextSection[] = [];
  if (deals.length > 0) {
    // Every open deal, newest first; titles are staff-written and masked like notes.
    const lines = deals.map((x) =>
      messages(lang).deals.cardLine({
        title: free(x.title),
        money: messages(lang).deals.money(formatAmount(Number(x.amount_minor)), x.currency),
        stage: stageName(org.dealStages, x.stage, lang),
        probability: x.probability,
        closeDate:
          x.expected_close_at === null ? null : closeDateOf(Number(x.expected_close_at), org.timeZone),
      }),
    );
    sections.push({ heading: t.deals, text: lines.join('\n') });
  }
  if (note) {
    const when = formatTime(note.created_at, now, org.timeZone);
    sections.push({ heading: `${t.note} (${when})`, text: note.body });
  }
  if (reminders.length > 0) {
    sections.push({
      heading: t.reminders,
      text: reminders.map((r) => `${formatTime(r.due_at, now, org.timeZone)} ${r.text}`).join('\n'),
    });
  }
  const lastMessages = d.timeline.filter((e) => e.type === 'message').slice(-LAST_MESSAGES);
  const last = lastMessages.map((m) => `${m.author.name ?? t.bot}：${readableMessage(m, lang)}`);
  if (last.length > 0) sections.push({ heading: t.recent, text: last.join('\n') });
  const card: Card = {
    title: `${d.name} #${d.id}`,
    fields,
    sections,
    buttons: [
      { label: t.assignToMe, value: { action: 'assign_to_me', customer: d.id }, primary: true },
      { label: t.followedUp, value: { action: 'mark_followed_up', customer: d.id } },
    ],
  };
  const text = [
    card.title,
    ...fields.map((f) => `${f.label}：${f.value}`),
    ...sections.flatMap((s) => (s.heading ? [s.heading, s.text] : [s.text])),
  ];
  // Audited when anything shown whole was maskable: the fields, or free text on the card (not the unshown timeline).
  const shownText = [
    lastNote?.body ?? '',
    ...deals.map((x) => x.title),
    ...dueReminders.map((r) => r.text),
    ...last,
  ].join('\n');
  if (contact.unmasked || (unmask && holdsContactData(`${d.name} ${d.company ?? ''}\n${shownText}`)))
    await auditUnmaskedRead(deps, actor, [customerId], readFor);
  return { text: text.join('\n'), card, ...panelButton(deps, d.id, lang) };
}

/**
 * The button that opens the customer's panel where the platform signs it in (a Telegram Mini App), only over https:
 * Telegram's Mini Apps take nothing else.
 */
export function panelButton(deps: CoreDeps, customerId: number, lang: Lang): Pick<OutboundContent, 'pages'> {
  if (!deps.webAppUrl?.startsWith('https://')) return {};
  return {
    pages: [{ label: messages(lang).card.openPanel, url: `${deps.webAppUrl}?customer=${customerId}` }],
  };
}
