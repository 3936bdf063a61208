import { formatPeriod, type PeriodType } from '../../domain/period.js';
import type { ReturnStatus } from '../../domain/return-workflow.js';
import { api, type CollectionTemplateBody } from '../api-client.js';
import { useApi } from '../use-api.js';
import { Tag } from './page-parts.js';

/** The parts every page about returns shares: status tags, period labels and data item names. */

type TagColour = 'grey' | 'blue' | 'aqua-green' | 'green' | 'white' | 'red';

/** One colour and one word per status, everywhere (a returned return is the one that needs action). */
export const returnStatusTags: Record<ReturnStatus | 'not-started', { text: string; colour: TagColour }> = {
  'not-started': { text: 'Not started', colour: 'grey' },
  draft: { text: 'Draft', colour: 'grey' },
  submitted: { text: 'Submitted', colour: 'blue' },
  approved: { text: 'Approved by ICB', colour: 'aqua-green' },
  accepted: { text: 'Accepted', colour: 'green' },
  locked: { text: 'Locked', colour: 'white' },
  returned: { text: 'Returned for correction', colour: 'red' },
};

export function ReturnStatusTag({ status }: { status: ReturnStatus | 'not-started' }) {
  const tag = returnStatusTags[status];
  return <Tag colour={tag.colour}>{tag.text}</Tag>;
}

/** "April 2025", "Q1 2025/26" or "2025/26", by the template's period type (months when unknown). */
export function returnPeriodLabel(periodType: PeriodType | undefined, start: string): string {
  return formatPeriod({ type: periodType ?? 'month', start });
}

/** The collection templates, by code, for names and period types (an empty map until they load). */
export function useTemplatesByCode(): Map<string, CollectionTemplateBody> {
  const templates = useApi((signal) => api.templates(signal), []);
  return new Map(
    templates.status === 'ready' ? templates.data.templates.map((t) => [t.code, t] as const) : [],
  );
}

/** Data item names from the metric catalogue; the code itself until it loads (or when not found). */
export function useItemNames(): (code: string) => string {
  const catalogue = useApi((signal) => api.metrics(signal), []);
  const names = new Map(
    catalogue.status === 'ready' ? catalogue.data.items.map((i) => [i.code, i.name] as const) : [],
  );
  return (code) => names.get(code) ?? code;
}

/** A number as the NHS writes it (commas, minus sign), or "Not given" in secondary text for a blank. */
export function ReturnValue({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="app-secondary">Not given</span>;
  return <>{value.toLocaleString('en-GB', { maximumFractionDigits: 6 }).replace(/^-/, '\u2212')}</>;
}

/** "3 May 2026, 14:05" in UK time, from an ISO timestamp. */
export function formatWhen(timestamp: string): string {
  return new Date(timestamp).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London',
  });
}
