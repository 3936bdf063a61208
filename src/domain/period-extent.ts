import type { IsoDate } from './iso-date.js';

/** The first and last period seen for each key (a data item), gathered while rows stream past. */
export class PeriodExtents<K> {
  private readonly extents = new Map<K, { first: IsoDate; last: IsoDate }>();

  add(key: K, period: IsoDate): void {
    const extent = this.extents.get(key);
    if (!extent) this.extents.set(key, { first: period, last: period });
    else if (period < extent.first) extent.first = period;
    else if (period > extent.last) extent.last = period;
  }

  entries(): Array<[K, { first: IsoDate; last: IsoDate }]> {
    return [...this.extents];
  }
}
