import type { IsoDate } from './iso-date.js';

/**
 * Where each reporting code counts in the hierarchy over time. On any date a code stands for its
 * representatives: itself, if it is an organisation that exists that day; otherwise the organisations
 * reached by following its ODS successors that exist that day (so a closed trust's figures count where
 * its successor stood). When its successors did not exist yet (a 2016 figure of a trust merged into one
 * created in 2017), it is placed where its successor was first placed, at the nearest level that
 * existed that day (the successor's ICB, say). It counts towards each representative and all their
 * ancestors. When a split
 * sends its representatives to different aggregates, the placement in an aggregate that holds only some
 * of them is partial: figures are not apportioned, so partial placements are left out of sums and
 * reported as unplaced.
 */

export interface PlacementOrganisation {
  id: number;
  odsCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export interface PlacementLink {
  organisationId: number;
  parentId: number;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export interface Placement {
  codeId: number;
  aggregateId: number;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  partial: boolean;
  viaSuccession: boolean;
}

export interface PlacementInput {
  organisations: PlacementOrganisation[];
  links: PlacementLink[];
  /** Predecessor code → successor codes (dates are not needed to place figures). */
  successors: Map<string, string[]>;
  codes: Array<{ id: number; odsCode: string }>;
  /** Placements start here; earlier changes are folded into this date's picture. */
  from: IsoDate;
}

function holdsOn(validFrom: IsoDate, validTo: IsoDate | null, date: IsoDate): boolean {
  return validFrom <= date && (validTo === null || validTo > date);
}

export function computePlacements(input: PlacementInput): Placement[] {
  const breakpoints = new Set<IsoDate>([input.from]);
  for (const o of input.organisations) {
    for (const d of [o.validFrom, o.validTo]) if (d && d > input.from) breakpoints.add(d);
  }
  for (const l of input.links) {
    for (const d of [l.validFrom, l.validTo]) if (d && d > input.from) breakpoints.add(d);
  }
  const dates = [...breakpoints].sort();
  const byCode = new Map(input.organisations.map((o) => [o.odsCode, o]));
  const byId = new Map(input.organisations.map((o) => [o.id, o]));

  // The ancestors of an organisation on its first day, nearest first (for placing its predecessors' earlier figures).
  const firstPathMemo = new Map<number, number[]>();
  const firstPath = (organisation: PlacementOrganisation): number[] => {
    const known = firstPathMemo.get(organisation.id);
    if (known) return known;
    const path: number[] = [];
    const seen = new Set<number>([organisation.id]);
    let current = organisation.id;
    for (;;) {
      const date = byId.get(current)?.validFrom ?? organisation.validFrom;
      const day = date > organisation.validFrom ? date : organisation.validFrom;
      const link = input.links.find(
        (l) => l.organisationId === current && holdsOn(l.validFrom, l.validTo, day),
      );
      if (!link || seen.has(link.parentId)) break;
      seen.add(link.parentId);
      path.push(link.parentId);
      current = link.parentId;
    }
    firstPathMemo.set(organisation.id, path);
    return path;
  };

  const placements: Placement[] = [];
  const open = new Map<
    string,
    { codeId: number; aggregateId: number; from: IsoDate; partial: boolean; via: boolean }
  >();
  const close = (key: string, date: IsoDate | null) => {
    const entry = open.get(key);
    if (!entry) return;
    placements.push({
      codeId: entry.codeId,
      aggregateId: entry.aggregateId,
      validFrom: entry.from,
      validTo: date,
      partial: entry.partial,
      viaSuccession: entry.via,
    });
    open.delete(key);
  };

  for (const date of dates) {
    const parentOf = new Map<number, number>();
    for (const link of input.links) {
      if (holdsOn(link.validFrom, link.validTo, date)) parentOf.set(link.organisationId, link.parentId);
    }
    const ancestorsMemo = new Map<number, number[]>();
    const ancestors = (id: number): number[] => {
      const known = ancestorsMemo.get(id);
      if (known) return known;
      const chain: number[] = [];
      const seen = new Set<number>();
      for (
        let current: number | undefined = id;
        current !== undefined && !seen.has(current);
        current = parentOf.get(current)
      ) {
        seen.add(current);
        chain.push(current);
      }
      ancestorsMemo.set(id, chain);
      return chain;
    };
    const existsOn = (code: string): PlacementOrganisation | undefined => {
      const organisation = byCode.get(code);
      return organisation && holdsOn(organisation.validFrom, organisation.validTo, date)
        ? organisation
        : undefined;
    };
    /** The organisations a code counts under on this date (ids), and whether that is through successors. */
    const representatives = (code: string): number[] => {
      const self = existsOn(code);
      if (self) return [self.id];
      const found = new Set<number>();
      const notYetOpen: PlacementOrganisation[] = [];
      const seen = new Set<string>([code]);
      const queue = [code];
      while (queue.length > 0) {
        const current = queue.shift() as string;
        for (const next of input.successors.get(current) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          const organisation = existsOn(next);
          if (organisation) found.add(organisation.id);
          else {
            const later = byCode.get(next);
            if (later && later.validFrom > date) notYetOpen.push(later);
            queue.push(next);
          }
        }
      }
      if (found.size === 0) {
        for (const successor of notYetOpen) {
          const anchor = firstPath(successor).find((id) => {
            const organisation = byId.get(id);
            return organisation !== undefined && holdsOn(organisation.validFrom, organisation.validTo, date);
          });
          if (anchor !== undefined) found.add(anchor);
        }
      }
      return [...found];
    };

    const current = new Map<
      string,
      { codeId: number; aggregateId: number; partial: boolean; via: boolean }
    >();
    for (const code of input.codes) {
      const reps = representatives(code.odsCode);
      if (reps.length === 0) continue;
      const via = reps.length !== 1 || byId.get(reps[0] ?? -1)?.odsCode !== code.odsCode;
      const counts = new Map<number, number>();
      for (const rep of reps)
        for (const aggregate of ancestors(rep)) counts.set(aggregate, (counts.get(aggregate) ?? 0) + 1);
      for (const [aggregateId, count] of counts) {
        current.set(`${code.id}:${aggregateId}`, {
          codeId: code.id,
          aggregateId,
          partial: count < reps.length,
          via,
        });
      }
    }
    for (const [key, entry] of open) {
      const now = current.get(key);
      if (!now || now.partial !== entry.partial || now.via !== entry.via) close(key, date);
    }
    for (const [key, entry] of current) {
      if (!open.has(key)) open.set(key, { ...entry, from: date });
    }
  }
  for (const key of [...open.keys()]) close(key, null);
  return placements;
}
