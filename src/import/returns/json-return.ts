import { z } from 'zod';
import { ProblemList } from '../../domain/errors.js';
import type { ReturnDocument, ReturnLayout } from '../../domain/return-document.js';
import {
  assembleReturn,
  checkNotEmpty,
  decodeReturnText,
  formatSummary,
  jsonPath,
  type RawEntry,
  type RawValue,
} from './return-checks.js';
import { duplicateKeyProblems, fieldMessage, parseJsonText, zodProblems } from './json-text.js';

const returnFields = 'template, odsCode, periodStart, values and explanations';

/**
 * The JSON return. Values are taken as they come and judged by the shared checks (so an unknown item or a
 * number in quotes gets the same message as in any other format); the rest is checked here.
 */
const returnJsonSchema = z.strictObject(
  {
    template: z.string({ error: fieldMessage('the template code as text', 'such as "ae-monthly"') }),
    odsCode: z.string({ error: fieldMessage('your ODS code as text', 'such as "RJZ"') }),
    periodStart: z.string({ error: fieldMessage('a date as text', 'such as "2025-04-01"') }),
    values: z.record(z.string(), z.unknown(), {
      error: fieldMessage('an object of item codes and numbers', 'such as {"ae_attendances_type1": 1234}'),
    }),
    explanations: z
      .record(
        z.string().trim().min(1, 'must not have an empty key: name the item or check explained'),
        z.string({ error: 'must be text, such as "Two sites closed for refurbishment"' }),
        {
          error: fieldMessage(
            'an object of item (or check) codes and texts',
            'such as {"ae_attendances_type1": "Site closed"}',
          ),
        },
      )
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `are not fields of a return: the fields are ${returnFields}.`
        : `The file must hold one JSON object with the fields ${returnFields}.`,
  },
);

export type ReturnJson = z.infer<typeof returnJsonSchema>;

function rawValue(item: string, value: unknown): RawValue {
  const field = jsonPath(['values', item]);
  if (value === null) return { kind: 'blank' };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string')
    return {
      kind: 'refused',
      message: `Field ${field} is text ("${value}"): write the number without quotes, such as 1234, or null when you have no figure.`,
    };
  return {
    kind: 'refused',
    message: `Field ${field} must be a number, such as 1234, or null when you have no figure.`,
  };
}

/** Reads a JSON return: `{ template, odsCode, periodStart, values: {item: number|null}, explanations? }`. */
export function readJsonReturn(bytes: Buffer, layout: ReturnLayout, file: string): ReturnDocument {
  const text = decodeReturnText(bytes, file);
  checkNotEmpty(text, file);
  const json = parseJsonText(text, file);
  const problems = new ProblemList();
  problems.add(...duplicateKeyProblems(text, file));
  const parsed = returnJsonSchema.safeParse(json);
  if (!parsed.success) {
    problems.add(...zodProblems(parsed.error.issues, file));
    problems.throwIfAny(formatSummary('json', file));
    throw new Error('A JSON return failed its schema without a problem');
  }
  const at = (...path: string[]) => ({ field: jsonPath(path) });
  const entries = Object.entries(parsed.data.values).map(([item, value]): RawEntry => ({
    item,
    itemLocation: at('values', item),
    place: `field ${jsonPath(['values', item])}`,
    value: rawValue(item, value),
    valueLocation: at('values', item),
    explanation: null,
  }));
  const doc = assembleReturn(
    {
      template: { value: parsed.data.template, location: at('template') },
      odsCode: { value: parsed.data.odsCode, location: at('odsCode') },
      periodStart: { value: parsed.data.periodStart, location: at('periodStart') },
      entries,
      explanations: Object.entries(parsed.data.explanations ?? {}).map(([key, value]) => ({
        key: key.trim(),
        text: value,
        location: at('explanations', key),
      })),
    },
    layout,
    file,
    problems,
  );
  problems.throwIfAny(formatSummary('json', file));
  if (!doc) throw new Error('A return with no problems was not assembled');
  return doc;
}

/** Writes a JSON return with every item of the layout (null where there is no figure), in layout order. */
export function writeJsonReturn(doc: ReturnDocument, layout: ReturnLayout): Buffer {
  const json: ReturnJson = {
    template: layout.code,
    odsCode: doc.odsCode,
    periodStart: doc.periodStart,
    values: Object.fromEntries(layout.items.map((item) => [item.code, doc.values[item.code] ?? null])),
    explanations: doc.explanations,
  };
  return Buffer.from(`${JSON.stringify(json, null, 2)}\n`, 'utf8');
}
