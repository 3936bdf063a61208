import type { ColumnType, Generated } from 'kysely';

/** Row types of the governance tables (migration 0012). */

type Timestamp = ColumnType<Date, Date | string | undefined, never>;
/** Set once, from null (a trigger refuses any other change). */
type SetOnceTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string>;

export interface GovernanceBodyTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  scope_organisation_id: number;
  purpose: string;
  created_at: Timestamp;
}

export interface GovernanceMembershipTable {
  id: Generated<number>;
  body_id: number;
  person_name: string;
  position: string;
  organisation_id: number | null;
  sector: string | null;
  valid_from: string;
  valid_to: ColumnType<string | null, string | null | undefined, string>;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface GovernanceMeetingTable {
  id: Generated<number>;
  body_id: number;
  meets_on: string;
  title: string;
  status: string;
  location: string;
  created_at: Timestamp;
  created_by: string;
}

export interface GovernancePaperTable {
  id: Generated<number>;
  meeting_id: number;
  title: string;
  author: string;
  summary: string;
  published_at: SetOnceTimestamp;
  created_at: Timestamp;
  created_by: string;
}

export interface GovernanceDecisionTable {
  id: Generated<number>;
  meeting_id: number;
  text: string;
  programme_id: number | null;
  intervention_id: number | null;
  standard_id: number | null;
  supersedes_id: number | null;
  published_at: SetOnceTimestamp;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface GovernanceActionTable {
  id: Generated<number>;
  decision_id: number;
  description: string;
  owner: string;
  due_on: string;
  completed_on: ColumnType<string | null, string | null | undefined, string>;
  completed_by: ColumnType<string | null, string | null | undefined, string>;
  created_at: Timestamp;
  created_by: string;
}

export interface GovernanceTables {
  governance_body: GovernanceBodyTable;
  governance_membership: GovernanceMembershipTable;
  governance_meeting: GovernanceMeetingTable;
  governance_paper: GovernancePaperTable;
  governance_decision: GovernanceDecisionTable;
  governance_action: GovernanceActionTable;
}
