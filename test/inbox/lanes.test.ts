import { describe, expect, it } from 'vitest';
import { lanesOf, packLanes } from '../../src/jobs/order-key.ts';

// A claimed batch as the inbox sees it: deliveries of several chats, interleaved in arrival order.
const batch = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, chat: `chat-${(i * 7) % 13}` }));

describe('inbox lanes on PostgreSQL', () => {
  const lanes = packLanes(
    lanesOf(batch, (row) => row.chat),
    4,
  );

  it('keeps each chat in one lane, in arrival order, and nothing lost or repeated', () => {
    expect(
      lanes
        .flat()
        .map((r) => r.id)
        .sort((a, b) => a - b),
    ).toEqual(batch.map((r) => r.id));
    for (const chat of new Set(batch.map((r) => r.chat))) {
      const holding = lanes.filter((lane) => lane.some((r) => r.chat === chat));
      expect(holding).toHaveLength(1);
      const ids = (holding[0] ?? []).filter((r) => r.chat === chat).map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('puts 13 chats into at most 4 lanes of similar length, so each transaction takes several deliveries', () => {
    expect(lanes).toHaveLength(4);
    const lengths = lanes.map((lane) => lane.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(4);
    expect(packLanes([[1], [2]], 4)).toEqual([[1], [2]]); // fewer chats than lanes: one lane each
  });
});
