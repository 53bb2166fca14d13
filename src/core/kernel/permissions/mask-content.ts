import type { OutboundContent, TextSection } from '../../ports/outbound.ts';
import { maskText } from './mask.ts';

/**
 * A message to a staff member who may not unmask, with every phone, email and ID-card number in it masked: the net
 * under every surface (a customer's name holding a phone, a remark, a quote) that its own renderer did not mask.
 * Whole for those who may unmask; masking is idempotent, so text masked already is unchanged.
 */
export function maskContentFor(mayUnmask: boolean, content: OutboundContent): OutboundContent {
  if (mayUnmask) return content;
  const section = (s: TextSection): TextSection => ({
    ...s,
    text: maskText(s.text),
    ...(s.heading !== undefined ? { heading: maskText(s.heading) } : {}),
  });
  return {
    ...content,
    text: maskText(content.text),
    ...(content.markdown ? { markdown: content.markdown.map(section) } : {}),
    ...(content.card
      ? {
          card: {
            ...content.card,
            title: maskText(content.card.title),
            fields: content.card.fields.map((f) => ({ label: f.label, value: maskText(f.value) })),
            sections: content.card.sections.map(section),
          },
        }
      : {}),
  };
}
