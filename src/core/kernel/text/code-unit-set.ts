/** A membership table by UTF-16 code unit (1 where the unit is one of `chars`): one array read per character. */
export function codeUnitSet(chars: string): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}
