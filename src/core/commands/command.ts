import type { ChatKind } from '../events.ts';
import type { Lang } from '../i18n.ts';
import type { OutboundContent } from '../outbound.ts';
import type { Viewer } from '../permissions/scope.ts';
import type { CoreDeps } from '../runtime.ts';
import type { KnownStaff } from '../staff/registry.ts';

/** What a command handler gets: who asks, where, in which language. */
export interface CommandContext {
  deps: CoreDeps;
  staff: KnownStaff;
  viewer: Viewer;
  lang: Lang;
  chatKind: ChatKind;
  args: string;
}

/** A chat command: its English word, Chinese alias and help line; `run` returns the reply (text, or richer content). */
export interface Command {
  name: string;
  aliases: string[];
  usage: Record<Lang, string>;
  summary: Record<Lang, string>;
  run(ctx: CommandContext): Promise<string | OutboundContent>;
}
