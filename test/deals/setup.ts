import { expect } from 'vitest';
import type { Role } from '../../db/schema.ts';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import type { DialectUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';

// A small sales organisation for the deal tests: teams 甲组 and 乙组, a rep in each, and the token's staff member
// (bound with API_TOKEN_STAFF), whose role and team a test sets; customers write in through Telegram.

export const ADMIN = '5234567890';
/** The staff member the API token acts as; also writes to the bot. */
export const TOKEN_STAFF = '5480000000';
export const REP_A = '5480000001';
export const REP_B = '5480000002';

export interface DealWorld {
  h: Harness;
  chat: ChatDriver;
  staff: { token: number; repA: number; repB: number };
  teams: { A: number; B: number };
  /** Makes the token's staff member this role in this team (read by the API on every request). */
  be(role: Role, team: 'A' | 'B' | null): Promise<void>;
  /** A customer who wrote in, owned by this staff id (null: the pool). */
  customer(chatId: string, name: string, owner: number | null): Promise<number>;
  /** A call to the API with the bound token. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
}

export async function dealWorld(dialect: DialectUnderTest): Promise<DealWorld> {
  const h = await startHarness(dialect, {
    clockAt: FIXTURE_TIME,
    env: { API_TOKEN_STAFF: `telegram:${TOKEN_STAFF}` },
  });
  const chat = telegramDriver(h);
  await chat.ask(ADMIN, '/team add 甲组');
  await chat.ask(ADMIN, '/team add 乙组');
  for (const [who, role] of [
    [TOKEN_STAFF, 'rep 甲组'],
    [REP_A, 'rep 甲组'],
    [REP_B, 'rep 乙组'],
  ] as const)
    expect(await chat.ask(ADMIN, `/staff add telegram:${who} ${role}`)).toContain('现在是');
  const staffId = async (external: string) =>
    Number(
      (
        await h.db
          .selectFrom('staff_identities')
          .select('staff_id')
          .where('external_id', '=', external)
          .executeTakeFirstOrThrow()
      ).staff_id,
    );
  const teamId = async (name: string) =>
    Number(
      (await h.db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id,
    );
  const staff = { token: await staffId(TOKEN_STAFF), repA: await staffId(REP_A), repB: await staffId(REP_B) };
  const teams = { A: await teamId('甲组'), B: await teamId('乙组') };
  return {
    h,
    chat,
    staff,
    teams,
    async be(role, team) {
      await h.db
        .updateTable('staff')
        .set({ role, team_id: team === null ? null : teams[team] })
        .where('id', '=', staff.token)
        .execute();
    },
    async customer(chatId, name, owner) {
      const id = await telegramCustomer(h, chatId, name);
      await h.db.updateTable('customers').set({ owner_staff_id: owner }).where('id', '=', id).execute();
      return id;
    },
    api(method, path, body, headers = {}) {
      return h.api(path, undefined, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
  };
}
