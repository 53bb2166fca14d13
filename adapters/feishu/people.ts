import type { Client } from '@larksuiteoapi/node-sdk';
import type { ChatRef, PersonRef } from '../../src/core/ports/events.ts';
import type { FeishuCall } from './api.ts';

const MEMBERS_PAGE = 100;

/**
 * Names for the ids Feishu events carry: staff from the contact directory, customers (other tenants) from the
 * members of the chat they wrote in. Best effort: a name that cannot be read leaves the id as the name.
 */
export function feishuPeople(client: Client, call: FeishuCall) {
  return async function describePerson(person: PersonRef, chat?: ChatRef) {
    try {
      if (person.side === 'brand') {
        const r = await call(() =>
          client.contact.user.get({
            path: { user_id: person.externalId },
            params: { user_id_type: 'open_id' },
          }),
        );
        const user = r.data?.user;
        return user?.name
          ? { displayName: user.name, ...(user.union_id ? { unionId: user.union_id } : {}) }
          : null;
      }
      if (!chat) return null;
      let pageToken: string | undefined;
      do {
        const r = await call(() =>
          client.im.chatMembers.get({
            path: { chat_id: chat.platformChatId },
            params: {
              member_id_type: 'open_id',
              page_size: MEMBERS_PAGE,
              ...(pageToken ? { page_token: pageToken } : {}),
            },
          }),
        );
        const found = r.data?.items?.find((m) => m.member_id === person.externalId);
        if (found?.name) return { displayName: found.name };
        pageToken = r.data?.has_more ? r.data.page_token : undefined;
      } while (pageToken);
      return null;
    } catch {
      return null;
    }
  };
}
