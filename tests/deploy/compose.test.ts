import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundlePath, SERVICE_NODE_ARGS, type BundledService } from '../../scripts/build.ts';
import {
  argumentsOf,
  type ComposeFile,
  type ComposeService,
  environmentOf,
  isRequiredSubstitution,
  loadComposeFile,
  parsePort,
  providesValue,
  repoRoot,
  resolveWithDefaults,
} from './compose-file.ts';
import { readRuntimeStage } from './dockerfile.ts';
import { defaultOf, loadProcessEnv, type ProcessEnv, requiredWithoutDefault } from './env-schema.ts';

interface ProcessService {
  service: string;
  /** File in packages/config/src with the environment schema of the process. */
  envSchemaFile: string;
  /** Source entry of the process, relative to the repository root. */
  script: string;
  /** Set for a service that the image runs from its esbuild bundle instead of through tsx. */
  bundle?: BundledService;
  /** Variables that set the HTTP address, for processes that listen. */
  portVariable?: string;
  hostVariable?: string;
}

const processServices: ProcessService[] = [
  { service: 'ingress', envSchemaFile: 'ingress.ts', script: 'apps/ingress/src/main.ts', bundle: 'ingress', portVariable: 'INGRESS_PORT', hostVariable: 'INGRESS_HOST' },
  { service: 'worker', envSchemaFile: 'worker.ts', script: 'apps/worker/src/main.ts', bundle: 'worker' },
  { service: 'admin', envSchemaFile: 'admin.ts', script: 'apps/admin/src/main.ts', portVariable: 'ADMIN_PORT', hostVariable: 'ADMIN_HOST' },
  { service: 'cli', envSchemaFile: 'cli.ts', script: 'apps/cli/src/main.ts' },
  { service: 'migrate', envSchemaFile: 'db-tool.ts', script: 'packages/db/src/bin/db.ts' },
];

/** Secrets that must never fall back to a default written in the compose file. */
const secretVariables = ['PII_ENCRYPTION_KEYS', 'PII_HASH_KEY', 'ADMIN_PASSWORD'];

let compose: ComposeFile;
const schemas = new Map<string, Promise<ProcessEnv>>();

beforeAll(() => {
  compose = loadComposeFile();
});

/** Loads each schema on first use, so a missing schema file fails only the tests that need it. */
function schemaOf(target: ProcessService): Promise<ProcessEnv> {
  let schema = schemas.get(target.service);
  if (!schema) {
    schema = loadProcessEnv(target.envSchemaFile);
    schemas.set(target.service, schema);
  }
  return schema;
}

function serviceNamed(name: string): ComposeService {
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service "${name}"`);
  return service;
}

/** Returns the arguments the container runs. Compose `entrypoint` and `command` win over the image's ENTRYPOINT and CMD. */
function containerArguments(service: ComposeService): string[] {
  const image = readRuntimeStage(dockerfilePathOf(service));
  const entrypoint = argumentsOf(service.entrypoint) ?? image.entrypoint ?? [];
  const command = argumentsOf(service.command) ?? (service.entrypoint === undefined ? image.cmd : undefined) ?? [];
  return [...entrypoint, ...command];
}

function dockerfilePathOf(service: ComposeService): string {
  const context = path.resolve(repoRoot, service.build?.context ?? '.');
  return path.join(context, service.build?.dockerfile ?? 'Dockerfile');
}

describe.each(processServices)('compose service $service', (target) => {
  it('sets every required variable without a default', async () => {
    const environment = environmentOf(serviceNamed(target.service));
    const missing = requiredWithoutDefault(await schemaOf(target)).filter(
      (name) => !providesValue(environment.get(name) ?? ''),
    );
    expect(missing, `variables that ${target.envSchemaFile} requires`).toEqual([]);
  });

  it('sets only variables its schema defines', async () => {
    const known = Object.keys((await schemaOf(target)).properties);
    const environment = environmentOf(serviceNamed(target.service));
    const unknown = [...environment.keys()].filter((name) => !known.includes(name));
    expect(unknown, `variables unknown to ${target.envSchemaFile}`).toEqual([]);
  });

  it('takes secrets only from the environment', () => {
    const environment = environmentOf(serviceNamed(target.service));
    for (const name of secretVariables.filter((secret) => environment.has(secret))) {
      expect(isRequiredSubstitution(environment.get(name)!, name), `${name} should be \${${name}:?message}`).toBe(true);
    }
  });

  it('builds from a Dockerfile that exists', () => {
    const service = serviceNamed(target.service);
    expect(service.build, 'build section').toBeDefined();
    expect(existsSync(dockerfilePathOf(service)), dockerfilePathOf(service)).toBe(true);
  });

  it('runs its script as a non-root user', () => {
    const service = serviceNamed(target.service);
    const args = containerArguments(service);
    if (target.bundle) {
      expect(args, 'runs the bundle with plain node and its node options').toEqual(['node', ...SERVICE_NODE_ARGS[target.bundle], bundlePath(target.bundle)]);
      expect(readFileSync(dockerfilePathOf(service), 'utf8'), 'the build stage bundles the service').toMatch(/npm run build/);
    } else {
      expect(args.slice(0, 3), 'runs TypeScript through tsx in one node process').toEqual(['node', '--import', 'tsx']);
      expect(args[3]).toBe(target.script);
    }
    expect(existsSync(path.join(repoRoot, target.script)), `${target.script} exists`).toBe(true);

    const user = readRuntimeStage(dockerfilePathOf(service)).user;
    expect(user, 'USER of the runtime stage').toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });
});

describe.each(processServices.filter((candidate) => candidate.portVariable))('HTTP service $service', (target) => {
  async function defaultPort(): Promise<number> {
    return Number(defaultOf(await schemaOf(target), target.portVariable!));
  }

  async function listenPort(): Promise<number> {
    const configured = environmentOf(serviceNamed(target.service)).get(target.portVariable!);
    return configured ? Number(resolveWithDefaults(configured)) : defaultPort();
  }

  it('publishes the port the process listens on', async () => {
    const targets = (serviceNamed(target.service).ports ?? []).map((port) => parsePort(port).target);
    expect(targets).toEqual([await listenPort()]);
  });

  it('listens on all interfaces in the container', async () => {
    const service = serviceNamed(target.service);
    const name = target.hostVariable!;
    expect(Object.keys((await schemaOf(target)).properties), `${target.envSchemaFile} defines ${name}`).toContain(name);
    const host = environmentOf(service).get(name) ?? readRuntimeStage(dockerfilePathOf(service)).environment.get(name);
    expect(host, `${name} in docker-compose.yml or the Dockerfile`).toBe('0.0.0.0');
  });

  it('exposes and health-checks that port', async () => {
    const image = readRuntimeStage(dockerfilePathOf(serviceNamed(target.service)));
    expect(image.exposedPorts).toEqual([await defaultPort()]);
    expect(image.healthcheck).toContain('/healthz');
    expect(image.healthcheck).toContain(`process.env.${target.portVariable}`);
  });
});

describe('compose file', () => {
  it('binds admin to loopback by default', () => {
    const ports = (serviceNamed('admin').ports ?? []).map(parsePort);
    expect(ports).toHaveLength(1);
    expect(resolveWithDefaults(ports[0]!.hostIp ?? '0.0.0.0')).toBe('127.0.0.1');
  });

  it('lets worker scale', () => {
    const worker = serviceNamed('worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it('runs Redis with AOF and noeviction', () => {
    const redis = serviceNamed('redis');
    const args = argumentsOf(redis.command) ?? [];
    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
    expect(args[args.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(redis.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
  });

  it('health-checks PostgreSQL and keeps its data', () => {
    const postgres = serviceNamed('postgres');
    expect(postgres.healthcheck?.test).toBeDefined();
    expect(isRequiredSubstitution(environmentOf(postgres).get('POSTGRES_PASSWORD') ?? '', 'POSTGRES_PASSWORD')).toBe(true);
    expect(postgres.volumes?.some((volume) => volume.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('starts migrate after PostgreSQL is healthy', () => {
    expect(dependencyCondition('migrate', 'postgres')).toBe('service_healthy');
  });

  it.each(['ingress', 'worker', 'admin'])('starts %s after migrations succeed', (name) => {
    expect(dependencyCondition(name, 'migrate')).toBe('service_completed_successfully');
  });

  it('runs the migration deploy command', () => {
    expect(containerArguments(serviceNamed('migrate')).slice(3)).toEqual(['packages/db/src/bin/db.ts', 'deploy']);
  });
});

function dependencyCondition(service: string, dependency: string): string | undefined {
  const dependsOn = serviceNamed(service).depends_on;
  if (Array.isArray(dependsOn) || dependsOn === undefined) return undefined;
  return dependsOn[dependency]?.condition;
}
