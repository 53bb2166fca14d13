import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo.ts';
import { cliContext } from '../cli/cli-test-context.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import {
  customerPost,
  type Feed,
  pageSecret,
  postId,
  postWeb,
  readFeed,
  SECRET_HEADER,
  staffPost,
} from './helpers.ts';

// docs/user/playground.md (and the README's Playground section), step by step over HTTP, as the page sends it: on an
// empty database, and after `npm run demo` then a start, which is what the quick start suggests.

const cases = [
  {
    start: 'an empty database',
    demo: false,
    actingAs: { id: 'playground-manager', name: 'Playground manager' },
  },
  { start: 'npm run demo', demo: true, actingAs: { id: 'demo-d1-manager', name: '林海峰' } },
];

describe.each(serverDialectsUnderTest())('the playground walkthrough on $name', (dialect) => {
  describe.each(cases)('after $start', ({ demo, actingAs }) => {
    let h: Harness;
    let secret: string;
    const send = async (body: unknown) =>
      expect((await postWeb(h.url, body, { [SECRET_HEADER]: secret })).status).toBe(200);
    /** The first message Liaison delivered to `chatId` that passes `test`, waiting for it. */
    const delivered = (chatId: string, test: (m: Feed['outbound'][number]) => boolean, timeout = 10_000) =>
      waitFor(
        async () => (await readFeed(h, secret)).outbound.find((m) => m.chatId === chatId && test(m)),
        timeout,
      );

    beforeAll(async () => {
      h = await startHarness(dialect);
      if (demo) {
        // `npm run demo`, then `npm start`: the demo is there before the service starts.
        const ctx = cliContext({ ...h.database, db: h.db }, { now: h.clock.now() });
        expect(await demoCommand.run([], ctx)).toBe(0);
        await h.restart();
      }
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });

    it('goes from a complaint to the alert, /find, /show, Assign to me, /reply and the digest preview', async () => {
      // 1. The page, in an English browser.
      const page = await fetch(`${h.url}/playground`, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
      expect(await page.text()).toContain('<html lang="en">');
      secret = await pageSecret(h.url);

      // 2. The staff pane acts as a manager of a top-level team, who hears about new customers; /help first.
      const pane = await fetch(`${h.url}/playground/api/staff?lang=en`, {
        headers: { [SECRET_HEADER]: secret },
      });
      const listed = (await pane.json()) as { staff: Array<{ id: string; name: string }>; actingAs: string };
      expect(listed.actingAs).toBe(actingAs.id);
      expect(listed.staff.find((s) => s.id === actingAs.id)?.name).toBe(actingAs.name);
      await send(staffPost(actingAs, '/help'));
      await delivered(actingAs.id, (m) => m.text.includes('/find'));

      // 3. Wang Fang complains; the manager gets the relay and the alert, in English.
      await send(customerPost('Wang Fang', 'I want to file a complaint about the delivery'));
      // The message is taken in the background after the page's post is acknowledged.
      const customer = await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('external_id', '=', 'customer-wang-fang')
          .executeTakeFirst(),
      );
      const n = customer.customer_id;
      expect(n).toBe(demo ? 301 : 1); // the numbers the walkthrough names
      const alert = await delivered(actingAs.id, (m) => m.text.includes('⚠️ Complaint'));
      expect(alert.text).toContain(`⚠️ Complaint: #${n} Wang Fang`);
      await delivered(actingAs.id, (m) => m.text.includes(`💬 #${n} Wang Fang`));

      // 4. /find Wang Fang, /show #n: the complaint rule's tag; Assign to me redraws the card with the new owner.
      await send(staffPost(actingAs, '/find Wang Fang'));
      const found = await delivered(actingAs.id, (m) => m.text.includes('match "Wang Fang"'));
      expect(found.text).toContain(`1 customer(s) match "Wang Fang"`);
      expect(found.text).toContain(`#${n} Wang Fang`);
      await send(staffPost(actingAs, `/show #${n}`));
      const card = await delivered(actingAs.id, (m) => m.card !== null);
      const field = (c: typeof card, label: string) => c.card?.fields.find((f) => f.label === label)?.value;
      expect(field(card, 'Tags')).toContain('投诉 (rule)');
      const assign = card.card?.buttons.find((b) => b.label === 'Assign to me');
      if (!assign) throw new Error('the card has no Assign to me button');
      await send({
        type: 'card_action',
        id: postId(),
        chat: { id: actingAs.id },
        from: { ...actingAs, language: 'en' },
        messageId: card.messageKey,
        value: assign.value,
      });
      const redrawn = await waitFor(async () => {
        const again = (await readFeed(h, secret)).outbound.filter((m) => m.messageKey === card.messageKey);
        return again.find((m) => field(m, 'Owner') === actingAs.name);
      }, 10_000);
      expect(redrawn.id).toBeGreaterThan(card.id);

      // 5. The reply reaches the customer's pane and the customer's timeline.
      const reply = 'Sorry about that — we will call you today';
      await send(staffPost(actingAs, `/reply #${n} ${reply}`));
      await delivered(actingAs.id, (m) => m.text.includes(`Sent to #${n} Wang Fang`));
      await delivered('customer-wang-fang', (m) => m.text.includes(reply));
      await send(staffPost(actingAs, `/show #${n}`));
      const shown = await delivered(actingAs.id, (m) => m.card !== null && m.messageKey !== card.messageKey);
      expect(shown.text).toContain(reply);
      const sent = await h.db
        .selectFrom('messages')
        .innerJoin('staff_identities as si', 'si.staff_id', 'messages.author_staff_id')
        .select(['messages.direction', 'si.external_id'])
        .where('messages.customer_id', '=', n)
        .where('messages.text', 'like', `%${reply}%`)
        .execute();
      expect(sent).toEqual([{ direction: 'out', external_id: actingAs.id }]);

      // 6. Digest preview: `/digest now` in the team group, text and chart.
      await send(staffPost(actingAs, '/digest now', { id: 'team-group', kind: 'group' }));
      const digest = await delivered('team-group', (m) => m.text.includes('Customer digest'), 30_000);
      expect(digest.hasImage).toBe(true);
    }, 90_000);
  });
});
