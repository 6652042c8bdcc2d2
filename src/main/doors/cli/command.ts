import { z } from 'zod';
import { FarpointError } from '../../core/errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  /** Shown in help as the value's name, e.g. N or FILE. */
  value?: string;
}

export interface CommandContext {
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  json: boolean;
  out: CliOutput;
}

export interface CliCommand {
  name: string;
  /** e.g. 'PROJECT DIR' */
  args: string;
  summary: string;
  /** Longer help shown by `farpoint NAME --help`. */
  details?: string;
  options?: Record<string, OptionSpec>;
  minArgs: number;
  maxArgs: number;
  run(ctx: CommandContext): Promise<void>;
}

export interface CliOutput {
  /** Prints the command's result: JSON with --json, else the human text. */
  result(data: unknown, human: () => string): void;
  /** Progress and notes go to stderr, so --json output stays parseable. */
  note(line: string): void;
  progress(line: string): void;
}

export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Parses an integer option, naming the option and the value when it is not one. */
export function intOption(ctx: CommandContext, name: string, range: { min: number; max: number }): number | undefined {
  const raw = stringOption(ctx, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new FarpointError(`--${name} must be an integer from ${range.min} to ${range.max}, got '${raw}'`);
  }
  return value;
}

export function numberOption(ctx: CommandContext, name: string, range: { min: number; max: number }): number | undefined {
  const raw = stringOption(ctx, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new FarpointError(`--${name} must be a number from ${range.min} to ${range.max}, got '${raw}'`);
  }
  return value;
}

/**
 * An integer option checked by the contract's own schema for the field it
 * fills, so the CLI's ranges are the request's: out of the schema's range it
 * fails with the same message as intOption, any other rule of the schema
 * (a multiple of 16, say) with the schema's message.
 */
export function schemaIntOption(ctx: CommandContext, name: string, schema: z.ZodType<number | undefined>): number | undefined {
  return checkedBy(schema, name, intOption(ctx, name, rangeOf(schema)));
}

/** A number option checked by the contract's schema for its field, as schemaIntOption. */
export function schemaNumberOption(ctx: CommandContext, name: string, schema: z.ZodType<number | undefined>): number | undefined {
  return checkedBy(schema, name, numberOption(ctx, name, rangeOf(schema)));
}

function checkedBy(schema: z.ZodType<number | undefined>, name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const checked = schema.safeParse(value);
  if (!checked.success) throw new FarpointError(`--${name}: ${checked.error.issues[0]?.message ?? 'not allowed'}`);
  return value;
}

function rangeOf(schema: z.ZodType): { min: number; max: number } {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  const field = inner instanceof z.ZodNumber ? inner : null;
  return { min: field?.minValue ?? Number.MIN_SAFE_INTEGER, max: field?.maxValue ?? Number.MAX_SAFE_INTEGER };
}
