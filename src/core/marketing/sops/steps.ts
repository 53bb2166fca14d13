import type { Selectable } from 'kysely';
import type { SopTable, SopTrigger } from '../../../../db/schema.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One step of an SOP: when (after enrollment), what (message the customer or remind the owner), and the text. */
export interface SopStep {
  after: { days?: number; hours?: number };
  action: 'message' | 'remind';
  text: string;
  /**
   * Run only while the customer has not replied. Every step already behaves so (an enrollment stops at the first
   * reply); the flag is kept as written, so an SOP reads like the plan it is ("day 7, if no reply, …").
   */
  onlyIfNoReply?: boolean;
}

/** An SOP as the core reads it: its trigger and its steps parsed. */
export interface Sop {
  id: number;
  name: string;
  trigger: { kind: SopTrigger; value: string };
  steps: SopStep[];
  active: boolean;
  scannedUntil: number;
  createdByStaffId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A step's delay after enrollment, in ms. */
export const stepOffsetMs = (step: SopStep): number =>
  (step.after.days ?? 0) * DAY + (step.after.hours ?? 0) * HOUR;

/** The steps stored as JSON; anything unreadable is dropped (the API validates what it writes). */
export function parseSteps(json: string): SopStep[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s): SopStep[] => {
    if (typeof s !== 'object' || s === null) return [];
    const r = s as Record<string, unknown>;
    const after = (typeof r.after === 'object' && r.after !== null ? r.after : {}) as Record<string, unknown>;
    if ((r.action !== 'message' && r.action !== 'remind') || typeof r.text !== 'string') return [];
    return [
      {
        after: {
          ...(typeof after.days === 'number' ? { days: after.days } : {}),
          ...(typeof after.hours === 'number' ? { hours: after.hours } : {}),
        },
        action: r.action,
        text: r.text,
        ...(typeof r.onlyIfNoReply === 'boolean' ? { onlyIfNoReply: r.onlyIfNoReply } : {}),
      },
    ];
  });
}

/** A `sops` row as the core reads it. */
export function sopOf(row: Selectable<SopTable>): Sop {
  return {
    id: Number(row.id),
    name: row.name,
    trigger: { kind: row.trigger_kind, value: row.trigger_value },
    steps: parseSteps(row.steps),
    active: row.active === 1,
    scannedUntil: Number(row.scanned_until),
    createdByStaffId: row.created_by_staff_id === null ? null : Number(row.created_by_staff_id),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
