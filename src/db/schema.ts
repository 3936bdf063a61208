import type { ColumnType, Generated } from 'kysely';

/** Row types of the database, as Kysely sees them. Rows never leave db/ unmapped. */

type Timestamp = ColumnType<Date, Date | string | undefined, never>;

export interface HierarchyEventTable {
  id: Generated<number>;
  event_type: string;
  effective_date: string;
  reason: string;
  source: string;
  details: ColumnType<Record<string, unknown>, string, never>;
  recorded_at: Timestamp;
}

export interface OrganisationTable {
  id: Generated<number>;
  ods_code: string;
  valid_from: string;
  valid_to: string | null;
  provenance: string;
  recorded_at: Timestamp;
}

export interface OrganisationVersionTable {
  id: Generated<number>;
  organisation_id: number;
  valid_from: string;
  valid_to: string | null;
  name: string;
  kind: string;
  sector: string | null;
  postcode: string | null;
  event_id: number;
}

export interface OrganisationParentTable {
  id: Generated<number>;
  organisation_id: number;
  parent_id: number;
  valid_from: string;
  valid_to: string | null;
  event_id: number;
}

export interface OrganisationRoleTable {
  id: Generated<number>;
  organisation_id: number;
  role: string;
  holder_name: string;
  valid_from: string;
  valid_to: string | null;
  event_id: number;
}

export interface HierarchyEventParticipantTable {
  event_id: number;
  organisation_id: number;
  role: string;
}

export interface OrganisationSuccessionTable {
  id: Generated<number>;
  predecessor_code: string;
  successor_code: string;
  effective_date: string;
  succession_type: string;
  is_split: boolean;
  source: string;
  event_id: number | null;
  recorded_at: Timestamp;
}

export interface DatasetMarkerTable {
  key: string;
  details: ColumnType<Record<string, unknown>, string, string>;
  recorded_at: Timestamp;
}

export interface Database {
  hierarchy_event: HierarchyEventTable;
  organisation: OrganisationTable;
  organisation_version: OrganisationVersionTable;
  organisation_parent: OrganisationParentTable;
  organisation_role: OrganisationRoleTable;
  hierarchy_event_participant: HierarchyEventParticipantTable;
  organisation_succession: OrganisationSuccessionTable;
  dataset_marker: DatasetMarkerTable;
}
