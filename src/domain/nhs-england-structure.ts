import type { IsoDate } from './iso-date.js';

/**
 * NHS England's regional and system structure: public facts the project carries as seed data.
 * The reference history begins on 1 April 2016 (the first month of the published A&E series the project
 * imports), with the five regions the seeds name; earlier regional changes are out of scope.
 * See docs/decisions/0004-reference-structure.md for the simplifications made here.
 */

export const referenceHistoryStart: IsoDate = '2016-04-01';

/** NHS England: the root of the hierarchy. */
export const nationalBody = { code: 'X24', name: 'NHS England', validFrom: '2013-04-01' as IsoDate };

/** 1 April 2019: five regions became the seven integrated NHS England and NHS Improvement regions. */
export const sevenRegionsDate: IsoDate = '2019-04-01';

/** 1 July 2022: integrated care boards (ICBs) replaced STPs/ICSs and took over from CCGs. */
export const icbEstablishmentDate: IsoDate = '2022-07-01';

export interface ReferenceRegion {
  code: string;
  name: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  /** For the regions that closed in 2019: the regions that succeeded them. */
  successorCodes: string[];
}

export const referenceRegions: ReferenceRegion[] = [
  {
    code: 'Y54',
    name: 'North of England',
    validFrom: referenceHistoryStart,
    validTo: sevenRegionsDate,
    successorCodes: ['Y62', 'Y63'],
  },
  {
    code: 'Y55',
    name: 'Midlands and East of England',
    validFrom: referenceHistoryStart,
    validTo: sevenRegionsDate,
    successorCodes: ['Y60', 'Y61'],
  },
  { code: 'Y56', name: 'London', validFrom: referenceHistoryStart, validTo: null, successorCodes: [] },
  { code: 'Y58', name: 'South West', validFrom: referenceHistoryStart, validTo: null, successorCodes: [] },
  { code: 'Y59', name: 'South East', validFrom: referenceHistoryStart, validTo: null, successorCodes: [] },
  { code: 'Y60', name: 'Midlands', validFrom: sevenRegionsDate, validTo: null, successorCodes: [] },
  { code: 'Y61', name: 'East of England', validFrom: sevenRegionsDate, validTo: null, successorCodes: [] },
  { code: 'Y62', name: 'North West', validFrom: sevenRegionsDate, validTo: null, successorCodes: [] },
  {
    code: 'Y63',
    name: 'North East and Yorkshire',
    validFrom: sevenRegionsDate,
    validTo: null,
    successorCodes: [],
  },
];

/** Which of the five earlier regions each of the seven regions' systems belonged to before 1 April 2019. */
export const regionBefore2019: Record<string, string> = {
  Y56: 'Y56',
  Y58: 'Y58',
  Y59: 'Y59',
  Y60: 'Y55',
  Y61: 'Y55',
  Y62: 'Y54',
  Y63: 'Y54',
};

export interface ReferenceSystem {
  /** ODS code, kept by the ICB from the STP/ICS it replaced. */
  code: string;
  /** Region from 1 April 2019. */
  regionCode: string;
  /** Statutory ICB name (ONS ICB April 2023 names). */
  name: string;
}

/** The 42 integrated care systems: each an STP/ICS until 30 June 2022 and an ICB from 1 July 2022. */
export const referenceSystems: ReferenceSystem[] = [
  { code: 'QE1', regionCode: 'Y62', name: 'NHS Lancashire and South Cumbria Integrated Care Board' },
  { code: 'QF7', regionCode: 'Y63', name: 'NHS South Yorkshire Integrated Care Board' },
  { code: 'QGH', regionCode: 'Y60', name: 'NHS Herefordshire and Worcestershire Integrated Care Board' },
  { code: 'QH8', regionCode: 'Y61', name: 'NHS Mid and South Essex Integrated Care Board' },
  { code: 'QHG', regionCode: 'Y61', name: 'NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board' },
  { code: 'QHL', regionCode: 'Y60', name: 'NHS Birmingham and Solihull Integrated Care Board' },
  { code: 'QHM', regionCode: 'Y63', name: 'NHS North East and North Cumbria Integrated Care Board' },
  { code: 'QJ2', regionCode: 'Y60', name: 'NHS Derby and Derbyshire Integrated Care Board' },
  { code: 'QJG', regionCode: 'Y61', name: 'NHS Suffolk and North East Essex Integrated Care Board' },
  { code: 'QJK', regionCode: 'Y58', name: 'NHS Devon Integrated Care Board' },
  { code: 'QJM', regionCode: 'Y60', name: 'NHS Lincolnshire Integrated Care Board' },
  { code: 'QK1', regionCode: 'Y60', name: 'NHS Leicester, Leicestershire and Rutland Integrated Care Board' },
  { code: 'QKK', regionCode: 'Y56', name: 'NHS South East London Integrated Care Board' },
  { code: 'QKS', regionCode: 'Y59', name: 'NHS Kent and Medway Integrated Care Board' },
  { code: 'QM7', regionCode: 'Y61', name: 'NHS Hertfordshire and West Essex Integrated Care Board' },
  { code: 'QMF', regionCode: 'Y56', name: 'NHS North East London Integrated Care Board' },
  { code: 'QMJ', regionCode: 'Y56', name: 'NHS North Central London Integrated Care Board' },
  { code: 'QMM', regionCode: 'Y61', name: 'NHS Norfolk and Waveney Integrated Care Board' },
  { code: 'QNC', regionCode: 'Y60', name: 'NHS Staffordshire and Stoke-on-Trent Integrated Care Board' },
  { code: 'QNQ', regionCode: 'Y59', name: 'NHS Frimley Integrated Care Board' },
  { code: 'QNX', regionCode: 'Y59', name: 'NHS Sussex Integrated Care Board' },
  { code: 'QOC', regionCode: 'Y60', name: 'NHS Shropshire, Telford and Wrekin Integrated Care Board' },
  { code: 'QOP', regionCode: 'Y62', name: 'NHS Greater Manchester Integrated Care Board' },
  { code: 'QOQ', regionCode: 'Y63', name: 'NHS Humber and North Yorkshire Integrated Care Board' },
  {
    code: 'QOX',
    regionCode: 'Y58',
    name: 'NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board',
  },
  { code: 'QPM', regionCode: 'Y60', name: 'NHS Northamptonshire Integrated Care Board' },
  { code: 'QR1', regionCode: 'Y58', name: 'NHS Gloucestershire Integrated Care Board' },
  { code: 'QRL', regionCode: 'Y59', name: 'NHS Hampshire and Isle of Wight Integrated Care Board' },
  { code: 'QRV', regionCode: 'Y56', name: 'NHS North West London Integrated Care Board' },
  { code: 'QSL', regionCode: 'Y58', name: 'NHS Somerset Integrated Care Board' },
  { code: 'QT1', regionCode: 'Y60', name: 'NHS Nottingham and Nottinghamshire Integrated Care Board' },
  { code: 'QT6', regionCode: 'Y58', name: 'NHS Cornwall and the Isles of Scilly Integrated Care Board' },
  {
    code: 'QU9',
    regionCode: 'Y59',
    name: 'NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board',
  },
  { code: 'QUA', regionCode: 'Y60', name: 'NHS Black Country Integrated Care Board' },
  { code: 'QUE', regionCode: 'Y61', name: 'NHS Cambridgeshire and Peterborough Integrated Care Board' },
  {
    code: 'QUY',
    regionCode: 'Y58',
    name: 'NHS Bristol, North Somerset and South Gloucestershire Integrated Care Board',
  },
  { code: 'QVV', regionCode: 'Y58', name: 'NHS Dorset Integrated Care Board' },
  { code: 'QWE', regionCode: 'Y56', name: 'NHS South West London Integrated Care Board' },
  { code: 'QWO', regionCode: 'Y63', name: 'NHS West Yorkshire Integrated Care Board' },
  { code: 'QWU', regionCode: 'Y60', name: 'NHS Coventry and Warwickshire Integrated Care Board' },
  { code: 'QXU', regionCode: 'Y59', name: 'NHS Surrey Heartlands Integrated Care Board' },
  { code: 'QYG', regionCode: 'Y62', name: 'NHS Cheshire and Merseyside Integrated Care Board' },
];

/**
 * The name used for a system before it became an ICB. The project has no published list of STP names,
 * so it derives one from the ICB name ("Devon STP/ICS") and docs/decisions/0004 says so.
 */
export function systemNameBeforeIcb(icbName: string): string {
  const area = icbName.replace(/^NHS /, '').replace(/ Integrated Care Board$/, '');
  return `${area} STP/ICS`;
}
