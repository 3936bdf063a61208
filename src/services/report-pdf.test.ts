import { describe, expect, it } from 'vitest';
import { pdfTextLines } from '../../test/pdf-text.js';
import { demoNotice } from './dataset.service.js';
import type { PerformanceReport, ReportRow } from './performance-report.service.js';
import { renderReportPdf, reportPdfFileName } from './report-pdf.js';

function buildRow(
  overrides: Partial<Omit<ReportRow, 'metric'>> & { code: string; name: string; unit?: string },
): ReportRow {
  const { code, name, unit = '%', ...rest } = overrides;
  return {
    metric: { code, name, unit, domain: 'operational-performance', polarity: 'higher-is-better' },
    month: '2025-03-01',
    label: 'March 2025',
    value: 72.5,
    target: { value: 78, label: 'Operational standard' },
    mean: 74.1,
    lpl: 70.2,
    upl: 78,
    variation: 'concern_low',
    assurance: 'fail',
    points: 24,
    sentence: '',
    recent: Array.from({ length: 24 }, (_, i) => (i === 5 ? null : 74 + Math.sin(i) * 2)),
    benchmark: null,
    ...rest,
  };
}

function buildReport(rows: ReportRow[]): PerformanceReport {
  return {
    organisation: { code: 'RJ1', name: 'Guy’s and St Thomas’ NHS Foundation Trust' },
    segment: null,
    month: '2025-03-01',
    sections: [{ domain: 'operational-performance', rows }],
    matrix: {
      improvement: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
      common: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
      concern: { pass: 0, inconsistent: 0, fail: rows.length, none: 0 },
      neutral: { pass: 0, inconsistent: 0, fail: 0, none: 0 },
    },
  };
}

const notDemo = { demoData: false, notice: null };

/** The lines as running text: a wrapped line keeps its trailing space. */
const words = (lines: string[]) => lines.join(' ').replace(/\s+/g, ' ');

describe('the integrated performance report as a PDF', () => {
  it('writes the cover, the summary and each measure as real text', async () => {
    const report = buildReport([
      buildRow({
        code: 'ae_4h_all',
        name: 'A&E 4-hour performance, all types',
        benchmark: { rank: 24, of: 142, band: 1, median: 74.2, among: 'trusts' },
      }),
      buildRow({
        code: 'ae_attendances',
        name: 'A&E attendances, all types',
        unit: 'attendances',
        value: -12345.4,
        target: null,
        mean: null,
        lpl: null,
        upl: null,
        variation: null,
        assurance: null,
        recent: [null, 4],
      }),
      buildRow({ code: 'fin_surplus_margin', name: 'Surplus (deficit) margin', lpl: -0.04, upl: 2.3 }),
    ]);
    const pdf = await renderReportPdf(report, { notice: notDemo, generatedOn: '2025-04-20' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const lines = pdfTextLines(pdf);
    expect(lines).toContain('Guy’s and St Thomas’ NHS Foundation Trust');
    expect(lines).toContain('ODS code RJ1  ·  Figures to March 2025  ·  Produced 20 April 2025');
    expect(lines).toContain('A&E 4-hour performance, all types');
    expect(lines).toContain('Higher is better · per cent · rank 24 of 142 trusts');
    expect(lines).toContain('Higher is better · attendances');
    expect(lines).toContain('0.0% to 2.3%');
    expect(lines).toEqual(expect.arrayContaining(['72.5%', '78.0%', '74.1%', '70.2% to 78.0%']));
    // Icons carry letters as well as colours; a row without them says why.
    expect(lines).toEqual(expect.arrayContaining(['L', 'F', 'No target', '-12,345']));
    expect(words(lines)).toContain('Too few points');
    expect(lines).toContain('Generated 20 April 2025 by NHS Oversight');
    expect(lines).toContain('Page 1 of 1');
    expect(words(lines)).not.toContain('Demonstration data');
  });

  it('says so on the cover when the figures are the generated demo', async () => {
    const report = buildReport([buildRow({ code: 'ae_4h_all', name: 'A&E 4-hour performance' })]);
    const pdf = await renderReportPdf(report, {
      notice: { demoData: true, notice: demoNotice },
      generatedOn: '2025-04-20',
    });
    expect(words(pdfTextLines(pdf))).toContain('Demonstration data. NHS England regions');
  });

  it('repeats the table header on every page a section runs onto, and numbers the pages', async () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      buildRow({
        code: `m${i}`,
        name: `Measure number ${i + 1} with a name long enough to wrap onto two lines`,
      }),
    );
    const lines = pdfTextLines(
      await renderReportPdf(buildReport(rows), { notice: notDemo, generatedOn: '2025-04-20' }),
    );
    const pages = lines.filter((l) => /^Page \d+ of \d+$/.test(l));
    expect(pages.length).toBeGreaterThan(2);
    expect(pages).toContain(`Page ${pages.length} of ${pages.length}`);
    // One header on each page with the table: the first page's and one per continuation.
    const continued = lines.filter((l) => l === 'Operational performance (continued)').length;
    expect(continued).toBeGreaterThan(0);
    expect(lines.filter((l) => l === 'Last 24 months')).toHaveLength(continued + 1);
    expect(words(lines)).toContain('Measure number 40 with a name long enough to wrap onto two lines');
  });

  it('says when there is nothing to report', async () => {
    const lines = pdfTextLines(
      await renderReportPdf(
        { ...buildReport([]), sections: [] },
        { notice: notDemo, generatedOn: '2025-04-20' },
      ),
    );
    expect(lines).toContain('No measure has figures for this organisation up to this date.');
  });

  it('names the file by organisation and month', () => {
    expect(reportPdfFileName(buildReport([]))).toBe('ipr-RJ1-2025-03.pdf');
  });
});

describe('the oversight segment in the PDF', () => {
  it('states the segment, the overrides, the judgement, the change and each driver with its icon letter', async () => {
    const report: PerformanceReport = {
      ...buildReport([buildRow({ code: 'ae_4h_all', name: 'A&E 4-hour performance, all types' })]),
      segment: {
        methodology: 'NHS Oversight Framework 2025/26',
        methodologyCode: 'nof-2025-26',
        quarter: 'Q4 2024/25',
        quarterStart: '2025-01-01',
        segment: 5,
        segmentLabel: 'Intensive support',
        averageScore: 3.42,
        leaguePosition: 77,
        leagueOf: 80,
        peerGroup: 'acute',
        judgement: { segment: 5, reason: 'Entered the Provider Improvement Programme.' },
        overridesApplied: ['In deficit: no better than segment 3'],
        drivers: [
          {
            metric: 'ae_4h_all',
            name: 'A&E 4-hour performance, all types',
            domain: 'access',
            value: 61.2,
            unit: '%',
            score: 3.9,
            pull: 0.73,
            variation: 'concern_low',
            assurance: 'fail',
            sentence: 'The latest point shows special cause concern, lower.',
          },
        ],
        change: ['Average score worsened by 0.30, a significant change (at least 0.20).'],
      },
    };
    const text = words(
      pdfTextLines(await renderReportPdf(report, { notice: notDemo, generatedOn: '2025-04-20' })),
    );
    expect(text).toContain('Oversight segment: NHS Oversight Framework 2025/26, Q4 2024/25');
    expect(text).toContain('Segment 5: Intensive support. Average metric score 3.42');
    expect(text).toContain('position 77 of 80 acute organisations');
    expect(text).toContain('Overrides applied: In deficit: no better than segment 3.');
    expect(text).toContain('Regional judgement: segment 5. Entered the Provider Improvement Programme.');
    expect(text).toContain('Average score worsened by 0.30');
    expect(text).toContain('A&E 4-hour performance, all types: 61.2%, score 3.90, share of the gap 0.73.');
  });
});
