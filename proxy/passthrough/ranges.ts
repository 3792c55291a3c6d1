// HTTP Range (RFC 9110 §14.2): "bytes=a-b", "bytes=a-" (dnf resumes with this), "bytes=-n", and several
// ranges in one header (zchunk clients), which are answered as one multipart/byteranges body (§14.6).

export interface Range {
  start: number;
  /** Inclusive. */
  end: number;
}

/** null: no usable Range header (serve 200); 'unsatisfiable': 416; else the satisfiable ranges in order. */
export function parseRangeHeader(header: string | undefined, size: number): Range[] | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return null;
  const specs = m[1]!.split(',');
  // A flood of tiny ranges is a known amplification attack; real clients send a handful.
  if (specs.length > 256) return null;
  const out: Range[] = [];
  for (const spec of specs) {
    const r = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return null; // malformed: ignore the header, as the RFC allows
    let start: number;
    let end: number;
    if (r[1] === '') {
      const n = Number(r[2]);
      if (n === 0) continue;
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Number(r[1]);
      end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
      if (r[2] !== '' && Number(r[2]) < start) return null;
    }
    if (start >= size || start > end) continue;
    out.push({ start, end });
  }
  return out.length ? out : 'unsatisfiable';
}

export interface MultipartPlan {
  boundary: string;
  /** The bytes before each part's body, and the closing delimiter. */
  heads: string[];
  tail: string;
  contentLength: number;
}

/** Lays out a multipart/byteranges body so its exact Content-Length is known before a byte is sent. */
export function planMultipart(ranges: readonly Range[], size: number, contentType: string, boundary: string): MultipartPlan {
  const heads = ranges.map(
    (r, i) => `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`,
  );
  const tail = `\r\n--${boundary}--\r\n`;
  let contentLength = Buffer.byteLength(tail);
  for (let i = 0; i < ranges.length; i++) contentLength += Buffer.byteLength(heads[i]!) + ranges[i]!.end - ranges[i]!.start + 1;
  return { boundary, heads, tail, contentLength };
}
