// `npm start`: builds what is stale (build-if-stale.mjs), then runs the embedded app in this
// same process.
//
// npm runs this through `sh -c`, and sh does not pass signals on: a SIGTERM to npm (a service
// manager, `timeout`) ends npm and the shell, and this process would be left running with the
// port, the data folder and its PostgreSQL server. So losing its parent stops it as SIGTERM
// does (a clean shutdown). Ctrl-C reaches it directly: the terminal signals the whole group.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();

await import('./build-if-stale.mjs');
await import('../apps/embedded/dist/main.js');
