import type { ColumnType, Generated } from 'kysely';

/** A timestamp the database sets by default and a later step may set (agreement, the last change). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Row types of the mutual aid tables (migration 0013). */

export interface AidRequestTable {
  id: Generated<number>;
  organisation_id: number;
  kind: string;
  detail: string;
  unit: string;
  quantity: number;
  needed_from: string;
  needed_to: string;
  urgency: string;
  reason: string;
  intervention_id: number | null;
  signal_metric: string | null;
  signal_period: string | null;
  status: string;
  status_reason: string | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
}

export interface AidOfferTable {
  id: Generated<number>;
  organisation_id: number;
  kind: string;
  detail: string;
  unit: string;
  quantity: number;
  available_from: string;
  available_to: string;
  notes: Generated<string>;
  status: string;
  status_reason: string | null;
  created_at: Timestamp;
  created_by: string;
}

export interface AidMatchTable {
  id: Generated<number>;
  request_id: number;
  offer_id: number | null;
  provider_id: number;
  quantity: number;
  status: string;
  requester_agreed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  requester_agreed_by: string | null;
  provider_agreed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  provider_agreed_by: string | null;
  delivered: Generated<number>;
  proposed_at: Timestamp;
  proposed_by: string;
}

export interface AidEventTable {
  id: Generated<number>;
  request_id: number | null;
  offer_id: number | null;
  match_id: number | null;
  step: string;
  from_status: string | null;
  to_status: string | null;
  quantity: number | null;
  note: string | null;
  occurred_at: Timestamp;
  actor_label: string;
}

export interface MutualAidTables {
  aid_request: AidRequestTable;
  aid_offer: AidOfferTable;
  aid_match: AidMatchTable;
  aid_event: AidEventTable;
}
