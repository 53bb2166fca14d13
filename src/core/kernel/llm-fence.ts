/** The tags the prompt templates put around data before fences were made per call: never left standing in data. */
const TAG_WORDS = /<\s*\/?\s*(?:digest|messages|data)\b[^>]*>/gi;
/** This call's delimiter, and anything shaped like one (a guess at another call's). */
const DELIMITER_LIKE = /DATA-[0-9a-f]{16}/gi;

/** Untrusted text's place in a prompt: the delimiter to name in the instructions, and the wrapper for the data. */
export interface DataFence {
  /** `DATA-<16 hex>`, new for each fence: the instructions say the data lies between `<name>` and `</name>`. */
  name: string;
  /** The data between `<name>` and `</name>`, with every copy of the delimiter and of the tag words removed. */
  wrap(data: string): string;
}

/**
 * A fence made for one model call. Its delimiter comes from the platform's crypto random (Node and Workers alike),
 * so text written before the call (a customer's name, a message) cannot know it, and `wrap` removes anything shaped
 * like it, so the data can neither close the fence nor open a fake one.
 */
export function dataFence(): DataFence {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  const name = `DATA-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  return { name, wrap: (data) => `<${name}>\n${stripFences(data)}\n</${name}>` };
}

/** Removes delimiters and tag words until none is left (taking one out may join the pieces of another). */
export function stripFences(data: string): string {
  let before: string;
  let text = data;
  do {
    before = text;
    text = text.replace(DELIMITER_LIKE, '').replace(TAG_WORDS, '');
  } while (text !== before);
  return text;
}
