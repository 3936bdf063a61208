import PDFDocument from 'pdfkit';
import { formatLongDate, type IsoDate } from '../domain/iso-date.js';
import { metricDomainLabels, polarityLabels } from '../domain/metric.js';
import type { AssuranceIcon, VariationIcon } from '../domain/spc-summary.js';
import type { DatasetNotice } from './dataset.service.js';
import type { PerformanceReport, ReportRow } from './performance-report.service.js';

/**
 * The integrated performance report as a board-ready PDF: A4 landscape, the cover lines, the
 * variation-by-assurance summary, then one table per domain with Making Data Count icons and sparklines
 * drawn as vectors. Text is real (selectable) text in the standard Helvetica font, so nothing is
 * downloaded or embedded. Each part of the report is one function of `reportParts`: a new part (the
 * oversight segment, say) is one more function there.
 */

export interface ReportPdfOptions {
  /** Says so on the cover when the figures are the generated demo dataset. */
  notice: DatasetNotice;
  /** The day the PDF is made, for the footer of every page. */
  generatedOn: IsoDate;
}

/** A file name that sorts and says what it is: `ipr-RJ1-2025-03.pdf`. */
export function reportPdfFileName(report: Pick<PerformanceReport, 'organisation' | 'month'>): string {
  const code = report.organisation.code.replace(/[^A-Za-z0-9]/g, '');
  return `ipr-${code}-${report.month.slice(0, 7)}.pdf`;
}

/** Renders the report; resolves with the whole PDF (a report is tens of kilobytes). */
export function renderReportPdf(report: PerformanceReport, options: ReportPdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: page.top, bottom: page.bottom, left: page.left, right: page.right },
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: `Integrated performance report: ${report.organisation.name}, ${monthLabel(report.month)}`,
      Author: 'NHS Oversight',
      Creator: 'NHS Oversight',
      Subject: `Integrated performance report for ${report.organisation.name} (${report.organisation.code})`,
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const ctx: ReportPdfContext = { doc, y: page.top, report, options };
  for (const part of reportParts) part(ctx);
  drawFooters(ctx);
  doc.end();
  return done;
}

/** Where the drawing has got to; parts move `y` down and start pages through `ensureSpace`. */
interface ReportPdfContext {
  doc: PDFKit.PDFDocument;
  y: number;
  report: PerformanceReport;
  options: ReportPdfOptions;
}

type ReportPart = (ctx: ReportPdfContext) => void;

/** The report, top to bottom. */
const reportParts: ReportPart[] = [
  drawCover,
  drawNotice,
  drawSummary,
  drawSegment,
  drawIconKey,
  drawDomainTables,
];

// A4 landscape in points, with room at the foot for the footer line.
const page = { width: 841.89, height: 595.28, top: 36, bottom: 44, left: 36, right: 36 };
const contentWidth = page.width - page.left - page.right;
const contentBottom = page.height - page.bottom;

const colours = {
  nhsBlue: '#005EB8',
  text: '#212B32',
  secondary: '#4C6272',
  border: '#D8DDE0',
  headerRule: '#425563',
  headerFill: '#F0F4F5',
  noticeFill: '#FFF9C4',
  noticeRule: '#FFEB3B',
  line: '#425563',
  limits: '#768692',
  // Making Data Count colours, as DESIGN.md section 6 and src/web/charts/SpcIcons.tsx.
  improvement: '#0072C6',
  concern: '#E46C0A',
  common: '#7B7D7D',
  neutral: '#8000C0',
} as const;

const font = { regular: 'Helvetica', bold: 'Helvetica-Bold' } as const;

function ensureSpace(ctx: ReportPdfContext, height: number): boolean {
  if (ctx.y + height <= contentBottom) return false;
  ctx.doc.addPage();
  ctx.y = page.top;
  return true;
}

function monthLabel(month: IsoDate): string {
  return formatLongDate(month).replace(/^\d+ /, '');
}

/**
 * A value as the web app writes it (one decimal place for percentages, commas for thousands). The minus
 * sign is a hyphen: the standard fonts' encoding has no U+2212.
 */
function formatValue(value: number, unit: string): string {
  const text = unit === '%' ? `${value.toFixed(1)}%` : Math.round(value).toLocaleString('en-GB');
  // A small negative rounds to "-0.0%"; there is no negative zero on a board paper.
  return /^-0(\.0)?%?$/.test(text) ? text.slice(1) : text;
}

function text(
  ctx: ReportPdfContext,
  value: string,
  x: number,
  y: number,
  style: {
    size: number;
    bold?: boolean;
    colour?: string;
    width?: number;
    align?: 'left' | 'right' | 'center';
    /** Cut to one line with an ellipsis instead of wrapping. */
    oneLine?: boolean;
  },
): void {
  const { doc } = ctx;
  doc
    .font(style.bold ? font.bold : font.regular)
    .fontSize(style.size)
    .fillColor(style.colour ?? colours.text);
  doc.text(value, x, y, {
    ...(style.width !== undefined ? { width: style.width } : {}),
    align: style.align ?? 'left',
    ...(style.oneLine ? { ellipsis: true, height: style.size * 1.2 } : {}),
  });
}

function rule(ctx: ReportPdfContext, y: number, colour: string, width = 0.5): void {
  ctx.doc
    .moveTo(page.left, y)
    .lineTo(page.left + contentWidth, y)
    .lineWidth(width)
    .strokeColor(colour)
    .stroke();
}

// ---------------------------------------------------------------------------------------------------
// Cover

function drawCover(ctx: ReportPdfContext): void {
  const { doc, report } = ctx;
  doc.rect(page.left, ctx.y, contentWidth, 24).fill(colours.nhsBlue);
  text(ctx, 'Integrated performance report', page.left + 10, ctx.y + 7, {
    size: 11,
    bold: true,
    colour: '#FFFFFF',
  });
  text(ctx, 'NHS Oversight', page.left + 10, ctx.y + 7, {
    size: 11,
    colour: '#FFFFFF',
    width: contentWidth - 20,
    align: 'right',
  });
  ctx.y += 36;
  doc.font(font.bold).fontSize(20);
  const nameHeight = doc.heightOfString(report.organisation.name, { width: contentWidth });
  text(ctx, report.organisation.name, page.left, ctx.y, { size: 20, bold: true, width: contentWidth });
  ctx.y += nameHeight + 4;
  text(
    ctx,
    `ODS code ${report.organisation.code}  \u00b7  Figures to ${monthLabel(report.month)}  \u00b7  Produced ${formatLongDate(ctx.options.generatedOn)}`,
    page.left,
    ctx.y,
    { size: 11, colour: colours.secondary, width: contentWidth },
  );
  ctx.y += 20;
  const ask =
    'The board is asked to note the areas of improvement and decline, and to seek assurance on the plans to ' +
    'improve measures that show special cause concern or consistently fail their target. Each measure is read ' +
    'as statistical process control (Making Data Count): has it changed, and can we rely on meeting the target?';
  doc.font(font.regular).fontSize(10);
  const askHeight = doc.heightOfString(ask, { width: contentWidth });
  text(ctx, ask, page.left, ctx.y, { size: 10, width: contentWidth });
  ctx.y += askHeight + 10;
}

function drawNotice(ctx: ReportPdfContext): void {
  const { notice } = ctx.options.notice;
  if (!ctx.options.notice.demoData || !notice) return;
  const { doc } = ctx;
  const line = `Demonstration data. ${notice}`;
  doc.font(font.bold).fontSize(9.5);
  const height = doc.heightOfString(line, { width: contentWidth - 24 }) + 12;
  doc.rect(page.left, ctx.y, contentWidth, height).fill(colours.noticeFill);
  doc.rect(page.left, ctx.y, 5, height).fill(colours.noticeRule);
  text(ctx, line, page.left + 14, ctx.y + 6, { size: 9.5, bold: true, width: contentWidth - 24 });
  ctx.y += height + 12;
}

// ---------------------------------------------------------------------------------------------------
// Summary: variation by assurance

const matrixRows = [
  { key: 'concern', label: 'Special cause concern', colour: colours.concern },
  { key: 'common', label: 'Common cause', colour: colours.common },
  { key: 'improvement', label: 'Special cause improvement', colour: colours.improvement },
  { key: 'neutral', label: 'Special cause, neither better nor worse', colour: colours.neutral },
] as const;

const matrixColumns = [
  { key: 'pass', label: 'Passes', icon: 'pass' },
  { key: 'inconsistent', label: 'Hit and miss', icon: 'inconsistent' },
  { key: 'fail', label: 'Fails', icon: 'fail' },
  { key: 'none', label: 'No target', icon: null },
] as const;

function drawSectionHeading(ctx: ReportPdfContext, label: string): void {
  text(ctx, label, page.left, ctx.y, { size: 13, bold: true, width: contentWidth });
  ctx.y += 20;
}

function drawSummary(ctx: ReportPdfContext): void {
  const { doc, report } = ctx;
  const headerHeight = 30;
  const rowHeight = 20;
  ensureSpace(ctx, 20 + headerHeight + rowHeight * matrixRows.length);
  doc.outline.addItem('Summary');
  drawSectionHeading(ctx, 'Summary: measures by variation and assurance');
  const labelWidth = 250;
  const columnWidth = 92;
  const top = ctx.y;
  doc
    .rect(page.left, top, labelWidth + columnWidth * matrixColumns.length, headerHeight)
    .fill(colours.headerFill);
  text(ctx, 'Variation', page.left + 6, top + 10, { size: 9, bold: true });
  matrixColumns.forEach((column, index) => {
    const x = page.left + labelWidth + index * columnWidth;
    if (column.icon) drawAssuranceIcon(ctx, column.icon, x + columnWidth - 26, top + 4, 22);
    text(ctx, column.label, x, top + 10, {
      size: 9,
      bold: true,
      width: column.icon ? columnWidth - 30 : columnWidth - 6,
      align: 'right',
    });
  });
  ctx.y = top + headerHeight;
  const tableWidth = labelWidth + columnWidth * matrixColumns.length;
  doc
    .moveTo(page.left, ctx.y)
    .lineTo(page.left + tableWidth, ctx.y)
    .lineWidth(1)
    .strokeColor(colours.headerRule)
    .stroke();
  for (const row of matrixRows) {
    // Colour with words beside it, never colour alone.
    doc.rect(page.left + 2, ctx.y + 5, 4, rowHeight - 10).fill(row.colour);
    text(ctx, row.label, page.left + 12, ctx.y + 6, { size: 9.5 });
    matrixColumns.forEach((column, index) => {
      const count = report.matrix[row.key][column.key];
      text(ctx, String(count), page.left + labelWidth + index * columnWidth, ctx.y + 6, {
        size: 9.5,
        bold: count > 0,
        colour: count > 0 ? colours.text : colours.secondary,
        width: columnWidth - 6,
        align: 'right',
      });
    });
    ctx.y += rowHeight;
    doc
      .moveTo(page.left, ctx.y)
      .lineTo(page.left + tableWidth, ctx.y)
      .lineWidth(0.5)
      .strokeColor(colours.border)
      .stroke();
  }
  ctx.y += 10;
}

// ---------------------------------------------------------------------------------------------------
// Oversight segment and its drivers

function drawSegment(ctx: ReportPdfContext): void {
  const segment = ctx.report.segment;
  if (!segment) return;
  const { doc } = ctx;
  const lines = [
    segment.segment === null
      ? `Not segmented: ${segment.segmentLabel ?? ''}`
      : `Segment ${segment.segment}${segment.segmentLabel ? `: ${segment.segmentLabel}` : ''}. Average metric score ${segment.averageScore?.toFixed(2) ?? '-'} (1.00 best, 4.00 worst); position ${segment.leaguePosition ?? '-'} of ${segment.leagueOf} ${segment.peerGroup} organisations.`,
    ...(segment.overridesApplied.length > 0
      ? [`Overrides applied: ${segment.overridesApplied.join('; ')}.`]
      : []),
    ...(segment.judgement
      ? [
          `Regional judgement: segment ${segment.judgement.segment}.${segment.judgement.reason ? ` ${segment.judgement.reason}` : ''}`,
        ]
      : []),
    ...(segment.change.length > 0 ? [`Since the previous quarter: ${segment.change.join(' ')}`] : []),
  ];
  doc.font(font.regular).fontSize(9.5);
  const textHeight = lines.reduce((h, line) => h + doc.heightOfString(line, { width: contentWidth }) + 3, 0);
  ensureSpace(ctx, 20 + textHeight + 24 + 26 * Math.min(1, segment.drivers.length));
  doc.outline.addItem('Oversight segment');
  drawSectionHeading(ctx, `Oversight segment: ${segment.methodology}, ${segment.quarter}`);
  for (const line of lines) {
    text(ctx, line, page.left, ctx.y, { size: 9.5, width: contentWidth });
    ctx.y += doc.heightOfString(line, { width: contentWidth }) + 3;
  }
  if (segment.drivers.length === 0) {
    ctx.y += 8;
    return;
  }
  ctx.y += 4;
  text(ctx, 'Drivers: the metrics pulling the score down most', page.left, ctx.y, { size: 9.5, bold: true });
  ctx.y += 16;
  for (const driver of segment.drivers) {
    ensureSpace(ctx, 26);
    if (driver.variation) drawVariationIcon(ctx, driver.variation, page.left, ctx.y, 20);
    const value = driver.value === null ? 'no value' : formatValue(driver.value, driver.unit);
    text(
      ctx,
      `${driver.name}: ${value}, score ${driver.score.toFixed(2)}, share of the gap ${driver.pull.toFixed(2)}. ${driver.sentence}`,
      page.left + 28,
      ctx.y + 2,
      { size: 9, width: contentWidth - 28 },
    );
    doc.font(font.regular).fontSize(9);
    ctx.y += Math.max(24, doc.heightOfString(driver.sentence, { width: contentWidth - 28 }) + 16);
  }
  ctx.y += 6;
}

/** What the icons mean, once, before the tables that use them. */
function drawIconKey(ctx: ReportPdfContext): void {
  const entries: Array<{ draw: (x: number, y: number) => void; label: string }> = [
    { draw: (x, y) => drawVariationIcon(ctx, 'concern_high', x, y, 18), label: 'Concern (H high, L low)' },
    { draw: (x, y) => drawVariationIcon(ctx, 'improvement_high', x, y, 18), label: 'Improvement' },
    { draw: (x, y) => drawVariationIcon(ctx, 'common_cause', x, y, 18), label: 'Common cause' },
    { draw: (x, y) => drawVariationIcon(ctx, 'neutral_high', x, y, 18), label: 'Neither better nor worse' },
    { draw: (x, y) => drawAssuranceIcon(ctx, 'pass', x, y, 18), label: 'Consistently passes' },
    { draw: (x, y) => drawAssuranceIcon(ctx, 'inconsistent', x, y, 18), label: 'Hit and miss' },
    { draw: (x, y) => drawAssuranceIcon(ctx, 'fail', x, y, 18), label: 'Consistently fails' },
  ];
  ensureSpace(ctx, 24);
  text(ctx, 'Key', page.left, ctx.y + 5, { size: 8.5, bold: true });
  let x = page.left + 26;
  for (const entry of entries) {
    entry.draw(x, ctx.y);
    ctx.doc.font(font.regular).fontSize(8.5);
    const width = ctx.doc.widthOfString(entry.label);
    text(ctx, entry.label, x + 23, ctx.y + 5, { size: 8.5, colour: colours.secondary });
    x += 23 + width + 14;
  }
  ctx.y += 28;
}

// ---------------------------------------------------------------------------------------------------
// One table per domain

interface Column {
  label: string;
  width: number;
  align: 'left' | 'right' | 'center';
}

const columns = {
  measure: { label: 'Measure', width: 206, align: 'left' },
  month: { label: 'Month', width: 72, align: 'left' },
  value: { label: 'Value', width: 60, align: 'right' },
  target: { label: 'Target', width: 58, align: 'right' },
  mean: { label: 'Mean', width: 58, align: 'right' },
  limits: { label: 'Process limits', width: 100, align: 'right' },
  variation: { label: 'Variation', width: 56, align: 'center' },
  assurance: { label: 'Assurance', width: 58, align: 'center' },
  recent: { label: 'Last 24 months', width: contentWidth - 668, align: 'left' },
} satisfies Record<string, Column>;

type ColumnKey = keyof typeof columns;
const columnOrder = Object.keys(columns) as ColumnKey[];
const columnX = Object.fromEntries(
  columnOrder.map((key, index) => [
    key,
    page.left + columnOrder.slice(0, index).reduce((sum, k) => sum + columns[k].width, 0),
  ]),
) as Record<ColumnKey, number>;
const cellPadding = 5;
const headerHeight = 20;
const iconSize = 24;

function drawDomainTables(ctx: ReportPdfContext): void {
  if (ctx.report.sections.length === 0) {
    ensureSpace(ctx, 30);
    text(ctx, 'No measure has figures for this organisation up to this date.', page.left, ctx.y, {
      size: 10,
      colour: colours.secondary,
    });
    ctx.y += 20;
    return;
  }
  for (const section of ctx.report.sections)
    drawDomainTable(ctx, metricDomainLabels[section.domain], section.rows);
}

function drawDomainTable(ctx: ReportPdfContext, label: string, rows: ReportRow[]): void {
  const first = rows[0];
  // Keep the heading with its header and first row.
  ensureSpace(ctx, 20 + headerHeight + (first ? rowHeight(ctx, first) : 0));
  ctx.doc.outline.addItem(label);
  drawSectionHeading(ctx, label);
  drawTableHeader(ctx);
  for (const row of rows) {
    const height = rowHeight(ctx, row);
    if (ensureSpace(ctx, height)) {
      drawSectionHeading(ctx, `${label} (continued)`);
      drawTableHeader(ctx);
    }
    drawRow(ctx, row, height);
  }
  ctx.y += 14;
}

function drawTableHeader(ctx: ReportPdfContext): void {
  const { doc } = ctx;
  doc.rect(page.left, ctx.y, contentWidth, headerHeight).fill(colours.headerFill);
  for (const key of columnOrder) {
    const column = columns[key];
    text(ctx, column.label, columnX[key] + cellPadding, ctx.y + 6, {
      size: 8.5,
      bold: true,
      width: column.width - cellPadding * 2,
      align: column.align,
      oneLine: true,
    });
  }
  ctx.y += headerHeight;
  rule(ctx, ctx.y, colours.headerRule, 1);
}

function measureDetail(row: ReportRow): string {
  const unit = row.metric.unit === '%' ? 'per cent' : row.metric.unit;
  const rank = row.benchmark
    ? ` \u00b7 rank ${row.benchmark.rank} of ${row.benchmark.of} ${row.benchmark.among}`
    : '';
  return `${polarityLabels[row.metric.polarity]} \u00b7 ${unit}${rank}`;
}

function rowHeight(ctx: ReportPdfContext, row: ReportRow): number {
  const width = columns.measure.width - cellPadding * 2;
  ctx.doc.font(font.bold).fontSize(9);
  const name = ctx.doc.heightOfString(row.metric.name, { width });
  return Math.max(iconSize + 10, name + 11 + 10);
}

function drawRow(ctx: ReportPdfContext, row: ReportRow, height: number): void {
  const top = ctx.y;
  const textY = top + 6;
  const unit = row.metric.unit;
  const cell = (key: ColumnKey, value: string | null, empty: string) =>
    text(ctx, value ?? empty, columnX[key] + cellPadding, textY, {
      size: 9,
      colour: value === null ? colours.secondary : colours.text,
      width: columns[key].width - cellPadding * 2,
      align: columns[key].align,
      oneLine: true,
    });

  const nameWidth = columns.measure.width - cellPadding * 2;
  ctx.doc.font(font.bold).fontSize(9);
  const nameHeight = ctx.doc.heightOfString(row.metric.name, { width: nameWidth });
  text(ctx, row.metric.name, columnX.measure + cellPadding, textY, { size: 9, bold: true, width: nameWidth });
  text(ctx, measureDetail(row), columnX.measure + cellPadding, textY + nameHeight + 1, {
    size: 7.5,
    colour: colours.secondary,
    width: nameWidth,
    oneLine: true,
  });
  cell('month', row.label, 'No data');
  cell('value', formatValue(row.value, unit), 'No data');
  cell('target', row.target ? formatValue(row.target.value, unit) : null, 'None');
  cell('mean', row.mean === null ? null : formatValue(row.mean, unit), 'No data');
  cell(
    'limits',
    row.lpl === null || row.upl === null
      ? null
      : `${formatValue(row.lpl, unit)} to ${formatValue(row.upl, unit)}`,
    'No data',
  );
  const iconY = top + (height - iconSize) / 2;
  const iconX = (key: ColumnKey) => columnX[key] + (columns[key].width - iconSize) / 2;
  // Why there is no icon, in words that may take two lines of a narrow column.
  const noIcon = (key: ColumnKey, why: string) =>
    text(ctx, why, columnX[key] + 2, textY, {
      size: 8,
      colour: colours.secondary,
      width: columns[key].width - 4,
      align: 'center',
    });
  if (row.variation) drawVariationIcon(ctx, row.variation, iconX('variation'), iconY, iconSize);
  else noIcon('variation', 'Too few points');
  if (row.assurance) drawAssuranceIcon(ctx, row.assurance, iconX('assurance'), iconY, iconSize);
  else noIcon('assurance', row.target ? 'Too few points' : 'No target');
  drawSparkline(
    ctx,
    row,
    columnX.recent + cellPadding,
    top + 5,
    columns.recent.width - cellPadding * 2,
    height - 10,
  );
  ctx.y = top + height;
  rule(ctx, ctx.y, colours.border);
}

// ---------------------------------------------------------------------------------------------------
// Icons and sparklines, drawn as vectors with the meaning of src/web/charts/SpcIcons.tsx

const variationStyle: Record<VariationIcon, { colour: string; letter: string }> = {
  common_cause: { colour: colours.common, letter: '' },
  improvement_high: { colour: colours.improvement, letter: 'H' },
  improvement_low: { colour: colours.improvement, letter: 'L' },
  concern_high: { colour: colours.concern, letter: 'H' },
  concern_low: { colour: colours.concern, letter: 'L' },
  neutral_high: { colour: colours.neutral, letter: 'H' },
  neutral_low: { colour: colours.neutral, letter: 'L' },
};

const assuranceStyle: Record<AssuranceIcon, { colour: string; letter: string }> = {
  pass: { colour: colours.improvement, letter: 'P' },
  fail: { colour: colours.concern, letter: 'F' },
  inconsistent: { colour: colours.common, letter: '?' },
};

/** An outlined circle with five dots of a run (level, or stepping up or down) and H or L. */
function drawVariationIcon(ctx: ReportPdfContext, icon: VariationIcon, x: number, y: number, size: number) {
  const { doc } = ctx;
  const { colour, letter } = variationStyle[icon];
  const s = size / 48; // the web icon's 48-unit view box
  const high = icon.endsWith('_high');
  doc.save();
  doc
    .circle(x + 24 * s, y + 24 * s, 21 * s)
    .lineWidth(4 * s)
    .fillColor('#FFFFFF')
    .strokeColor(colour)
    .fillAndStroke();
  doc.fillColor(colour);
  for (let i = 0; i < 5; i++) {
    const cy = letter ? (high ? 30 - i * 3 : 18 + i * 3) : 28 + (i % 2 === 0 ? 0 : -4);
    doc.circle(x + (12 + i * 6) * s, y + cy * s, 2.4 * s).fill();
  }
  doc.restore();
  if (letter)
    text(ctx, letter, x, y + 7 * s, { size: 13 * s, bold: true, colour, width: size, align: 'center' });
}

/** A filled circle with a dashed target line and P, F or ? in white. */
function drawAssuranceIcon(ctx: ReportPdfContext, icon: AssuranceIcon, x: number, y: number, size: number) {
  const { doc } = ctx;
  const { colour, letter } = assuranceStyle[icon];
  const s = size / 48;
  doc.save();
  doc.circle(x + 24 * s, y + 24 * s, 21 * s).fill(colour);
  doc
    .moveTo(x + 10 * s, y + 34 * s)
    .lineTo(x + 38 * s, y + 34 * s)
    .lineWidth(2 * s)
    .dash(3 * s, { space: 2 * s })
    .strokeColor('#FFFFFF')
    .stroke();
  doc.undash();
  doc.restore();
  text(ctx, letter, x, y + 13 * s, {
    size: 20 * s,
    bold: true,
    colour: '#FFFFFF',
    width: size,
    align: 'center',
  });
}

const variationColour = (icon: VariationIcon | null) => (icon ? variationStyle[icon].colour : colours.line);

/** The last 24 values with the mean (solid) and process limits (dashed); the latest point in its icon's colour. */
function drawSparkline(
  ctx: ReportPdfContext,
  row: ReportRow,
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const { doc } = ctx;
  const values = row.recent;
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) {
    text(ctx, 'No data', x, y + 1, { size: 9, colour: colours.secondary });
    return;
  }
  const reference = [row.mean, row.lpl, row.upl].filter((v): v is number => v !== null);
  const min = Math.min(...present, ...reference);
  const max = Math.max(...present, ...reference);
  const span = max - min || 1;
  const step = width / Math.max(1, values.length - 1);
  const px = (i: number) => x + i * step;
  const py = (v: number) => y + height - ((v - min) / span) * height;
  doc.save();
  const level = (value: number | null, dashed: boolean) => {
    if (value === null) return;
    doc
      .moveTo(x, py(value))
      .lineTo(x + width, py(value))
      .lineWidth(0.6)
      .strokeColor(colours.limits);
    if (dashed) doc.dash(2, { space: 1.5 });
    doc.stroke();
    doc.undash();
  };
  level(row.mean, false);
  level(row.lpl, true);
  level(row.upl, true);
  // A gap in the figures is a gap in the line.
  doc.lineWidth(1).strokeColor(colours.line).lineJoin('round');
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    if (drawing) doc.lineTo(px(i), py(value));
    else doc.moveTo(px(i), py(value));
    drawing = true;
  });
  doc.stroke();
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  if (last !== null && last !== undefined)
    doc.circle(px(lastIndex), py(last), 1.8).fill(variationColour(row.variation));
  doc.restore();
}

// ---------------------------------------------------------------------------------------------------
// Footer on every page

function drawFooters(ctx: ReportPdfContext): void {
  const { doc, report } = ctx;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    const y = page.height - 28;
    doc
      .moveTo(page.left, y - 6)
      .lineTo(page.left + contentWidth, y - 6)
      .lineWidth(0.5)
      .strokeColor(colours.border)
      .stroke();
    const style = { size: 8, colour: colours.secondary, width: contentWidth, oneLine: true } as const;
    text(ctx, `Generated ${formatLongDate(ctx.options.generatedOn)} by NHS Oversight`, page.left, y, style);
    text(
      ctx,
      `${report.organisation.name} (${report.organisation.code}), ${monthLabel(report.month)}`,
      page.left,
      y,
      { ...style, align: 'center' },
    );
    text(ctx, `Page ${i - range.start + 1} of ${range.count}`, page.left, y, { ...style, align: 'right' });
    doc.page.margins.bottom = page.bottom;
  }
}
