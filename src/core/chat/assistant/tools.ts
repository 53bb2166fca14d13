import { z } from 'zod';
import { MAX_REPLY_CHARS } from '../../conversations/reply.ts';
import type { OrgSettings } from '../../kernel/runtime.ts';
import type { LlmTool } from '../../ports/llm.ts';

/**
 * One chat command offered to the model as a tool. Reads run at once and answer the staff member directly; writes
 * are planned and run only after the staff member confirms. Either way the tool becomes a command line run by the
 * command registry, so the very same command code and permission checks apply as when it is typed.
 */
export interface AssistantTool {
  name: string;
  kind: 'read' | 'write';
  /** What the model sees: description and JSON Schema of the arguments. */
  spec: LlmTool;
  /** Validates the model's arguments (the JSON Schema is advice to the model, this is the check). */
  args: z.ZodType<Record<string, unknown>>;
  /** The customer the arguments name, resolved to `#id` under the sender's scope before a write is planned. */
  customer?: (args: Record<string, unknown>) => string | undefined;
  /** The command line, with the customer already resolved (`#12`) where the tool names one. */
  command(args: Record<string, unknown>, customerRef: string | undefined): string;
}

const customerProp = {
  type: 'string',
  description: 'The customer as the rep named them: name, company, phone or #id.',
};
const tagsProp = { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 10 };

const text = (max: number) => z.string().trim().min(1).max(max);
const customerArg = text(100);
const tagsArg = z.array(text(30)).min(1).max(10);

/** The tool list for an organisation (its stages are part of the schemas). */
export function assistantTools(org: OrgSettings): AssistantTool[] {
  const stageKeys = org.stages.map((s) => s.key) as [string, ...string[]];
  const dealStageKeys = org.dealStages.map((s) => s.key) as [string, ...string[]];
  const tool = (
    name: string,
    kind: AssistantTool['kind'],
    description: string,
    properties: Record<string, unknown>,
    required: string[],
    args: z.ZodType<Record<string, unknown>>,
    command: AssistantTool['command'],
    named = true,
  ): AssistantTool => ({
    name,
    kind,
    spec: {
      name,
      description,
      parameters: { type: 'object', properties, required, additionalProperties: false },
    },
    args,
    ...(named ? { customer: (a: Record<string, unknown>) => a.customer as string | undefined } : {}),
    command,
  });
  return [
    tool(
      'find_customers',
      'read',
      'Look customers up by name, company, phone or #id.',
      { query: { type: 'string', description: 'What to look for.' } },
      ['query'],
      z.object({ query: text(100) }),
      (a) => `/find ${arg(a.query)}`,
      false,
    ),
    tool(
      'show_customer',
      'read',
      "One customer's details: owner, stage, tags, recent messages.",
      { customer: customerProp },
      ['customer'],
      z.object({ customer: customerArg }),
      (a) => `/show ${arg(a.customer)}`,
      false, // /show resolves the customer itself, and lists the choices when several match
    ),
    tool('my_customers', 'read', "The rep's own customers.", {}, [], z.object({}), () => '/mine', false),
    tool(
      'stale_customers',
      'read',
      'Customers nobody followed up with for some days.',
      { days: { type: 'integer', minimum: 1, maximum: 365, description: 'Days without contact.' } },
      [],
      z.object({ days: z.number().int().min(1).max(365).optional() }),
      (a) => (a.days ? `/stale ${a.days}` : '/stale'),
      false,
    ),
    tool(
      'tag_customer',
      'write',
      'Add tags to a customer.',
      { customer: customerProp, tags: tagsProp },
      ['customer', 'tags'],
      z.object({ customer: customerArg, tags: tagsArg }),
      (a, who) => `/tag ${who} ${(a.tags as string[]).map(word).join(' ')}`,
    ),
    tool(
      'untag_customer',
      'write',
      'Remove tags from a customer.',
      { customer: customerProp, tags: tagsProp },
      ['customer', 'tags'],
      z.object({ customer: customerArg, tags: tagsArg }),
      (a, who) => `/untag ${who} ${(a.tags as string[]).map(word).join(' ')}`,
    ),
    tool(
      'add_note',
      'write',
      'Write a follow-up note on a customer.',
      { customer: customerProp, text: { type: 'string', description: 'The note.' } },
      ['customer', 'text'],
      z.object({ customer: customerArg, text: text(1000) }),
      (a, who) => `/note ${who} ${arg(a.text)}`,
    ),
    tool(
      'set_stage',
      'write',
      'Move a customer to a lifecycle stage.',
      { customer: customerProp, stage: { type: 'string', enum: stageKeys } },
      ['customer', 'stage'],
      z.object({ customer: customerArg, stage: z.enum(stageKeys) }),
      (a, who) => `/stage ${who} ${a.stage}`,
    ),
    tool(
      'add_deal',
      'write',
      'Open a deal (opportunity) for a customer.',
      {
        customer: customerProp,
        amount: { type: 'number', exclusiveMinimum: 0, description: 'Amount in yuan.' },
        stage: { type: 'string', enum: dealStageKeys },
      },
      ['customer', 'amount', 'stage'],
      z.object({
        customer: customerArg,
        amount: z.number().positive().max(1e12),
        stage: z.enum(dealStageKeys),
      }),
      (a, who) => `/deal ${who} ${a.amount} ${a.stage}`,
    ),
    tool(
      'assign_customer',
      'write',
      'Make a staff member the owner of a customer.',
      { customer: customerProp, rep: { type: 'string', description: "The new owner's name." } },
      ['customer', 'rep'],
      z.object({ customer: customerArg, rep: text(60) }),
      (a, who) => `/assign ${who} ${arg(a.rep)}`,
    ),
    tool(
      'reply_to_customer',
      'write',
      'Send a customer a message where they last wrote (shown to the rep, sent only when they confirm).',
      {
        customer: customerProp,
        text: {
          type: 'string',
          description:
            'The whole message to the customer, as it will be sent: only what the rep asked to say.',
        },
      },
      ['customer', 'text'],
      z.object({ customer: customerArg, text: text(MAX_REPLY_CHARS) }),
      (a, who) => `/reply ${who} ${replyText(a.text)}`,
    ),
    tool(
      'remind',
      'write',
      'Remind the rep of something at a time, about a customer or not.',
      {
        customer: customerProp,
        when: { type: 'string', description: 'When: as the rep said it, or YYYY-MM-DD HH:mm.' },
        text: { type: 'string', description: 'What to be reminded of.' },
      },
      ['when', 'text'],
      z.object({ customer: customerArg.optional(), when: text(40), text: text(500) }),
      (a, who) => `/remind ${who ? `${who} ` : ''}${arg(a.when)} ${arg(a.text)}`,
    ),
  ];
}

/**
 * An argument as one line that cannot start another command: line breaks folded, leading slashes dropped
 * (`/` and the full-width `／`), control characters removed.
 */
export function arg(value: unknown): string {
  // Control characters (line breaks included) become spaces, so the line stays one command.
  const flat = [...String(value)]
    .map((c) => (c.charCodeAt(0) < 32 || c === '\u007f' || c === '\u2028' || c === '\u2029' ? ' ' : c))
    .join('');
  return flat
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[/／\s]+/, '');
}

/**
 * A reply's text as the rep will confirm it and the customer get it: unlike `arg`, a leading `/` and the spacing stay
 * (after `/reply #12 ` nothing can start another command). Line breaks and other control characters become spaces
 * all the same: the plan shows one line per command, so a line of the text can never pass for a command of the plan.
 */
export function replyText(value: unknown): string {
  return [...String(value).replace(/\s*[\r\n\u2028\u2029]\s*/g, ' ')]
    .map((c) => (c.charCodeAt(0) < 32 || c === '\u007f' ? ' ' : c))
    .join('')
    .trim();
}

/** A single word (a tag, a name): `arg` with inner spaces removed, so it stays one argument. */
export function word(value: string): string {
  return arg(value).replace(/\s+/g, '');
}
