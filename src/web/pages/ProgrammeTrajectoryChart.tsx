import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { ChartDownloads, nameChart } from '../charts/chart-export.js';

export interface TrajectoryChartPoint {
  /** First day of the month. */
  month: string;
  value: number | null;
  trajectory: number | null;
}

const trajectoryColour = '#DE1B1B';
const englandColour = '#005eb8';
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/**
 * England's monthly value of a programme metric with the programme's trajectory as a dashed line (the
 * design's target colour). The sentence and the table come from the page; this only draws them.
 */
export function ProgrammeTrajectoryChart({
  points,
  yLabel,
  percentage,
  title,
  fileName,
}: {
  points: TrajectoryChartPoint[];
  yLabel: string;
  /** Percentages may crop the axis; counts start at zero. */
  percentage: boolean;
  title: string;
  fileName: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const hasValues = points.some((p) => p.value !== null);

  useEffect(() => {
    const element = holder.current;
    if (!element || !hasValues) return;
    const trajectory = points
      .filter((p) => p.trajectory !== null)
      .map((p) => ({ x: utc(p.month), y: p.trajectory }));
    const actual = points.filter((p) => p.value !== null).map((p) => ({ x: utc(p.month), y: p.value }));
    const values = [...trajectory, ...actual].map((p) => p.y ?? 0);
    const low = Math.min(...values, ...(percentage ? [] : [0]));
    const high = Math.max(...values);
    const room = Math.max(1, Math.abs(high) * 0.05);
    const chart = Plot.plot({
      width: Math.max(320, element.clientWidth || 640),
      height: 260,
      marginLeft: 64,
      style: { fontSize: '14px', background: 'transparent' },
      x: { type: 'utc', label: null, domain: [utc(points[0]?.month ?? ''), utc(points.at(-1)?.month ?? '')] },
      y: {
        grid: true,
        label: yLabel,
        domain: [
          percentage ? Math.max(0, low - room) : 0,
          percentage ? Math.min(100, high + room) : high + room,
        ],
      },
      marks: [
        Plot.lineY(trajectory, {
          x: 'x',
          y: 'y',
          stroke: trajectoryColour,
          strokeWidth: 2,
          strokeDasharray: '6,4',
        }),
        Plot.lineY(actual, { x: 'x', y: 'y', stroke: englandColour, strokeWidth: 2 }),
        Plot.dot(actual, { x: 'x', y: 'y', fill: englandColour, r: 3 }),
      ],
    });
    nameChart(chart, title);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [points, yLabel, percentage, title, hasValues]);

  if (!hasValues) return null;
  return (
    <figure className="app-chart">
      <div ref={holder} data-testid="trajectory-chart" />
      <figcaption className="nhsuk-body-s">
        Key: <span className="app-key">● England</span>{' '}
        {points.some((p) => p.trajectory !== null) ? <span className="app-key">- - trajectory</span> : null}.{' '}
        <ChartDownloads holder={holder} fileName={fileName} />
      </figcaption>
    </figure>
  );
}
