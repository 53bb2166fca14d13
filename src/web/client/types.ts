import type { webApp } from '../../core/kernel/i18n/web-app.ts';

/** The panel's words, in the staff member's language (the shell hands them over on its root element). */
export type Labels = (typeof webApp)['en']['webApp']['panel'];

/** A customer's record as `GET /app/api/customers/:id` gives it: `/show`'s card and what the edits need. */
export interface CustomerRecord {
  id: number;
  name: string;
  card: {
    title: string;
    fields: Array<{ label: string; value: string }>;
    sections: Array<{ heading?: string; text: string }>;
  };
  stage: { key: string; name: string };
  stages: Array<{ key: string; name: string }>;
  /** `label`: the tag as records show it in the staff member's language (who set it, unless a person did). */
  tags: Array<{ name: string; source: string; label: string }>;
  doNotContact: boolean;
  /** `file`: a kept file's status (`stored` can be downloaded), or null when the message carries none. */
  timeline: Array<{
    id: number;
    file: string | null;
    at: string;
    direction: string;
    author: string;
    text: string;
  }>;
}

export interface QuickReply {
  key: string;
  text: string;
  team: string | null;
}

/** A likely duplicate of the open customer, with the evidence as `/dupes` words it. */
export interface Duplicate {
  customerId: number;
  name: string;
  company: string | null;
  score: number;
  evidence: string;
}
