import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './2026-11-22-0001-foundation.ts';
import * as contactsAndActions from './2026-11-22-0002-contacts-and-actions.ts';
import * as attachmentsAndAppPacing from './2026-11-22-0003-attachments-and-app-pacing.ts';
import * as searchIndex from './2026-11-29-0004-search-index.ts';
import * as pendingRequests from './2026-11-29-0005-pending-requests.ts';
import * as crmCommands from './2026-11-29-0006-crm-commands.ts';
import * as intelligence from './2026-11-29-0007-intelligence.ts';
import * as digestSchedule from './2026-11-29-0008-digest-schedule.ts';
import * as postgresFullText from './2026-11-30-0009-postgres-full-text.ts';
import * as privacy from './2026-11-30-0010-privacy.ts';
import * as webChannel from './2026-11-30-0011-web-channel.ts';
import * as campaigns from './2026-11-30-0012-campaigns.ts';
import * as identity from './2026-11-30-0013-identity.ts';
import * as suggestionOrder from './2026-11-30-0014-suggestion-order.ts';
import * as outboxSettling from './2026-11-30-0015-outbox-settling.ts';
import * as marketingOwners from './2026-12-05-0016-marketing-owners.ts';
import * as replies from './2026-12-05-0017-replies.ts';
import * as quickReplies from './2026-12-05-0018-quick-replies.ts';
import * as inboxTopics from './2026-12-05-0019-inbox-topics.ts';
import * as derivedData from './2026-12-05-0020-derived-data.ts';
import * as syncJobs from './2026-12-05-0021-sync-jobs.ts';
import * as messageContent from './2026-12-05-0022-message-content.ts';
import * as attachments from './2026-12-05-0023-attachments.ts';
import * as dealPipeline from './2026-12-05-0024-deal-pipeline.ts';
import * as webSessions from './2026-12-05-0025-web-sessions.ts';
import * as alertFollowUps from './2026-12-05-0026-alert-follow-ups.ts';
import * as importJobs from './2026-12-06-0027-import-jobs.ts';
import * as campaignApprovals from './2026-12-06-0029-campaign-approvals.ts';
import * as channelCodeTags from './2026-12-06-0030-channel-code-tags.ts';
import * as auditLogPaging from './2026-12-06-0031-audit-log-paging.ts';
import * as consoleListOrder from './2026-12-06-0033-console-list-order.ts';
import * as redundantIndexes from './2026-12-06-0034-redundant-indexes.ts';
import * as partialIndexes from './2026-12-06-0036-partial-indexes.ts';
import * as searchGramsWithoutForeignKey from './2026-12-06-0037-search-grams-without-foreign-key.ts';
import * as identityChecks from './2026-12-07-0038-identity-checks.ts';

/**
 * Every migration, listed in code: Workers have no file system, so migrations are never discovered by reading a folder.
 * Names are date-prefixed and applied in name order; never rename or edit one that has shipped.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22-0001-foundation': foundation,
  '2026-11-22-0002-contacts-and-actions': contactsAndActions,
  '2026-11-22-0003-attachments-and-app-pacing': attachmentsAndAppPacing,
  '2026-11-29-0004-search-index': searchIndex,
  '2026-11-29-0005-pending-requests': pendingRequests,
  '2026-11-29-0006-crm-commands': crmCommands,
  '2026-11-29-0007-intelligence': intelligence,
  '2026-11-29-0008-digest-schedule': digestSchedule,
  '2026-11-30-0009-postgres-full-text': postgresFullText,
  '2026-11-30-0010-privacy': privacy,
  '2026-11-30-0011-web-channel': webChannel,
  '2026-11-30-0012-campaigns': campaigns,
  '2026-11-30-0013-identity': identity,
  '2026-11-30-0014-suggestion-order': suggestionOrder,
  '2026-11-30-0015-outbox-settling': outboxSettling,
  '2026-12-05-0016-marketing-owners': marketingOwners,
  '2026-12-05-0017-replies': replies,
  '2026-12-05-0018-quick-replies': quickReplies,
  '2026-12-05-0019-inbox-topics': inboxTopics,
  '2026-12-05-0020-derived-data': derivedData,
  '2026-12-05-0021-sync-jobs': syncJobs,
  '2026-12-05-0022-message-content': messageContent,
  '2026-12-05-0023-attachments': attachments,
  '2026-12-05-0024-deal-pipeline': dealPipeline,
  '2026-12-05-0025-web-sessions': webSessions,
  '2026-12-05-0026-alert-follow-ups': alertFollowUps,
  '2026-12-06-0027-import-jobs': importJobs,
  '2026-12-06-0029-campaign-approvals': campaignApprovals,
  '2026-12-06-0030-channel-code-tags': channelCodeTags,
  '2026-12-06-0031-audit-log-paging': auditLogPaging,
  '2026-12-06-0033-console-list-order': consoleListOrder,
  '2026-12-06-0034-redundant-indexes': redundantIndexes,
  '2026-12-06-0036-partial-indexes': partialIndexes,
  '2026-12-06-0037-search-grams-without-foreign-key': searchGramsWithoutForeignKey,
  '2026-12-07-0038-identity-checks': identityChecks,
};

export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
