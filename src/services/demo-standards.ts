import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db } from '../db/database.js';
import { listOrganisationsAt } from '../db/organisation.repository.js';
import {
  insertDeclarationsInBulk,
  insertStandard,
  markStandardPublished,
  type LoadedDeclaration,
} from '../db/standard.repository.js';
import { systemActor } from '../domain/audit.js';
import { addDays, formatLongDate, type IsoDate } from '../domain/iso-date.js';
import type { PlanAction, Standard } from '../domain/standard.js';
import { seededRandom } from './demo-plan.js';

/**
 * The demo's comply-or-explain register: four plausible best-practice standards, published, with
 * declarations from the demo's trusts and from the ICBs in every position — complies, explains with a
 * dated plan, declared but not yet published, revised, and not declared (overdue for the three whose
 * declarations were due). Every text says it is demo content. Deterministic for the day it is loaded.
 */

interface DemoStandard extends Standard {
  /** Days before today the standard took effect, and from then until declarations were due. */
  effectiveDaysAgo: number;
  dueAfterDays: number;
  /** Shares of boards that comply and explain (the rest have not declared), and of those published. */
  comply: number;
  explain: number;
  published: number;
  explanations: string[];
  actions: Array<Omit<PlanAction, 'due'>>;
}

const demoStandards: DemoStandard[] = [
  {
    code: 'well-led-board',
    title: 'Well-led board self-assessment',
    owner: 'NHS England, Board governance (demo)',
    summary:
      'Demo standard. Each board assesses itself against the well-led framework every year, and commissions an external developmental review at least every three years.',
    organisationKinds: ['nhs-trust', 'icb'],
    evidenceAsked:
      'The self-assessment, the board minute approving it, and the date of the last external review',
    effectiveFrom: '',
    declarationsDue: '',
    effectiveDaysAgo: 240,
    dueAfterDays: 120,
    comply: 0.62,
    explain: 0.24,
    published: 0.85,
    explanations: [
      'Our external well-led review was postponed when the chair changed; the self-assessment is complete. (Demo)',
      'The board has three new non-executive directors and will complete its self-assessment after their induction. (Demo)',
      'The review found gaps in board assurance on quality; the action plan is not yet signed off. (Demo)',
    ],
    actions: [
      { description: 'Commission the external developmental review', owner: 'Trust secretary' },
      { description: 'Board development session on the well-led findings', owner: 'Chair' },
      { description: 'Report progress on the action plan to the public board', owner: 'Chief executive' },
    ],
  },
  {
    code: 'freedom-to-speak-up',
    title: 'Freedom to Speak Up: board self-review',
    owner: 'National Guardian’s Office and NHS England (demo)',
    summary:
      'Demo standard. The board completes the Freedom to Speak Up self-reflection tool, has a guardian with ring-fenced time, and hears a guardian report at least twice a year.',
    organisationKinds: ['nhs-trust', 'icb'],
    evidenceAsked:
      'The completed self-reflection tool and the dates of the last two guardian reports to the board',
    effectiveFrom: '',
    declarationsDue: '',
    effectiveDaysAgo: 180,
    dueAfterDays: 90,
    comply: 0.55,
    explain: 0.3,
    published: 0.7,
    explanations: [
      'Our guardian post has been vacant since the spring; an interim guardian covers two days a week. (Demo)',
      'The board has heard one guardian report this year; the second is scheduled. (Demo)',
      'Staff survey results show low confidence in speaking up in two directorates. (Demo)',
    ],
    actions: [
      { description: 'Appoint a substantive Freedom to Speak Up guardian', owner: 'Chief people officer' },
      { description: 'Schedule the guardian’s report to the public board', owner: 'Trust secretary' },
      { description: 'Speaking-up listening events in the two directorates', owner: 'Chief nurse' },
    ],
  },
  {
    code: 'psirf',
    title: 'Patient Safety Incident Response Framework',
    owner: 'NHS England, National patient safety team (demo)',
    summary:
      'Demo standard. The organisation has a patient safety incident response policy and plan approved by its board, and involves patients and families in every learning response.',
    organisationKinds: ['nhs-trust', 'icb'],
    evidenceAsked: 'The approved policy and plan, with the board minute and the date of ICB sign-off',
    effectiveFrom: '',
    declarationsDue: '',
    effectiveDaysAgo: 120,
    dueAfterDays: 60,
    comply: 0.48,
    explain: 0.27,
    published: 0.4,
    explanations: [
      'Our response plan is approved but engagement with patients and families is not yet consistent. (Demo)',
      'The ICB has not yet signed off our revised plan. (Demo)',
      'Training for learning-response leads is incomplete. (Demo)',
    ],
    actions: [
      {
        description: 'Train learning-response leads to the national syllabus',
        owner: 'Director of patient safety',
      },
      { description: 'Agree the revised plan with the ICB', owner: 'Chief medical officer' },
      { description: 'Appoint patient safety partners', owner: 'Chief nurse' },
    ],
  },
  {
    code: 'learning-from-deaths',
    title: 'Learning from deaths',
    owner: 'NHS England, National medical director (demo)',
    summary:
      'Demo standard. The board receives a quarterly learning from deaths report, and every death in scope is reviewed by a medical examiner.',
    organisationKinds: ['nhs-trust'],
    evidenceAsked: 'The last two quarterly learning from deaths reports to the board',
    effectiveFrom: '',
    declarationsDue: '',
    effectiveDaysAgo: 30,
    dueAfterDays: 90,
    comply: 0.25,
    explain: 0.1,
    published: 0,
    explanations: [
      'Medical examiner coverage is not yet seven days a week. (Demo)',
      'The quarterly report to the board was paused during the electronic patient record change. (Demo)',
    ],
    actions: [
      { description: 'Extend medical examiner cover to weekends', owner: 'Medical director' },
      { description: 'Restart the quarterly report to the board', owner: 'Trust secretary' },
    ],
  },
];

const demoDeclarer = 'Board secretary (demo)';

/** The demo's standards records; returns how many were added (standards and declarations). */
export async function loadDemoStandards(db: Db, today: IsoDate): Promise<number> {
  const random = seededRandom(2026_09);
  return db.transaction().execute(async (trx) => {
    const open = await listOrganisationsAt(trx, today);
    // The demo's own trusts (codes starting Z) and the real ICBs the demo places them under.
    const trusts = open.filter((o) => o.kind === 'nhs-trust' && o.provenance === 'demo');
    const icbs = open.filter((o) => o.kind === 'icb');
    // Declarations are published in the last round of publication, this morning.
    const publishedAt = new Date(`${today}T08:00:00Z`);
    let added = 0;
    let declarations = 0;
    for (const [n, demo] of demoStandards.entries()) {
      const effectiveFrom = addDays(today, -demo.effectiveDaysAgo);
      const declarationsDue = addDays(effectiveFrom, demo.dueAfterDays);
      const {
        effectiveDaysAgo: _a,
        dueAfterDays: _d,
        comply,
        explain,
        published,
        explanations,
        actions,
        ...rest
      } = demo;
      const standard: Standard = { ...rest, effectiveFrom, declarationsDue };
      const id = await insertStandard(trx, standard, 'NHS Oversight demo');
      await markStandardPublished(trx, id, new Date(`${addDays(effectiveFrom, -14)}T09:00:00Z`));
      added += 1;
      const bodies = [...trusts, ...(demo.organisationKinds.includes('icb') ? icbs : [])];
      const loaded: LoadedDeclaration[] = [];
      for (const [i, body] of bodies.entries()) {
        const roll = random();
        if (roll >= comply + explain) continue;
        // Declared some time between the standard taking effect and today, most before the due date.
        const span = Math.max(1, Math.min(demo.dueAfterDays + 20, demo.effectiveDaysAgo - 1));
        const declaredOn = addDays(effectiveFrom, 1 + Math.floor(random() * span));
        const at = new Date(`${declaredOn}T${String(10 + (i % 7)).padStart(2, '0')}:15:00Z`);
        const explainVersion = {
          position: 'explain' as const,
          evidence: null,
          explanation: explanations[(i + n) % explanations.length] ?? '',
          plan: actions.slice(0, 1 + ((i + n) % 2)).map((a, k) => ({
            ...a,
            due: addDays(today, 30 + 45 * k + ((i * 7) % 60)),
          })),
          declaredBy: demoDeclarer,
          at,
        };
        const complyVersion = (when: Date) => ({
          position: 'comply' as const,
          evidence: `${demo.evidenceAsked.split(',')[0]}: approved at the public board meeting on ${formatLongDate(when.toISOString().slice(0, 10))}. (Demo)`,
          explanation: null,
          plan: null,
          declaredBy: demoDeclarer,
          at: when,
        });
        // A few boards explained first and, having acted on their plan, now comply: both versions are kept.
        const later = new Date(at.getTime() + 40 * 86_400_000);
        const revised = roll < comply && i % 9 === 4 && later.getTime() < Date.parse(`${today}T00:00:00Z`);
        const versions = revised
          ? [explainVersion, complyVersion(later)]
          : [roll < comply ? complyVersion(at) : explainVersion];
        const isPublished = random() < published;
        loaded.push({
          organisationId: body.id,
          versions,
          publishedVersion: isPublished ? versions.length : null,
          publishedAt: isPublished ? publishedAt : null,
        });
      }
      declarations += await insertDeclarationsInBulk(trx, id, loaded);
    }
    await appendAuditEvents(trx, systemActor, [
      {
        action: 'demo.standards',
        recordType: 'dataset',
        recordId: 'demo-standards',
        before: null,
        after: { standards: added, declarations },
      },
    ]);
    return added + declarations;
  });
}
