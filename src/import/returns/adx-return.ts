import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProblemList, type Problem, type ProblemLocation } from '../../domain/errors.js';
import type { ReturnDocument, ReturnLayout } from '../../domain/return-document.js';
import {
  assembleReturn,
  checkExplanations,
  checkNotEmpty,
  decodeReturnText,
  fileRefused,
  formatSummary,
  lineAndColumn,
  type RawEntry,
  type RawReturn,
} from './return-checks.js';

/** The namespace of IHE mADX documents. */
export const adxNamespace = 'urn:ihe:qrph:adx:2015';

/** The ISO 8601 duration of a period of each template period type, as ADX writes it after the start. */
export const adxPeriodDurations: Record<ReturnLayout['periodType'], string> = {
  month: 'P1M',
  quarter: 'P3M',
  'financial-year': 'P1Y',
};
const durationWords: Record<string, string> = {
  P1M: 'a month',
  P3M: 'a quarter',
  P1Y: 'a year',
  P12M: 'a year',
};

type XmlNode = Record<string, unknown>;
// The library types its metadata key as the `Symbol` wrapper object; it is a symbol.
const metadata = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * Entities are not processed by the parser (no DOCTYPE is accepted, so nothing can expand); the five
 * predefined entities and character references are decoded here, after parsing.
 */
function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    switch (name) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
    }
  });
}

/** Characters XML 1.0 can carry at all (not even as a reference): drops other control characters and lone surrogates. */
function isXmlCharacter(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff;
}

function escapeXml(text: string, attribute: boolean): string {
  const cleaned = [...text].filter(isXmlCharacter).join('');
  const escaped = cleaned
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
  return attribute
    ? escaped.replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\t', '&#9;')
    : escaped;
}

const elementsThatRepeat = new Set(['group', 'dataValue', 'annotation']);
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

function parseXml(text: string): XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
    captureMetaData: true,
    isArray: (name) => elementsThatRepeat.has(localName(name)),
  });
  return parser.parse(text) as XmlNode;
}

/** An element as an object: an empty element (`<dataValue/>`) parses as a string. */
function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

function attribute(node: XmlNode, name: string): string | null {
  const value = node[`@${name}`];
  return typeof value === 'string' ? decodeXml(value) : null;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return decodeXml(value);
  const text = asNode(value)['#text'];
  return typeof text === 'string' ? decodeXml(text) : '';
}

function lineOf(text: string, node: unknown): number | undefined {
  const meta = (asNode(node) as Record<symbol, unknown>)[metadata];
  const start = (meta as { startIndex?: unknown } | undefined)?.startIndex;
  return typeof start === 'number' ? lineAndColumn(text, start).line : undefined;
}

function childList(node: XmlNode, prefix: string, name: string): unknown[] {
  const value = node[`${prefix}${name}`];
  return Array.isArray(value) ? value : [];
}

/**
 * Reads an ADX (IHE mADX) return: one `<group orgUnit period dataSet>` of `<dataValue dataElement value>`,
 * each optionally holding an `<annotation>` (the explanation). A DOCTYPE is refused outright.
 */
export function readAdxReturn(bytes: Buffer, layout: ReturnLayout, file: string): ReturnDocument {
  const text = decodeReturnText(bytes, file);
  checkNotEmpty(text, file);
  const doctype = /<!DOCTYPE|<!ENTITY/i.exec(text);
  if (doctype)
    throw fileRefused(file, 'declares a DOCTYPE.', {
      row: lineAndColumn(text, doctype.index).line,
      message:
        'The file declares a DOCTYPE or an entity, which is refused for safety (ADX files need neither): remove the <!DOCTYPE …> declaration.',
    });
  const validation = XMLValidator.validate(text);
  if (validation !== true)
    throw fileRefused(file, 'is not well-formed XML.', {
      ...(validation.err.line ? { row: validation.err.line } : {}),
      ...(validation.err.col ? { column: `character ${validation.err.col}` } : {}),
      message: `The file is not well-formed XML (${validation.err.msg}): check that it was saved completely and that every element is closed.`,
    });

  const document = parseXml(text);
  const problems = new ProblemList();
  const rootNames = Object.keys(document);
  const rootName = rootNames[0];
  if (rootNames.length !== 1 || rootName === undefined || localName(rootName) !== 'adx')
    throw fileRefused(file, 'is not an ADX file.', {
      message: `The file's root element is <${rootNames.join('>, <')}>: an ADX return has one root element <adx xmlns="${adxNamespace}">.`,
    });
  const root = asNode(document[rootName]);
  const prefix = rootName.includes(':') ? `${rootName.slice(0, rootName.indexOf(':'))}:` : '';
  const namespace = attribute(root, prefix === '' ? 'xmlns' : `xmlns:${prefix.slice(0, -1)}`);
  if (namespace !== adxNamespace)
    problems.add({
      file,
      row: lineOf(text, root) ?? 1,
      field: 'adx/@xmlns',
      message: `The <adx> element is in namespace "${namespace ?? 'none'}": write <adx xmlns="${adxNamespace}">.`,
    });

  const groups = childList(root, prefix, 'group');
  const group = asNode(groups[0]);
  if (groups.length !== 1) {
    problems.add({
      file,
      ...(groups[1] !== undefined ? { row: lineOf(text, groups[1]) } : {}),
      field: 'adx/group',
      message:
        groups.length === 0
          ? `The file has no <group>: add one <group orgUnit="…" period="…" dataSet="${layout.code}"> holding the values.`
          : `The file has ${groups.length} <group> elements: a return file holds exactly one (one organisation, one period, one template).`,
    });
    problems.throwIfAny(formatSummary('adx', file));
  }

  const groupLine = lineOf(text, group);
  const at = (field: string, node: unknown = group) => ({ row: lineOf(text, node) ?? groupLine, field });
  const raw: RawReturn = { template: null, odsCode: null, periodStart: null, entries: [] };
  const required = (name: string): string | null => {
    const value = attribute(group, name);
    if (value === null)
      problems.add({
        file,
        ...at(`group/@${name}`),
        message: `The <group> has no ${name} attribute: add ${name}="…" (see the example return).`,
      });
    return value;
  };
  const dataSet = required('dataSet');
  if (dataSet !== null) raw.template = { value: dataSet, location: at('group/@dataSet') };
  const orgUnit = required('orgUnit');
  if (orgUnit !== null) raw.odsCode = { value: orgUnit, location: at('group/@orgUnit') };
  const period = required('period');
  if (period !== null) {
    const parsedPeriod = periodProblems(period, layout, file, at('group/@period'));
    problems.add(...parsedPeriod.problems);
    if (parsedPeriod.start !== null)
      raw.periodStart = { value: parsedPeriod.start, location: at('group/@period') };
  }
  problems.add(
    ...unexpectedAttributes(
      group,
      ['orgUnit', 'period', 'dataSet', 'completeDate'],
      'group',
      file,
      at('group'),
    ),
  );

  childList(group, prefix, 'dataValue').forEach((element, index) => {
    const node = asNode(element);
    const path = `group/dataValue[${index + 1}]`;
    const item = attribute(node, 'dataElement');
    const value = attribute(node, 'value');
    problems.add(
      ...unexpectedAttributes(node, ['dataElement', 'value'], 'dataValue', file, at(path, element)),
    );
    if (item === null || value === null) {
      problems.add({
        file,
        ...at(path, element),
        message: `This <dataValue> has no ${item === null ? 'dataElement' : 'value'} attribute: write <dataValue dataElement="item_code" value="1234"/> (value="" when you have no figure).`,
      });
      return;
    }
    const annotation = childList(node, prefix, 'annotation')[0];
    raw.entries.push({
      item,
      itemLocation: at(`${path}/@dataElement`, element),
      place: `line ${lineOf(text, element) ?? '?'}`,
      value: value.trim() === '' ? { kind: 'blank' } : { kind: 'text', text: value },
      valueLocation: at(`${path}/@value`, element),
      explanation:
        annotation === undefined
          ? null
          : { value: textOf(annotation), location: at(`${path}/annotation`, element) },
    } satisfies RawEntry);
  });

  const doc = assembleReturn(raw, layout, file, problems);
  problems.throwIfAny(formatSummary('adx', file));
  if (!doc) throw new Error('A return with no problems was not assembled');
  return doc;
}

function periodProblems(
  period: string,
  layout: ReturnLayout,
  file: string,
  location: ProblemLocation,
): { start: string | null; problems: Problem[] } {
  const expected = adxPeriodDurations[layout.periodType];
  const match = /^(\S+)\/(P\w+)$/.exec(period.trim());
  if (!match || match[1] === undefined || match[2] === undefined)
    return {
      start: null,
      problems: [
        {
          file,
          ...location,
          message: `period="${period}" is not an ADX period: write the start date and the duration, such as period="2025-04-01/${expected}".`,
        },
      ],
    };
  const [, start, duration] = match;
  const same = duration === expected || (expected === 'P1Y' && duration === 'P12M');
  if (same) return { start, problems: [] };
  return {
    start,
    problems: [
      {
        file,
        ...location,
        message: `period="${period}" is ${durationWords[duration] ?? `a period of ${duration}`}, but template ${layout.code} is collected by ${durationWords[expected] ?? expected}: write period="${start}/${expected}".`,
      },
    ],
  };
}

function unexpectedAttributes(
  node: XmlNode,
  allowed: readonly string[],
  element: string,
  file: string,
  location: ProblemLocation,
): Problem[] {
  const extra = Object.keys(node)
    .filter((key) => key.startsWith('@'))
    .map((key) => key.slice(1))
    .filter((name) => !allowed.includes(name) && name !== 'xmlns' && !name.startsWith('xmlns:'));
  if (extra.length === 0) return [];
  return [
    {
      file,
      ...location,
      message: `The <${element}> has attribute(s) ${extra.join(', ')}, which this return does not use (disaggregations are not collected): remove them.`,
    },
  ];
}

/**
 * Writes an ADX return; a blank figure is written value="" so that the item is still listed, and an
 * explained check is a dataValue named by the check code with value="" and the annotation.
 */
export function writeAdxReturn(doc: ReturnDocument, layout: ReturnLayout, now: Date): Buffer {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<adx xmlns="${adxNamespace}" exported="${now.toISOString()}">`,
    `  <group orgUnit="${escapeXml(doc.odsCode, true)}" period="${escapeXml(doc.periodStart, true)}/${adxPeriodDurations[layout.periodType]}" dataSet="${escapeXml(layout.code, true)}">`,
    ...layout.items.map((item) => {
      const value = doc.values[item.code];
      const explanation = doc.explanations[item.code];
      const open = `    <dataValue dataElement="${escapeXml(item.code, true)}" value="${value === null || value === undefined ? '' : String(value)}"`;
      return explanation
        ? `${open}><annotation>${escapeXml(explanation, false)}</annotation></dataValue>`
        : `${open}/>`;
    }),
    ...checkExplanations(doc, layout).map(
      ([check, text]) =>
        `    <dataValue dataElement="${escapeXml(check, true)}" value=""><annotation>${escapeXml(text, false)}</annotation></dataValue>`,
    ),
    '  </group>',
    '</adx>',
    '',
  ];
  return Buffer.from(lines.join('\n'), 'utf8');
}
