/** The message catalogues and languages live in `./i18n/`; this path stays for existing imports. */
export * from './i18n/index.ts';
