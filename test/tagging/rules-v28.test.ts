// Rules v2.8 (issue 25): readings that replace word lists. Cases written here, none from the evaluation set; each
// asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { tagsOf } from './shipped-tags.ts';

describe('arrival is a delivery matter only while awaited, late or asked about', () => {
  it('goods still on the way, asked about or late', () => {
    expect(tagsOf("our order still hasn't arrived, it's been ten days")).toContain('物流');
    expect(tagsOf('will the chairs arrive before friday?')).toContain('物流');
    expect(tagsOf('the kit arrived two weeks late and nobody told us')).toContain('物流');
    expect(tagsOf('tracking says arrived at the hub on monday, nothing since')).toContain('物流');
  });

  it('goods that arrived, with a fault or a thanks, are not', () => {
    expect(tagsOf('the blender arrived with a chip in the jug, can you send another jug?')).not.toContain(
      '物流',
    );
    expect(tagsOf('the lamp arrived this morning, the kids love it!')).not.toContain('物流');
  });
});

describe('paperwork not received is paperwork', () => {
  it('an invoice not received is not a shipment; goods not received are', () => {
    expect(tagsOf('上个月的发票还没收到，麻烦再寄一次')).not.toContain('物流');
    expect(tagsOf('上个月的发票还没收到，麻烦再寄一次')).toContain('合同');
    expect(tagsOf('上周订的货还没收到，帮我查一下')).toContain('物流');
  });
});

describe('a quantity that is the lever of a bargain is not an order', () => {
  it('volume named to get a lower price is price pushback only; a quantity asked for is an order', () => {
    expect(tagsOf('我们一个月要拿300箱，单价能再低点吗')).not.toContain('购买意向');
    expect(tagsOf('我们一个月要拿300箱，单价能再低点吗')).toContain('价格异议');
    expect(tagsOf('买三台能便宜点吗')).not.toContain('购买意向');
    expect(tagsOf('再来三箱，还是送到店里')).toContain('购买意向');
  });
});

describe('thanks for a past visit or service settles it', () => {
  it('gratitude for what was done yesterday or last time is no open problem', () => {
    expect(tagsOf('谢谢李师傅昨天上门调试，设备现在很稳')).toEqual([]);
    expect(tagsOf('thanks for sending the technician yesterday, the pump is fixed and running')).toEqual([]);
  });

  it('but a problem after the thanks is still one', () => {
    expect(tagsOf('谢谢李师傅昨天上门，但是今天机器又报错了')).toContain('售后');
    expect(tagsOf('thanks for the visit yesterday, but the printer stopped working again')).toContain('售后');
    expect(tagsOf('谢谢你上次帮忙，这次又坏了，开不了机')).toContain('售后');
    expect(tagsOf('thanks for the visit yesterday, the pump stopped working again')).toContain('售后');
  });
});
