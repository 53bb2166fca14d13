import { LANGS, type Lang } from './lang.ts';

/**
 * A catalogue in another language has exactly the keys of the Chinese one (a missing or extra key fails `tsc`), with
 * plain text where it has text and a function of the same parameters where a message takes parameters.
 */
export type Messages<T> = {
  readonly [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends (...args: infer A) => string
      ? (...args: A) => string
      : Messages<T[K]>;
};

/** Text made for each language in turn (a message to a staff member, who reads it in their own language). */
export type Localized = (lang: Lang) => string;

/** A value for each language, from a function of the language. */
export function inEach<T>(make: (lang: Lang) => T): Record<Lang, T> {
  return Object.fromEntries(LANGS.map((lang) => [lang, make(lang)])) as Record<Lang, T>;
}

/** A catalogue table's entry for a key that comes from data (a status, a platform), or undefined when it has none. */
export function lookup<T extends object>(table: T, key: string): T[keyof T] | undefined {
  return Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}
