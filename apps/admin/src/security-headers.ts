import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Content Security Policy of admin responses, Bull Board included. The console's own pages
 * replace it with a stricter one (see `sendPage`). Scripts, styles, fonts and images may come
 * from the admin origin only. Bull Board 9.10 links a Google Fonts stylesheet in its page head,
 * and the browser waits for it before drawing the page, although many networks in mainland
 * China and offline campus networks cannot reach it. Because `style-src` allows no other host,
 * the browser drops that request at once and draws the page with fallback fonts.
 */
export const ADMIN_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Bull Board's loading screen and React components set inline styles.
  styleSrc: ["'self'", "'unsafe-inline'"],
};

/**
 * Registers helmet's security headers, and `Cache-Control: no-store` where a response sets no
 * cache policy, for every admin route. Two of its defaults are off,
 * because the admin port is often served over plain HTTP inside a campus network. With
 * `upgrade-insecure-requests` the browser would send the page's requests to an HTTPS port that
 * does not exist. HSTS, which helmet sends with `includeSubDomains`, belongs to the TLS proxy
 * of the whole domain.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: ADMIN_CONTENT_SECURITY_POLICY },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });
  // API responses contain names and masked numbers, so browsers and proxies must not store them.
  // Responses that set their own policy, such as static assets, keep it.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
