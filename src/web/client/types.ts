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
  tags: Array<{ name: string; source: string }>;
  doNotContact: boolean;
  timeline: Array<{ at: string; direction: string; author: string; text: string }>;
}

export interface QuickReply {
  key: string;
  text: string;
  team: string | null;
}
