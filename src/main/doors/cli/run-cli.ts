import { parseArgs } from 'node:util';
import { FarpointError, messageOf } from '../../core/errors';
import type { CliCommand } from './command';
import { commands } from './commands/index';
import { createOutput } from './output';

function commandHelp(command: CliCommand): string {
  const lines = [`Usage: farpoint ${command.name}${command.args ? ` ${command.args}` : ''} [options]`, '', command.summary];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:');
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    const flag = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(24)} ${spec.description}`);
  }
  lines.push(`  ${'--json'.padEnd(24)} print the result as JSON`, `  ${'--help'.padEnd(24)} show this help`);
  return lines.join('\n');
}

function generalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: farpoint <command> [arguments] [options]',
    '',
    'Farpoint tells you which image to label next (furthest-point sampling in a',
    'self-supervised latent space) and labels object orientation fast.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `farpoint <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. Failures print one line naming what is wrong. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${generalHelp()}\n`);
    return name ? 0 : 1;
  }
  if (name === '--version') {
    process.stdout.write('farpoint 0.1.0\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`farpoint: unknown command '${name}' (see farpoint --help)\n`);
    return 2;
  }
  const json = rest.includes('--json');
  try {
    const parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          Object.entries(command.options ?? {}).map(([k, v]) => [k, v.short ? { type: v.type, short: v.short } : { type: v.type }]),
        ),
      },
    });
    if (parsed.values.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const { positionals } = parsed;
    if (positionals.length < command.minArgs || positionals.length > command.maxArgs) {
      throw new FarpointError(`usage: farpoint ${command.name} ${command.args}`.trimEnd());
    }
    await command.run({ positionals, options: parsed.values as Record<string, string | boolean | undefined>, json, out: createOutput(json) });
    return 0;
  } catch (err) {
    const message = messageOf(err).split('\n')[0];
    if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`farpoint ${command.name}: ${message}\n`);
    return err instanceof FarpointError && err.status === 404 ? 3 : 1;
  }
}
