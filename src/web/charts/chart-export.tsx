import { useState, type RefObject } from 'react';

/** Saving a chart drawn in the page as a standalone SVG or PNG file, for papers and slides. */

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
 * Makes a Plot chart one image with one accessible name: the marks' own labels would otherwise be read
 * out as stray text inside it (and axe flags them).
 */
export function nameChart(chart: Element, name: string): void {
  for (const marked of chart.querySelectorAll('[aria-label], [aria-description]')) {
    marked.removeAttribute('aria-label');
    marked.removeAttribute('aria-description');
  }
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', name);
}

/** "Download chart (SVG)" and "(PNG)" for the chart drawn inside `holder`. */
export function ChartDownloads({
  holder,
  fileName,
}: {
  holder: RefObject<HTMLDivElement | null>;
  fileName: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const save = async (kind: 'svg' | 'png') => {
    const svg = holder.current?.querySelector('svg');
    if (!svg) return;
    try {
      setError(null);
      if (kind === 'svg')
        downloadBlob(new Blob([svgText(svg)], { type: 'image/svg+xml' }), `${fileName}.svg`);
      else downloadBlob(await svgToPng(svg), `${fileName}.png`);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The chart could not be saved.');
    }
  };
  return (
    <>
      <button className="app-link-button" type="button" onClick={() => void save('svg')}>
        Download chart (SVG)
      </button>{' '}
      <button className="app-link-button" type="button" onClick={() => void save('png')}>
        Download chart (PNG)
      </button>
      {error ? <span className="nhsuk-error-message">{error}</span> : null}
    </>
  );
}
