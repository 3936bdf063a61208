import jsep from 'jsep';
import { z } from 'zod';
import { spcOutlier, zScoreOutlier, type OutlierTest } from '../stats/outlier.js';
import { describeLocation, type Problem, type ProblemLocation } from './errors.js';
import type { ItemUnit } from './metric.js';
import type { ReturnDocument } from './return-document.js';

/**
 * Validation rules for data returns. A collection template carries rules (data, stored with the template):
 * per item (required, range, whole numbers), cross-item checks written as small expressions over item codes,
 * and an outlier test against the organisation's earlier returns. Beyond the rules every item is checked
 * against its unit. Errors block a return; warnings need a written explanation before it can be submitted.
 *
 * Check expressions are parsed with jsep and evaluated here, node by node, over a closed set of operators:
 * never with eval or Function. They are refused when the template is defined (`compileTemplateRules`), so a
 * stored rule always evaluates.
 */

// --- rules ---------------------------------------------------------------------------------------

/** Check codes name explanations beside item codes, and a failed check's rule, so they look like codes. */
const checkCodePattern = /^[a-z][a-z0-9-]*$/;

const itemRuleSchema = z.strictObject({
  /** A blank value is an error unless this is false. */
  required: z.boolean().default(true),
  /** Tighten the unit's range: a count with min 1 must be at least 1. Cannot loosen it (a count is never < 0). */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Whole numbers only. Counts, beds and days are whole numbers whatever this says. */
  integer: z.boolean().optional(),
});

const checkSchema = z.strictObject({
  code: z
    .string()
    .max(63)
    .regex(
      checkCodePattern,
      'use lower-case letters, digits and hyphens, starting with a letter, such as breaches-within-attendances',
    ),
  /** Over the template's item codes, such as `ae_breaches_4h_type1 <= ae_attendances_type1`. */
  expression: z
    .string()
    .trim()
    .min(1, 'enter an expression, such as ae_breaches_4h_type1 <= ae_attendances_type1')
    .max(1000),
  /** What is wrong when the check fails, in the submitter's words: "Breaches cannot exceed attendances". */
  message: z.string().trim().min(1, 'say what is wrong when the check fails').max(500),
  severity: z.enum(['error', 'warning']),
});

const outlierRuleSchema = z.strictObject({
  /** 'spc': outside the XmR process limits of the earlier values; 'zscore': more than 3 SD from their mean. */
  method: z.enum(['spc', 'zscore']).default('spc'),
  /** Fewer earlier values than this and the item is not tested. */
  minHistory: z.number().int().min(6).default(12),
  /** An unusual value may be right: it needs an explanation, never blocks. */
  severity: z.literal('warning').default('warning'),
});

/** A template's validation rules; `{}` is valid (only the unit checks and required items apply). */
export const templateRulesSchema = z.strictObject({
  /** By item code. Items not listed are required and checked against their unit only. */
  items: z.record(z.string(), itemRuleSchema).default({}),
  checks: z.array(checkSchema).default([]),
  /** Absent: values are not tested against earlier returns. */
  outliers: outlierRuleSchema.optional(),
});

export type TemplateRules = z.output<typeof templateRulesSchema>;
export type TemplateRulesInput = z.input<typeof templateRulesSchema>;
export type TemplateCheck = TemplateRules['checks'][number];
export type TemplateItemRule = TemplateRules['items'][string];

/** What every item of a unit must be, whatever the template says. */
export const unitRules: Record<ItemUnit, { min: number | null; integer: boolean }> = {
  count: { min: 0, integer: true },
  beds: { min: 0, integer: true },
  days: { min: 0, integer: true },
  wte: { min: 0, integer: false },
  'gbp-thousands': { min: null, integer: false },
};

/** The built-in rule names a check code may not take, so a message's `rule` says which rule it is. */
const builtInRules = ['required', 'number', 'range', 'integer', 'outlier'];

// --- check expressions -----------------------------------------------------------------------------

type ArithmeticOperator = '+' | '-' | '*' | '/';
type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';
type LogicalOperator = '&&' | '||';

type NumberNode =
  | { kind: 'item'; code: string }
  | { kind: 'number'; value: number }
  | { kind: 'negate'; operand: NumberNode }
  | { kind: 'arithmetic'; operator: ArithmeticOperator; left: NumberNode; right: NumberNode };

type ConditionNode =
  | { kind: 'compare'; operator: ComparisonOperator; left: NumberNode; right: NumberNode }
  | { kind: 'logical'; operator: LogicalOperator; left: ConditionNode; right: ConditionNode };

/** A check expression that passed every rule: typed so that it always evaluates to true or false. */
export interface CheckExpression {
  readonly root: ConditionNode;
  /** The items it reads, in order of first appearance. */
  readonly items: readonly string[];
}

const arithmeticOperators: ReadonlySet<string> = new Set(['+', '-', '*', '/']);
const comparisonOperators: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '==', '!=']);
const logicalOperators: ReadonlySet<string> = new Set(['&&', '||']);

const whatIsAllowed =
  'Use only data item codes, numbers, + - * /, comparisons (< <= > >= == !=), && and ||, and brackets.';

class ExpressionRefused extends Error {}

function refuse(reason: string, withAllowed = true): never {
  throw new ExpressionRefused(withAllowed ? `${reason} ${whatIsAllowed}` : reason);
}

function isCondition(node: NumberNode | ConditionNode): node is ConditionNode {
  return node.kind === 'compare' || node.kind === 'logical';
}

function asNumber(node: NumberNode | ConditionNode, context: string): NumberNode {
  if (isCondition(node))
    refuse(
      `${context} cannot use the result of a comparison: join comparisons with && or ||, such as a < b && b < c.`,
      false,
    );
  return node;
}

function asCondition(node: NumberNode | ConditionNode, context: string): ConditionNode {
  if (!isCondition(node))
    refuse(`${context} join comparisons, not numbers: compare the values, such as a > 0 && b > 0.`, false);
  return node;
}

function calleeName(node: jsep.Expression): string {
  return node.type === 'Identifier' ? String(node.name) : 'a function';
}

/** jsep's tree to ours, refusing anything outside the closed set. */
function toNode(
  node: jsep.Expression,
  items: ReadonlySet<string>,
  used: string[],
): NumberNode | ConditionNode {
  switch (node.type) {
    case 'Identifier': {
      const name = String(node.name);
      if (!items.has(name)) {
        const known = [...items];
        refuse(
          known.length <= 12
            ? `"${name}" is not a data item of this template (its items are ${known.join(', ')}).`
            : `"${name}" is not a data item of this template: check the spelling against its item codes.`,
          false,
        );
      }
      if (!used.includes(name)) used.push(name);
      return { kind: 'item', code: name };
    }
    case 'Literal': {
      const literal = node as jsep.Literal;
      if (typeof literal.value === 'number' && Number.isFinite(literal.value))
        return { kind: 'number', value: literal.value };
      if (typeof literal.value === 'string') refuse(`Text (${literal.raw}) is not allowed.`);
      return refuse(`${literal.raw} is not allowed.`);
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      if (unary.operator !== '-') refuse(`The operator ${unary.operator} is not allowed.`);
      return { kind: 'negate', operand: asNumber(toNode(unary.argument, items, used), 'A minus sign') };
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const operator = binary.operator;
      if (operator === '===' || operator === '!==')
        refuse(`${operator} is not allowed: write ${operator.slice(0, 2)} instead.`, false);
      const left = toNode(binary.left, items, used);
      const right = toNode(binary.right, items, used);
      if (arithmeticOperators.has(operator)) {
        const context = `Arithmetic (${operator})`;
        return {
          kind: 'arithmetic',
          operator: operator as ArithmeticOperator,
          left: asNumber(left, context),
          right: asNumber(right, context),
        };
      }
      if (comparisonOperators.has(operator)) {
        const context = `A comparison (${operator})`;
        return {
          kind: 'compare',
          operator: operator as ComparisonOperator,
          left: asNumber(left, context),
          right: asNumber(right, context),
        };
      }
      if (logicalOperators.has(operator)) {
        const context = operator;
        return {
          kind: 'logical',
          operator: operator as LogicalOperator,
          left: asCondition(left, context),
          right: asCondition(right, context),
        };
      }
      return refuse(`The operator ${operator} is not allowed.`);
    }
    case 'CallExpression':
      return refuse(
        `Calling a function (${calleeName((node as jsep.CallExpression).callee)}(…)) is not allowed.`,
      );
    case 'MemberExpression':
      return refuse('Member access (such as a.b or a[0]) is not allowed.');
    case 'ConditionalExpression':
      return refuse('The conditional operator (a ? b : c) is not allowed.');
    case 'ArrayExpression':
      return refuse('Lists ([…]) are not allowed.');
    case 'ThisExpression':
      return refuse('"this" is not allowed.');
    case 'Compound':
    case 'SequenceExpression':
      return refuse('Only one expression is allowed: join conditions with && or ||.', false);
    default:
      return refuse(`${node.type} is not allowed.`);
  }
}

/**
 * Parses a check expression over `itemCodes`: a comparison, or comparisons joined by && and ||, over item
 * codes, numbers, unary minus, + - * / and brackets. Anything else is refused with what is not allowed.
 */
export function parseCheckExpression(
  expression: string,
  itemCodes: ReadonlyArray<string>,
): { ok: true; expression: CheckExpression } | { ok: false; message: string } {
  if (expression.trim() === '')
    return { ok: false, message: 'The expression is empty: write a comparison, such as a <= b.' };
  let tree: jsep.Expression;
  try {
    tree = jsep(expression);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/^Unexpected "="/.test(detail))
      return { ok: false, message: 'A single = (assignment) is not allowed: write == to compare.' };
    return { ok: false, message: `The expression cannot be read: ${detail}. ${whatIsAllowed}` };
  }
  try {
    const used: string[] = [];
    const root = toNode(tree, new Set(itemCodes), used);
    if (!isCondition(root))
      return {
        ok: false,
        message:
          'A check must be a comparison, such as ga_beds_occupied <= ga_beds_available, or comparisons joined by && or ||.',
      };
    if (used.length === 0) return { ok: false, message: 'A check must use at least one data item.' };
    return { ok: true, expression: { root, items: used } };
  } catch (error) {
    if (error instanceof ExpressionRefused) return { ok: false, message: error.message };
    throw error;
  }
}

/** Equal to nine significant figures, so 0.1 + 0.2 == 0.3 holds for money in £000. */
function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Null when a blank item is read or the arithmetic is not finite (division by zero). */
function evaluateNumber(node: NumberNode, value: (code: string) => number | null): number | null {
  switch (node.kind) {
    case 'item':
      return value(node.code);
    case 'number':
      return node.value;
    case 'negate': {
      const operand = evaluateNumber(node.operand, value);
      return operand === null ? null : -operand;
    }
    case 'arithmetic': {
      const left = evaluateNumber(node.left, value);
      const right = evaluateNumber(node.right, value);
      if (left === null || right === null) return null;
      const result =
        node.operator === '+'
          ? left + right
          : node.operator === '-'
            ? left - right
            : node.operator === '*'
              ? left * right
              : left / right;
      return Number.isFinite(result) ? result : null;
    }
  }
}

function evaluateCondition(node: ConditionNode, value: (code: string) => number | null): boolean | null {
  if (node.kind === 'logical') {
    const left = evaluateCondition(node.left, value);
    const right = evaluateCondition(node.right, value);
    if (left === null || right === null) return null;
    return node.operator === '&&' ? left && right : left || right;
  }
  const a = evaluateNumber(node.left, value);
  const b = evaluateNumber(node.right, value);
  if (a === null || b === null) return null;
  const equal = nearlyEqual(a, b);
  switch (node.operator) {
    case '<':
      return a < b && !equal;
    case '<=':
      return a < b || equal;
    case '>':
      return a > b && !equal;
    case '>=':
      return a > b || equal;
    case '==':
      return equal;
    case '!=':
      return !equal;
  }
}

/**
 * Whether the values pass a parsed check: null when it cannot be judged (an item it reads is blank or not a
 * finite number, or it divides by zero), so the check is skipped.
 */
export function evaluateCheckExpression(
  expression: CheckExpression,
  values: Readonly<Record<string, number | null>>,
): boolean | null {
  const value = (code: string): number | null => {
    const v = own(values, code);
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  };
  if (expression.items.some((code) => value(code) === null)) return null;
  return evaluateCondition(expression.root, value);
}

// --- defining rules ----------------------------------------------------------------------------------

/**
 * Problems with a template's rules against its items, each with the field it is in (`rules.checks[1].expression`):
 * rules for items the template does not collect, min above max, check codes used twice or taken by an item
 * or a built-in rule, and expressions that cannot be read or use what is not allowed. None: the rules are
 * safe to store and `validateReturn` will not throw on them.
 */
export function compileTemplateRules(
  rules: TemplateRules,
  itemCodes: ReadonlyArray<string>,
): { problems: Problem[] } {
  const problems: Problem[] = [];
  const items = new Set(itemCodes);
  for (const [code, rule] of Object.entries(rules.items)) {
    if (!items.has(code))
      problems.push({
        field: `rules.items.${code}`,
        message: `"${code}" is not a data item of this template: remove its rule or add the item.`,
      });
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
      problems.push({
        field: `rules.items.${code}.max`,
        message: `The maximum (${rule.max}) is below the minimum (${rule.min}): no value could pass.`,
      });
  }
  const firstUse = new Map<string, number>();
  rules.checks.forEach((check, i) => {
    const field = `rules.checks[${i}]`;
    const earlier = firstUse.get(check.code);
    if (earlier !== undefined)
      problems.push({
        field: `${field}.code`,
        message: `The check code ${check.code} is already used by rules.checks[${earlier}]: give each check its own code.`,
      });
    else firstUse.set(check.code, i);
    if (items.has(check.code))
      problems.push({
        field: `${field}.code`,
        message: `The check code ${check.code} is also an item code: explanations are given by item or check code, so choose another.`,
      });
    if (builtInRules.includes(check.code))
      problems.push({
        field: `${field}.code`,
        message: `The check code ${check.code} names a built-in rule (${builtInRules.join(', ')}): choose another.`,
      });
    const parsed = parseCheckExpression(check.expression, itemCodes);
    if (!parsed.ok) problems.push({ field: `${field}.expression`, message: parsed.message });
  });
  return { problems };
}

// --- validating a return ---------------------------------------------------------------------------

export type ValidationSeverity = 'error' | 'warning';

export interface ValidationMessage {
  severity: ValidationSeverity;
  /** 'required' | 'number' | 'range' | 'integer' | 'outlier', or the code of the template's check. */
  rule: string;
  /** The item, or null for a cross-item check. */
  item: string | null;
  /** Where the item's value was read from (for a check, its first item's). */
  location: ProblemLocation;
  message: string;
}

export interface ReturnItem {
  code: string;
  name: string;
  unit: ItemUnit;
}

export interface ValidateReturnInput {
  document: ReturnDocument;
  /** The template's items, in the order messages should follow. */
  items: ReadonlyArray<ReturnItem>;
  rules: TemplateRules;
  /**
   * The organisation's earlier values by item, oldest first. Values for the return's own period or later are
   * ignored; how far back to go is the caller's choice.
   */
  history: Readonly<Record<string, ReadonlyArray<{ periodStart: string; value: number }>>>;
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const valueFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 6, useGrouping: false });
const limitFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2, useGrouping: false });

function formatValue(value: number): string {
  return valueFormat.format(value);
}

function label(item: ReturnItem): string {
  return `${item.name} (${item.code})`;
}

function where(location: ProblemLocation): string {
  const text = describeLocation(location);
  return text === '' ? '' : ` in ${text}`;
}

function rangeText(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `from ${formatValue(min)} to ${formatValue(max)}`;
  if (min !== null) return `of ${formatValue(min)} or more`;
  return `of ${formatValue(max ?? 0)} or less`;
}

/** The unit's range tightened by the template's rule. */
function effectiveRule(item: ReturnItem, rule: TemplateItemRule | undefined) {
  const unit = unitRules[item.unit];
  const min =
    unit.min === null
      ? (rule?.min ?? null)
      : rule?.min === undefined
        ? unit.min
        : Math.max(unit.min, rule.min);
  return {
    required: rule?.required ?? true,
    min,
    max: rule?.max ?? null,
    integer: unit.integer || rule?.integer === true,
  };
}

function itemErrors(
  item: ReturnItem,
  value: number | null,
  rule: TemplateItemRule | undefined,
  location: ProblemLocation,
) {
  const errors: ValidationMessage[] = [];
  const add = (name: string, message: string) =>
    errors.push({ severity: 'error', rule: name, item: item.code, location: { ...location }, message });
  const effective = effectiveRule(item, rule);
  const at = where(location);
  if (value === null) {
    if (effective.required)
      add('required', `${label(item)} is blank${at}: enter a value (0 if there were none).`);
    return errors;
  }
  if (!Number.isFinite(value)) {
    add('number', `${label(item)} is not a number${at}: enter a number.`);
    return errors;
  }
  if ((effective.min !== null && value < effective.min) || (effective.max !== null && value > effective.max))
    add(
      'range',
      `${label(item)} is ${formatValue(value)}${at}: enter a number ${rangeText(effective.min, effective.max)}.`,
    );
  if (effective.integer && !Number.isInteger(value))
    add('integer', `${label(item)} is ${formatValue(value)}${at}: enter a whole number.`);
  return errors;
}

/** Earlier values only (before the return's period), one per period (the last given), in period order. */
function earlierValues(
  history: ReadonlyArray<{ periodStart: string; value: number }>,
  periodStart: string,
): Array<{ date: string; value: number }> {
  const byPeriod = new Map<string, number>();
  for (const point of history)
    if (point.periodStart < periodStart && Number.isFinite(point.value))
      byPeriod.set(point.periodStart, point.value);
  return [...byPeriod]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, value]) => ({ date, value }));
}

function outlierWarning(
  item: ReturnItem,
  value: number,
  location: ProblemLocation,
  method: 'spc' | 'zscore',
  test: Extract<OutlierTest, { kind: 'tested' }>,
): ValidationMessage {
  // Limits below what the unit allows (a count's lower limit of −3) are shown as the unit's floor.
  const floor = unitRules[item.unit].min;
  const lower = floor === null ? test.lower : Math.max(floor, test.lower);
  const earlier = `its ${test.historyPoints} earlier returns`;
  const expected =
    test.lower === test.upper
      ? `expected ${limitFormat.format(test.centre)}, the value in each of ${earlier}`
      : method === 'spc'
        ? `expected ${limitFormat.format(lower)} to ${limitFormat.format(test.upper)}, the process limits (SPC) of ${earlier}`
        : `expected ${limitFormat.format(lower)} to ${limitFormat.format(test.upper)}, within 3 standard deviations of the mean of ${earlier} (${limitFormat.format(test.centre)})`;
  return {
    severity: 'warning',
    rule: 'outlier',
    item: item.code,
    location: { ...location },
    message: `${label(item)} is ${formatValue(value)}${where(location)}, unusual against its history (${expected}): explain it in the explanation for ${item.code}, or correct it.`,
  };
}

function checkMessage(
  check: TemplateCheck,
  expression: CheckExpression,
  itemsByCode: ReadonlyMap<string, ReturnItem>,
  document: ReturnDocument,
): ValidationMessage {
  const values = expression.items
    .map((code) => {
      const item = itemsByCode.get(code) ?? { code, name: code, unit: 'count' as const };
      const value = own(document.values, code) ?? null;
      const location = own(document.locations, code) ?? {};
      return `${label(item)} is ${value === null ? 'blank' : formatValue(value)}${where(location)}`;
    })
    .join('; ');
  const stated = check.message.replace(/[.\s]+$/, '');
  const action =
    check.severity === 'error'
      ? 'Correct the figures.'
      : `Explain them in the explanation for ${check.code}, or correct them.`;
  const first = expression.items[0];
  return {
    severity: check.severity,
    rule: check.code,
    item: null,
    location: { ...((first === undefined ? undefined : own(document.locations, first)) ?? {}) },
    message: `${stated} (check ${check.code}: ${check.expression}). ${values}. ${action}`,
  };
}

/**
 * Checks one return against its template's items and rules: every item against its unit (counts, beds and
 * days whole and ≥ 0, WTE ≥ 0, £000 any finite number) and its rule (required unless `required: false`,
 * min, max, integer); each cross-item check (skipped when an item it reads is blank: the required rule
 * reports the blank); and, with outlier rules, each otherwise valid value against the item's earlier values.
 * Throws when a check's expression does not parse: rules are checked by `compileTemplateRules` when defined.
 */
export function validateReturn(input: ValidateReturnInput): {
  errors: ValidationMessage[];
  warnings: ValidationMessage[];
} {
  const { document, items, rules, history } = input;
  const errors: ValidationMessage[] = [];
  const warnings: ValidationMessage[] = [];
  const itemCodes = items.map((item) => item.code);
  const itemsByCode = new Map(items.map((item) => [item.code, item]));

  for (const item of items) {
    const value = own(document.values, item.code) ?? null;
    const location = own(document.locations, item.code) ?? {};
    const found = itemErrors(item, value, own(rules.items, item.code), location);
    errors.push(...found);
    if (found.length > 0 || value === null || !Number.isFinite(value) || rules.outliers === undefined)
      continue;

    const earlier = earlierValues(own(history, item.code) ?? [], document.periodStart);
    if (earlier.length < rules.outliers.minHistory) continue;
    const test =
      rules.outliers.method === 'spc'
        ? spcOutlier(earlier, { date: document.periodStart, value })
        : zScoreOutlier(
            earlier.map((point) => point.value),
            value,
          );
    if (test.kind === 'tested' && test.outlier)
      warnings.push(outlierWarning(item, value, location, rules.outliers.method, test));
  }

  for (const check of rules.checks) {
    const parsed = parseCheckExpression(check.expression, itemCodes);
    if (!parsed.ok)
      throw new Error(
        `The template's check ${check.code} cannot be evaluated: ${parsed.message} Check rules with compileTemplateRules when they are defined.`,
      );
    const passed = evaluateCheckExpression(parsed.expression, document.values);
    if (passed !== false) continue;
    const message = checkMessage(check, parsed.expression, itemsByCode, document);
    (check.severity === 'error' ? errors : warnings).push(message);
  }
  return { errors, warnings };
}

// --- explanations --------------------------------------------------------------------------------------

/** An explanation shorter than this (after trimming) does not count: "ok" explains nothing. */
export const minExplanationLength = 10;

/** The key a warning's explanation is given under: its item, or the check's code. */
export function explanationKey(message: ValidationMessage): string {
  return message.item ?? message.rule;
}

/**
 * The warnings that still need an explanation: none given under their key, or one shorter than
 * `minExplanationLength` characters. Each is returned with a sentence saying so.
 */
export function unexplainedWarnings(
  warnings: ReadonlyArray<ValidationMessage>,
  explanations: Readonly<Record<string, string>>,
): ValidationMessage[] {
  const unexplained: ValidationMessage[] = [];
  for (const warning of warnings) {
    const key = explanationKey(warning);
    const text = (own(explanations, key) ?? '').replace(/\s+/g, ' ').trim();
    if (text.length >= minExplanationLength) continue;
    const needed = `an explanation for ${key} of at least ${minExplanationLength} characters saying why`;
    unexplained.push({
      ...warning,
      location: { ...warning.location },
      message: `${warning.message} ${
        text === ''
          ? `No explanation has been given: write ${needed}.`
          : `The explanation given ("${text}") is too short: write ${needed}.`
      }`,
    });
  }
  return unexplained;
}

// --- showing rules -----------------------------------------------------------------------------------

const symbols: Record<ArithmeticOperator | ComparisonOperator | LogicalOperator, string> = {
  '+': '+',
  '-': '−',
  '*': '×',
  '/': '÷',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '==': '=',
  '!=': '≠',
  '&&': 'and',
  '||': 'or',
};

type AnyNode = NumberNode | ConditionNode;

function precedence(node: AnyNode): number {
  switch (node.kind) {
    case 'logical':
      return node.operator === '||' ? 1 : 2;
    case 'compare':
      return 3;
    case 'arithmetic':
      return node.operator === '+' || node.operator === '-' ? 4 : 5;
    case 'negate':
      return 6;
    default:
      return 7;
  }
}

function render(node: AnyNode, names: ReadonlyMap<string, string>): string {
  const child = (part: AnyNode, rightSide: boolean): string => {
    const text = render(part, names);
    const tighter = precedence(part) > precedence(node);
    // a − (b − c) and a ÷ (b × c) need their brackets; a + (b + c) does not, but keeping them is harmless.
    return tighter || (precedence(part) === precedence(node) && !rightSide) ? text : `(${text})`;
  };
  switch (node.kind) {
    case 'item':
      return names.get(node.code) ?? node.code;
    case 'number':
      return formatValue(node.value);
    case 'negate':
      return `−${child(node.operand, true)}`;
    default:
      return `${child(node.left, false)} ${symbols[node.operator]} ${child(node.right, true)}`;
  }
}

/**
 * A check as people read it, by item name: "Type 1 4-hour breaches ≤ Type 1 A&E attendances × 1.05".
 * An expression that does not parse is shown as written.
 */
export function describeCheck(
  check: Pick<TemplateCheck, 'expression'>,
  items: ReadonlyArray<{ code: string; name: string }>,
): string {
  const parsed = parseCheckExpression(
    check.expression,
    items.map((item) => item.code),
  );
  if (!parsed.ok) return check.expression;
  return render(parsed.expression.root, new Map(items.map((item) => [item.code, item.name])));
}
