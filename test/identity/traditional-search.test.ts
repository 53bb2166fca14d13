// Traditional and Simplified Chinese find each other: a customer named 陳偉 is found by `/find 陈伟` and the API's
// `q=陈伟`, a customer named 刘丽华 by 劉麗華 — and a database written before folding is folded on its next start.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../db/dialect.ts';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

const ADMIN = '5123456789';

interface Listed {
  items: Array<{ id: number; name: string }>;
}

describe.each(serverDialectsUnderTest())(
  'Traditional and Simplified names find each other on $name',
  (dialect) => {
    let h: Harness;
    let chat: ChatDriver;
    let traditional = 0;
    let simplified = 0;
    let other = 0;
    let xiaoyu = 0;

    beforeAll(async () => {
      h = await startHarness(dialect);
      chat = telegramDriver(h);
      traditional = await telegramCustomer(h, '6100000001', '陳偉');
      simplified = await telegramCustomer(h, '6100000002', '刘丽华');
      other = await telegramCustomer(h, '6100000003', '陈伟明的同事');
      // Another customer whose name shares one character only: a fold must not make everyone match.
      xiaoyu = await telegramCustomer(h, '6100000004', '陳小雨');
    });
    afterAll(async () => {
      await h?.close();
    });

    const apiFind = async (q: string) => {
      const res = await h.api<Listed>(`/customers?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return res.body.items.map((c) => c.id).sort((a, b) => a - b);
    };

    it('finds a customer named in Traditional by a Simplified /find, and the reverse', async () => {
      const bySimplified = await chat.ask(ADMIN, '/find 陈伟');
      expect(bySimplified).toContain(`#${traditional} 陳偉`);
      expect(bySimplified).toContain(`#${other} 陈伟明的同事`);
      expect(bySimplified).not.toContain('陳小雨');
      expect(bySimplified).not.toContain('刘丽华');

      const byTraditional = await chat.ask(ADMIN, '/find 劉麗華');
      expect(byTraditional).toContain(`#${simplified} 刘丽华`);
      expect(byTraditional).not.toContain('陳偉');

      // A mixed query, and part of a name (two characters are enough).
      expect(await chat.ask(ADMIN, '/find 陳伟')).toContain(`#${traditional} 陳偉`);
      expect(await chat.ask(ADMIN, '/find 丽華')).toContain(`#${simplified} 刘丽华`);
    });

    it('names the customer for other commands the same way: /show 劉麗華 opens 刘丽华', async () => {
      const card = await chat.ask(ADMIN, '/show 劉麗華');
      expect(card).toContain('刘丽华');
      expect(card).toContain(`#${simplified}`);
    });

    it('answers the API q in either script with the same customers', async () => {
      expect(await apiFind('陈伟')).toEqual([traditional, other].sort((a, b) => a - b));
      expect(await apiFind('陳偉')).toEqual([traditional, other].sort((a, b) => a - b));
      expect(await apiFind('劉麗華')).toEqual([simplified]);
      expect(await apiFind('刘丽华')).toEqual([simplified]);
      expect(await apiFind('陈小')).toEqual([xiaoyu]);
    });

    it('folds search text stored before folding on the next start, so old customers are found too', async () => {
      // What the version before folding stored for 陳偉: its name as written, and keys made from that.
      await h.db
        .updateTable('customers')
        .set({ search_text: '陳偉' })
        .where('id', '=', traditional)
        .execute();
      if (isPostgres(h.db))
        await sql`update customers set search_keys = array_to_tsvector(array['陳偉']) where id = ${traditional}`.execute(
          h.db,
        );
      else {
        await h.db.deleteFrom('customer_search_grams').where('customer_id', '=', traditional).execute();
        await h.db
          .insertInto('customer_search_grams')
          .values({ gram: '陳偉', customer_id: traditional })
          .execute();
      }
      await h.db.updateTable('derived_data').set({ version: 1 }).where('name', '=', 'search_keys').execute();
      // As the issue reported it: a Simplified query misses the Traditional name.
      expect(await apiFind('陈伟')).toEqual([other]);

      await h.restart();
      expect(await apiFind('陈伟')).toEqual([traditional, other].sort((a, b) => a - b));
      expect(await apiFind('陳偉')).toEqual([traditional, other].sort((a, b) => a - b));
      expect(await chat.ask(ADMIN, '/find 陈伟')).toContain(`#${traditional} 陳偉`);
      // Shown as the customer wrote it: only the search text is folded.
      const shown = await h.db
        .selectFrom('customers')
        .select(['display_name', 'search_text'])
        .where('id', '=', traditional)
        .executeTakeFirstOrThrow();
      expect(shown).toEqual({ display_name: '陳偉', search_text: '陈伟' });
    });
  },
);
