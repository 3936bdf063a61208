/**
 * Plausible postcodes for the demo's generated trusts, which the generator otherwise leaves without one:
 * the postcode area of the ICB they sit in (our own choice of one area per ICB) with a made-up district
 * and inward code derived from the ODS code, so mutual aid can rank them by distance. Demo only.
 */
// prettier-ignore
const icbPostcodeAreas: Readonly<Record<string, string>> = {
  QE1: 'PR', QF7: 'S', QGH: 'WR', QH8: 'SS', QHG: 'MK', QHL: 'B', QHM: 'NE', QJ2: 'DE', QJG: 'IP',
  QJK: 'EX', QJM: 'LN', QK1: 'LE', QKK: 'SE', QKS: 'ME', QM7: 'AL', QMF: 'E', QMJ: 'N', QMM: 'NR',
  QNC: 'ST', QNQ: 'GU', QNX: 'BN', QOC: 'SY', QOP: 'M', QOQ: 'HU', QOX: 'SN', QPM: 'NN', QR1: 'GL',
  QRL: 'SO', QRV: 'UB', QSL: 'TA', QT1: 'NG', QT6: 'TR', QU9: 'BS', QUA: 'WV', QUE: 'CB', QUY: 'OX',
  QVV: 'DT', QWE: 'SW', QWO: 'LS', QWU: 'CV', QXU: 'KT', QYG: 'L',
};

/** A demo postcode for an organisation opened under an ICB, or null when the parent is not an ICB. */
export function demoPostcode(odsCode: string, parentCode: string): string | null {
  const area = icbPostcodeAreas[parentCode];
  if (!area) return null;
  let hash = 0;
  for (const char of odsCode) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const letters = 'ABDEFGHJLNPQRSTUWXY';
  return `${area}${(hash % 19) + 1} ${hash % 9}${letters[hash % letters.length]}${letters[(hash >>> 5) % letters.length]}`;
}
