import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { ChartDownloads, nameChart } from './chart-export.js';

/** One bar: what a driver takes from the system's position, in £000s (positive: worse). */
export interface DriverBar {
  label: string;
  amount: number;
  /** How the bar's value is written beside it ("£3,000k"). */
  text: string;
}

// Concern orange (3.26:1 against white): every bar here is something that makes the gap.
const barColour = '#E46C0A';

/**
 * What makes a system's gap, largest first, as horizontal bars from zero, each labelled with its value.
 * The page gives the figures and the sentence; the table beside it carries the same figures.
 */
export function GapDriversChart({
  bars,
  title,
  fileName,
}: {
  bars: DriverBar[];
  title: string;
  fileName: string;
}) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = holder.current;
    if (!element || bars.length === 0) return;
    const width = Math.max(320, element.clientWidth || 640);
    // Room for the longest label at about 7.5 px a character, up to 45% of the width; longer ones are cut
    // short with an ellipsis (the table below the chart has them in full).
    const longest = Math.max(...bars.map((b) => b.label.length));
    const marginLeft = Math.min(Math.round(width * 0.45), Math.ceil(longest * 7.5) + 16);
    const fits = Math.floor((marginLeft - 16) / 7.5);
    const chart = Plot.plot({
      width,
      height: 48 + 40 * bars.length,
      marginLeft,
      marginRight: 88,
      style: { fontSize: '14px', background: 'transparent' },
      x: { grid: true, label: '£000s', zero: true },
      y: {
        label: null,
        domain: bars.map((b) => b.label),
        tickSize: 0,
        tickFormat: (label: string) => (label.length > fits ? `${label.slice(0, fits - 1)}…` : label),
      },
      marks: [
        Plot.barX(bars, { x: 'amount', y: 'label', fill: barColour }),
        Plot.text(bars, { x: 'amount', y: 'label', text: 'text', textAnchor: 'start', dx: 6 }),
        Plot.ruleX([0]),
      ],
    });
    nameChart(chart, title);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [bars, title]);

  if (bars.length === 0) return null;
  return (
    <figure className="app-chart">
      <div ref={holder} data-testid="gap-drivers-chart" />
      <figcaption className="nhsuk-body-s">
        {title}. Each bar is what one driver takes from the system&apos;s position, in thousands of pounds.{' '}
        <ChartDownloads holder={holder} fileName={fileName} />
      </figcaption>
    </figure>
  );
}
