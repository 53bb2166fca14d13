// A process that dies after WeCom accepted a mass-send task but before Liaison handled the answer: the outbox row is
// left `settling` with the answer kept, and the next instance handles it — the task's msgid recorded, the check 30
// minutes later queued — without creating the task a second time.
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAction } from '../../src/core/ports/outbound.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';

const CORP = WECOM_ENV.WECOM_CORP_ID;
const KEY = 'mass:crash:1';
const MSGID = 'msgGAQQAAAAAAbc123';
const HALF_HOUR = 30 * 60_000;

describe.each(serverDialectsUnderTest())(
  'an accepted send left unhandled by a dead process on $name',
  (dialect) => {
    let h: Harness;
    afterEach(async () => {
      await h?.close();
    });

    it('handles the kept answer once, queues its follow-up from the time WeCom accepted it, and never calls again', async () => {
      h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
      const now = h.clock.now();
      const acceptedAt = now - 60_000;
      await h.db
        .insertInto('campaign_mass_sends')
        .values({
          campaign_id: null,
          platform: 'wecom',
          workspace: CORP,
          sender_external_id: 'zhangsan',
          sender_staff_id: null,
          msgid: null,
          status: 'pending',
          recipient_count: 2,
          fail_count: 0,
          idempotency_key: KEY,
          confirmed_at: null,
          checked_at: null,
          created_at: acceptedAt,
          updated_at: acceptedAt,
        })
        .execute();
      const create: PlatformAction = {
        type: 'create_mass_send',
        massSendKey: KEY,
        sender: 'zhangsan',
        customerExternalIds: ['wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA', 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA'],
        content: { text: '双十二老客户专享' },
      };
      const check: PlatformAction = {
        type: 'check_mass_send',
        massSendKey: KEY,
        msgid: MSGID,
        sender: 'zhangsan',
      };
      // What the dead process wrote when WeCom answered add_msg_template: accepted, answer kept, lease run out.
      await h.db
        .insertInto('outbox')
        .values({
          idempotency_key: KEY,
          platform: 'wecom',
          workspace: CORP,
          target: '{}',
          content: JSON.stringify(create),
          status: 'settling',
          attempts: 1,
          available_at: now - 1,
          lease_owner: 'instance-that-died',
          last_error: null,
          platform_message_id: MSGID,
          customer_id: null,
          chat_id: null,
          created_at: acceptedAt - 1000,
          sent_at: acceptedAt,
          kind: 'action',
          target_key: null,
          report_to_staff_id: null,
          result: JSON.stringify({
            platformMessageId: MSGID,
            events: [
              {
                platform: 'wecom',
                workspace: CORP,
                occurredAt: acceptedAt,
                kind: 'mass_send',
                massSendKey: KEY,
                sender: 'zhangsan',
                msgid: MSGID,
                created: { failedCustomerIds: [] },
              },
            ],
            followUps: [{ action: check, afterMs: HALF_HOUR }],
            at: acceptedAt,
          }),
        })
        .execute();
      h.server.liaison.outbox.kick();

      const row = await waitFor(async () => {
        const r = await h.db
          .selectFrom('outbox')
          .select(['status', 'result', 'sent_at'])
          .where('idempotency_key', '=', KEY)
          .executeTakeFirstOrThrow();
        return r.status === 'sent' ? r : undefined;
      });
      expect(row).toEqual({ status: 'sent', result: null, sent_at: acceptedAt });
      const task = await h.db
        .selectFrom('campaign_mass_sends')
        .select(['status', 'msgid'])
        .where('idempotency_key', '=', KEY)
        .executeTakeFirstOrThrow();
      expect(task).toEqual({ status: 'created', msgid: MSGID });
      const followUp = await h.db
        .selectFrom('outbox')
        .select(['status', 'content', 'available_at'])
        .where('idempotency_key', '=', `${KEY}:then:0`)
        .executeTakeFirstOrThrow();
      expect(followUp).toEqual({
        status: 'pending',
        content: JSON.stringify(check),
        available_at: acceptedAt + HALF_HOUR,
      });
      expect(h.wecom.callsTo('/cgi-bin/externalcontact/add_msg_template')).toEqual([]);
    });
  },
);
