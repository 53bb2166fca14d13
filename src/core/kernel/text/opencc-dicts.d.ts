// opencc-js exports each OpenCC dictionary as `opencc-js/dict/<name>` (its package.json "./*"), without types.
declare module 'opencc-js/dict/*' {
  /** The dictionary's entries, `source replacement`, separated by `|`. */
  const dict: string;
  export default dict;
}
