import type { ColumnType, Generated } from 'kysely';

/** Row types of the comply-or-explain tables (migration 0011). */

type Timestamp = ColumnType<Date, Date | string | undefined, never>;
type MutableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface StandardTable {
  id: Generated<number>;
  code: string;
  title: string;
  owner: string;
  summary: ColumnType<string, string | undefined, string>;
  organisation_kinds: ColumnType<string[], string, string>;
  evidence_asked: string;
  effective_from: string;
  declarations_due: string;
  published_at: MutableTimestamp;
  created_at: Timestamp;
  created_by: string;
}

export interface StandardDeclarationTable {
  id: Generated<number>;
  standard_id: number;
  organisation_id: number;
  position: string;
  evidence: string | null;
  explanation: string | null;
  plan: ColumnType<unknown, string | null, string | null>;
  declared_at: ColumnType<Date, Date | string | undefined, Date | string>;
  declared_by: string;
  published_at: MutableTimestamp;
  version: ColumnType<number, number | undefined, number>;
  published_version: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Append-only: every version of a declaration, as the board made it. */
export interface StandardDeclarationVersionTable {
  declaration_id: number;
  version: number;
  position: string;
  evidence: string | null;
  explanation: string | null;
  plan: ColumnType<unknown, string | null, never>;
  declared_at: Timestamp;
  declared_by: string;
}

export interface StandardTables {
  standard: StandardTable;
  standard_declaration: StandardDeclarationTable;
  standard_declaration_version: StandardDeclarationVersionTable;
}
