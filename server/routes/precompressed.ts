import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';

/** The codings the build writes beside a file (modeler/precompress.ts), in the order the server prefers them. */
const CODINGS = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const;

/**
 * Answers with `<file>.br` or `<file>.gz` when the build wrote one and `Accept-Encoding` allows it, by pointing the
 * request at it with the original's type and the coding set: express.static, mounted next, then serves it (ETag,
 * ranges, caching) as any file. Files without a compressed twin pass on untouched.
 */
export function precompressed(root: string, index: string): RequestHandler {
  const base = path.resolve(root);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = requestedFile(base, req, index);
    if (!file) return next();
    const twins = CODINGS.filter((coding) => fs.existsSync(file + coding.extension));
    if (twins.length === 0) return next();
    res.vary('Accept-Encoding');
    const weights = acceptedCodings(req.headers['accept-encoding']);
    const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
    const [chosen] = twins.filter((coding) => weight(coding.name) > 0).sort((a, b) => weight(b.name) - weight(a.name));
    if (!chosen) return next();
    res.type(path.extname(file));
    res.setHeader('content-encoding', chosen.name);
    const query = req.url.indexOf('?');
    req.url = '/' + path.relative(base, file).split(path.sep).join('/') + chosen.extension + (query < 0 ? '' : req.url.slice(query));
    next();
  };
}

/** The file a request names under `base` (`index` for a folder), or undefined when it names none there. */
function requestedFile(base: string, req: Request, index: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(req.path);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const file = path.join(base, pathname.endsWith('/') ? pathname + index : pathname);
  return file.startsWith(base + path.sep) ? file : undefined;
}

/** `Accept-Encoding` as coding → weight (`q`, 1 when not given); `*` stands for every coding not named. */
function acceptedCodings(header: string | undefined): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((param) => param.startsWith('q='));
    weights.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  return weights;
}
