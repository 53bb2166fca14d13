import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { LlmToolCall } from '../../ports/llm.ts';
import { customerOrReply } from '../commands/customer-arg.ts';
import { type AssistantTool, arg } from './tools.ts';

/** What the model's tool calls come to: reads to run now, writes to hold for confirmation, or what stops them. */
export interface ToolPlan {
  reads: string[];
  writes: string[];
  /** The customers the writes act on, as `王芳 #12`, so the staff member sees whom they confirm for. */
  customers: string[];
  /** Why nothing can run (no such customer, several match, arguments that make no sense); empty when all is well. */
  problems: string[];
}

/**
 * Turns tool calls into command lines. Each call's arguments are validated; a write's customer is resolved to `#id`
 * within the sender's data scope first, so a customer outside it looks exactly like one that does not exist, and
 * several matches are listed, never guessed between.
 */
export async function planToolCalls(
  deps: CoreDeps,
  viewer: Viewer,
  lang: Lang,
  tools: AssistantTool[],
  calls: LlmToolCall[],
): Promise<ToolPlan> {
  const plan: ToolPlan = { reads: [], writes: [], customers: [], problems: [] };
  const resolved = new Map<string, Awaited<ReturnType<typeof customerOrReply>>>();
  let misunderstood = false;
  for (const call of calls) {
    const tool = tools.find((t) => t.name === call.name);
    const args = tool ? tool.args.safeParse(parseJson(call.arguments)) : undefined;
    if (!tool || !args?.success) {
      // The tool name is ours to log; the arguments are the staff member's words, so they stay out of the logs.
      deps.logger.warn(
        { tool: call.name.slice(0, 60), known: Boolean(tool) },
        'assistant tool call rejected',
      );
      misunderstood = true;
      continue;
    }
    if (tool.kind === 'read') {
      plan.reads.push(tool.command(args.data, undefined));
      continue;
    }
    const query = tool.customer?.(args.data);
    if (query === undefined) {
      plan.writes.push(tool.command(args.data, undefined));
      continue;
    }
    const cleanQuery = arg(query);
    let found = resolved.get(cleanQuery);
    if (!found) {
      // The same answer a typed command gives: outside the sender's scope reads as no such customer.
      found = await customerOrReply(deps, viewer, lang, cleanQuery);
      resolved.set(cleanQuery, found);
      if (found.customer) plan.customers.push(`${found.customer.name} #${found.customer.id}`);
      else plan.problems.push(found.reply);
    }
    if (found.customer) plan.writes.push(tool.command(args.data, `#${found.customer.id}`));
  }
  if (misunderstood && plan.problems.length === 0 && plan.reads.length + plan.writes.length === 0) {
    plan.problems.push(messages(lang).assistant.notUnderstood);
  }
  return plan;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return undefined;
  }
}
