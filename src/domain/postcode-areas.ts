/**
 * Approximate centres of the UK postcode areas (the letters that start an outward code: "SE" of
 * "SE1 9RT"), rounded to 0.1° of latitude and longitude. Our own table, written for ranking mutual aid
 * by distance without a geocoding service: a centre may be ~20 km from any one address in its area, so
 * distances are approximate and say so. Not a substitute for the ONS Postcode Directory.
 */
// prettier-ignore
export const postcodeAreaCentres: Readonly<Record<string, readonly [number, number]>> = {
  AB: [57.2, -2.4], AL: [51.8, -0.3], B: [52.5, -1.9], BA: [51.3, -2.5], BB: [53.8, -2.4],
  BD: [53.8, -1.8], BH: [50.7, -1.9], BL: [53.6, -2.4], BN: [50.9, -0.2], BR: [51.4, 0.0],
  BS: [51.5, -2.6], BT: [54.6, -6.0], CA: [54.7, -3.0], CB: [52.2, 0.2], CF: [51.5, -3.3],
  CH: [53.2, -2.9], CM: [51.8, 0.5], CO: [51.9, 0.9], CR: [51.4, -0.1], CT: [51.3, 1.1],
  CV: [52.4, -1.5], CW: [53.1, -2.5], DA: [51.4, 0.2], DD: [56.5, -2.9], DE: [52.9, -1.5],
  DG: [55.1, -3.8], DH: [54.8, -1.6], DL: [54.5, -1.7], DN: [53.5, -1.0], DT: [50.7, -2.5],
  DY: [52.4, -2.1], E: [51.5, 0.0], EC: [51.5, -0.1], EH: [55.9, -3.2], EN: [51.7, -0.1],
  EX: [50.8, -3.6], FK: [56.1, -3.9], FY: [53.8, -3.0], G: [55.9, -4.3], GL: [51.8, -2.2],
  GU: [51.2, -0.7], GY: [49.5, -2.6], HA: [51.6, -0.3], HD: [53.6, -1.8], HG: [54.0, -1.5],
  HP: [51.7, -0.7], HR: [52.1, -2.8], HS: [57.8, -7.0], HU: [53.8, -0.4], HX: [53.7, -1.9],
  IG: [51.6, 0.1], IM: [54.2, -4.5], IP: [52.2, 1.2], IV: [57.5, -4.5], JE: [49.2, -2.1],
  KA: [55.6, -4.5], KT: [51.4, -0.3], KW: [58.9, -3.1], KY: [56.2, -3.1], L: [53.4, -2.9],
  LA: [54.1, -2.8], LD: [52.2, -3.4], LE: [52.6, -1.1], LL: [53.0, -3.8], LN: [53.2, -0.5],
  LS: [53.8, -1.5], LU: [51.9, -0.4], M: [53.5, -2.2], ME: [51.3, 0.5], MK: [52.0, -0.8],
  ML: [55.8, -3.9], N: [51.6, -0.1], NE: [55.0, -1.6], NG: [53.0, -1.1], NN: [52.3, -0.9],
  NP: [51.6, -3.0], NR: [52.6, 1.3], NW: [51.6, -0.2], OL: [53.6, -2.1], OX: [51.8, -1.3],
  PA: [55.8, -4.6], PE: [52.6, -0.2], PH: [56.5, -3.7], PL: [50.4, -4.3], PO: [50.8, -1.1],
  PR: [53.8, -2.7], RG: [51.4, -1.0], RH: [51.1, -0.2], RM: [51.6, 0.2], S: [53.4, -1.4],
  SA: [51.7, -4.1], SE: [51.5, 0.0], SG: [51.9, -0.2], SK: [53.4, -2.1], SL: [51.5, -0.6],
  SM: [51.4, -0.2], SN: [51.5, -1.8], SO: [50.9, -1.4], SP: [51.1, -1.8], SR: [54.9, -1.4],
  SS: [51.6, 0.6], ST: [52.9, -2.1], SW: [51.5, -0.2], SY: [52.7, -2.9], TA: [51.0, -3.1],
  TD: [55.6, -2.7], TF: [52.7, -2.5], TN: [51.1, 0.3], TQ: [50.4, -3.6], TR: [50.2, -5.2],
  TS: [54.6, -1.2], TW: [51.4, -0.4], UB: [51.5, -0.4], W: [51.5, -0.2], WA: [53.4, -2.6],
  WC: [51.5, -0.1], WD: [51.7, -0.4], WF: [53.7, -1.4], WN: [53.5, -2.6], WR: [52.2, -2.2],
  WS: [52.6, -2.0], WV: [52.6, -2.2], YO: [54.0, -1.0], ZE: [60.3, -1.3],
};

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** The postcode area of a postcode ("sr4 7tp" → "SR"), or null when it does not look like one. */
export function postcodeArea(postcode: string | null | undefined): string | null {
  if (!postcode) return null;
  const match = /^\s*([A-Za-z]{1,2})\d/.exec(postcode);
  return match?.[1] ? match[1].toUpperCase() : null;
}

/** The approximate centre of the postcode's area, or null when the postcode or its area is unknown. */
export function approximateLocation(postcode: string | null | undefined): Coordinates | null {
  const area = postcodeArea(postcode);
  const centre = area ? postcodeAreaCentres[area] : undefined;
  return centre ? { latitude: centre[0], longitude: centre[1] } : null;
}

const earthRadiusKm = 6371;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle (haversine) distance in kilometres. */
export function greatCircleKm(a: Coordinates, b: Coordinates): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}
