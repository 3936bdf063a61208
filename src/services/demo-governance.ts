import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import {
  closeMembership,
  completeAction,
  findBodyByCode,
  findProgrammeByCode,
  insertAction,
  insertDecision,
  insertMeeting,
  insertMembership,
  insertPaper,
  listInterventionLinks,
  listStandardChoices,
  findStandardByCode,
} from '../db/governance.repository.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import { systemActor } from '../domain/audit.js';
import type { MemberPosition, Sector } from '../domain/governance.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';

/**
 * The demo's governance business, every name marked "Demo": members of the NHS Executive Group (its
 * regional directors come from the hierarchy's roles) and the NHS Assembly, a meeting held and one
 * scheduled for each, papers, decisions linked to the seeded programmes and to the demo's interventions and
 * standards when they exist (links to what is missing are skipped), and actions, some overdue. One
 * transaction, audited as one load.
 */

const recordedBy = 'NHS Oversight (demo)';

interface DemoMember {
  name: string;
  position: MemberPosition;
  organisation?: string;
  sector?: Sector;
  from: IsoDate;
  to?: IsoDate;
}

const executiveMembers: DemoMember[] = [
  {
    name: 'Demo Chief Executive, NHS England',
    position: 'co-chair',
    organisation: 'X24',
    from: '2019-04-01',
  },
  {
    name: 'Demo Chief Executive, NHS Improvement',
    position: 'co-chair',
    sector: 'arms-length-body',
    from: '2019-04-01',
  },
  { name: 'Demo National Medical Director', position: 'member', organisation: 'X24', from: '2019-04-01' },
  { name: 'Demo Chief Nursing Officer', position: 'member', organisation: 'X24', from: '2019-04-01' },
  { name: 'Demo Chief Financial Officer', position: 'member', organisation: 'X24', from: '2019-04-01' },
  {
    name: 'Demo National Director of Strategy',
    position: 'member',
    organisation: 'X24',
    from: '2019-04-01',
    to: '2023-04-01',
  },
  {
    name: 'Demo National Director of Strategy and Transformation',
    position: 'member',
    organisation: 'X24',
    from: '2023-04-01',
  },
];

// STP and CCG leaders left when ICBs replaced them on 1 July 2022; ICS leaders took their places.
const assemblyMembers: DemoMember[] = [
  { name: 'Demo Assembly Co-chair (clinical)', position: 'co-chair', sector: 'clinical', from: '2019-04-01' },
  {
    name: 'Demo Assembly Co-chair (voluntary sector)',
    position: 'co-chair',
    sector: 'voluntary-sector',
    from: '2019-04-01',
  },
  { name: 'Demo Royal College Member', position: 'member', sector: 'clinical', from: '2019-04-01' },
  { name: 'Demo Patient Voice Member', position: 'member', sector: 'patient', from: '2019-04-01' },
  { name: 'Demo Patients Association Member', position: 'member', sector: 'patient', from: '2020-01-01' },
  { name: 'Demo Staff Side Member', position: 'member', sector: 'staff', from: '2019-04-01' },
  {
    name: 'Demo Community Charity Member',
    position: 'member',
    sector: 'voluntary-sector',
    from: '2019-04-01',
  },
  {
    name: "Demo Arm's-Length Body Member",
    position: 'member',
    sector: 'arms-length-body',
    from: '2019-04-01',
  },
  { name: 'Demo STP Leader', position: 'member', sector: 'stp', from: '2019-04-01', to: '2022-07-01' },
  {
    name: 'Demo CCG Accountable Officer',
    position: 'member',
    sector: 'ccg',
    from: '2019-04-01',
    to: '2022-07-01',
  },
  { name: 'Demo ICS Leader', position: 'member', sector: 'ics', from: '2019-04-01' },
  { name: 'Demo ICB Chief Executive', position: 'member', sector: 'ics', from: '2022-07-01' },
  { name: 'Demo Trust Chief Executive', position: 'member', sector: 'trust', from: '2019-04-01' },
  {
    name: 'Demo Local Authority Chief Executive',
    position: 'member',
    sector: 'local-authority',
    from: '2019-04-01',
  },
];

async function addMembers(ex: Executor, bodyId: number, members: DemoMember[]): Promise<number> {
  let added = 0;
  for (const m of members) {
    const organisation = m.organisation ? await findOrganisationByCode(ex, m.organisation) : null;
    if (m.organisation && !organisation) continue;
    const id = await insertMembership(ex, {
      bodyId,
      personName: m.name,
      position: m.position,
      organisationId: organisation?.id ?? null,
      sector: m.sector ?? null,
      validFrom: m.from,
      recordedBy,
    });
    if (m.to) await closeMembership(ex, id, m.to);
    added += 1;
  }
  return added;
}

interface DemoDecision {
  text: string;
  programme?: string;
  standard?: boolean;
  intervention?: boolean;
  publish: boolean;
  /** Days after the meeting each action is due; completed (days after the meeting) when given. */
  actions: Array<{ description: string; owner: string; dueAfter: number; completedAfter?: number }>;
}

export async function loadDemoGovernance(db: Db, today: IsoDate): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const executive = await findBodyByCode(trx, 'nhs-executive-group');
    const assembly = await findBodyByCode(trx, 'nhs-assembly');
    const london = await findBodyByCode(trx, 'london-regional-board');
    if (!executive || !assembly) return 0;
    let added = 0;
    added += await addMembers(trx, executive.id, executiveMembers);
    added += await addMembers(trx, assembly.id, assemblyMembers);

    // What the decisions may link to: the seeded programmes by code, the demo's first standard and intervention.
    const [firstStandard] = await listStandardChoices(trx);
    const standard = firstStandard ? await findStandardByCode(trx, firstStandard.code) : null;
    const [intervention] = await listInterventionLinks(trx, 1);

    const meeting = async (
      bodyId: number,
      daysFromToday: number,
      title: string,
      location: string,
      papers: Array<{ title: string; author: string; summary: string; publish: boolean }>,
      decisions: DemoDecision[],
    ) => {
      const meetsOn = addDays(today, daysFromToday);
      const meetingId = await insertMeeting(trx, {
        bodyId,
        meetsOn,
        title,
        status: daysFromToday < 0 ? 'held' : 'scheduled',
        location,
        createdBy: recordedBy,
      });
      added += 1;
      for (const paper of papers) {
        await insertPaper(trx, { meetingId, ...paper, createdBy: recordedBy });
        added += 1;
      }
      for (const d of decisions) {
        const programme = d.programme ? await findProgrammeByCode(trx, d.programme) : null;
        const decisionId = await insertDecision(trx, {
          meetingId,
          text: d.text,
          programmeId: programme?.id ?? null,
          interventionId: d.intervention && intervention ? intervention.id : null,
          standardId: d.standard && standard ? standard.id : null,
          supersedesId: null,
          publish: d.publish,
          recordedBy,
        });
        added += 1;
        for (const a of d.actions) {
          const actionId = await insertAction(trx, {
            decisionId,
            description: a.description,
            owner: a.owner,
            dueOn: addDays(meetsOn, a.dueAfter),
            createdBy: recordedBy,
          });
          if (a.completedAfter !== undefined)
            await completeAction(trx, actionId, addDays(meetsOn, a.completedAfter), recordedBy);
          added += 1;
        }
      }
    };

    await meeting(
      executive.id,
      -35,
      'NHS Executive Group (demo meeting)',
      'Wellington House, London',
      [
        {
          title: 'Cancer recovery: the national position (demo paper)',
          author: 'Demo National Cancer Director',
          summary:
            'Where the 62-day backlog stands in each region, and the trajectory proposed for the year.',
          publish: true,
        },
        {
          title: 'Urgent and emergency care: winter resilience (demo paper)',
          author: 'Demo National Director of Urgent and Emergency Care',
          summary: 'Beds, discharge and ambulance handover plans for the winter, with the risks by region.',
          publish: false,
        },
      ],
      [
        {
          text: 'Adopt the demo cancer recovery trajectory and ask each region to agree its share with its systems.',
          programme: 'cancer',
          publish: true,
          actions: [
            {
              description: 'Send each region its share of the trajectory',
              owner: 'Demo National Cancer Director',
              dueAfter: 14,
            },
            {
              description: 'Report regional agreement to the next Executive Group',
              owner: 'Demo Chief Operating Officer',
              dueAfter: 56,
            },
          ],
        },
        {
          text: 'Agree the winter resilience plan for urgent and emergency care, with the standard on board assurance applied to every acute trust.',
          programme: 'urgent-emergency-care',
          standard: true,
          publish: false,
          actions: [
            {
              description: 'Confirm ambulance handover plans with each region',
              owner: 'Demo National Director of Urgent and Emergency Care',
              dueAfter: 7,
              completedAfter: 5,
            },
            {
              description: 'Publish the winter letter to trusts',
              owner: 'Demo Director of Communications',
              dueAfter: 21,
            },
          ],
        },
        ...(intervention
          ? [
              {
                text: 'Note the intervention opened after the change of segment, and ask the region to report progress against its exit criteria.',
                intervention: true,
                publish: true,
                actions: [
                  {
                    description: 'Report progress against the exit criteria',
                    owner: 'Demo Regional Director of Performance',
                    dueAfter: 28,
                  },
                ],
              },
            ]
          : []),
      ],
    );
    await meeting(executive.id, 21, 'NHS Executive Group (demo meeting)', 'virtual', [], []);
    await meeting(
      assembly.id,
      -60,
      'NHS Assembly (demo meeting)',
      'virtual',
      [
        {
          title: 'Co-designing the NHS 10-year plan (demo paper)',
          author: 'Demo Assembly Secretariat',
          summary: 'How members will be engaged in shaping the plan, and the themes heard so far.',
          publish: true,
        },
      ],
      [
        {
          text: 'Endorse the principles for co-designing the NHS 10-year plan, including digital services that patients can use.',
          programme: 'digital',
          publish: true,
          actions: [
            {
              description: 'Publish a summary of what members said',
              owner: 'Demo Assembly Secretariat',
              dueAfter: 21,
            },
            {
              description: 'Hold sessions with patient and voluntary-sector members',
              owner: 'Demo Patient Voice Member',
              dueAfter: 45,
              completedAfter: 40,
            },
          ],
        },
      ],
    );
    await meeting(assembly.id, 42, 'NHS Assembly (demo meeting)', 'The Kia Oval, London', [], []);
    if (london)
      await meeting(
        london.id,
        -20,
        'London regional board (demo meeting)',
        'virtual',
        [
          {
            title: 'Mental health out-of-area placements in London (demo paper)',
            author: 'Demo London Director of Mental Health',
            summary: 'Out-of-area placements by system, and the beds commissioned to bring people home.',
            publish: false,
          },
        ],
        [
          {
            text: 'Commission additional mental health beds in London to end out-of-area placements.',
            programme: 'mental-health',
            publish: false,
            actions: [
              {
                description: 'Agree bed numbers with each London ICB',
                owner: 'Demo London Director of Commissioning',
                dueAfter: 10,
              },
            ],
          },
        ],
      );

    await appendAuditEvents(trx, systemActor, [
      {
        action: 'demo.governance-load',
        recordType: 'dataset',
        recordId: 'demo-governance',
        before: null,
        after: { records: added },
      },
    ]);
    return added;
  });
}
