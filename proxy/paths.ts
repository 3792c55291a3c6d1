// Request paths under /repos/NAME/: checked segment by segment before anything else looks at them. Every
// spelling of an escape is refused (400), whether or not it would have escaped: `..` and `.` segments,
// their percent-encoded forms, encoded slashes and backslashes, backslashes, NUL, empty segments (`//`,
// an absolute path after the prefix) and malformed escapes. The proxy never maps a URL path to a file
// name anyway (the cache is content-addressed), so this is defence in depth and a clear answer.
import { NotFoundError, PathTraversalError } from '../src/errors.ts';

export interface RepoPath {
  repo: string;
  /** The decoded path inside the repository, segments joined by '/': "repodata/repomd.xml". */
  path: string;
}

// %2f (/), %5c (\), %00 (NUL) and %2e (.) are never needed in a repository path: refuse them outright.
const FORBIDDEN_ESCAPES = /%(?:2f|5c|00|2e|25)/i;

/**
 * Splits the part of a request URL after "/repos/" (query already removed) into repo and path.
 * Throws PathTraversalError for anything suspicious.
 */
export function parseRepoPath(rawRest: string): RepoPath {
  if (FORBIDDEN_ESCAPES.test(rawRest)) throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: encoded '/', '\\', '.', '%' or NUL`);
  // A directory (one trailing '/'): checked like a file path, then a 404 (there are no listings).
  const directory = rawRest.endsWith('/') && rawRest.length > 1;
  const rawSegments = (directory ? rawRest.slice(0, -1) : rawRest).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: malformed percent-escape`);
    }
    if (seg === '' || seg === '.' || seg === '..' || seg.includes('\\') || seg.includes('\0') || seg.includes('/')) {
      throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: empty, '.', '..' or backslash segment`);
    }
    // Control characters have no place in a repository path either.
    if (/[\u0000-\u001f\u007f]/.test(seg)) throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: control character`);
    segments.push(seg);
  }
  if (directory) throw new NotFoundError('no directory listings here: name a file');
  if (segments.length < 2) throw new PathTraversalError(`refused path ${JSON.stringify(rawRest.slice(0, 200))}: no file named`);
  const [repo, ...rest] = segments;
  return { repo: repo!, path: rest.join('/') };
}

/** Re-encodes a checked path for the upstream URL, keeping the characters package names use as they are. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%2B/g, '+').replace(/%5E/g, '^').replace(/%40/g, '@').replace(/%3A/g, ':'))
    .join('/');
}

/** Checks the raw query-less URL path for traversal before any router normalises it. */
export function hasTraversal(rawPath: string): boolean {
  if (FORBIDDEN_ESCAPES.test(rawPath) || rawPath.includes('\\') || rawPath.includes('\0')) return true;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return decoded.split(/[/\\]/).some((s) => s === '..' || s === '.') || decoded.includes('\0') || decoded.includes('\\');
}
