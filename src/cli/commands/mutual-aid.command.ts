import type { Command } from 'commander';
import { todayIsoDate } from '../../domain/iso-date.js';
import {
  aidDetailNames,
  aidDetails,
  aidKindLabels,
  aidKinds,
  aidTierLabels,
  aidUnits,
} from '../../domain/mutual-aid.js';
import {
  agreeAidMatch,
  completeAid,
  getAidBoard,
  getAidMatching,
  getAidRequest,
  getCollaborationRecord,
  makeAidOffer,
  proposeAidMatch,
  raiseAidRequest,
  recordAidDelivery,
  startAid,
  withdrawAid,
  withdrawAidMatch,
  withdrawAidOffer,
  type AidCaller,
  type AidRequestView,
} from '../../services/mutual-aid.service.js';
import type { Db } from '../../db/database.js';
import { callerAs } from '../actor.js';
import { actAsOption, parseDateOption, parseOdsCode, parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * Mutual aid from the command line: raise and offer, rank candidates, propose, agree each side, start,
 * record deliveries, complete or withdraw; the regional board and an organisation's collaboration record.
 * Every command acts as a named account (`--as`): mutual aid records are not public, and the access policy
 * decides what that account may see and do.
 */

interface Common {
  as: string;
  json?: boolean;
}

function printRequest(r: AidRequestView): void {
  printLine(`Request ${r.id}: ${r.requester.name} (${r.requester.odsCode}) needs ${r.need}`);
  printLine(
    `  ${r.urgencyLabel}, ${r.neededFrom} to ${r.neededTo}. Status: ${r.statusLabel}${r.statusReason ? ` (${r.statusReason})` : ''}`,
  );
  printLine(
    `  Matched ${r.allocated}, agreed ${r.agreed}, delivered ${r.delivered}, still to find ${r.remaining}`,
  );
  printLine(`  Because: ${r.reason}`);
  if (r.intervention) printLine(`  Supports intervention ${r.intervention.id}: ${r.intervention.title}`);
  if (r.signal) printLine(`  Signal: ${r.signal.metricName}, ${r.signal.period}`);
  if (r.matches.length > 0) {
    printLine();
    printTable(
      r.matches.map((m) => ({
        match: m.id,
        provider: `${m.provider.name} (${m.provider.odsCode})`,
        quantity: m.quantity,
        delivered: m.delivered,
        status: m.statusLabel,
        'requester agreed': m.requesterAgreed?.by ?? null,
        'provider agreed': m.providerAgreed?.by ?? null,
      })),
      ['match', 'provider', 'quantity', 'delivered', 'status', 'requester agreed', 'provider agreed'],
    );
  }
  if (r.youMay.length > 0) printLine(`You may: ${r.youMay.join(', ')}`);
}

export function registerMutualAidCommands(program: Command): void {
  const aid = program
    .command('aid')
    .description(
      'Mutual aid between trusts: requests, offers, matching, agreement, delivery, the regional board',
    );

  const run =
    <O extends Common>(name: string, work: (db: Db, caller: AidCaller, options: O) => Promise<void>) =>
    async (options: O) => {
      try {
        await withDatabase(`oversight aid ${name}`, async ({ handle }) =>
          work(handle.db, await callerAs(handle.db, options.as), options),
        );
      } catch (error) {
        reportError(error, options);
      }
    };
  const showRequest = (json: boolean | undefined, request: AidRequestView) =>
    json ? printJson({ request }) : printRequest(request);

  aid
    .command('kinds')
    .description('What can be asked for: kinds, their details and units')
    .option('--json', 'print one JSON document')
    .action((options: { json?: boolean }) => {
      const kinds = aidKinds.map((kind) => ({
        kind,
        label: aidKindLabels[kind],
        detailName: aidDetailNames[kind],
        details: aidDetails[kind],
        units: aidUnits[kind],
      }));
      if (options.json) return printJson({ kinds });
      for (const k of kinds)
        printLine(
          `${k.kind} (${k.label}), counted in ${k.units.join(' or ')}; ${k.detailName}: ${Object.keys(k.details).join(', ')}`,
        );
    });

  aid
    .command('request')
    .description('Raise a request for aid')
    .requiredOption(...actAsOption)
    .requiredOption('--requester <ods>', 'the trust that needs aid', parseOdsCode)
    .requiredOption('--kind <kind>', `one of ${aidKinds.join(', ')}`)
    .requiredOption(
      '--detail <detail>',
      'bed type, specialty, test, staff group, equipment or capability (see "aid kinds")',
    )
    .requiredOption('--unit <unit>', 'beds, patients, sessions, tests, wte, items or days')
    .requiredOption('--quantity <n>', 'how many', parsePositiveInteger)
    .requiredOption('--from <date>', 'needed from (YYYY-MM-DD)', parseDateOption)
    .requiredOption('--to <date>', 'needed until (YYYY-MM-DD)', parseDateOption)
    .option('--urgency <urgency>', 'routine, urgent or critical', 'urgent')
    .requiredOption('--reason <text>', 'why the aid is needed')
    .option('--intervention <id>', 'the intervention it supports', parsePositiveInteger)
    .option('--signal-metric <code>', 'the metric of the oversight signal behind it, like ga_occupancy')
    .option('--signal-period <date>', 'the month of that signal (YYYY-MM-01)', parseDateOption)
    .option('--json', 'print one JSON document')
    .action(
      run(
        'request',
        async (
          db,
          caller,
          o: Common & {
            requester: string;
            kind: string;
            detail: string;
            unit: string;
            quantity: number;
            from: string;
            to: string;
            urgency: string;
            reason: string;
            intervention?: number;
            signalMetric?: string;
            signalPeriod?: string;
          },
        ) => {
          const request = await raiseAidRequest(
            db,
            caller,
            {
              requester: o.requester,
              kind: o.kind,
              detail: o.detail,
              unit: o.unit,
              quantity: o.quantity,
              neededFrom: o.from,
              neededTo: o.to,
              urgency: o.urgency,
              reason: o.reason,
              interventionId: o.intervention ?? null,
              signal:
                o.signalMetric || o.signalPeriod
                  ? { metric: o.signalMetric ?? '', period: o.signalPeriod ?? '' }
                  : null,
            },
            todayIsoDate(),
          );
          showRequest(o.json, request);
        },
      ),
    );

  aid
    .command('offer')
    .description('Offer capacity a trust can spare')
    .requiredOption(...actAsOption)
    .requiredOption('--provider <ods>', 'the trust offering', parseOdsCode)
    .requiredOption('--kind <kind>', `one of ${aidKinds.join(', ')}`)
    .requiredOption('--detail <detail>', 'what exactly (see "aid kinds")')
    .requiredOption('--unit <unit>', 'the unit')
    .requiredOption('--quantity <n>', 'how many', parsePositiveInteger)
    .requiredOption('--from <date>', 'available from (YYYY-MM-DD)', parseDateOption)
    .requiredOption('--to <date>', 'available until (YYYY-MM-DD)', parseDateOption)
    .option('--notes <text>', 'anything the receiving trust should know', '')
    .option('--json', 'print one JSON document')
    .action(
      run(
        'offer',
        async (
          db,
          caller,
          o: Common & {
            provider: string;
            kind: string;
            detail: string;
            unit: string;
            quantity: number;
            from: string;
            to: string;
            notes: string;
          },
        ) => {
          const offer = await makeAidOffer(
            db,
            caller,
            {
              provider: o.provider,
              kind: o.kind,
              detail: o.detail,
              unit: o.unit,
              quantity: o.quantity,
              availableFrom: o.from,
              availableTo: o.to,
              notes: o.notes,
            },
            todayIsoDate(),
          );
          if (o.json) return printJson({ offer });
          printLine(
            `Offer ${offer.id}: ${offer.provider.name} (${offer.provider.odsCode}) offers ${offer.offer}, ${offer.availableFrom} to ${offer.availableTo}`,
          );
        },
      ),
    );

  aid
    .command('withdraw-offer <offer>')
    .description('Withdraw what is left of an offer')
    .requiredOption(...actAsOption)
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { reason: string }) =>
      run('withdraw-offer', async (db, caller, o: Common & { reason: string }) => {
        const offer = await withdrawAidOffer(db, caller, parsePositiveInteger(id), o.reason, todayIsoDate());
        if (o.json) return printJson({ offer });
        printLine(`Offer ${offer.id} withdrawn.`);
      })(options),
    );

  aid
    .command('show <request>')
    .description('A request with its matches, agreements and deliveries')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common) =>
      run('show', async (db, caller, o: Common) =>
        showRequest(
          o.json,
          await getAidRequest(db, caller.principal, parsePositiveInteger(id), todayIsoDate()),
        ),
      )(options),
    );

  aid
    .command('matches <request>')
    .description(
      'Ranked candidates for a request: offers, then organisations; same ICB, region, then England',
    )
    .requiredOption(...actAsOption)
    .option('--limit <n>', 'organisations to list', parsePositiveInteger, 20)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { limit: number }) =>
      run('matches', async (db, caller, o: Common & { limit: number }) => {
        const view = await getAidMatching(
          db,
          caller.principal,
          parsePositiveInteger(id),
          todayIsoDate(),
          o.limit,
        );
        if (o.json) return printJson(view);
        const { matching } = view;
        printLine(
          `Request ${view.request.id}: ${view.request.need}; still to find ${view.request.remaining}.`,
        );
        const row = (c: (typeof matching.offers)[number]) => ({
          organisation: `${c.organisation.name} (${c.organisation.odsCode})`,
          tier: aidTierLabels[c.tier],
          distance: c.distanceKm === null ? 'distance unknown' : `${c.distanceKm} km`,
          occupancy: c.pressure.occupancy === null ? null : `${c.pressure.occupancy.toFixed(1)}%`,
          offer: c.offer ? `offer ${c.offer.id}: ${c.offer.remaining} left` : null,
          propose: c.suggestedQuantity,
          note: c.excluded ?? c.pressure.reason,
        });
        const columns = ['organisation', 'tier', 'distance', 'occupancy', 'offer', 'propose', 'note'];
        printLine();
        printLine('Offers that fit:');
        printTable(matching.offers.map(row), columns);
        if (matching.allocation.length > 0)
          printLine(
            `Together: ${matching.allocation.map((a) => `${a.quantity} from offer ${a.offerId}`).join(' + ')}${matching.shortfall > 0 ? `; ${matching.shortfall} still unmet` : ''}.`,
          );
        printLine();
        printLine('Organisations that could be asked:');
        printTable(matching.organisations.map(row), columns);
        if (matching.excluded.length > 0) {
          printLine();
          printLine('Not asked:');
          printTable(matching.excluded.map(row), columns);
        }
        for (const note of view.notes) printLine(note);
      })(options),
    );

  aid
    .command('propose <request>')
    .description('Propose part of a request from an offer (--offer) or an organisation (--provider)')
    .requiredOption(...actAsOption)
    .option('--offer <id>', 'the offer', parsePositiveInteger)
    .option('--provider <ods>', 'the organisation asked to help', parseOdsCode)
    .requiredOption('--quantity <n>', 'how much of the request', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { offer?: number; provider?: string; quantity: number }) =>
      run(
        'propose',
        async (db, caller, o: Common & { offer?: number; provider?: string; quantity: number }) =>
          showRequest(
            o.json,
            await proposeAidMatch(
              db,
              caller,
              parsePositiveInteger(id),
              { offerId: o.offer ?? null, provider: o.provider ?? null, quantity: o.quantity },
              todayIsoDate(),
            ),
          ),
      )(options),
    );

  aid
    .command('agree <match>')
    .description('Agree a proposed match for one side: the requesting or the giving trust (--for)')
    .requiredOption(...actAsOption)
    .requiredOption('--for <ods>', 'the side you agree for', parseOdsCode)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { for: string }) =>
      run('agree', async (db, caller, o: Common & { for: string }) =>
        showRequest(o.json, await agreeAidMatch(db, caller, parsePositiveInteger(id), o.for, todayIsoDate())),
      )(options),
    );

  aid
    .command('start <request>')
    .description('Start agreed aid (proposals not agreed by both are withdrawn)')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common) =>
      run('start', async (db, caller, o: Common) =>
        showRequest(o.json, await startAid(db, caller, parsePositiveInteger(id), todayIsoDate())),
      )(options),
    );

  aid
    .command('deliver <match>')
    .description('Record a quantity delivered on a match in progress')
    .requiredOption(...actAsOption)
    .requiredOption('--quantity <n>', 'delivered now', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { quantity: number }) =>
      run('deliver', async (db, caller, o: Common & { quantity: number }) =>
        showRequest(
          o.json,
          await recordAidDelivery(db, caller, parsePositiveInteger(id), o.quantity, todayIsoDate()),
        ),
      )(options),
    );

  aid
    .command('complete <request>')
    .description('Complete aid in progress')
    .requiredOption(...actAsOption)
    .option('--note <text>', 'a note for the record')
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { note?: string }) =>
      run('complete', async (db, caller, o: Common & { note?: string }) =>
        showRequest(o.json, await completeAid(db, caller, parsePositiveInteger(id), o.note, todayIsoDate())),
      )(options),
    );

  aid
    .command('withdraw <request>')
    .description('Withdraw a request (or, with --match, one match of it)')
    .requiredOption(...actAsOption)
    .requiredOption('--reason <text>', 'why')
    .option('--match <id>', 'withdraw only this match', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action((id: string, options: Common & { reason: string; match?: number }) =>
      run('withdraw', async (db, caller, o: Common & { reason: string; match?: number }) =>
        showRequest(
          o.json,
          o.match
            ? await withdrawAidMatch(db, caller, o.match, o.reason, todayIsoDate())
            : await withdrawAid(db, caller, parsePositiveInteger(id), o.reason, todayIsoDate()),
        ),
      )(options),
    );

  aid
    .command('board <region>')
    .description("A region's mutual aid board: requests still needed and open offers")
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((region: string, options: Common) =>
      run('board', async (db, caller, o: Common) => {
        const board = await getAidBoard(db, caller.principal, parseOdsCode(region), todayIsoDate());
        if (o.json) return printJson({ board });
        printLine(
          `${board.region.name}: ${board.counts.open} open request(s), ${board.counts.awaitingMatch} still needing capacity, ${board.counts.inProgress} in progress; ${board.counts.offersOpen} open offer(s).`,
        );
        printTable(
          board.requests.map((r) => ({
            request: r.id,
            requester: `${r.requester.name} (${r.requester.odsCode})`,
            need: r.need,
            urgency: r.urgencyLabel,
            'needed from': r.neededFrom,
            status: r.statusLabel,
            'to find': r.remaining,
          })),
          ['request', 'requester', 'need', 'urgency', 'needed from', 'status', 'to find'],
        );
        if (board.offers.length > 0) {
          printLine();
          printTable(
            board.offers.map((f) => ({
              offer: f.id,
              provider: `${f.provider.name} (${f.provider.odsCode})`,
              offers: f.offer,
              left: f.remaining,
              until: f.availableTo,
            })),
            ['offer', 'provider', 'offers', 'left', 'until'],
          );
        }
      })(options),
    );

  aid
    .command('record <org>')
    .description('Aid an organisation gave and received in the last 12 months (the duty to collaborate)')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action((org: string, options: Common) =>
      run('record', async (db, caller, o: Common) => {
        const record = await getCollaborationRecord(db, caller.principal, parseOdsCode(org), todayIsoDate());
        if (o.json) return printJson({ record });
        printLine(record.summary);
        for (const [title, entries] of [
          ['Given', record.given],
          ['Received', record.received],
        ] as const) {
          if (entries.length === 0) continue;
          printLine();
          printLine(`${title}:`);
          printTable(
            entries.map((e) => ({
              request: e.requestId,
              with: `${e.counterparty.name} (${e.counterparty.odsCode})`,
              what: `${e.kindLabel}: ${e.detailLabel}`,
              agreed: e.agreed,
              delivered: e.delivered,
              unit: e.unit,
              status: e.statusLabel,
            })),
            ['request', 'with', 'what', 'agreed', 'delivered', 'unit', 'status'],
          );
        }
      })(options),
    );
}
