import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import type { SpcResponse } from '../api-client.js';
import { ChartDownloads, nameChart } from './chart-export.js';
import { AssuranceIconView, spcColours, VariationIconView } from './SpcIcons.js';

type SpcPoint = SpcResponse['points'][number];

const pointColour: Record<SpcPoint['pointType'], string> = {
  common_cause: spcColours.common,
  special_cause_improvement: spcColours.improvement,
  special_cause_concern: spcColours.concern,
  special_cause_neutral_high: spcColours.neutral,
  special_cause_neutral_low: spcColours.neutral,
};
// A second signal besides colour: improvement triangles, concern diamonds, neutral squares.
const pointSymbol: Record<SpcPoint['pointType'], string> = {
  common_cause: 'circle',
  special_cause_improvement: 'triangle',
  special_cause_concern: 'diamond',
  special_cause_neutral_high: 'square',
  special_cause_neutral_low: 'square',
};

const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/**
 * The Making Data Count chart: points joined by a thin grey line, solid mean, dashed process limits,
 * dashed target, limits broken at each rebase, point colour and shape by point type; icons top right and
 * the sentence above come from the same result. All the maths is in src/stats/spc.ts.
 */
export function SpcChart({ spc, title, fileName }: { spc: SpcResponse; title: string; fileName: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const points = spc.points;

  useEffect(() => {
    const element = holder.current;
    if (!element || points.length === 0) return;
    const rows = points.map((p) => ({ ...p, x: utc(p.date) }));
    const unit = spc.metric.unit;
    const chart = Plot.plot({
      width: Math.max(320, element.clientWidth || 640),
      height: 320,
      marginLeft: 56,
      marginRight: 16,
      style: { fontSize: '14px', background: 'transparent' },
      x: { type: 'utc', label: null },
      y: { grid: true, label: unit === '%' ? 'Per cent' : unit },
      marks: [
        Plot.line(rows, { x: 'x', y: 'upl', z: 'rebaseGroup', stroke: '#425563', strokeDasharray: '5,4' }),
        Plot.line(rows, { x: 'x', y: 'lpl', z: 'rebaseGroup', stroke: '#425563', strokeDasharray: '5,4' }),
        Plot.line(rows, { x: 'x', y: 'mean', z: 'rebaseGroup', stroke: '#212b32', strokeWidth: 1.5 }),
        ...(spc.target
          ? [Plot.ruleY([spc.target.value], { stroke: spcColours.target, strokeDasharray: '8,4' })]
          : []),
        ...spc.settings.rebaseAt.map((date) =>
          Plot.ruleX([utc(date)], { stroke: '#425563', strokeWidth: 1 }),
        ),
        Plot.line(rows, { x: 'x', y: 'value', stroke: spcColours.common, strokeWidth: 1 }),
        Plot.dot(rows, {
          x: 'x',
          y: 'value',
          r: 4,
          fill: (d: SpcPoint) => pointColour[d.pointType],
          symbol: (d: SpcPoint) => pointSymbol[d.pointType],
        }),
      ],
    });
    nameChart(chart, `${title}. ${spc.sentence}`);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [points, spc, title]);

  return (
    <figure className="app-chart app-spc" data-testid="spc-chart">
      <div className="app-spc__header">
        <p className="app-spc__sentence" data-testid="spc-sentence">
          {spc.sentence}
        </p>
        {spc.summary && !spc.iconsWithheld ? (
          <div className="app-spc__icons">
            <VariationIconView icon={spc.summary.variation} />
            {spc.summary.assurance ? <AssuranceIconView icon={spc.summary.assurance} /> : null}
          </div>
        ) : null}
      </div>
      {points.length > 0 ? <div ref={holder} data-testid="spc-plot" /> : null}
      <figcaption className="nhsuk-body-s">
        {points.length > 0 ? (
          <>
            Key: <span className="app-key app-key--improvement">▲ improvement</span>{' '}
            <span className="app-key app-key--concern">◆ concern</span>{' '}
            <span className="app-key app-key--neutral">■ neither better nor worse</span>{' '}
            <span className="app-key app-key--common">● common cause</span>; solid line the mean, dashed lines
            the {spc.summary?.trialLimits ? 'trial ' : ''}process limits
            {spc.target ? `, red dashed line the ${spc.target.label}` : ''}.{' '}
            {spc.missing.length > 0 ? `No figure for ${spc.missing.join(', ')} (left out). ` : ''}
            <ChartDownloads holder={holder} fileName={fileName} />
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}
