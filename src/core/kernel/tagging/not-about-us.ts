// A message that says its grievance is not aimed at the company (不关你们事，纯吐槽; nothing to do with you) is no anger
// or complaint at it, however it vents. Rules opt in with `unlessNotAboutUs`, so the list is stated once here.
// biome-ignore format: term lists read better packed than one per line
export const SAYS_NOT_ABOUT_US: readonly string[] = [
  '不关你们事', '不关你们的事', '跟你们没关系', '和你们没关系', '跟你们无关', '和你们无关', '与你们无关', '不是说你们',
  '不是针对你们', '不是冲你们', '纯吐槽',
  '吐槽一下而已', '不怪你们', '不是你们的问题', 'nothing to do with you', 'not your fault', 'not blaming you',
  'not aimed at you', 'not at you', 'not on you', 'just venting', 'just a rant',
];
