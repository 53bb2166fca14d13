import type { CustomerRow } from '../../../../db/schema.ts';
import type { StageDefinition } from '../../kernel/runtime.ts';

/** Why a merged value is what it is (shown in the preview, in words by the chat and as a code by the API). */
export type MergeReason =
  | 'same' // both records agree
  | 'survivor' // the kept record's value wins
  | 'survivor_empty' // the kept record has none: the other one's is taken
  | 'further_stage' // the further-advanced stage in the funnel wins
  | 'active_over_lost' // an active stage beats `lost`
  | 'earliest'; // the earlier customer's (first contact, first source)

/** A column of the kept record after the merge: its value, which side it comes from, and why. */
export interface MergedValue<T> {
  value: T;
  from: 'survivor' | 'merged';
  reason: MergeReason;
}

/** The customer columns a merge decides, with the rule behind each. */
export interface MergedValues {
  owner: MergedValue<number | null>;
  stage: MergedValue<string>;
  name: MergedValue<string>;
  company: MergedValue<string | null>;
  phone: MergedValue<string | null>;
  email: MergedValue<string | null>;
  firstContactAt: MergedValue<number>;
  source: MergedValue<string | null>;
}

/** The customer columns a merge reads and may change on the kept record. */
export type MergeColumns = Pick<
  CustomerRow,
  | 'display_name'
  | 'company'
  | 'phone'
  | 'email'
  | 'owner_staff_id'
  | 'stage'
  | 'stage_source'
  | 'language'
  | 'source'
  | 'do_not_contact'
  | 'first_contact_at'
  | 'last_contact_at'
  | 'last_inbound_at'
  | 'last_outbound_at'
  | 'value_tier'
  | 'sentiment'
  | 'summary'
>;

const empty = (v: string | number | null | undefined): boolean =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** The survivor's value unless it has none. */
function survivorUnlessEmpty<T extends string | number | null>(s: T, m: T): MergedValue<T> {
  if (s === m) return { value: s, from: 'survivor', reason: 'same' };
  if (!empty(s) || empty(m)) return { value: s, from: 'survivor', reason: 'survivor' };
  return { value: m, from: 'merged', reason: 'survivor_empty' };
}

/**
 * The further-advanced stage in the organisation's funnel order, except that an active stage beats `lost` (a lost
 * customer who is also an active lead elsewhere is not lost). Stages no longer configured count as the least advanced.
 */
export function mergedStage(stages: readonly StageDefinition[], s: string, m: string): MergedValue<string> {
  if (s === m) return { value: s, from: 'survivor', reason: 'same' };
  if (s === 'lost') return { value: m, from: 'merged', reason: 'active_over_lost' };
  if (m === 'lost') return { value: s, from: 'survivor', reason: 'active_over_lost' };
  const rank = (k: string) => stages.findIndex((st) => st.key === k);
  return rank(m) > rank(s)
    ? { value: m, from: 'merged', reason: 'further_stage' }
    : { value: s, from: 'survivor', reason: 'further_stage' };
}

/** What the kept record's decided columns become, and why (the preview shows this; the merge writes it). */
export function mergedValues(
  stages: readonly StageDefinition[],
  s: MergeColumns,
  m: MergeColumns,
): MergedValues {
  const mergedFirst = m.first_contact_at < s.first_contact_at;
  const earliest = <T>(sv: T, mv: T): MergedValue<T> =>
    sv === mv
      ? { value: sv, from: 'survivor', reason: 'same' }
      : mergedFirst
        ? { value: mv, from: 'merged', reason: 'earliest' }
        : { value: sv, from: 'survivor', reason: 'earliest' };
  return {
    owner: survivorUnlessEmpty(s.owner_staff_id, m.owner_staff_id),
    stage: mergedStage(stages, s.stage, m.stage),
    name: survivorUnlessEmpty(s.display_name, m.display_name),
    company: survivorUnlessEmpty(s.company, m.company),
    phone: survivorUnlessEmpty(s.phone, m.phone),
    email: survivorUnlessEmpty(s.email, m.email),
    firstContactAt: earliest(s.first_contact_at, m.first_contact_at),
    source: earliest(s.source, m.source),
  };
}

const latest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/**
 * Every column the merge writes on the kept record: the decided ones, plus what follows from keeping both histories
 * (the latest contact times; do-not-contact when either asked; the language and readings when the kept record has none).
 */
export function survivorColumns(
  stages: readonly StageDefinition[],
  s: MergeColumns,
  m: MergeColumns,
): MergeColumns {
  const v = mergedValues(stages, s, m);
  const fill = <T>(a: T | null, b: T | null): T | null => (empty(a as never) ? b : a);
  return {
    display_name: v.name.value,
    company: v.company.value,
    phone: v.phone.value,
    email: v.email.value,
    owner_staff_id: v.owner.value,
    stage: v.stage.value,
    stage_source: v.stage.from === 'merged' ? m.stage_source : s.stage_source,
    language: fill(s.language, m.language),
    source: v.source.value,
    do_not_contact: Math.max(s.do_not_contact, m.do_not_contact),
    first_contact_at: v.firstContactAt.value,
    last_contact_at: latest(s.last_contact_at, m.last_contact_at),
    last_inbound_at: latest(s.last_inbound_at, m.last_inbound_at),
    last_outbound_at: latest(s.last_outbound_at, m.last_outbound_at),
    value_tier: fill(s.value_tier, m.value_tier),
    sentiment: fill(s.sentiment, m.sentiment),
    summary: fill(s.summary, m.summary),
  };
}

/** The names of the columns `survivorColumns` writes. */
export const MERGE_COLUMNS = [
  'display_name',
  'company',
  'phone',
  'email',
  'owner_staff_id',
  'stage',
  'stage_source',
  'language',
  'source',
  'do_not_contact',
  'first_contact_at',
  'last_contact_at',
  'last_inbound_at',
  'last_outbound_at',
  'value_tier',
  'sentiment',
  'summary',
] as const satisfies ReadonlyArray<keyof MergeColumns>;
