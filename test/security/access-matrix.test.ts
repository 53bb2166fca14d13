import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/core/chat/commands/registry.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { API_ROWS, CHAT_ROWS, type Row } from './access-matrix-rows.ts';
import { ACTOR, allowedBy, PLACEMENTS, World } from './access-matrix-world.ts';

/**
 * Every chat command and every API operation, read from the command registry and the OpenAPI document, tried by a rep,
 * the owning team's manager, another team's manager, a manager without a team, a director and an admin, on objects
 * in and out of their scope. A command or an operation without rows fails; so does any cell whose outcome differs
 * from what the row's policy says for that column.
 */
describe.each(serverDialectsUnderTest())('the access matrix on $name', (dialect) => {
  let h: Harness;
  let world: World;

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: { API_TOKEN_STAFF: `telegram:${ACTOR}` } });
    world = await World.build(h);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('has rows for every chat command and every API operation, and none for anything that does not exist', async () => {
    const commands = allCommands().map((c) => c.name);
    const doc = await h.api<{ paths: Record<string, Record<string, unknown>> }>('/docs', null);
    const operations = Object.entries(doc.body.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const chatKeys = new Set(CHAT_ROWS.map((r) => r.key));
    const apiKeys = new Set(API_ROWS.map((r) => r.key));
    expect(
      commands.filter((c) => !chatKeys.has(c)),
      'commands without rows',
    ).toEqual([]);
    expect(
      [...chatKeys].filter((k) => !commands.includes(k)),
      'rows of no command',
    ).toEqual([]);
    expect(
      operations.filter((o) => !apiKeys.has(o)),
      'operations without rows',
    ).toEqual([]);
    expect(
      [...apiKeys].filter((k) => !operations.includes(k)),
      'rows of no operation',
    ).toEqual([]);
    console.info(
      `access matrix: ${commands.length} commands (${CHAT_ROWS.length} rows) + ${operations.length} API operations ` +
        `(${API_ROWS.length} rows) × ${PLACEMENTS.length} columns = ` +
        `${(CHAT_ROWS.length + API_ROWS.length) * PLACEMENTS.length} cells`,
    );
  });

  const run = async (rows: Row[]) => {
    const wrong: string[] = [];
    for (const p of PLACEMENTS) {
      await world.place(p);
      for (const row of rows) {
        const expected = allowedBy(row.policy, p);
        let actual: boolean | string;
        try {
          actual = await row.attempt(world);
        } catch (error) {
          actual = `error: ${(error as Error).message}`;
        }
        if (actual !== expected)
          wrong.push(`${row.label} · ${p.label}: expected ${expected ? 'done' : 'refused'}, got ${actual}`);
      }
    }
    return wrong;
  };

  it('answers every chat command as the model says, in every column', async () => {
    expect(await run(CHAT_ROWS)).toEqual([]);
  }, 600_000);

  it('answers every API operation as the model says, in every column', async () => {
    expect(await run(API_ROWS)).toEqual([]);
  }, 600_000);
});
