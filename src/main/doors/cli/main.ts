import { runCli } from './run-cli';

/** Entry point of the `farpoint` command. */
const exitCode = await runCli(process.argv.slice(2));
// Commands that keep running (serve) never resolve; everything else exits with its code.
process.exitCode = exitCode;
