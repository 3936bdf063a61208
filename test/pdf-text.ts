import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF written by pdfkit with the standard fonts, for tests: each content stream is
 * inflated and its text-showing operators (`[<hex> kern <hex>] TJ`, `<hex> Tj`) decoded, one line per
 * operator. Enough to prove the words are real text in the file, not a general PDF reader.
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const content of contentStreams(pdf)) {
    for (const match of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes =
        match[1] !== undefined ? [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]) : [match[2]];
      lines.push(hexes.map((hex) => decodeWinAnsi(hex ?? '')).join(''));
    }
  }
  return lines;
}

/** Every stream of the file, inflated when it is compressed. */
function contentStreams(pdf: Buffer): string[] {
  const streams: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', at);
    if (start < 0) break;
    const bodyStart = start + 'stream\n'.length;
    const end = pdf.indexOf('\nendstream', bodyStart);
    if (end < 0) break;
    const dictionary = pdf.subarray(pdf.lastIndexOf('<<', start), start).toString('latin1');
    const body = pdf.subarray(bodyStart, end);
    if (dictionary.includes('/FlateDecode')) {
      try {
        streams.push(inflateSync(body).toString('latin1'));
      } catch {
        // Not a content stream (a font or image we cannot read): no text in it.
      }
    } else {
      streams.push(body.toString('latin1'));
    }
    at = end + '\nendstream'.length;
  }
  return streams;
}

// WinAnsiEncoding differs from Latin-1 only in 0x80 to 0x9F; these are the ones a report may use.
const winAnsiExtras: Record<number, string> = {
  0x91: '\u2018',
  0x92: '\u2019',
  0x93: '\u201c',
  0x94: '\u201d',
  0x95: '\u2022',
  0x96: '\u2013',
  0x97: '\u2014',
  0x85: '\u2026',
};

function decodeWinAnsi(hex: string): string {
  let text = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    text += winAnsiExtras[code] ?? String.fromCharCode(code);
  }
  return text;
}
