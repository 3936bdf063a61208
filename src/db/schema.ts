import type { ColumnType, Generated } from 'kysely';
import type { GovernanceTables } from './schema-governance.js';
import type { MutualAidTables } from './schema-mutual-aid.js';
import type { StandardTables } from './schema-standards.js';

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

export interface DataItemTable {
  id: Generated<number>;
  code: string;
  name: string;
  description: string;
  unit: string;
  temporal_aggregation: string;
  source: string;
  recorded_at: Timestamp;
}

export interface MetricTable {
  id: Generated<number>;
  code: string;
  name: string;
  description: string;
  unit: string;
  domain: string;
  polarity: string;
  frequency: string;
  source: string;
  caveat: string | null;
  recorded_at: Timestamp;
}

export interface MetricVersionTable {
  id: Generated<number>;
  metric_id: number;
  version: number;
  effective_from: string;
  definition: ColumnType<unknown, string, never>;
  reason: string;
  recorded_at: Timestamp;
}

export interface MetricTargetTable {
  id: Generated<number>;
  metric_id: number;
  kind: string;
  operator: string;
  value: number;
  valid_from: string;
  valid_to: string | null;
  label: string;
  recorded_at: Timestamp;
}

export interface ReportingCodeTable {
  id: Generated<number>;
  ods_code: string;
}

export interface ImportRunTable {
  id: Generated<number>;
  source: string;
  file_name: string;
  sha256: string | null;
  url: string | null;
  provenance: string;
  started_at: ColumnType<Date, Date | string, never>;
  finished_at: Timestamp;
  summary: ColumnType<Record<string, unknown>, string, never>;
}

export interface ObservationTable {
  code_id: number;
  item_id: number;
  period_type: string;
  period_start: string;
  value: number;
  source_id: number;
  is_current: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ObservationExtentTable {
  item_id: number;
  period_type: string;
  first_period: string;
  last_period: string;
}

export interface QuarantinedObservationTable {
  id: Generated<number>;
  ods_code: string;
  org_name: string | null;
  item_id: number;
  period_type: string;
  period_start: string;
  value: number;
  source_id: number;
}

export interface QuarantineResolutionTable {
  id: Generated<number>;
  ods_code: string;
  resolution: string;
  target_code: string;
  rows_released: number;
  reason: string;
  resolved_at: Timestamp;
}

export interface PeerGroupTable {
  id: Generated<number>;
  code: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  recorded_at: Timestamp;
}

export interface PeerGroupMemberTable {
  peer_group_id: number;
  ods_code: string;
}

export interface CodePlacementTable {
  code_id: number;
  aggregate_id: number;
  valid_from: string;
  valid_to: string | null;
  partial: boolean;
  via_succession: boolean;
}

export interface PlacementStateTable {
  id: number;
  stamp: string;
  refreshed_at: Timestamp;
}

export interface MetricRollupTable {
  aggregate_id: number;
  metric_id: number;
  period_start: string;
  numerator: number | null;
  denominator: number | null;
  reported: number;
  partial: number;
}

export interface RollupPendingTable {
  id: Generated<number>;
  metric_id: number;
  period_from: string;
  period_to: string;
}

export interface RollupStateTable {
  id: number;
  definitions_digest: string;
  placement_stamp: string;
  refreshed_at: Timestamp;
}

export interface RollupPlacementTable {
  code_id: number;
  aggregate_id: number;
  valid_from: string;
  valid_to: string | null;
  partial: boolean;
}

/** A timestamp the application sets and may change later (revocation, last use). */
type MutableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  password_hash: string | null;
  is_admin: Generated<boolean>;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  created_at: Timestamp;
  disabled_at: MutableTimestamp;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  revoked_at: MutableTimestamp;
  method: string;
}

export interface OidcSignInTable {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: Timestamp;
}

export interface RoleGrantTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  scope_organisation_id: number | null;
  granted_at: Timestamp;
  granted_by: string;
  revoked_at: MutableTimestamp;
}

export interface FunctionGrantTable {
  id: Generated<number>;
  user_id: number;
  statutory_function: string;
  granted_at: Timestamp;
  granted_by: string;
  revoked_at: MutableTimestamp;
}

export interface MachineTokenTable {
  id: Generated<number>;
  name: string;
  secret_hash: string;
  organisation_id: number;
  templates: string[];
  created_at: Timestamp;
  created_by: string;
  last_used_at: MutableTimestamp;
  revoked_at: MutableTimestamp;
}

export interface SubmissionTable {
  id: Generated<number>;
  template_code: string;
  organisation_id: number;
  period_start: string;
  statutory_function: string | null;
  status: string;
  item_values: ColumnType<Record<string, number>, string, string>;
  created_at: Timestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
  published_at: MutableTimestamp;
  published_version: ColumnType<number | null, number | null | undefined, number | null>;
  version: ColumnType<number, number | undefined, number>;
  accepted_version: ColumnType<number | null, number | null | undefined, number | null>;
  first_submitted_at: MutableTimestamp;
  submitted_at: MutableTimestamp;
  status_reason: ColumnType<string | null, string | null | undefined, string | null>;
  explanations: ColumnType<Record<string, string>, string | undefined, string>;
}

export interface SubmissionVersionTable {
  submission_id: number;
  version: number;
  item_values: ColumnType<Record<string, number | null>, string, never>;
  explanations: ColumnType<Record<string, string>, string, never>;
  warnings: ColumnType<unknown[], string, never>;
  reason: string | null;
  source_format: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
}

export interface SubmissionRequestTable {
  caller: string;
  idempotency_key: string;
  request_sha256: string;
  submission_id: number;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface PlanningRoundTable {
  id: Generated<number>;
  code: string;
  name: string;
  year_start: string;
  guidance: ColumnType<string, string | undefined, string>;
  items: ColumnType<Record<string, string[]>, string, string>;
  opens: string;
  deadline: string;
  closes: string;
  created_at: Timestamp;
  created_by: string;
}

export interface PlanTable {
  id: Generated<number>;
  round_id: number;
  organisation_id: number;
  status: string;
  status_reason: string | null;
  content: ColumnType<unknown, string, string>;
  version: ColumnType<number, number | undefined, number>;
  accepted_version: ColumnType<number | null, number | null | undefined, number | null>;
  first_submitted_at: MutableTimestamp;
  submitted_at: MutableTimestamp;
  created_at: Timestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface PlanVersionTable {
  plan_id: number;
  version: number;
  content: ColumnType<unknown, string, never>;
  reason: string | null;
  source_format: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
}

export interface SystemEnvelopeTable {
  round_id: number;
  organisation_id: number;
  control_total: number;
  activity: ColumnType<unknown, string, string>;
  set_at: ColumnType<Date, Date | string | undefined, Date | string>;
  set_by: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: ColumnType<Date, Date | string, never>;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_type: string;
  record_id: string | null;
  request_id: string | null;
  before_value: ColumnType<unknown, string | null, never>;
  after_value: ColumnType<unknown, string | null, never>;
  previous_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  last_id: number | null;
  last_hash: string;
}

export interface OversightMethodologyTable {
  id: Generated<number>;
  code: string;
  version: number;
  definition: ColumnType<unknown, string, never>;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface SegmentJudgementTable {
  id: Generated<number>;
  methodology_code: string;
  period_start: string;
  organisation_id: number;
  segment: number | null;
  reason: string;
  recorded_at: Timestamp;
  recorded_by: string;
  recorded_by_user_id: number | null;
}

export interface CollectionTemplateTable {
  id: Generated<number>;
  code: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  period_type: string;
  organisation_kinds: ColumnType<string[], string[], string[]>;
  opens_after_days: number;
  soft_deadline_days: number;
  hard_close_days: number;
  active_from: string | null;
  retired_from: string | null;
  created_at: Timestamp;
  created_by: string;
  rules: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface CollectionTemplateItemTable {
  template_id: number;
  item_code: string;
}

export interface FeedTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  source: string;
  url: string;
  interval_hours: number;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  next_run_at: ColumnType<Date, Date | string, Date | string>;
  running_until: MutableTimestamp;
  created_at: Timestamp;
  created_by: string;
}

export interface FeedRunTable {
  id: Generated<number>;
  feed_id: number;
  started_at: ColumnType<Date, Date | string, never>;
  finished_at: ColumnType<Date, Date | string, never>;
  outcome: string;
  message: string;
  problems: ColumnType<unknown[], string, never>;
  import_run_id: number | null;
  sha256: string | null;
  rows_read: number | null;
  values_inserted: number | null;
  values_superseded: number | null;
  quarantined: number | null;
  run_by: string;
}

export interface ProgrammeTable {
  id: Generated<number>;
  code: string;
  name: string;
  sponsor: string;
  national_director: string;
  scope: string;
  stage: string;
  metrics: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
  created_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProgrammeStageChangeTable {
  id: Generated<number>;
  programme_id: number;
  from_stage: string | null;
  to_stage: string;
  reason: string;
  changed_at: Timestamp;
  changed_by: string;
}

export interface ProgrammeContributionTable {
  id: Generated<number>;
  programme_id: number;
  organisation_id: number;
  commitment: string;
  status: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface ProgrammeMilestoneTable {
  id: Generated<number>;
  programme_id: number;
  title: string;
  due: string;
  completed_on: string | null;
  completed_by: string | null;
  created_by: string;
}

export interface ProgrammeReviewTable {
  id: Generated<number>;
  programme_id: number;
  scheduled_for: string;
  held_on: string | null;
  outcome: string | null;
  decision: string | null;
  scheduled_by: string;
  recorded_by: string | null;
}

export interface InterventionTable {
  id: Generated<number>;
  organisation_id: number;
  kind: string;
  title: string;
  owner: string;
  statutory_function: string | null;
  signal_kind: string;
  signal: ColumnType<unknown, string, string>;
  opened_on: string;
  next_review: string;
  exit_criteria: string;
  programme_id: number | null;
  status: string;
  closed_on: string | null;
  exit_reason: string | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InterventionActionTable {
  id: Generated<number>;
  intervention_id: number;
  description: string;
  owner: string;
  due: string;
  done_on: string | null;
}

export interface InterventionReviewTable {
  id: Generated<number>;
  intervention_id: number;
  reviewed_on: string;
  outcome: string;
  next_review: string | null;
  recorded_by: string;
}

export interface Database extends StandardTables, GovernanceTables, MutualAidTables {
  programme: ProgrammeTable;
  programme_stage_change: ProgrammeStageChangeTable;
  programme_contribution: ProgrammeContributionTable;
  programme_milestone: ProgrammeMilestoneTable;
  programme_review: ProgrammeReviewTable;
  intervention: InterventionTable;
  intervention_action: InterventionActionTable;
  intervention_review: InterventionReviewTable;
  collection_template: CollectionTemplateTable;
  collection_template_item: CollectionTemplateItemTable;
  submission_version: SubmissionVersionTable;
  planning_round: PlanningRoundTable;
  plan: PlanTable;
  plan_version: PlanVersionTable;
  system_envelope: SystemEnvelopeTable;
  submission_request: SubmissionRequestTable;
  oversight_methodology: OversightMethodologyTable;
  segment_judgement: SegmentJudgementTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  oidc_sign_in: OidcSignInTable;
  role_grant: RoleGrantTable;
  function_grant: FunctionGrantTable;
  machine_token: MachineTokenTable;
  submission: SubmissionTable;
  audit_event: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  metric_rollup: MetricRollupTable;
  rollup_pending: RollupPendingTable;
  rollup_state: RollupStateTable;
  rollup_placement: RollupPlacementTable;
  data_item: DataItemTable;
  metric: MetricTable;
  metric_version: MetricVersionTable;
  metric_target: MetricTargetTable;
  reporting_code: ReportingCodeTable;
  import_run: ImportRunTable;
  observation: ObservationTable;
  observation_extent: ObservationExtentTable;
  quarantined_observation: QuarantinedObservationTable;
  quarantine_resolution: QuarantineResolutionTable;
  peer_group: PeerGroupTable;
  peer_group_member: PeerGroupMemberTable;
  code_placement: CodePlacementTable;
  placement_state: PlacementStateTable;
  hierarchy_event: HierarchyEventTable;
  organisation: OrganisationTable;
  organisation_version: OrganisationVersionTable;
  organisation_parent: OrganisationParentTable;
  organisation_role: OrganisationRoleTable;
  hierarchy_event_participant: HierarchyEventParticipantTable;
  organisation_succession: OrganisationSuccessionTable;
  dataset_marker: DatasetMarkerTable;
  feed: FeedTable;
  feed_run: FeedRunTable;
}
