// Rules v2.8 (en): the twelfth batch's customers mid-relationship, several things in one message. Cases written
// here, none from the evaluation set; each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { tagsOf } from './shipped-tags.ts';

describe('buying and pricing said without the standard words', () => {
  it('a repeat order and stock asked for to buy', () => {
    expect(tagsOf('same as last time please, 4 trays of the almond croissants')).toContain('购买意向');
    expect(tagsOf('M8 hex bolts, have stock? need 2000.')).toContain('购买意向');
  });

  it('a price asked about as an extra or a new amount', () => {
    expect(tagsOf('does the premium plan include SSO or is that extra?')).toContain('询价');
    expect(tagsOf('if we add 5 more seats, what would the new total be?')).toContain('询价');
  });

  it('a rival cheaper by an amount is pushback, and matching it is no price question', () => {
    const tags = tagsOf(
      'the gym across the road does the same membership for £10 a month less, can you match?',
    );
    expect(tags).toContain('价格异议');
    expect(tags).not.toContain('询价');
  });
});

describe('problems, money back and leaving in the customer’s own words', () => {
  it('a symptom of a product or a service that stopped doing its job', () => {
    expect(tagsOf('the calendar sync stopped sending reminders since monday, pls check')).toContain('售后');
    expect(tagsOf('the face cream turned yellow after a week, is that normal?')).toContain('售后');
  });

  it('money asked back without "refund"', () => {
    expect(tagsOf('I was charged twice for the same booking, can you reverse the charge?')).toContain('退款');
    expect(
      tagsOf('The frame arrived cracked, I would like a replacement rather than a refund'),
    ).not.toContain('退款');
  });

  it('letting a subscription lapse is leaving; a pause with a return is not', () => {
    expect(tagsOf("we'll let the subscription lapse in March, the team has moved on")).toContain('流失风险');
    expect(tagsOf('can I pause my classes for a month? will continue when back')).not.toContain('流失风险');
  });

  it('a busy period or a rushed service is no time pressure', () => {
    expect(tagsOf('the app crashed during the lunch rush and we lost orders')).not.toContain('紧急');
  });
});
