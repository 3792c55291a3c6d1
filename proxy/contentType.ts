/** The Content-Type the proxy sends for a repository file, the same for /repos and /vault. */
export function contentTypeFor(path: string): string {
  if (path.endsWith('.rpm')) return 'application/x-rpm';
  if (path.endsWith('.xml')) return 'text/xml';
  if (path.endsWith('.gz')) return 'application/x-gzip';
  if (path.endsWith('.zst')) return 'application/zstd';
  if (path.endsWith('.xz')) return 'application/x-xz';
  if (path.endsWith('.bz2')) return 'application/x-bzip2';
  if (path.endsWith('.zck')) return 'application/zchunk';
  if (path.endsWith('.asc') || path.endsWith('.key')) return 'text/plain';
  return 'application/octet-stream';
}
