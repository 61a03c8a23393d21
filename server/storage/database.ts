import type { StaffDatabase } from './staff-database.js';

/**
 * The two stores are separate databases (two SQLite files, or two PostgreSQL databases) so that no
 * query, join or foreign key can ever connect a part-two answer to a person.
 */

/** Identifiable store: part one answers (and later rosters and invitations). */
export interface PartOneResponseTable {
  /** Random 128-bit hex, not a sequence. */
  id: string;
  wave_id: string;
  local_authority: string;
  /** JSON object of answers keyed by item id, in definition order. */
  answers: string;
  /** Part one sent through the pages: the receipt of the sending browser's part-two nonce (migration 0009). */
  part_two_receipt: string | null;
}

/** A wave: which published definition version it fields (migration 0004). */
export interface WaveTable {
  /** Lower-case letters, digits and hyphens, such as `2021-06`; appears in addresses and commands. */
  id: string;
  name: string;
  /** When it is fielded, as people say it: `June 2021`. */
  fielded: string;
  definition_id: string;
  definition_version: number;
  /** Epoch ms. */
  created_at: number;
  /** The staff user who created it; null for the fielded 2020 waves and the command line. */
  created_by: string | null;
  /** The closing date respondents are told, `2021-06-30` (migration 0010); null when none was set. */
  closes: string | null;
}

export interface WaveStatusTable {
  wave_id: string;
  status: 'open' | 'closed';
}

export interface RosterTable {
  wave_id: string;
  local_authority: string;
  name: string;
  email: string;
}

export interface InvitationTable {
  id: string;
  wave_id: string;
  local_authority: string;
  /** SHA-256 of the secret in the link; the secret itself is never stored. */
  token_hash: string;
}

export interface RespondentSessionTable {
  token_hash: string;
  invitation_id: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

export interface PartOneDraftTable {
  invitation_id: string;
  answers: string;
  /** The section to resume at. */
  section: string;
}

/** A free-text item of part two released to researchers after an analyst read it. */
export interface TextReleaseTable {
  wave_id: string;
  item_id: string;
  released_by: string;
  released_at: number;
}

/** Requests per client and limit in the current window (the client is a keyed hash, never an address). */
export interface RateLimitTable {
  name: string;
  client: string;
  window_start: number;
  hits: number;
}

/** A random generation per wave, renewed by every write of answers, in each store, for caches of tables. */
export interface WaveDataVersionTable {
  wave_id: string;
  generation: string;
}

/** A survey definition version an analyst published (migration 0011): insert-only. */
export interface PublishedDefinitionTable {
  id: string;
  version: number;
  /** `sha256:...` of the definition's canonical JSON (survey-definitions/content-hash.ts). */
  content_hash: string;
  /** The definition as JSON. */
  definition: string;
  /** Epoch ms. */
  published_at: number;
  /** The staff user who published it; null for the command line and for a version published automatically. */
  published_by: string | null;
}

/** An uploaded definition that passed every check, awaiting its admin's decision (migration 0012). */
export interface DefinitionDraftTable {
  token: string;
  /** The definition as JSON. */
  definition: string;
  uploaded_by: string;
  /** Epoch ms. */
  uploaded_at: number;
}

/** A further link to an invitation, by its hash (migration 0013): a reminder's. */
export interface InvitationLinkTable {
  token_hash: string;
  invitation_id: string;
}

/** A message to a council, queued before it is sent (migration 0013); times are epoch ms. */
export interface MailOutboxTable {
  id: string;
  wave_id: string;
  local_authority: string;
  purpose: string;
  recipient: string;
  /** The invitation link, sealed (server/security/sealed-text.ts); null once the message is settled. */
  sealed_link: string | null;
  status: string;
  attempts: number;
  queued_at: number;
  next_attempt_at: number;
  claimed_until: number | null;
  sent_at: number | null;
  last_error: string | null;
}

/** An admin's wording of one kind of message (migration 0013). */
export interface MailTemplateTable {
  purpose: string;
  subject: string;
  body: string;
  updated_by: string;
  /** Epoch ms. */
  updated_at: number;
}

/** The privacy notice an admin wrote (migration 0014): one row, id 1. */
export interface PrivacyNoticeTable {
  id: number;
  text: string;
  updated_by: string;
  /** Epoch ms. */
  updated_at: number;
}

/** How long a wave keeps what identifies people (migration 0015). */
export interface WaveRetentionTable {
  wave_id: string;
  /** YYYY-MM-DD: kept through this day (UK time). */
  contacts_until: string;
  /** 1: part one is kept whole; 0: its identifying answers are erased with the contacts. */
  keep_part_one: number;
  /** Epoch ms, once the erasure has run. */
  applied_at: number | null;
}

/** Staff accounts, sessions and the audit log live here too (`staff-database.ts`). */
export interface IdentifiableDatabase extends StaffDatabase {
  part_one_response: PartOneResponseTable;
  wave: WaveTable;
  wave_status: WaveStatusTable;
  roster: RosterTable;
  invitation: InvitationTable;
  respondent_session: RespondentSessionTable;
  part_one_draft: PartOneDraftTable;
  text_release: TextReleaseTable;
  rate_limit: RateLimitTable;
  wave_data_version: WaveDataVersionTable;
  published_definition: PublishedDefinitionTable;
  definition_draft: DefinitionDraftTable;
  invitation_link: InvitationLinkTable;
  mail_outbox: MailOutboxTable;
  mail_template: MailTemplateTable;
  privacy_notice: PrivacyNoticeTable;
  wave_retention: WaveRetentionTable;
}

/**
 * Anonymous store: part two answers and nothing else. No respondent id, token, address or time:
 * the only columns are a random key, the wave and the answers.
 */
export interface PartTwoResponseTable {
  id: string;
  wave_id: string;
  answers: string;
}

/**
 * A part-two pass: issued (by the hash of its random code) when a council submits part one, holding the
 * draft while part two is answered, and spent, its draft erased, once part two is submitted.
 */
export interface PartTwoPassTable {
  credential_hash: string;
  wave_id: string;
  /** 1 once part two has been submitted with this pass. */
  spent: number;
  /** The draft: the section to resume at and the answers so far; null when there is none. */
  section: string | null;
  answers: string | null;
}

export interface AnonymousDatabase {
  part_two_response: PartTwoResponseTable;
  part_two_pass: PartTwoPassTable;
  wave_data_version: WaveDataVersionTable;
}
