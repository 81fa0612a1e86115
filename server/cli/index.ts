import { runCli } from './run.js';

// `npm run cli -- <command>`: see run.ts for the commands.
const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
try {
  process.exitCode = await runCli(process.argv.slice(2), process.env, io);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
