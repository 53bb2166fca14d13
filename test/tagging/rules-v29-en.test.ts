// Rules v2.9 (en): alerts an owner must hear at once, and look-alikes that only sound like them. Cases written here,
// none from the evaluation set; each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { tagsOf } from './shipped-tags.ts';

describe('leaving said through whoever takes the business', () => {
  it('a new supplier found, a standing order stopped, work brought in-house', () => {
    expect(
      tagsOf("Just letting you know we've found an alternative supplier for the coffee beans."),
    ).toContain('流失风险');
    expect(tagsOf('Please stop our weekly standing order after this Friday, thanks.')).toContain('流失风险');
    expect(tagsOf("We're bringing the packaging work in-house from next quarter.")).toContain('流失风险');
  });

  it('but not a supplier of their own that let them down', () => {
    expect(tagsOf('Our old supplier went bust, can you quote for 500 units?')).not.toContain('流失风险');
  });
});

describe('money asked back without the word refund', () => {
  it('the deposit or the fee back, goods taken back', () => {
    expect(
      tagsOf('The tiles are the wrong batch. Please take back the 12 boxes and return our deposit.'),
    ).toContain('退款');
    expect(tagsOf('Could the unused balance go back to my card please?')).toContain('退款');
  });

  it('but not a signed form returned', () => {
    expect(tagsOf('Kindly return the signed order form by Friday.')).not.toContain('退款');
  });
});

describe('accountability, sarcasm and a stopped business', () => {
  it('a boss asking who chose the supplier, a root cause demanded', () => {
    expect(tagsOf('My manager wants to know who chose you. We need the root cause in writing.')).toContain(
      '投诉',
    );
  });

  it('scare-quoted promises read as anger', () => {
    expect(tagsOf('Thanks for the "express" shipping, it took nine days.')).toContain('负面情绪');
  });

  it('a production line down is urgent, a machine of their own that broke is not', () => {
    expect(tagsOf('Packing line stopped since 6am, we need the replacement belt now')).toContain('紧急');
    expect(
      tagsOf('Our coffee machine broke down so we are ordering more tea, add 2 kg please'),
    ).not.toContain('紧急');
  });
});
