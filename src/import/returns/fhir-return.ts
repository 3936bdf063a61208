import { z } from 'zod';
import { ProblemList, type Problem } from '../../domain/errors.js';
import { addDays, isIsoDate } from '../../domain/iso-date.js';
import { periodEnd } from '../../domain/period.js';
import type { ReturnDocument, ReturnLayout } from '../../domain/return-document.js';
import {
  assembleReturn,
  checkExplanations,
  checkNotEmpty,
  decodeReturnText,
  formatSummary,
  jsonPath,
  type RawEntry,
} from './return-checks.js';
import { duplicateKeyProblems, fieldMessage, parseJsonText, zodProblems } from './json-text.js';

/** Canonical URL of a template's Measure: the base followed by the template code. */
export const fhirMeasureBase = 'https://nhs-oversight.example/fhir/Measure/';
/** Code system of data items: a group's code is the item code. */
export const fhirDataItemSystem = 'https://nhs-oversight.example/fhir/CodeSystem/data-item';
/** Code system of checks: a group coded in it carries only the explanation of a failed check. */
export const fhirDataCheckSystem = 'https://nhs-oversight.example/fhir/CodeSystem/data-check';
/** Extension on a group carrying the explanation of its item or check (valueString). */
export const fhirExplanationExtension = 'https://nhs-oversight.example/fhir/StructureDefinition/explanation';
/** The NHS identifier system of ODS organisation codes. */
export const odsOrganisationSystem = 'https://fhir.nhs.uk/Id/ods-organization-code';

/** A FHIR date, or a dateTime whose date part is taken as written (the sender's own calendar day). */
const fhirDate = z
  .string({ error: fieldMessage('a date', 'such as "2025-04-01"') })
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'must be a date written YYYY-MM-DD, such as "2025-04-01".',
  )
  .transform((value) => value.slice(0, 10));

const groupSchema = z.object(
  {
    code: z.object(
      {
        coding: z
          .array(
            z.object({
              system: z.string().optional(),
              code: z.string({
                error: fieldMessage('the item code as text', 'such as "ae_attendances_type1"'),
              }),
              display: z.string().optional(),
            }),
            {
              error: fieldMessage(
                'a list of codings',
                `with system "${fhirDataItemSystem}" and the item code`,
              ),
            },
          )
          .min(1, `must hold a coding with system "${fhirDataItemSystem}" and the item code.`),
      },
      { error: fieldMessage('a CodeableConcept', `whose coding has system "${fhirDataItemSystem}"`) },
    ),
    measureScore: z
      .object(
        {
          value: z
            .number({
              error: fieldMessage(
                'a number',
                'such as 1234 (no quotes); leave out measureScore when you have no figure',
              ),
            })
            .optional(),
        },
        { error: fieldMessage('a Quantity', 'such as {"value": 1234}') },
      )
      .optional(),
    extension: z
      .array(z.object({ url: z.string(), valueString: z.string().optional() }), {
        error: fieldMessage(
          'a list of extensions',
          `such as [{"url": "${fhirExplanationExtension}", "valueString": "…"}]`,
        ),
      })
      .optional(),
    modifierExtension: z
      .array(z.unknown())
      .max(0, 'is not understood here: a return cannot carry modifier extensions; remove them.')
      .optional(),
  },
  { error: fieldMessage('an object', 'with a code and a measureScore') },
);

const measureReportSchema = z.object(
  {
    resourceType: z.literal('MeasureReport', {
      error: (issue) =>
        issue.input === undefined
          ? 'is missing: a return is a FHIR MeasureReport, with "resourceType": "MeasureReport".'
          : `is "${String(issue.input)}": a return must be a MeasureReport.`,
    }),
    status: z.literal('complete', {
      error: (issue) =>
        `is "${String(issue.input)}": send a return when it is complete, with "status": "complete".`,
    }),
    type: z.literal('data-collection', {
      error: (issue) => `is "${String(issue.input)}": a return is a "data-collection" MeasureReport.`,
    }),
    measure: z.string({ error: fieldMessage('the Measure URL', `such as "${fhirMeasureBase}ae-monthly"`) }),
    reporter: z.object(
      {
        identifier: z.object(
          {
            system: z.literal(odsOrganisationSystem, {
              error: `must be "${odsOrganisationSystem}": the reporter is named by its ODS code.`,
            }),
            value: z.string({ error: fieldMessage('your ODS code', 'such as "RJZ"') }),
          },
          {
            error: fieldMessage('an Identifier', `with system "${odsOrganisationSystem}" and your ODS code`),
          },
        ),
      },
      { error: fieldMessage('a Reference', `with an identifier in system "${odsOrganisationSystem}"`) },
    ),
    period: z.object(
      { start: fhirDate, end: fhirDate },
      { error: fieldMessage('a Period', 'such as {"start": "2025-04-01", "end": "2025-04-30"}') },
    ),
    date: z.string().optional(),
    group: z.array(groupSchema, { error: fieldMessage('a list of groups', 'one per item') }),
    modifierExtension: z
      .array(z.unknown())
      .max(0, 'is not understood here: a return cannot carry modifier extensions; remove them.')
      .optional(),
  },
  { error: 'The file must hold one FHIR MeasureReport resource (a JSON object).' },
);

export type MeasureReport = z.input<typeof measureReportSchema>;

function measureProblems(measure: string, file: string): { template: string | null; problems: Problem[] } {
  const canonical = measure.split('|')[0] ?? '';
  if (canonical.startsWith(fhirMeasureBase) && canonical.length > fhirMeasureBase.length)
    return { template: canonical.slice(fhirMeasureBase.length), problems: [] };
  return {
    template: null,
    problems: [
      {
        file,
        field: 'measure',
        message: `Field measure is "${measure}", which is not one of our Measures: write ${fhirMeasureBase} followed by the template code, such as ${fhirMeasureBase}ae-monthly.`,
      },
    ],
  };
}

/**
 * Reads a FHIR R4 MeasureReport (status complete, type data-collection) whose measure is the template's
 * canonical URL, reporter is an ODS code and groups are the items.
 */
export function readFhirReturn(bytes: Buffer, layout: ReturnLayout, file: string): ReturnDocument {
  const text = decodeReturnText(bytes, file);
  checkNotEmpty(text, file);
  const json = parseJsonText(text, file);
  const problems = new ProblemList();
  problems.add(...duplicateKeyProblems(text, file));
  const parsed = measureReportSchema.safeParse(json);
  if (!parsed.success) {
    problems.add(...zodProblems(parsed.error.issues, file));
    problems.throwIfAny(formatSummary('fhir', file));
    throw new Error('A MeasureReport failed its schema without a problem');
  }
  const report = parsed.data;
  const measure = measureProblems(report.measure, file);
  problems.add(...measure.problems);

  const entries = report.group.map((group, index): RawEntry | null => {
    const coding =
      group.code.coding.find((candidate) => candidate.system === fhirDataItemSystem) ??
      group.code.coding.find((candidate) => candidate.system === fhirDataCheckSystem);
    if (!coding) {
      problems.add({
        file,
        field: jsonPath(['group', index, 'code', 'coding']),
        message: `Field ${jsonPath(['group', index, 'code', 'coding'])} has no coding with system "${fhirDataItemSystem}": give the item code there.`,
      });
      return null;
    }
    const explanationIndex =
      group.extension?.findIndex((extension) => extension.url === fhirExplanationExtension) ?? -1;
    const explanation = group.extension?.[explanationIndex];
    const value = group.measureScore?.value;
    return {
      item: coding.code,
      itemLocation: {
        field: jsonPath(['group', index, 'code', 'coding', group.code.coding.indexOf(coding), 'code']),
      },
      place: `group[${index}]`,
      value: value === undefined ? { kind: 'blank' } : { kind: 'number', value },
      valueLocation: { field: jsonPath(['group', index, 'measureScore', 'value']) },
      explanation:
        explanation?.valueString === undefined
          ? null
          : {
              value: explanation.valueString,
              location: { field: jsonPath(['group', index, 'extension', explanationIndex, 'valueString']) },
            },
    };
  });

  const start = report.period.start;
  if (isIsoDate(start)) {
    const lastDay = addDays(periodEnd({ type: layout.periodType, start }), -1);
    if (report.period.end !== lastDay)
      problems.add({
        file,
        field: 'period.end',
        message: `Field period.end is ${report.period.end}, but the period starting ${start} ends on ${lastDay}: write "end": "${lastDay}".`,
      });
  }

  const doc = assembleReturn(
    {
      template:
        measure.template === null ? null : { value: measure.template, location: { field: 'measure' } },
      odsCode: { value: report.reporter.identifier.value, location: { field: 'reporter.identifier.value' } },
      periodStart: { value: start, location: { field: 'period.start' } },
      entries: entries.filter((entry): entry is RawEntry => entry !== null),
    },
    layout,
    file,
    problems,
  );
  problems.throwIfAny(formatSummary('fhir', file));
  if (!doc) throw new Error('A return with no problems was not assembled');
  return doc;
}

/**
 * Writes a MeasureReport with one group per item of the layout (a blank value is a group without
 * measureScore), then one group per explained check, coded in the check system, with only the explanation.
 */
export function writeFhirReturn(doc: ReturnDocument, layout: ReturnLayout, now: Date): Buffer {
  const start = doc.periodStart;
  const report: MeasureReport = {
    resourceType: 'MeasureReport',
    status: 'complete',
    type: 'data-collection',
    measure: `${fhirMeasureBase}${layout.code}`,
    reporter: { identifier: { system: odsOrganisationSystem, value: doc.odsCode } },
    period: {
      start,
      end: isIsoDate(start) ? addDays(periodEnd({ type: layout.periodType, start }), -1) : start,
    },
    date: now.toISOString(),
    group: [
      ...layout.items.map((item) => {
        const value = doc.values[item.code];
        const explanation = doc.explanations[item.code];
        return {
          code: { coding: [{ system: fhirDataItemSystem, code: item.code, display: item.name }] },
          ...(value === null || value === undefined ? {} : { measureScore: { value } }),
          ...(explanation
            ? { extension: [{ url: fhirExplanationExtension, valueString: explanation }] }
            : {}),
        };
      }),
      ...checkExplanations(doc, layout).map(([check, text]) => ({
        code: { coding: [{ system: fhirDataCheckSystem, code: check }] },
        extension: [{ url: fhirExplanationExtension, valueString: text }],
      })),
    ],
  };
  return Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8');
}
