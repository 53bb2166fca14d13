import { z } from '@hono/zod-openapi';
import { closeDateStart } from '../core/kernel/time/calendar-day.ts';
import { MAX_DEAL_TITLE_CHARS } from '../core/records/deals/deal-rows.ts';
import { idSchema, StaffRef } from './api-schemas.ts';

/** An amount in major units (yuan, dollars) with at most two decimals, in minor units. */
export const minorOf = (amount: number): number => Math.round(amount * 100);

const amount = z
  .number()
  .min(0)
  .max(1e13)
  .refine((a) => Math.abs(a * 100 - Math.round(a * 100)) < 1e-6, 'at most two decimals')
  .openapi({ description: 'In major units (yuan, dollars), at most two decimals.', example: 50000 });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY')
  .openapi({ description: 'ISO 4217; CNY when absent.', example: 'CNY' });
const title = z.string().trim().min(1).max(MAX_DEAL_TITLE_CHARS);
const closeDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2027-03-31')
  .refine((d) => closeDateStart(d, 'UTC') !== null, 'not a calendar date between 2000 and 2999')
  .openapi({
    description: 'The expected close day, in the organisation’s time zone.',
    example: '2027-03-31',
  });
const owner = z
  .union([z.literal('none'), z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
  .optional()
  .openapi({ description: 'A staff id, or `none` for deals without an owner.' });
const staffId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The deals API's schemas; `stage` is one of the organisation's deal stage keys. */
export function dealSchemas(stageKeys: [string, ...string[]]) {
  const stage = z
    .enum(stageKeys)
    .openapi({ description: 'One of the organisation’s deal stages (DEAL_STAGES).' });
  const Deal = z
    .object({
      id: z.number().int(),
      customer: z.object({ id: z.number().int(), name: z.string() }),
      title: z.string(),
      amount: z.number(),
      currency: z.string(),
      stage: z.string(),
      probability: z.number().int().openapi({ description: 'Win probability 0–100, from the stage.' }),
      owner: StaffRef.nullable(),
      closeDate: z.string().nullable().openapi({ description: 'The expected close day (YYYY-MM-DD).' }),
      status: z.enum(['open', 'won', 'lost']),
      createdAt: z.string().openapi({ format: 'date-time' }),
      updatedAt: z.string().openapi({ format: 'date-time' }),
      closedAt: z.string().nullable().openapi({ format: 'date-time' }),
    })
    .openapi('Deal');
  const DealQuery = z.object({
    stage: z.string().trim().min(1).max(50).optional(),
    owner,
    customer: idSchema.optional(),
    closingBefore: closeDate.optional().openapi({
      description: 'Only deals expected to close before this day (those without a date are left out).',
    }),
    status: z.enum(['open', 'closed', 'all']).default('open'),
    cursor: z
      .string()
      .regex(/^\d{1,16}$/, 'a nextCursor of a previous page')
      .optional()
      .openapi({ description: 'The previous page’s `nextCursor`.' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });
  const DealPage = z.object({
    items: z.array(Deal),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null: the last.' }),
  });
  const NewDeal = z
    .strictObject({
      customer: staffId.openapi({ description: 'The customer’s id.' }),
      title: title.optional().openapi({ description: 'The customer’s name when absent.' }),
      amount,
      currency: currency.optional(),
      stage,
      owner: staffId.optional().openapi({
        description: 'A staff id the token manages (a rep token: its own); the token’s staff by default.',
      }),
      closeDate: closeDate.optional(),
    })
    .openapi('NewDeal');
  const DealPatch = z
    .strictObject({
      title: title.optional(),
      amount: amount.optional(),
      currency: currency.optional(),
      stage: stage.optional(),
      owner: staffId.optional(),
      closeDate: closeDate.nullable().optional().openapi({ description: 'null clears it.' }),
    })
    .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change')
    .openapi('DealPatch');
  const Sums = { count: z.number().int(), amount: z.number(), weighted: z.number() };
  const Pipeline = z
    .object({
      items: z.array(
        z.object({
          currency: z.string(),
          ...Sums,
          stages: z.array(z.object({ stage: z.string(), probability: z.number().int(), ...Sums })),
        }),
      ),
    })
    .openapi('Pipeline', {
      description:
        'Per currency (never added across currencies): open deals, their amount, Σ amount × probability.',
    });
  const PipelineQuery = z.object({ owner, closingBefore: DealQuery.shape.closingBefore });
  return { Deal, DealQuery, DealPage, NewDeal, DealPatch, Pipeline, PipelineQuery };
}
