import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { batchingD1 } from '../../src/worker/d1-batching.ts';
import { countingD1, rows } from './d1-raw.ts';

describe('statements sharing D1 round trips', () => {
  it('sends statements issued together as one batch, in order, and a failing one fails alone', async () => {
    await env.DB.prepare(
      'create table batching_probe (id integer primary key, v text not null unique)',
    ).all();
    const { binding, counts } = countingD1(env.DB);
    const d1 = batchingD1(binding);
    const insert = (v: string) => d1.prepare('insert into batching_probe (v) values (?)').bind(v).all();

    await Promise.all([insert('a'), insert('b')]);
    const [c, seen] = await Promise.all([
      insert('c'),
      d1.prepare('select count(*) as n from batching_probe').all<{ n: number }>(),
    ]);
    expect(c.results).toEqual([]);
    expect(seen.results).toEqual([{ n: 3 }]); // issued after the insert, run after it
    expect(counts).toEqual({ statements: 4, roundTrips: 2 });
    expect(d1.statements).toBe(4);

    // The batch is atomic: nothing of it landed, so each statement runs again alone and only the duplicate fails.
    const settled = await Promise.allSettled([insert('d'), insert('a'), insert('e')]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const values = await rows<{ v: string }>(env.DB, 'select v from batching_probe order by id');
    expect(values.map((r) => r.v)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(counts.roundTrips).toBe(2 + 1 + 3);
  });
});
