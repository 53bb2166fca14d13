// The core's dependencies for benchmarks that drive core functions directly: a database, a clock they control, the
// shipped tag rules, no adapters, no logging.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Llm } from '../src/core/llm.ts';
import { type CoreDeps, defaultOrgSettings, silentLogger } from '../src/core/runtime.ts';
import { DEFAULT_RULE_SET } from '../src/core/tagging/default-rules.ts';
import { compileRules } from '../src/core/tagging/rules.ts';

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
