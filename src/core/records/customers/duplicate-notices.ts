import { type Lang, lookup, messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { messageToStaff } from '../staff/notify.ts';
import { type Signal, STRONG_SCORE } from './duplicate-signals.ts';

/** Strong suggestions whose owner has not been told yet, with the message to send; mark them after queueing. */
export interface SuggestionNotices {
  sends: OutboxItem[];
  suggestionIds: number[];
}

/**
 * The owner's message for each strong open suggestion not yet told (at most `limit`): the owner of the older
 * customer, else the other's. Once: the send's key is the pair's, and the outbox keeps a key once, so building it
 * again (a crash before `markSuggestionsNotified`) sends nothing more.
 */
export async function suggestionNotices(deps: CoreDeps, limit = 50): Promise<SuggestionNotices> {
  return build(deps, limit);
}

/** Records that the owners were told (after their messages were queued). */
export async function markSuggestionsNotified(deps: CoreDeps, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await deps.db
    .updateTable('merge_suggestions')
    .set({ notified_at: deps.clock.now() })
    .where('id', 'in', ids)
    .where('notified_at', 'is', null)
    .execute();
}

async function build(deps: CoreDeps, limit: number): Promise<SuggestionNotices> {
  const q = deps.db
    .selectFrom('merge_suggestions')
    .innerJoin('customers as ca', 'ca.id', 'merge_suggestions.customer_a_id')
    .innerJoin('customers as cb', 'cb.id', 'merge_suggestions.customer_b_id')
    .select([
      'merge_suggestions.id',
      'merge_suggestions.customer_a_id as aId',
      'merge_suggestions.customer_b_id as bId',
      'merge_suggestions.score',
      'merge_suggestions.evidence',
      'ca.display_name as aName',
      'cb.display_name as bName',
      'ca.owner_staff_id as aOwner',
      'cb.owner_staff_id as bOwner',
      'ca.first_contact_at as aFirst',
      'cb.first_contact_at as bFirst',
    ])
    .where('merge_suggestions.status', '=', 'open')
    .where('merge_suggestions.notified_at', 'is', null)
    .where('merge_suggestions.score', '>=', STRONG_SCORE)
    .where('ca.merged_into_id', 'is', null)
    .where('cb.merged_into_id', 'is', null);
  const rows = await q.orderBy('merge_suggestions.id').limit(limit).execute();
  const sends: OutboxItem[] = [];
  for (const r of rows) {
    // The older record is the one the owner has worked on longest.
    const aOlder = r.aFirst < r.bFirst || (r.aFirst === r.bFirst && r.aId < r.bId);
    const owner = (aOlder ? (r.aOwner ?? r.bOwner) : (r.bOwner ?? r.aOwner)) ?? null;
    if (owner === null) continue; // nobody to tell: `/dupes` and the digest still show it
    const signals = signalsOf(r.evidence);
    const say = (lang: Lang) => noticeText(lang, r, signals);
    sends.push(...(await messageToStaff(deps, owner, say, `dupes:notify:${r.aId}:${r.bId}`)));
  }
  return { sends, suggestionIds: rows.map((r) => r.id) };
}

function signalsOf(evidence: string): Signal[] {
  try {
    return (JSON.parse(evidence) as Array<{ signal: Signal }>).map((e) => e.signal);
  } catch {
    return [];
  }
}

/** A signal in the reader's language. */
export const signalName = (s: Signal, lang: Lang): string =>
  lookup(messages(lang).duplicates.signals, s) ?? s;

function noticeText(
  lang: Lang,
  r: { aId: number; bId: number; aName: string; bName: string; score: number },
  signals: Signal[],
): string {
  const t = messages(lang);
  return t.duplicates.notice(r, signals.map((s) => signalName(s, lang)).join(t.listSep));
}
