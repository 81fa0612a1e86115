import { runServer } from '../../server/server.js';

/**
 * The API server as `server/main.ts` runs it, started when the parent says so: the parent spawns
 * this ahead of time, while the previous server still runs, so the slow part (loading and
 * compiling the server's modules) is done before the kill and a restart costs what a real one
 * does once the code is loaded — `runServer()` opening the database, checking migrations and
 * keys, listening. Ends when the parent goes (no orphan holding a port or connections).
 */
process.once('disconnect', () => process.exit(1));
process.once('message', () => {
  runServer().then(
    ({ url }) => console.log(JSON.stringify({ level: 30, msg: `listening on ${url}` })),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.send?.('loaded');
