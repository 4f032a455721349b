import { type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A configuration problem: which variable, what is wrong with it, how to fix it. */
export interface ConfigProblem {
  variable: string;
  problem: string;
  fix: string;
}

/** Thrown at start when one or more environment variables are missing or invalid. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly processName: string,
    readonly problems: ConfigProblem[],
  ) {
    super(formatProblems(processName, problems));
  }
}

function formatProblems(processName: string, problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  ${p.variable}: ${p.problem}. 修正 (fix): ${p.fix}`);
  return [`配置无效 (invalid configuration for ${processName}), 请检查环境变量:`, ...lines].join('\n');
}

/** Extra per-field rules that a JSON schema cannot express (a URL scheme, a key length). */
export type ExtraCheck<T> = (config: T) => ConfigProblem[];

/**
 * Parses `env` against a TypeBox object schema whose keys are the variable names.
 * Empty strings count as unset, so `FOO=` falls back to the default. Every problem
 * is collected before throwing, so one start shows all of them.
 */
export function parseEnv<S extends TObject>(
  processName: string,
  schema: S,
  env: Record<string, string | undefined>,
  extraCheck?: ExtraCheck<Static<S>>,
): Static<S> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = raw;
  }

  const withDefaults = Value.Default(schema, picked);
  const converted = Value.Convert(schema, withDefaults);
  const problems = [...Value.Errors(schema, converted)].map((error) => toProblem(schema, error, env));
  const config = converted as Static<S>;
  const all = [...problems, ...extraProblems(config, problems.length > 0, extraCheck)];
  if (all.length > 0) throw new ConfigError(processName, dedupeByVariable(all));
  return config;
}

interface SchemaError {
  path: string;
  message: string;
  value: unknown;
}

function toProblem(schema: TObject, error: SchemaError, env: Record<string, string | undefined>): ConfigProblem {
  const variable = error.path.replace(/^\//, '') || '(environment)';
  const field = schema.properties[variable] as { description?: string } | undefined;
  // The text as set, because conversion can change it: "1e3" becomes 1 when read as an integer.
  const value = env[variable] ?? error.value;
  const problem = error.value === undefined ? '未设置 (is required but not set)' : `值 ${JSON.stringify(value)} 无效 (value ${JSON.stringify(value)} is invalid: ${error.message})`;
  const fix = field?.description ? `设为 ${field.description}` : '见 .env.example (see .env.example)';
  return { variable, problem, fix };
}

/**
 * Runs the extra checks, so one start reports every problem. When a variable already failed its
 * schema, the config may hold a value of the wrong type, and a check that then throws adds nothing.
 */
function extraProblems<T>(config: T, schemaFailed: boolean, extraCheck: ExtraCheck<T> | undefined): ConfigProblem[] {
  if (!extraCheck) return [];
  if (!schemaFailed) return extraCheck(config);
  try {
    return extraCheck(config);
  } catch {
    return [];
  }
}

function dedupeByVariable(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Map<string, ConfigProblem>();
  for (const p of problems) if (!seen.has(p.variable)) seen.set(p.variable, p);
  return [...seen.values()];
}
