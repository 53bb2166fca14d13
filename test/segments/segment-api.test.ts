import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/core/kernel/permissions/scope.ts';
import type { SegmentFilter } from '../../src/core/reading/segments/segments.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { expectedMembers, loadRows } from './oracle.ts';
import { NOW, type Seeded, seedCustomers } from './seed.ts';

interface Shown {
  id: number;
  name: string;
  count: number;
  filter: SegmentFilter;
  sample: Array<{ id: number; phone: string | null }>;
}
interface Failure {
  error: string;
  field?: string;
}

/** The segments API: who may write, what a bad body is told (naming the field), conflicts, audit, masking. */
describe.each(serverDialectsUnderTest())('segments API ($name)', (dialect) => {
  let h: Harness;
  let seeded: Seeded;
  let dormantId = 0;

  beforeAll(async () => {
    // The token acts as rep1 (李销售); tests set its role.
    h = await startHarness(dialect, { clockAt: NOW, env: { API_TOKEN_STAFF: 'telegram:5600000004' } });
    seeded = await seedCustomers(h.db, 60, 5);
    dormantId = (
      await h.db.selectFrom('segments').select('id').where('name', '=', 'dormant').executeTakeFirstOrThrow()
    ).id;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const as = (role: Viewer['role'], teamId: number | null) =>
    h.db.updateTable('staff').set({ role, team_id: teamId }).where('id', '=', seeded.staff.rep1.id).execute();
  const send = <T>(method: string, path: string, body?: unknown) =>
    h.api<T>(path, undefined, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('lets a rep token read within its scope, phones masked, but not write (403)', async () => {
    await as('rep', seeded.teams.shanghai);
    const shown = await h.api<Shown>(`/segments/${dormantId}?limit=100`);
    expect(shown.status).toBe(200);
    const viewer: Viewer = { staffId: seeded.staff.rep1.id, role: 'rep', teamId: seeded.teams.shanghai };
    const expected = expectedMembers(await loadRows(h.db), shown.body.filter, viewer, NOW);
    expect(shown.body.count).toBe(expected.length);
    expect(shown.body.sample.map((m) => m.id).sort((a, b) => a - b)).toEqual(expected);
    const phones = shown.body.sample.flatMap((m) => (m.phone ? [m.phone] : []));
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect(phone).toMatch(/^\+86 138\*{4}\d{4}$/);
    const refused = { error: 'segments are saved by managers and above' };
    expect(await send('POST', '/segments', { name: 'mine', filter: {} })).toEqual({
      status: 403,
      body: refused,
    });
    expect(await send('PATCH', `/segments/${dormantId}`, { description: 'x' })).toEqual({
      status: 403,
      body: refused,
    });
    expect(await send('DELETE', `/segments/${dormantId}`)).toEqual({ status: 403, body: refused });
  });

  it('names the field at fault in a bad body or query (400)', async () => {
    await as('manager', seeded.teams.east);
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', filter: { lastContact: { withinDays: 0 } } }, 'filter.lastContact.withinDays'],
      [{ name: 'x', filter: { lastContact: { withinDays: 3, never: true } } }, 'filter.lastContact.never'],
      [{ name: 'x', filter: { tags: { all: 'VIP' } } }, 'filter.tags.all'],
      [{ name: 'x', filter: { stage: ['lead'] } }, 'filter.stage'],
      [{ name: 'x', filter: { deals: { won: false } } }, 'filter.deals.won'],
      [{ name: 'x', filter: { valueTiers: ['gold'] } }, 'filter.valueTiers.0'],
      [{ name: 'x', filter: { doNotContact: 'never' } }, 'filter.doNotContact'],
      [{ name: 'x', filter: { stages: ['lead', 'nope'] } }, 'filter.stages'],
      [{ name: 'x', filter: { excludeStages: ['gone'] } }, 'filter.excludeStages'],
      [{ name: '#3', filter: {} }, 'name'],
      [{ name: '42', filter: {} }, 'name'],
      [{ name: 'x' }, 'filter'],
      [{ name: 'x', filter: {}, color: 'red' }, 'color'],
    ];
    for (const [body, field] of cases) {
      const res = await send<Failure>('POST', '/segments', body);
      expect({ body, status: res.status, field: res.body.field }).toEqual({ body, status: 400, field });
    }
    const unknownStage = await send<Failure>('POST', '/segments', {
      name: 'x',
      filter: { stages: ['nope'] },
    });
    expect(unknownStage.body.error).toContain('unknown stage nope');
    const limit = await h.api<Failure>(`/segments/${dormantId}?limit=101`);
    expect([limit.status, limit.body.field]).toEqual([400, 'limit']);
    expect((await send('PATCH', `/segments/${dormantId}`, {})).status).toBe(400);
    expect(await h.db.selectFrom('segments').select('name').where('name', '=', 'x').execute()).toEqual([]);
  });

  it('saves, changes and deletes segments, refusing duplicates and built-ins (409), and audits each write', async () => {
    await as('manager', seeded.teams.east);
    const created = await send<Shown>('POST', '/segments', {
      name: 'vip-east',
      filter: { tags: { any: ['VIP'] } },
    });
    expect(created.status).toBe(201);
    const other = await send<Shown>('POST', '/segments', { name: 'repeat', filter: { stages: ['repeat'] } });
    expect(other.status).toBe(201);
    for (const name of ['vip-east', 'VIP-East', 'dormant', '沉睡客户', '流失挽回']) {
      const dup = await send<Failure>('POST', '/segments', { name, filter: {} });
      expect({ name, status: dup.status, body: dup.body }).toEqual({
        name,
        status: 409,
        body: { error: 'a segment with this name exists', field: 'name' },
      });
    }
    const rename = await send<Failure>('PATCH', `/segments/${other.body.id}`, { name: 'vip-east' });
    expect(rename.status).toBe(409);
    expect((await send<Failure>('PATCH', `/segments/${dormantId}`, { description: 'mine now' })).status).toBe(
      409,
    );
    expect((await send<Failure>('DELETE', `/segments/${dormantId}`)).status).toBe(409);

    const changed = await send<Shown>('PATCH', `/segments/${other.body.id}`, {
      description: '复购客户',
      filter: { stages: ['repeat'], tags: { none: ['价格敏感'] } },
    });
    expect(changed.status).toBe(200);
    const viewer: Viewer = { staffId: seeded.staff.rep1.id, role: 'manager', teamId: seeded.teams.east };
    const rows = await loadRows(h.db);
    expect(changed.body.count).toBe(expectedMembers(rows, changed.body.filter, viewer, NOW).length);
    expect(changed.body.filter).toEqual({ stages: ['repeat'], tags: { none: ['价格敏感'] } });

    // A campaign being prepared still reads the segment: it stays until the campaign is cancelled.
    const campaign = await h.db
      .insertInto('campaigns')
      .values({
        name: 'draft-on-repeat',
        segment_id: other.body.id,
        text: 'hi',
        link_url: null,
        link_title: null,
        image: null,
        status: 'draft',
        scheduled_at: null,
        started_at: null,
        finished_at: null,
        holdout_pct: 0,
        window_days: 14,
        channel_code_id: null,
        created_by_staff_id: null,
        scope_staff_id: null,
        lease_owner: null,
        lease_until: null,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await send('DELETE', `/segments/${other.body.id}`)).status).toBe(409);
    await h.db.updateTable('campaigns').set({ status: 'cancelled' }).where('id', '=', campaign.id).execute();
    expect(await send('DELETE', `/segments/${other.body.id}`)).toEqual({
      status: 200,
      body: { deleted: true, id: other.body.id },
    });
    expect(await h.api(`/segments/${other.body.id}`)).toEqual({
      status: 404,
      body: { error: 'no such segment' },
    });

    const audits = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'actor_staff_id', 'subject_id', 'via'])
      .where('subject_kind', '=', 'segment')
      .orderBy('id')
      .execute();
    const by = { actor_kind: 'api', actor_staff_id: seeded.staff.rep1.id, via: 'api' };
    expect(audits).toEqual([
      { action: 'segment.created', subject_id: String(created.body.id), ...by },
      { action: 'segment.created', subject_id: String(other.body.id), ...by },
      { action: 'segment.updated', subject_id: String(other.body.id), ...by },
      { action: 'segment.deleted', subject_id: String(other.body.id), ...by },
    ]);
  });

  it('shows a manager token whole phones in a sample, and audits that read', async () => {
    await as('manager', seeded.teams.east);
    const shown = await h.api<Shown>(`/segments/${dormantId}?limit=100`);
    const whole = shown.body.sample.filter((m) => m.phone && /^\+86138\d{8}$/.test(m.phone));
    expect(whole.length).toBeGreaterThan(0);
    const read = await h.db
      .selectFrom('audit_log')
      .select(['subject_id', 'detail'])
      .where('action', '=', 'customer.unmasked_read')
      .execute();
    expect(read.map((r) => r.detail)).toContainEqual(
      expect.stringContaining(`GET /api/segments/${dormantId}`),
    );
  });

  it('is documented in a valid OpenAPI document, with the filter as a schema', async () => {
    const doc = (await (await fetch(`${h.url}/api/docs`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(doc.paths['/api/segments'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/segments/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.components.schemas.SegmentFilter?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'tags',
        'lastContact',
        'deals',
        'repliedToLastCampaign',
        'lost',
        'doNotContact',
      ]),
    );
  });
});
