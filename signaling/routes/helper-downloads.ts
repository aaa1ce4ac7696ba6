import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Value } from 'typebox/value';
import {
  errorBody, HELPER_DOWNLOAD_PATH, HELPER_PLATFORMS, helperFileName, HelperDownloadQuery, HelperDownloads, type HelperPlatform,
} from '../../protocol/index.js';
import { refuseOverLimit } from '../rate-limit.js';
import { mayRelaySignals } from '../session-machine.js';

/** What `npm run helper:build` writes next to the programs (helper/build.ts); the list's `transfer` is derived. */
interface Manifest {
  version: string;
  platforms: Array<{ platform: string; file: string; size: number; sha256: string; gzipFile?: string; gzipSize?: number }>;
}

const TOKEN_PATTERN = /^[0-9a-f]{32}$/;
const listed = ({ platform, file, size, sha256, gzipSize }: Manifest['platforms'][number]) => ({ platform, file, size, transfer: gzipSize ?? size, sha256 });

/**
 * The remote-control helper, served to the customer whose session allowed control: GET
 * /helper/downloads lists what is built (sizes for the page's button), GET
 * /helper/download/<platform>?ticket=&token= serves one program, with the token of the ticket's live
 * pairing code (it works while that code does: not after a helper used it, nor once it expired).
 * The page appends the pairing (with its secret) to the file itself: the server never sees it.
 */
export async function helperDownloadRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { config, pairing, store, limits } = app.relay;
  let manifest: Manifest | null = null;
  // Read when first needed and again while missing: a build after the server started is served.
  const current = (): Manifest | null => {
    if (manifest) return manifest;
    const file = join(config.helperDir, 'manifest.json');
    if (!existsSync(file)) return null;
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      if (Value.Check(HelperDownloads, { version: parsed.version, platforms: parsed.platforms.map(listed) })) manifest = parsed;
      else app.log.error({ file }, 'the helper manifest is not as helper/build.ts writes it: run npm run helper:build again');
    } catch (err) {
      app.log.error({ err, file }, 'the helper manifest cannot be read: run npm run helper:build again');
    }
    return manifest;
  };

  app.get('/helper/downloads', { schema: { response: { 200: HelperDownloads } } }, async (_req, reply) => {
    const built = current();
    reply.header('cache-control', 'no-cache');
    return { version: built?.version ?? '', platforms: (built?.platforms ?? []).map(listed) };
  });

  app.get<{ Params: { platform: string }; Querystring: HelperDownloadQuery }>(`${HELPER_DOWNLOAD_PATH}/:platform`, { schema: { querystring: HelperDownloadQuery } }, async (req, reply) => {
    const platform = req.params.platform as HelperPlatform;
    if (!HELPER_PLATFORMS.includes(platform)) return reply.code(404).send(errorBody('helper.unknownPlatform'));
    const wait = await limits.helperDownload(req);
    if (wait > 0) return refuseOverLimit(reply, wait);
    const token = req.query.token ?? '';
    const issued = TOKEN_PATTERN.test(token) ? await pairing.download(token) : null;
    const refuse = (status: number, code: Parameters<typeof errorBody>[0]) => {
      req.log.info({ event: 'helper.downloadRefused', reason: code, platform }, 'helper download refused');
      return reply.code(status).send(errorBody(code));
    };
    if (!issued) return refuse(403, 'helper.downloadRefused');
    if (issued.ticketId !== req.query.ticket) return refuse(403, 'helper.downloadOtherSession');
    const ticket = store.get(issued.ticketId);
    if (!issued.live || !ticket || !mayRelaySignals(ticket.state)) return refuse(410, 'helper.downloadExpired');
    const entry = current()?.platforms.find((p) => p.platform === platform);
    const path = entry && join(config.helperDir, entry.file);
    // The image keeps only the compressed programs (half the size); either file is enough.
    const gz = entry?.gzipFile && join(config.helperDir, entry.gzipFile);
    const hasPlain = !!path && existsSync(path);
    const hasGz = !!gz && existsSync(gz);
    if (!entry || (!hasPlain && !hasGz)) return reply.code(503).send(errorBody('helper.notBuilt'));
    req.log.info({ event: 'helper.download', platform, ticket: ticket.id }, 'helper downloaded');
    reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${helperFileName(platform)}"`)
      .header('cache-control', 'no-store')
      .header('vary', 'accept-encoding')
      .header('x-helper-size', String(entry.size));
    // Precompressed at build time: less than half the bytes on the wire; the browser undoes it.
    if (hasGz && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip').header('content-length', statSync(gz!).size);
      return reply.send(createReadStream(gz!));
    }
    if (hasPlain) return reply.header('content-length', statSync(path!).size).send(createReadStream(path!));
    return reply.send(createReadStream(gz!).pipe(createGunzip()));
  });
}
