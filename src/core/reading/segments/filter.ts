import { z } from 'zod';
import { PLATFORMS } from '../../../../db/schema.ts';

/*
 * A segment's filter: every condition given must hold (AND); a list inside one condition matches any of its items,
 * except `tags.all`. An empty filter `{}` is every customer who may be contacted.
 */

const MAX_DAYS = 3650;
const days = z.number().int().min(1).max(MAX_DAYS);
const names = z.array(z.string().trim().min(1).max(50)).min(1).max(50);
const ids = z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(200);
const stageKeys = z.array(z.string().trim().min(1).max(40)).min(1).max(20);

/** The value tiers the insights job assigns (`customers.value_tier`). */
export const VALUE_TIERS = ['key', 'growth', 'dormant'] as const;

export const SegmentFilterSchema = z.strictObject({
  tags: z
    .strictObject({ all: names.optional(), any: names.optional(), none: names.optional() })
    .optional()
    .describe('Tag names: every one of `all`, at least one of `any`, none of `none`.'),
  stages: stageKeys.optional().describe('Lifecycle stage keys the customer is at.'),
  excludeStages: stageKeys.optional().describe('Lifecycle stage keys the customer is not at.'),
  valueTiers: z
    .array(z.enum(VALUE_TIERS))
    .min(1)
    .optional()
    .describe('Value tiers: key (80 % of revenue), growth, dormant.'),
  owners: ids.optional().describe('Staff ids owning the customer.'),
  teams: ids.optional().describe('Team ids: customers owned by anyone in these teams or teams under them.'),
  unowned: z
    .boolean()
    .optional()
    .describe('true: only the unowned pool (公海); false: only owned customers.'),
  platforms: z
    .array(z.enum(PLATFORMS))
    .min(1)
    .optional()
    .describe('The customer has an identity on one of these platforms.'),
  sources: z
    .array(z.string().trim().min(1).max(64))
    .min(1)
    .max(50)
    .optional()
    .describe('Channel codes (渠道活码) the customer came in through, first or later.'),
  lastContact: z
    .union([
      z.strictObject({ withinDays: days }),
      z.strictObject({ olderThanDays: days }),
      z.strictObject({ never: z.literal(true) }),
    ])
    .optional()
    .describe('Last contact either way: within N days, longer ago than N days, or never.'),
  deals: z
    .union([
      z.strictObject({ won: z.literal(true), withinDays: days.optional() }),
      z.strictObject({ none: z.literal(true) }),
    ])
    .optional()
    .describe('A deal won (closed within N days when given), or no deal at all.'),
  repliedToLastCampaign: z
    .boolean()
    .optional()
    .describe(
      'Whether the customer replied within its window to the latest campaign that reached them (false: reached, no reply).',
    ),
  lost: z
    .strictObject({ withinDays: days })
    .optional()
    .describe(
      'Moved to the stage `lost`, or lost a contact relation (deleted by or deleted the rep), within N days.',
    ),
  doNotContact: z
    .enum(['exclude', 'include', 'only'])
    .optional()
    .describe('Customers who asked not to be contacted: left out (default), included, or only they.'),
});

/** A validated segment filter (see `SegmentFilterSchema`). */
export type SegmentFilter = z.infer<typeof SegmentFilterSchema>;

/**
 * Validates a filter as stored or sent (an object, or its JSON text). The error names the field at fault, e.g.
 * `lastContact.withinDays: Too small: expected number to be >=1`.
 */
export function parseSegmentFilter(
  json: unknown,
): { ok: true; filter: SegmentFilter } | { ok: false; error: string } {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      return { ok: false, error: 'filter: not valid JSON' };
    }
  }
  const parsed = SegmentFilterSchema.safeParse(value);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const { field, message } = filterIssue(parsed.error.issues[0]);
  return { ok: false, error: `${field || 'filter'}: ${message}` };
}

/** The field (`a.b`, '' for the whole) and message of a validation issue, as the chat and the API report it. */
export function filterIssue(issue: Issue | undefined): { field: string; message: string } {
  const { path, message } = describeIssue(issue);
  return { field: path.map(String).join('.'), message };
}

type Issue = z.core.$ZodIssue;

/** The path and message of an issue; for a union (lastContact, deals), those of the branch that came closest. */
function describeIssue(issue: Issue | undefined): { path: PropertyKey[]; message: string } {
  if (!issue) return { path: [], message: 'invalid' };
  if (issue.code === 'unrecognized_keys')
    return { path: [...issue.path, ...issue.keys.slice(0, 1)], message: issue.message };
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const score = (branch: Issue[]) =>
      branch.length + (branch.some((i) => i.code === 'unrecognized_keys') ? 100 : 0);
    const best = [...issue.errors].sort((a, b) => score(a) - score(b))[0] ?? [];
    const inner = describeIssue(best[0]);
    if (best.length > 0) return { path: [...issue.path, ...inner.path], message: inner.message };
  }
  return { path: issue.path, message: issue.message };
}

/** Stage keys a filter names that the organisation does not have (typos the schema cannot know about). */
export function unknownStages(filter: SegmentFilter, known: readonly { key: string }[]): string[] {
  const keys = new Set(known.map((s) => s.key));
  return [...(filter.stages ?? []), ...(filter.excludeStages ?? [])].filter((s) => !keys.has(s));
}
