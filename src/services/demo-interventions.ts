import type { Db } from '../db/database.js';
import { listExplainedDeclarations } from '../db/intervention.repository.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { addDays, minIsoDate, type IsoDate } from '../domain/iso-date.js';
import { addMonths } from '../domain/period.js';
import { listOrganisationsAt } from '../db/organisation.repository.js';
import { recordIntervention } from './intervention.service.js';
import { listRoundViews } from './planning.service.js';
import { getSegmentation } from './segmentation.service.js';
import { getMetricSpc } from './spc.service.js';

const operator = { principal: null, actor: systemActor };

/**
 * The demo's interventions, each from a signal the demo's own figures show: trusts whose segment worsened
 * in the latest quarter (enhanced oversight leading to the urgent and emergency care programme, one of
 * them under undertakings tagged with the provider-licensing function), a special cause in A&E 4-hour
 * performance, a system plan short of its envelope, and a standard explained rather than met. A signal the
 * generated figures do not show is skipped, never invented.
 */
export async function loadDemoInterventions(db: Db, today: IsoDate): Promise<number> {
  let added = 0;
  const attempt = async (input: Record<string, unknown>) => {
    try {
      await recordIntervention(db, operator, input, today);
      added += 1;
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid-input') return false;
      throw error;
    }
  };
  // An intervention starts once its signal is known, and never after today.
  const base = (start: IsoDate) => {
    const openedOn = minIsoDate(start, today);
    return {
      openedOn,
      nextReview: addDays(openedOn, 91),
      actions: [
        {
          description: 'Agree a recovery plan with the board',
          owner: 'Chief executive',
          due: addDays(openedOn, 28),
        },
        {
          description: 'Report progress to the regional oversight meeting',
          owner: 'Director of strategy',
          due: addDays(openedOn, 84),
        },
      ],
    };
  };

  const segmentation = await getSegmentation(db, {
    methodologyCode: 'nof-2025-26',
    level: 'nhs-trust',
    today,
  });
  const opened = addDays(addMonths(segmentation.period.start, 3), 20);
  const worse = segmentation.rows
    .filter((r) => r.change?.direction === 'worse' && r.segment !== null && r.odsCode.startsWith('Z'))
    .sort((a, b) => a.odsCode.localeCompare(b.odsCode))
    .slice(0, 3);
  for (const [i, row] of worse.entries()) {
    const licensing = i === 2;
    await attempt({
      ...base(opened),
      organisation: row.odsCode,
      kind: licensing ? 'enforcement-undertakings' : 'enhanced-oversight',
      statutoryFunction: licensing ? 'provider-licensing' : null,
      title: licensing
        ? 'Undertakings on board governance and flow'
        : `Recovery support after moving to segment ${row.segment}`,
      owner: licensing ? 'Head of provider licensing (demo)' : 'Regional director of performance (demo)',
      signal: { kind: 'segment-change', methodology: 'nof-2025-26', quarter: segmentation.period.start },
      exitCriteria: `Back to segment ${row.change?.previousSegment ?? 2} or better for two quarters running`,
      programme: licensing ? null : 'urgent-emergency-care',
    });
  }

  // A special cause of concern in A&E 4-hour performance in the last six months of a demo trust's figures.
  const trusts = segmentation.rows.filter((r) => r.odsCode.startsWith('Z')).slice(0, 40);
  for (const trust of trusts) {
    const spc = await getMetricSpc(db, {
      metricCode: 'ae_4h_all',
      aggregate: { kind: 'organisation', odsCode: trust.odsCode },
      periodType: 'month',
      structure: { kind: 'as-at-period' },
      today,
      settings: {},
    });
    if (spc.result.kind !== 'spc') continue;
    const concern = spc.result.points.slice(-6).find((p) => p.pointType === 'special_cause_concern');
    if (!concern) continue;
    const recorded = await attempt({
      ...base(addDays(addMonths(concern.date, 1), 14)),
      organisation: trust.odsCode,
      kind: 'improvement-support',
      title: 'Emergency department flow improvement',
      owner: 'Regional urgent care lead (demo)',
      signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: concern.date },
      exitCriteria: 'Four-hour performance back within its usual limits for three months',
      programme: 'urgent-emergency-care',
    });
    if (recorded) break;
  }

  // A system whose plans fall short of its envelope in the demo's planning round.
  const londonIcbs = (await listOrganisationsAt(db, today))
    .filter((o) => o.kind === 'icb' && o.parentCode === 'Y56')
    .map((o) => o.odsCode)
    .sort();
  search: for (const round of await listRoundViews(db, today))
    for (const icb of londonIcbs) {
      const ok = await attempt({
        ...base(round.deadline <= today ? round.deadline : today),
        organisation: icb,
        kind: 'improvement-support',
        title: 'Financial recovery support for the system plan',
        owner: 'Regional director of finance (demo)',
        signal: { kind: 'plan-gap', round: round.code },
        exitCriteria: 'Plans resubmitted that meet the control total',
      });
      if (ok) break search;
    }

  // A board that explained rather than complied with a standard.
  for (const declaration of await listExplainedDeclarations(db, 3)) {
    const ok = await attempt({
      ...base(today),
      organisation: declaration.odsCode,
      kind: 'improvement-support',
      title: 'Support to adopt the standard',
      owner: 'Regional nursing director (demo)',
      signal: { kind: 'missed-standard', standard: declaration.standardCode },
      exitCriteria: 'A declaration of compliance with evidence, accepted by the region',
    });
    if (ok) break;
  }
  return added;
}
