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
}

export interface IdentifiableDatabase {
  part_one_response: PartOneResponseTable;
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

export interface AnonymousDatabase {
  part_two_response: PartTwoResponseTable;
}
