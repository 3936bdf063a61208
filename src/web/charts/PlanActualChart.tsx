import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { ChartDownloads, nameChart } from './chart-export.js';

export interface PlanActualPoint {
  /** First day of the month. */
  month: string;
  plan: number | null;
  actual: number | null;
}

const planColour = '#425563';
const actualColour = '#005eb8';
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/**
 * Plan against actual by month: the plan as a dashed trajectory, the actual as a solid line with points.
 * The figures, the sentence and the table come from the page; this only draws them.
 */
export function PlanActualChart({
  points,
  yLabel,
  zero,
  title,
  fileName,
}: {
  points: PlanActualPoint[];
  yLabel: string;
  /** Start the axis at zero (counts and money); percentages may be cropped. */
  zero: boolean;
  title: string;
  fileName: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const hasValues = points.some((p) => p.plan !== null || p.actual !== null);

  useEffect(() => {
    const element = holder.current;
    if (!element || !hasValues) return;
    const plan = points.filter((p) => p.plan !== null).map((p) => ({ x: utc(p.month), y: p.plan }));
    const actual = points.filter((p) => p.actual !== null).map((p) => ({ x: utc(p.month), y: p.actual }));
    // A flat plan with no actuals yet would give the axis no height: give it some room around the value.
    const values = [...plan, ...actual].map((p) => p.y ?? 0);
    const low = Math.min(...values, ...(zero ? [0] : []));
    const high = Math.max(...values, ...(zero ? [0] : []));
    const room = Math.max(1, Math.abs(high) * 0.05);
    const flat: [number, number] | null =
      low === high ? [low - (zero && low === 0 ? 0 : room), high + room] : null;
    const chart = Plot.plot({
      width: Math.max(320, element.clientWidth || 640),
      height: 260,
      marginLeft: 64,
      style: { fontSize: '14px', background: 'transparent' },
      x: { type: 'utc', label: null, domain: [utc(points[0]?.month ?? ''), utc(points.at(-1)?.month ?? '')] },
      y: { grid: true, label: yLabel, zero, ...(flat === null ? {} : { domain: flat }) },
      marks: [
        Plot.lineY(plan, { x: 'x', y: 'y', stroke: planColour, strokeWidth: 2, strokeDasharray: '6,4' }),
        Plot.lineY(actual, { x: 'x', y: 'y', stroke: actualColour, strokeWidth: 2 }),
        Plot.dot(actual, { x: 'x', y: 'y', fill: actualColour, r: 3 }),
      ],
    });
    nameChart(chart, title);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [points, yLabel, zero, title, hasValues]);

  if (!hasValues) return null;
  return (
    <figure className="app-chart">
      <div ref={holder} data-testid="plan-actual-chart" />
      <figcaption className="nhsuk-body-s">
        Key: <span className="app-key app-key--plan">- - plan</span>{' '}
        <span className="app-key app-key--actual">● actual</span>.{' '}
        <ChartDownloads holder={holder} fileName={fileName} />
      </figcaption>
    </figure>
  );
}
