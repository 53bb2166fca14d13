import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/core/kernel/permissions/scope.ts';
import {
  countSegment,
  parseSegmentFilter,
  type SegmentFilter,
  segmentCustomerIds,
} from '../../src/core/reading/segments/segments.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { testFilters } from './filters.ts';
import { expectedMembers, loadRows, type Rows } from './oracle.ts';
import { NOW, type Seeded, type SeededStaff, seedCustomers } from './seed.ts';

interface Listed {
  id: number;
  name: string;
  builtin: boolean;
  filter: SegmentFilter;
  count: number;
}
interface Detail extends Listed {
  sample: Array<{ id: number; lastContactAt: string | null }>;
}

const viewerOf = (s: SeededStaff, role = s.role, teamId = s.teamId): Viewer => ({
  staffId: s.id,
  role,
  teamId,
});

/**
 * Segment counts over ~300 generated customers equal a plain computation over the same rows, for every kind of
 * condition and combinations, in the whole organisation and in each viewer's data scope, in core and over the API.
 */
describe.each(serverDialectsUnderTest())('segment counts ($name)', (dialect) => {
  let h: Harness;
  let seeded: Seeded;
  let rows: Rows;
  let filters: Array<[string, SegmentFilter]>;

  beforeAll(async () => {
    // The API token acts as rep1 (李销售), whose role the scope tests change.
    h = await startHarness(dialect, { clockAt: NOW, env: { API_TOKEN_STAFF: 'telegram:5600000004' } });
    // The timed loop's first pass (value tiers, churn) runs at start: let it finish before the rows are written.
    await new Promise((r) => setTimeout(r, 300));
    seeded = await seedCustomers(h.db);
    filters = testFilters(seeded);
  }, 180_000);
  // Read afresh for each test: the server's background work may touch rows (value tiers) between tests.
  beforeEach(async () => {
    rows = await loadRows(h.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  // Only the role changes: rep1 stays in 上海组, so team filters keep their members.
  const setTokenRole = (role: Viewer['role']) =>
    h.db.updateTable('staff').set({ role }).where('id', '=', seeded.staff.rep1.id).execute();

  it('counts 24 filters exactly as a plain computation over the same rows does', async () => {
    const live = rows.customers.filter((c) => c.merged_into_id === null);
    expect(live.length).toBeGreaterThan(270);
    expect(live.length).toBeLessThan(300);
    for (const [name, filter] of filters) {
      expect(parseSegmentFilter(JSON.stringify(filter)), name).toMatchObject({ ok: true });
      const expected = expectedMembers(rows, filter, null, NOW);
      const ids = await segmentCustomerIds({ db: h.db }, filter, null, NOW);
      expect({ name, ids }).toEqual({ name, ids: expected });
      expect(await countSegment({ db: h.db }, filter, null, NOW), name).toBe(expected.length);
      // Every filter selects someone and leaves someone out: a condition that did nothing would show.
      expect(expected.length, name).toBeGreaterThan(0);
      expect(expected.length, name).toBeLessThan(live.length);
    }
  });

  it('keeps each viewer to their data scope: rep < manager < director, each count right', async () => {
    const { rep1, mgrEast, mgrSouth, director } = seeded.staff;
    const viewers = [viewerOf(rep1), viewerOf(mgrEast), viewerOf(mgrSouth), viewerOf(director)];
    for (const viewer of viewers) {
      for (const [name, filter] of filters) {
        const expected = expectedMembers(rows, filter, viewer, NOW);
        const ids = await segmentCustomerIds({ db: h.db }, filter, viewer, NOW);
        expect({ name, role: viewer.role, ids }).toEqual({ name, role: viewer.role, ids: expected });
      }
    }
    const everyone = async (v: Viewer | null) => countSegment({ db: h.db }, {}, v, NOW);
    const rep = await everyone(viewerOf(rep1));
    const manager = await everyone(viewerOf(mgrEast));
    const all = await everyone(viewerOf(director));
    expect(rep).toBeGreaterThan(0);
    expect(rep).toBeLessThan(manager);
    expect(manager).toBeLessThan(all);
    expect(all).toBe(await everyone(null));
  });

  it('answers the same counts over the API, with samples drawn from the members', async () => {
    await setTokenRole('admin');
    for (const [i, [name, filter]] of filters.entries()) {
      const expected = expectedMembers(rows, filter, null, NOW);
      const created = await h.api<Listed>('/segments', undefined, {
        method: 'POST',
        body: JSON.stringify({ name: `seg-${i}`, description: name, filter }),
      });
      expect({ name, status: created.status }).toEqual({ name, status: 201 });
      expect(created.body.count, name).toBe(expected.length);
      const detail = await h.api<Detail>(`/segments/${created.body.id}?limit=100`);
      expect(detail.body.count, name).toBe(expected.length);
      const sampled = detail.body.sample.map((m) => m.id);
      expect(sampled.length, name).toBe(Math.min(100, expected.length));
      expect(
        sampled.filter((id) => !expected.includes(id)),
        name,
      ).toEqual([]);
      // Most recently in contact first.
      const times = detail.body.sample.map((m) => (m.lastContactAt ? Date.parse(m.lastContactAt) : 0));
      expect(times, name).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('gives an API token its staff member’s scope in the list: rep, manager and admin counts differ', async () => {
    const { rep1 } = seeded.staff;
    const everyoneCounts: number[] = [];
    for (const role of ['rep', 'manager', 'admin'] as const) {
      await setTokenRole(role);
      // As a manager, rep1 sees 上海组 (rep1, rep2) and the pool.
      const viewer = viewerOf(rep1, role);
      const list = await h.api<{ items: Listed[] }>('/segments');
      expect(list.status).toBe(200);
      expect(list.body.items.slice(0, 2).map((s) => [s.name, s.builtin])).toEqual([
        ['dormant', true],
        ['win-back', true],
      ]);
      for (const item of list.body.items) {
        const expected = expectedMembers(rows, item.filter, viewer, NOW).length;
        expect({ role, segment: item.name, count: item.count }).toEqual({
          role,
          segment: item.name,
          count: expected,
        });
      }
      // seg-0 is `{}`: everyone the token may see.
      everyoneCounts.push(list.body.items.find((s) => s.name === 'seg-0')?.count ?? -1);
    }
    const [rep = 0, manager = 0, admin = 0] = everyoneCounts;
    expect(rep).toBeLessThan(manager);
    expect(manager).toBeLessThan(admin);
    await setTokenRole('rep');
  });
});
