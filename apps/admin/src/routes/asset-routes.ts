import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const ASSETS: Record<string, string> = {
  'admin.css': 'text/css; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
};

/** Serves the console's own stylesheet and script from pages/assets, read once at start. */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map<string, Buffer>();
  for (const name of Object.keys(ASSETS)) {
    files.set(name, await readFile(new URL(`../pages/assets/${name}`, import.meta.url)));
  }
  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`/admin/assets/${name}`, async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(files.get(name)));
  }
}
