import type { SuccessionType } from './hierarchy-event.js';
import type { TrustSector } from './organisation.js';

/** The rows of the ODS reference files, as the import parsers hand them to the import service. */

export interface RegionRow {
  line: number;
  code: string;
  name: string;
}
export interface IcbRow {
  line: number;
  code: string;
  name: string;
  regionCode: string;
}
export interface TrustRow {
  line: number;
  code: string;
  name: string;
  regionCode: string;
  icbCode: string;
  postcode: string | null;
  openDate: string;
  closeDate: string | null;
  /** Stated in the file (optional `sector` column), or null to derive from the name. */
  sector: TrustSector | null;
}
export interface SuccessorRow {
  line: number;
  predecessorCode: string;
  successorCode: string;
  effectiveDate: string;
  /** Null when the file does not classify the succession (the raw ODS file never does). */
  type: SuccessionType | null;
  isSplit: boolean | null;
}

export type OdsFile =
  | { kind: 'regions'; label: string; rows: RegionRow[] }
  | { kind: 'icbs'; label: string; rows: IcbRow[] }
  | { kind: 'trusts'; label: string; rows: TrustRow[] }
  | { kind: 'successors'; label: string; rows: SuccessorRow[] };
