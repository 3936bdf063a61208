import type { Command } from 'commander';
import type { ReturnStep } from '../domain/return-workflow.js';
import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../domain/iso-date.js';
import { odsCodePattern, organisationKinds, type OrganisationKind } from '../domain/organisation.js';

/** Argument parsers: every CLI input is checked once, here, with a message saying what to type. */

export function parseDateOption(value: string): string {
  if (!isIsoDate(value))
    throw new InvalidArgumentError(`"${value}" is not a date written YYYY-MM-DD (e.g. 2019-04-01).`);
  return value;
}

export function parseOdsCode(value: string): string {
  const code = value.trim().toUpperCase();
  if (!odsCodePattern.test(code))
    throw new InvalidArgumentError(`"${value}" is not an ODS code (2 to 10 letters and digits).`);
  return code;
}

export function parseKind(value: string): OrganisationKind {
  const kind = organisationKinds.find((k) => k === value);
  if (!kind)
    throw new InvalidArgumentError(`"${value}" is not a kind. Use one of: ${organisationKinds.join(', ')}.`);
  return kind;
}

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return number;
}

export function collect<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] = []) => [...previous, parse(value)];
}

/** Changes to returns and plans act as a named account, whose roles the access policy weighs. */
export const actAsOption = [
  '--as <email>',
  'the account to act as (its roles decide what you may do)',
] as const;

/** The options of a workflow step (approve, accept, lock, return) on a return or a plan. */
export function workflowStepOptions(command: Command, step: ReturnStep): Command {
  return command
    .requiredOption(...actAsOption)
    .option(
      '--reason <text>',
      step === 'return' ? 'what needs correcting (required)' : 'a note for the record',
    )
    .option('--json', 'print one JSON document');
}
