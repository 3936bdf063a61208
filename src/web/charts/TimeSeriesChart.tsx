import * as Plot from '@observablehq/plot';
import { useEffect, useRef, useState } from 'react';
import type { SeriesPoint } from '../api-client.js';
import { formatValue } from '../format.js';

/** Where a chart is saved: the file name without its extension. */
function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Standalone files have no page stylesheet: give them a white background and the page's font.
  copy.setAttribute(
    'style',
    `${copy.getAttribute('style') ?? ''};background:#fff;font-family:Arial,sans-serif`,
  );
  return new XMLSerializer().serializeToString(copy);
}

async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const width = svg.viewBox.baseVal.width || svg.clientWidth;
  const height = svg.viewBox.baseVal.height || svg.clientHeight;
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(svg))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  const scale = 2;
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw images.');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be saved.'))),
      'image/png',
    ),
  );
}

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
  const [saveError, setSaveError] = useState<string | null>(null);
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
    // One image with one name: the marks' own labels would be read as stray text inside it.
    for (const marked of chart.querySelectorAll('[aria-label], [aria-description]')) {
      marked.removeAttribute('aria-label');
      marked.removeAttribute('aria-description');
    }
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', title);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [points, unit, title, values.length]);

  if (values.length === 0) return null;
  const svg = () => holder.current?.querySelector('svg') ?? null;
  const save = async (kind: 'svg' | 'png') => {
    const element = svg();
    if (!element) return;
    try {
      setSaveError(null);
      if (kind === 'svg')
        downloadBlob(new Blob([svgText(element)], { type: 'image/svg+xml' }), `${fileName}.svg`);
      else downloadBlob(await svgToPng(element), `${fileName}.png`);
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : 'The chart could not be saved.');
    }
  };
  const first = values[0];
  const last = values[values.length - 1];
  return (
    <figure className="app-chart">
      <div ref={holder} data-testid="time-series-chart" />
      <figcaption className="nhsuk-body-s">
        {title}: {first?.label} {formatValue(first?.value, unit)} to {last?.label}{' '}
        {formatValue(last?.value, unit)}.
        {points.some((p) => p.targets.length > 0) ? ' The dashed line is the target.' : ''}{' '}
        <button className="app-link-button" type="button" onClick={() => void save('svg')}>
          Download chart (SVG)
        </button>{' '}
        <button className="app-link-button" type="button" onClick={() => void save('png')}>
          Download chart (PNG)
        </button>
        {saveError ? <span className="nhsuk-error-message">{saveError}</span> : null}
      </figcaption>
    </figure>
  );
}
