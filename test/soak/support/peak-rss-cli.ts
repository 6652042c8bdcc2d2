import { runCli } from '../../../src/main/doors/cli/run-cli';

/**
 * Runs one `farpoint` command in this process, then prints the process's peak
 * resident memory (getrusage's ru_maxrss) as the last stderr line, so a test
 * can bound what the command held at its worst.
 */
const exitCode = await runCli(process.argv.slice(2));
process.stderr.write(`\nPEAK_RSS_BYTES=${process.resourceUsage().maxRSS * 1024}\n`);
process.exitCode = exitCode;
