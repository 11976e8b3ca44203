import zlib from 'node:zlib';

/** One member of a test zip. `declaredSize` lies about the uncompressed size (bomb tests). */
export interface ZipMember {
  name: string;
  data?: Buffer | string;
  deflate?: boolean;
  /** Unix mode; 0o120777 makes a symlink whose data is the target. */
  mode?: number;
  encrypted?: boolean;
  declaredSize?: number;
}

/** Builds a zip archive in memory, byte by byte, so tests can craft hostile archives. */
export function buildZip(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const raw = Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data ?? '', 'utf8');
    const packed = m.deflate ? zlib.deflateRawSync(raw) : raw;
    // Traditional PKWARE encryption prefixes a 12-byte header; the bytes need not decrypt.
    const body = m.encrypted ? Buffer.concat([Buffer.alloc(12, 7), packed]) : packed;
    const name = Buffer.from(m.name, 'utf8');
    const crc = zlib.crc32(raw);
    const flags = (m.encrypted ? 1 : 0) | 0x800;
    const method = m.deflate ? 8 : 0;
    const size = m.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((m.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export interface TarMember {
  name: string;
  data?: Buffer | string;
  /** '0' file, '2' symlink, '1' hard link, '3' char device, '6' FIFO. */
  type?: string;
  link?: string;
}

/** Builds a ustar archive (then gzip it with zlib) so tests can craft hostile tarballs. */
export function buildTar(members: TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const data = Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data ?? '', 'utf8');
    const h = Buffer.alloc(512);
    h.write(m.name.slice(0, 100), 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(m.type ?? '0', 156);
    if (m.link) h.write(m.link.slice(0, 100), 157);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const SKILL_MD = (name: string, body = 'Helps with things.') => `---\nname: ${name}\ndescription: ${name} helper.\n---\n${body}\n`;
