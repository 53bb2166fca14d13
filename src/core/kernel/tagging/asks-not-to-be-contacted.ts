// A clause asking not to be messaged or called about something (别再推优惠了, stop sending me offers) names what the
// customer does not want: it is no price question, purchase or refund of theirs. Rules opt in with
// `unlessAskedNotToContact`, so the list is stated once here.
// biome-ignore format: term lists read better packed than one per line
export const ASKS_NOT_TO_BE_CONTACTED: readonly string[] = [
  '别推', '别再发', '别再推', '别再打', '别再联系', '别再拉我', '不要再发', '不要再推', '不要再打', '不要再联系',
  '不用再发', '不用再联系', '不要再send', '别发', '不要发', '退订', '取消订阅',
  'unsubscribe', 'stop sending', 'stop texting', 'stop calling', 'stop emailing', 'remove me', 'remove my',
  'remove our', 'take me off', 'opt out', 'opt me out', "don't send", 'do not send', "don't call", 'do not call',
];
