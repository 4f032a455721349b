import type { FastifyInstance } from 'fastify';

interface KnownRoute {
  pattern: RegExp;
  methods: string[];
}

/**
 * Paths and methods of the admin's routes, recorded as they are added, so that a request with
 * another method on a known path can get 405 and the methods it takes instead of 404.
 */
export class RouteTable {
  private readonly routes: KnownRoute[] = [];

  /** Records every route added to `app` from now on, in every plugin. */
  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      this.routes.push({ pattern: routePattern(route.url ?? route.path), methods: methods.map(String) });
    });
  }

  /** Returns the methods the routes matching `path` take, in the order they were added. */
  methodsFor(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes) {
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    }
    return [...methods];
  }
}

/** Converts a route path such as `/admin/api/batches/:bgPch` or `/static/*` to a regular expression. */
export function routePattern(url: string): RegExp {
  const segments = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}/?$`);
}
