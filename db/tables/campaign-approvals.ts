/** Where a campaign set up in the console stands on its way to being sent. */
export type CampaignApprovalStatus = 'pending' | 'approved' | 'rejected';

/**
 * The approval of a campaign set up in the console: it stays a draft until a director or admin (not its author,
 * unless the author is an admin) approves it, which schedules it; a rejection cancels it with the reason.
 */
export interface CampaignApprovalTable {
  campaign_id: number;
  status: CampaignApprovalStatus;
  /** Who set it up and asked for approval. */
  author_staff_id: number | null;
  /** When to send once approved (null: at approval; a time already past: at approval too). */
  send_at: number | null;
  /** The console's key of the submission, so a repeated submit finds the first one. */
  submit_key: string;
  submitted_at: number;
  decided_by_staff_id: number | null;
  decided_at: number | null;
  /** The key of the decision, so a repeated approve or reject answers as the first did. */
  decide_key: string | null;
  /** Why it was rejected, as the decider wrote it. */
  reason: string | null;
}
