/**
 * Reading one file out of a release archive in memory, with Web streams only: no `tar` or
 * `unzip` needs to exist on the machine. Release archives hold a single executable, so these
 * readers handle what `tar` (ustar, GNU long names, pax paths) and `zip` (stored or deflated,
 * no zip64) write for that, and fail with a clear message otherwise.
 */

export class ArchiveError extends Error {}

async function inflate(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream(format));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new ArchiveError(
      `the archive is damaged (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

/** A path inside an archive names `wanted` when its last component is `wanted`. */
function names(path: string, wanted: string): boolean {
  const clean = path.replace(/\\/g, "/").replace(/\/+$/, "");
  return clean === wanted || clean.endsWith(`/${wanted}`);
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return utf8.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

function octal(bytes: Uint8Array): number {
  const text = latin1.decode(bytes).replace(/\0.*$/s, "").trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError("the archive is not a valid tar file");
  return text === "" ? 0 : parseInt(text, 8);
}

/** The contents of the regular file called `name` (at any depth) in a gzip-compressed tar. */
export async function extractFromTarGz(archive: Uint8Array, name: string): Promise<Uint8Array> {
  if (archive[0] !== 0x1f || archive[1] !== 0x8b) {
    throw new ArchiveError("the archive is not gzip-compressed");
  }
  return extractFromTar(await inflate(archive, "gzip"), name);
}

export function extractFromTar(tar: Uint8Array, name: string): Uint8Array {
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    if (latin1.decode(header.subarray(257, 262)) !== "ustar") {
      throw new ArchiveError("the archive is not a valid tar file");
    }
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    if (data.length < size) throw new ArchiveError("the archive is truncated");
    offset = dataStart + Math.ceil(size / 512) * 512;

    if (type === "L") {
      longName = cString(data);
      continue;
    }
    if (type === "x") {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(utf8.decode(data));
      if (path) longName = path[1];
      continue;
    }
    const prefix = cString(header.subarray(345, 500));
    const path = longName ?? (prefix ? `${prefix}/` : "") + cString(header.subarray(0, 100));
    longName = undefined;
    if ((type === "0" || type === "7") && names(path, name)) return data.slice();
  }
  throw new ArchiveError(`the archive has no file named ${name}`);
}

/** The contents of the file called `name` (at any depth) in a zip archive. */
export async function extractFromZip(archive: Uint8Array, name: string): Promise<Uint8Array> {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535.
  let eocd = -1;
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError("the archive is not a valid zip file");
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  for (let n = 0; n < count; n++) {
    if (at + 46 > archive.length || view.getUint32(at, true) !== 0x02014b50) {
      throw new ArchiveError("the archive is not a valid zip file");
    }
    const entry = at;
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const path = utf8.decode(archive.subarray(entry + 46, entry + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (!names(path, name) || path.endsWith("/")) continue;

    if (local + 30 > archive.length || view.getUint32(local, true) !== 0x04034b50) {
      throw new ArchiveError("the archive is not a valid zip file");
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = archive.subarray(start, start + compressedSize);
    if (raw.length < compressedSize) throw new ArchiveError("the archive is truncated");
    let data: Uint8Array;
    if (method === 0) data = raw.slice();
    else if (method === 8) data = await inflate(raw, "deflate-raw");
    else throw new ArchiveError(`${name} is compressed with an unsupported method (${method})`);
    if (data.length !== size) throw new ArchiveError("the archive is damaged (size mismatch)");
    if (crc32(data) !== crc) {
      throw new ArchiveError("the archive is damaged (CRC mismatch)");
    }
    return data;
  }
  throw new ArchiveError(`the archive has no file named ${name}`);
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), as zip stores it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
