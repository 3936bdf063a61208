import { inflateRawSync } from 'node:zlib';

/**
 * A look inside a ZIP (an .xlsx) before a workbook library opens it: a few megabytes of deflate can
 * expand to gigabytes, so every entry is inflated here with a cap on its output, and archives with too
 * many entries, ZIP64 records or entries we cannot account for are refused.
 */
export interface ZipLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
}

export type ZipCheck = { ok: true } | { ok: false; reason: 'not-zip' | 'too-large' };

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryHeader = 0x02014b50;
const localFileHeader = 0x04034b50;
const zip64Marker = 0xffffffff;

export function checkZipLimits(bytes: Buffer, limits: ZipLimits): ZipCheck {
  const notZip: ZipCheck = { ok: false, reason: 'not-zip' };
  let end = -1;
  for (let index = bytes.length - 22; index >= Math.max(0, bytes.length - 22 - 0xffff); index -= 1) {
    if (bytes.readUInt32LE(index) === endOfCentralDirectory) {
      end = index;
      break;
    }
  }
  if (end < 0) return notZip;
  const entries = bytes.readUInt16LE(end + 10);
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === zip64Marker) return notZip;
  if (entries > limits.maxEntries) return { ok: false, reason: 'too-large' };
  if (directoryOffset + directorySize > bytes.length) return notZip;

  let total = 0;
  let at = directoryOffset;
  for (let entry = 0; entry < entries; entry += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== centralDirectoryHeader) return notZip;
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    if (compressedSize === zip64Marker || localOffset === zip64Marker) return notZip;
    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== localFileHeader) return notZip;
    const dataStart =
      localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) return notZip;
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    const remaining = limits.maxUncompressedBytes - total;
    if (method === 0) total += compressedSize;
    else if (method === 8) {
      try {
        total += inflateRawSync(data, { maxOutputLength: remaining + 1 }).length;
      } catch (error) {
        return error instanceof RangeError ? { ok: false, reason: 'too-large' } : notZip;
      }
    } else return notZip;
    if (total > limits.maxUncompressedBytes) return { ok: false, reason: 'too-large' };
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { ok: true };
}
