// The core's dependencies for benchmarks that drive core functions directly: a database, a clock they control, the
// shipped tag rules, no adapters, no logging.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type CoreDeps, defaultOrgSettings } from '../src/core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../src/core/kernel/tagging/default-rules.ts';
import { compileRules } from '../src/core/kernel/tagging/rules.ts';
import { silentLogger } from '../src/core/ports/clock.ts';
import type { Llm } from '../src/core/ports/llm.ts';

export function benchCoreDeps(db: Kysely<Database>, now: () => number, llm?: Llm): CoreDeps {
  const rules = compileRules(DEFAULT_RULE_SET);
  return {
    db,
    clock: { now },
    logger: silentLogger,
    adapters: new Map(),
    org: defaultOrgSettings,
    tagging: { rules, allowlist: rules.tags, llmTagging: llm !== undefined },
    ...(llm ? { llm } : {}),
  };
}
