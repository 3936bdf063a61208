import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import type { SeriesPoint } from '../api-client.js';
import { formatValue } from '../format.js';
import { ChartDownloads, nameChart } from './chart-export.js';

/**
 * The figures over time as a line chart, with the target (when there is one) as a dashed step line.
 * The table beside it carries the same figures for screen readers; the chart is an illustration.
 */
export function TimeSeriesChart({
  points,
  unit,
  title,
  fileName,
}: {
  points: SeriesPoint[];
  unit: string;
  title: string;
  fileName: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const values = points.filter((p) => p.value !== null);

  useEffect(() => {
    const element = holder.current;
    if (!element || values.length === 0) return;
    const rows = points.map((p) => ({
      date: new Date(`${p.period.start}T00:00:00Z`),
      value: p.value,
      label: p.label,
    }));
    const targets = points.flatMap((p) => {
      const target = p.targets.find((t) => t.kind !== 'standard') ?? p.targets[0];
      return target
        ? [{ date: new Date(`${p.period.start}T00:00:00Z`), value: target.value, label: target.label }]
        : [];
    });
    const chart = Plot.plot({
      width: Math.max(320, element.clientWidth || 640),
      height: 280,
      marginLeft: 56,
      style: { fontSize: '14px', background: 'transparent' },
      x: { type: 'utc', label: null },
      y: { grid: true, label: unit === '%' ? 'Per cent' : unit, zero: unit !== '%' },
      marks: [
        ...(targets.length > 0
          ? [
              Plot.lineY(targets, {
                x: 'date',
                y: 'value',
                curve: 'step-after',
                stroke: '#330072',
                strokeDasharray: '6,4',
              }),
            ]
          : []),
        Plot.lineY(rows, { x: 'date', y: 'value', stroke: '#005eb8', strokeWidth: 2 }),
        Plot.dot(rows, { x: 'date', y: 'value', fill: '#005eb8', r: 2.5 }),
      ],
    });
    nameChart(chart, title);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [points, unit, title, values.length]);

  if (values.length === 0) return null;
  const first = values[0];
  const last = values[values.length - 1];
  return (
    <figure className="app-chart">
      <div ref={holder} data-testid="time-series-chart" />
      <figcaption className="nhsuk-body-s">
        {title}: {first?.label} {formatValue(first?.value, unit)} to {last?.label}{' '}
        {formatValue(last?.value, unit)}.
        {points.some((p) => p.targets.length > 0) ? ' The dashed line is the target.' : ''}{' '}
        <ChartDownloads holder={holder} fileName={fileName} />
      </figcaption>
    </figure>
  );
}
