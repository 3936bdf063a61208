import { describe, expect, it } from 'vitest';
import type { ReturnDocument } from './return-document.js';
import {
  compileTemplateRules,
  describeCheck,
  evaluateCheckExpression,
  parseCheckExpression,
  templateRulesSchema,
  unexplainedWarnings,
  validateReturn,
  type TemplateRulesInput,
  type ValidateReturnInput,
  type ValidationMessage,
} from './return-validation.js';

const items = [
  { code: 'ae_attendances_type1', name: 'Type 1 A&E attendances', unit: 'count' },
  { code: 'ae_attendances_other', name: 'Other A&E attendances', unit: 'count' },
  { code: 'ae_attendances_all', name: 'All A&E attendances', unit: 'count' },
  { code: 'ae_breaches_4h_type1', name: 'Type 1 4-hour breaches', unit: 'count' },
  { code: 'ga_beds_available', name: 'G&A beds available', unit: 'beds' },
  { code: 'ga_beds_occupied', name: 'G&A beds occupied', unit: 'beds' },
  { code: 'staff_wte', name: 'Staff in post', unit: 'wte' },
  { code: 'surplus', name: 'Surplus or deficit', unit: 'gbp-thousands' },
] as const;
const itemCodes = items.map((item) => item.code);

/** A valid return; each item read from its own row (header is row 1) of the value column. */
const validValues: Record<string, number | null> = {
  ae_attendances_type1: 100,
  ae_attendances_other: 50,
  ae_attendances_all: 150,
  ae_breaches_4h_type1: 20,
  ga_beds_available: 400,
  ga_beds_occupied: 380,
  staff_wte: 1234.5,
  surplus: -250.75,
};

function buildDocument(values: Record<string, number | null> = {}, explanations = {}): ReturnDocument {
  return {
    template: 'ae-monthly',
    odsCode: 'RXX',
    periodStart: '2025-04-01',
    values: { ...validValues, ...values },
    explanations,
    locations: Object.fromEntries(
      itemCodes.map((code, i) => [code, { file: 'return.csv', row: i + 2, column: 'value' }]),
    ),
  };
}

function validate(
  values: Record<string, number | null> = {},
  rules: TemplateRulesInput = {},
  history: ValidateReturnInput['history'] = {},
) {
  const parsed = templateRulesSchema.parse(rules);
  expect(compileTemplateRules(parsed, itemCodes).problems).toEqual([]);
  return validateReturn({ document: buildDocument(values), items, rules: parsed, history });
}

const rulesOf = (messages: ValidationMessage[]) => messages.map((m) => `${m.rule}:${m.item ?? ''}`);

const crossChecks: TemplateRulesInput = {
  checks: [
    {
      code: 'breaches-within-attendances',
      expression: 'ae_breaches_4h_type1 <= ae_attendances_type1',
      message: 'Breaches cannot exceed attendances.',
      severity: 'error',
    },
    {
      code: 'occupancy-within-beds',
      expression: 'ga_beds_occupied <= ga_beds_available * 1.05',
      message: 'More beds are occupied than available',
      severity: 'warning',
    },
    {
      code: 'attendances-add-up',
      expression: 'ae_attendances_all == ae_attendances_type1 + ae_attendances_other',
      message: 'All attendances should be type 1 plus other',
      severity: 'error',
    },
  ],
};

describe('templateRulesSchema', () => {
  it('accepts {} and fills in the defaults', () => {
    expect(templateRulesSchema.parse({})).toEqual({ items: {}, checks: [] });
    expect(templateRulesSchema.parse({ items: { surplus: { min: -1000 } }, outliers: {} })).toEqual({
      items: { surplus: { required: true, min: -1000 } },
      checks: [],
      outliers: { method: 'spc', minHistory: 12, severity: 'warning' },
    });
  });

  it('refuses bad check codes, short histories, error outliers and misspelt keys', () => {
    const bad = (rules: unknown) => templateRulesSchema.safeParse(rules).success;
    expect(
      bad({ checks: [{ code: 'Bad_Code', expression: 'a < b', message: 'x', severity: 'error' }] }),
    ).toBe(false);
    expect(bad({ outliers: { minHistory: 5 } })).toBe(false);
    expect(bad({ outliers: { severity: 'error' } })).toBe(false);
    expect(bad({ items: { surplus: { maxium: 3 } } })).toBe(false);
  });
});

describe('validateReturn: items', () => {
  it('passes a valid return', () => {
    expect(validate({}, crossChecks)).toEqual({ errors: [], warnings: [] });
  });

  it('reports a blank required item, and not a blank optional one', () => {
    const { errors } = validate(
      { ae_attendances_type1: null, staff_wte: null },
      { items: { staff_wte: { required: false } } },
    );
    expect(errors).toEqual([
      {
        severity: 'error',
        rule: 'required',
        item: 'ae_attendances_type1',
        location: { file: 'return.csv', row: 2, column: 'value' },
        message:
          'Type 1 A&E attendances (ae_attendances_type1) is blank in return.csv, row 2, column value: enter a value (0 if there were none).',
      },
    ]);
  });

  it('treats an item missing from the document as blank', () => {
    const document = buildDocument();
    delete document.values.ga_beds_available;
    const { errors } = validateReturn({ document, items, rules: templateRulesSchema.parse({}), history: {} });
    expect(rulesOf(errors)).toEqual(['required:ga_beds_available']);
  });

  it('refuses a negative count, naming the item, the cell, the value and what to do', () => {
    const { errors } = validate({ ae_attendances_type1: -5 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rule: 'range', item: 'ae_attendances_type1', location: { row: 2 } });
    expect(errors[0]?.message).toBe(
      'Type 1 A&E attendances (ae_attendances_type1) is -5 in return.csv, row 2, column value: enter a number of 0 or more.',
    );
  });

  it('refuses a fraction in a count or beds, and negative WTE, but not a fraction of WTE or a deficit', () => {
    const { errors } = validate({ ae_attendances_other: 2.5, ga_beds_available: 400.5, staff_wte: -1 });
    expect(rulesOf(errors)).toEqual([
      'integer:ae_attendances_other',
      'integer:ga_beds_available',
      'range:staff_wte',
    ]);
    expect(errors[0]?.message).toBe(
      'Other A&E attendances (ae_attendances_other) is 2.5 in return.csv, row 3, column value: enter a whole number.',
    );
    expect(validate({ staff_wte: 0.25, surplus: -99999.125 }).errors).toEqual([]);
  });

  it('reports a value that is not a finite number', () => {
    expect(rulesOf(validate({ surplus: Number.NaN }).errors)).toEqual(['number:surplus']);
  });

  it('applies min and max, on top of the unit floor', () => {
    const rules = { items: { ga_beds_available: { min: 10, max: 2000 }, surplus: { max: 500 } } };
    expect(validate({}, rules).errors).toEqual([]);
    const low = validate({ ga_beds_available: 5 }, rules).errors;
    expect(low[0]?.message).toBe(
      'G&A beds available (ga_beds_available) is 5 in return.csv, row 6, column value: enter a number from 10 to 2000.',
    );
    const high = validate({ ga_beds_available: 2001, surplus: 600 }, rules).errors;
    expect(rulesOf(high)).toEqual(['range:ga_beds_available', 'range:surplus']);
    expect(high[1]?.message).toContain(
      'is 600 in return.csv, row 9, column value: enter a number of 500 or less.',
    );
    // A template cannot loosen the unit: a count is never below 0, whatever min says.
    expect(
      rulesOf(
        validate({ ae_attendances_type1: -1 }, { items: { ae_attendances_type1: { min: -10 } } }).errors,
      ),
    ).toEqual(['range:ae_attendances_type1']);
  });

  it('applies integer to units that allow fractions', () => {
    const rules = { items: { staff_wte: { integer: true } } };
    expect(rulesOf(validate({ staff_wte: 10.5 }, rules).errors)).toEqual(['integer:staff_wte']);
    expect(validate({ staff_wte: 10 }, rules).errors).toEqual([]);
  });

  it('omits the place when the document does not say where a value came from', () => {
    const document = { ...buildDocument({ ae_attendances_type1: -5 }), locations: {} };
    const { errors } = validateReturn({ document, items, rules: templateRulesSchema.parse({}), history: {} });
    expect(errors[0]).toMatchObject({ location: {} });
    expect(errors[0]?.message).toBe(
      'Type 1 A&E attendances (ae_attendances_type1) is -5: enter a number of 0 or more.',
    );
  });
});

describe('validateReturn: cross-item checks', () => {
  it('reports a failed error check, naming the items, their values and cells', () => {
    const { errors, warnings } = validate({ ae_breaches_4h_type1: 120 }, crossChecks);
    expect(warnings).toEqual([]);
    expect(errors).toEqual([
      {
        severity: 'error',
        rule: 'breaches-within-attendances',
        item: null,
        location: { file: 'return.csv', row: 5, column: 'value' },
        message:
          'Breaches cannot exceed attendances (check breaches-within-attendances: ae_breaches_4h_type1 <= ae_attendances_type1). ' +
          'Type 1 4-hour breaches (ae_breaches_4h_type1) is 120 in return.csv, row 5, column value; ' +
          'Type 1 A&E attendances (ae_attendances_type1) is 100 in return.csv, row 2, column value. Correct the figures.',
      },
    ]);
  });

  it('treats a failed warning check as a warning to explain, and allows slack written into the rule', () => {
    expect(validate({ ga_beds_occupied: 420 }, crossChecks).warnings).toEqual([]); // 420 ≤ 400 × 1.05
    const { errors, warnings } = validate({ ga_beds_occupied: 421 }, crossChecks);
    expect(errors).toEqual([]);
    expect(rulesOf(warnings)).toEqual(['occupancy-within-beds:']);
    expect(warnings[0]?.message).toMatch(
      /^More beds are occupied than available \(check occupancy-within-beds: .*\)\. G&A beds occupied \(ga_beds_occupied\) is 421 .*; G&A beds available \(ga_beds_available\) is 400 .*\. Explain them in the explanation for occupancy-within-beds, or correct them\.$/,
    );
  });

  it('checks sums with == (to nine significant figures)', () => {
    expect(rulesOf(validate({ ae_attendances_all: 151 }, crossChecks).errors)).toEqual([
      'attendances-add-up:',
    ]);
    const money = {
      checks: [{ code: 'sum', expression: 'surplus == 0.1 + 0.2', message: 'x', severity: 'error' as const }],
    };
    expect(validate({ surplus: 0.3 }, money).errors).toEqual([]);
  });

  it('skips a check when an item it reads is blank: the required rule reports the blank', () => {
    const { errors } = validate({ ae_attendances_type1: null, ae_breaches_4h_type1: 120 }, crossChecks);
    expect(rulesOf(errors)).toEqual(['required:ae_attendances_type1']);
  });

  it('skips a check that divides by zero', () => {
    const ratio = {
      checks: [
        {
          code: 'breach-rate',
          expression: 'ae_breaches_4h_type1 / ae_attendances_type1 <= 0.5',
          message: 'Too many breaches',
          severity: 'error' as const,
        },
      ],
    };
    expect(validate({ ae_attendances_type1: 0, ae_breaches_4h_type1: 0 }, ratio).errors).toEqual([]);
    expect(rulesOf(validate({ ae_breaches_4h_type1: 60 }, ratio).errors)).toEqual(['breach-rate:']);
  });

  it('evaluates && and ||, unary minus and brackets', () => {
    const parsed = parseCheckExpression(
      '(surplus > -(100 + 50) && staff_wte >= 1) || surplus == 0',
      itemCodes,
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.expression.items).toEqual(['surplus', 'staff_wte']);
    expect(evaluateCheckExpression(parsed.expression, { surplus: -149, staff_wte: 1 })).toBe(true);
    expect(evaluateCheckExpression(parsed.expression, { surplus: -151, staff_wte: 1 })).toBe(false);
    expect(evaluateCheckExpression(parsed.expression, { surplus: 0, staff_wte: 0 })).toBe(true);
    expect(evaluateCheckExpression(parsed.expression, { surplus: 0, staff_wte: null })).toBe(null);
  });

  it('throws on rules that were never compiled, rather than skipping them', () => {
    const rules = templateRulesSchema.parse({
      checks: [{ code: 'bad', expression: 'max(surplus) < 1', message: 'x', severity: 'error' }],
    });
    expect(() => validateReturn({ document: buildDocument(), items, rules, history: {} })).toThrow(
      /check bad cannot be evaluated: Calling a function \(max\(…\)\) is not allowed/,
    );
  });
});

describe('parseCheckExpression and compileTemplateRules: refusals', () => {
  const refusal = (expression: string) => {
    const parsed = parseCheckExpression(expression, itemCodes);
    return parsed.ok ? 'accepted' : parsed.message;
  };

  it('accepts the shapes templates need', () => {
    expect(refusal('ae_breaches_4h_type1 <= ae_attendances_type1')).toBe('accepted');
    expect(refusal('ga_beds_occupied <= ga_beds_available * 1.05')).toBe('accepted');
    expect(refusal('ae_attendances_all == ae_attendances_type1 + ae_attendances_other')).toBe('accepted');
    expect(refusal('staff_wte != 0 && -surplus < 1e6 || (surplus / 2) > .5')).toBe('accepted');
  });

  it('refuses function calls, member access, strings and other JavaScript, saying what is allowed', () => {
    expect(refusal('max(surplus, 0) < 1')).toMatch(
      /^Calling a function \(max\(…\)\) is not allowed\. Use only data item codes/,
    );
    expect(refusal('surplus.constructor < 1')).toMatch(
      /^Member access \(such as a\.b or a\[0\]\) is not allowed\./,
    );
    expect(refusal('surplus[0] < 1')).toMatch(/^Member access/);
    expect(refusal("surplus == 'x'")).toMatch(/^Text \('x'\) is not allowed\./);
    expect(refusal('surplus > 0 ? staff_wte > 0 : true')).toMatch(/^The conditional operator/);
    expect(refusal('surplus = 1')).toBe('A single = (assignment) is not allowed: write == to compare.');
    expect(refusal('surplus === 1')).toBe('=== is not allowed: write == instead.');
    expect(refusal('surplus % 2 == 0')).toMatch(/^The operator % is not allowed\./);
    expect(refusal('!(surplus > 0)')).toMatch(/^The operator ! is not allowed\./);
    expect(refusal('surplus > true')).toMatch(/^true is not allowed\./);
    expect(refusal('[surplus] < 1')).toMatch(/^Lists/);
    expect(refusal('this < 1')).toMatch(/^"this" is not allowed/);
    expect(refusal('surplus > 0, staff_wte > 0')).toMatch(/^Only one expression is allowed/);
  });

  it('refuses unknown items, syntax errors and expressions that are not comparisons', () => {
    expect(refusal('ae_attendances_typ1 <= 5')).toMatch(
      /^"ae_attendances_typ1" is not a data item of this template \(its items are ae_attendances_type1, /,
    );
    expect(refusal('surplus <=')).toMatch(
      /^The expression cannot be read: Expected expression after <= at character 10\./,
    );
    expect(refusal('surplus + 1')).toMatch(/^A check must be a comparison/);
    expect(refusal('surplus < staff_wte < 3')).toMatch(
      /^A comparison \(<\) cannot use the result of a comparison/,
    );
    expect(refusal('surplus && staff_wte')).toMatch(/^&& join comparisons, not numbers/);
    expect(refusal('1 < 2')).toBe('A check must use at least one data item.');
    expect(refusal('   ')).toMatch(/^The expression is empty/);
  });

  it('reports each problem of a template’s rules at its field', () => {
    const rules = templateRulesSchema.parse({
      items: { nope: { required: false }, surplus: { min: 10, max: 5 } },
      checks: [
        { code: 'fine', expression: 'surplus < 1', message: 'x', severity: 'error' },
        { code: 'fine', expression: 'max(surplus) < 1', message: 'x', severity: 'warning' },
        { code: 'staff-wte', expression: 'unknown_item > 0', message: 'x', severity: 'error' },
        { code: 'range', expression: 'surplus <', message: 'x', severity: 'error' },
      ],
    });
    const problems = compileTemplateRules(rules, itemCodes).problems;
    expect(problems.map((p) => p.field)).toEqual([
      'rules.items.nope',
      'rules.items.surplus.max',
      'rules.checks[1].code',
      'rules.checks[1].expression',
      'rules.checks[2].expression',
      'rules.checks[3].code',
      'rules.checks[3].expression',
    ]);
    expect(problems[1]?.message).toBe('The maximum (5) is below the minimum (10): no value could pass.');
    expect(problems[2]?.message).toMatch(/already used by rules\.checks\[0\]/);
    expect(problems[5]?.message).toMatch(/names a built-in rule/);
  });

  it('refuses a check code that is also an item code (explanations share one key space)', () => {
    const rules = templateRulesSchema.parse({
      checks: [{ code: 'surplus', expression: 'surplus < 1', message: 'x', severity: 'error' }],
    });
    expect(compileTemplateRules(rules, ['surplus', 'staff_wte']).problems).toEqual([
      { field: 'rules.checks[0].code', message: expect.stringMatching(/is also an item code/) },
    ]);
  });
});

describe('validateReturn: outliers', () => {
  /** The `count` months before the return's period (April 2025), oldest first. */
  const monthsBefore = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      new Date(Date.UTC(2025, 3 - count + i, 1)).toISOString().slice(0, 10),
    );
  /** Nearly flat around 100 for the twelve months before April 2025. */
  const flat = [99, 101, 100, 100, 102, 98, 100, 101, 99, 100, 100, 100];
  const historyOf = (values: number[]) => {
    const dates = monthsBefore(values.length);
    return { ae_attendances_type1: values.map((value, i) => ({ periodStart: dates[i] ?? '', value })) };
  };

  for (const method of ['spc', 'zscore'] as const) {
    it(`${method}: warns of a spike against a flat history, and not of an ordinary value`, () => {
      const rules = { outliers: { method } };
      const spike = validate({ ae_attendances_type1: 250, ae_attendances_all: 300 }, rules, historyOf(flat));
      expect(spike.errors).toEqual([]);
      expect(spike.warnings).toHaveLength(1);
      expect(spike.warnings[0]).toMatchObject({
        severity: 'warning',
        rule: 'outlier',
        item: 'ae_attendances_type1',
        location: { file: 'return.csv', row: 2, column: 'value' },
      });
      expect(spike.warnings[0]?.message).toMatch(
        /^Type 1 A&E attendances \(ae_attendances_type1\) is 250 in return\.csv, row 2, column value, unusual against its history \(expected \d+(\.\d+)? to \d+(\.\d+)?, .*its 12 earlier returns.*\): explain it in the explanation for ae_attendances_type1, or correct it\.$/,
      );
      expect(
        validate({ ae_attendances_type1: 101, ae_attendances_all: 151 }, rules, historyOf(flat)).warnings,
      ).toEqual([]);
    });

    it(`${method}: does not test with fewer earlier values than minHistory`, () => {
      const rules = { outliers: { method, minHistory: 12 } };
      expect(
        validate({ ae_attendances_type1: 250, ae_attendances_all: 300 }, rules, historyOf(flat.slice(1)))
          .warnings,
      ).toEqual([]);
      const shorter = { outliers: { method, minHistory: 11 } };
      expect(
        validate({ ae_attendances_type1: 250, ae_attendances_all: 300 }, shorter, historyOf(flat.slice(1)))
          .warnings,
      ).toHaveLength(1);
    });
  }

  it('uses the SPC limits of the history alone (worked by hand), shown in the message', () => {
    // History 96, 100, 104, 100 three times: mean 1200 / 12 = 100; eleven moving ranges of 4, AmR 4;
    // limits 100 ± 2.66 × 4 = 89.36 to 110.64. 110 is inside; 111 is above.
    const history = historyOf([96, 100, 104, 100, 96, 100, 104, 100, 96, 100, 104, 100]);
    const rules = { outliers: {} };
    expect(validate({ ae_attendances_type1: 110, ae_attendances_all: 160 }, rules, history).warnings).toEqual(
      [],
    );
    const { warnings } = validate({ ae_attendances_type1: 111, ae_attendances_all: 161 }, rules, history);
    expect(warnings[0]?.message).toContain(
      'is 111 in return.csv, row 2, column value, unusual against its history (expected 89.36 to 110.64, the process limits (SPC) of its 12 earlier returns)',
    );
  });

  it('ignores history for the return’s own period or later, and does not test items with errors', () => {
    const later = {
      ae_attendances_type1: [
        ...historyOf(flat).ae_attendances_type1,
        { periodStart: '2025-04-01', value: 250 },
      ],
    };
    expect(
      validate({ ae_attendances_type1: 250, ae_attendances_all: 300 }, { outliers: {} }, later).warnings,
    ).toHaveLength(1);
    expect(validate({ ae_attendances_type1: 250.5 }, { outliers: {} }, historyOf(flat)).warnings).toEqual([]);
  });

  it('says when a constant history makes any change unusual', () => {
    const { warnings } = validate(
      { ae_attendances_type1: 101, ae_attendances_all: 151 },
      { outliers: {} },
      historyOf(Array(12).fill(100)),
    );
    expect(warnings[0]?.message).toContain('(expected 100, the value in each of its 12 earlier returns)');
  });
});

describe('unexplainedWarnings', () => {
  const outlier: ValidationMessage = {
    severity: 'warning',
    rule: 'outlier',
    item: 'ae_attendances_type1',
    location: { row: 2 },
    message: 'Type 1 A&E attendances (ae_attendances_type1) is 250.',
  };
  const check: ValidationMessage = {
    severity: 'warning',
    rule: 'occupancy-within-beds',
    item: null,
    location: { row: 7 },
    message: 'More beds are occupied than available.',
  };

  it('keeps warnings with no explanation, a blank one or one under 10 characters, saying so', () => {
    const left = unexplainedWarnings([outlier, check], {
      ae_attendances_type1: '   ',
      'occupancy-within-beds': 'ok  fine',
    });
    expect(left.map((w) => w.rule)).toEqual(['outlier', 'occupancy-within-beds']);
    expect(left[0]?.message).toBe(
      'Type 1 A&E attendances (ae_attendances_type1) is 250. No explanation has been given: write an explanation for ae_attendances_type1 of at least 10 characters saying why.',
    );
    expect(left[1]?.message).toBe(
      'More beds are occupied than available. The explanation given ("ok fine") is too short: write an explanation for occupancy-within-beds of at least 10 characters saying why.',
    );
    expect(unexplainedWarnings([outlier], {})).toHaveLength(1);
  });

  it('drops warnings explained under their item or check code', () => {
    expect(
      unexplainedWarnings([outlier, check], {
        ae_attendances_type1: 'Major incident on 3 April: coach crash.',
        'occupancy-within-beds': 'Escalation beds opened during the surge.',
      }),
    ).toEqual([]);
    // An explanation under the wrong key does not count.
    expect(unexplainedWarnings([check], { ga_beds_occupied: 'Escalation beds opened.' })).toHaveLength(1);
  });
});

describe('describeCheck', () => {
  it('shows a check by item name with everyday symbols', () => {
    expect(describeCheck({ expression: 'ga_beds_occupied <= ga_beds_available * 1.05' }, items)).toBe(
      'G&A beds occupied ≤ G&A beds available × 1.05',
    );
    expect(
      describeCheck(
        { expression: 'ae_attendances_all == ae_attendances_type1 + ae_attendances_other' },
        items,
      ),
    ).toBe('All A&E attendances = Type 1 A&E attendances + Other A&E attendances');
    expect(describeCheck({ expression: '(surplus - (staff_wte - 1)) * 2 > 0 || -surplus >= 3' }, items)).toBe(
      '(Surplus or deficit − (Staff in post − 1)) × 2 > 0 or −Surplus or deficit ≥ 3',
    );
    expect(describeCheck({ expression: 'max(surplus) > 0' }, items)).toBe('max(surplus) > 0');
  });
});
