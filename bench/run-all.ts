// `npm run bench`: each benchmark in turn, printing its figures. Needs PostgreSQL and NATS.
// Request logs would swamp the figures; warnings and errors still show.
process.env.LOG_LEVEL ??= 'warn';
const benchmarks = ['./reservations.js', './propagation.js', './expiry.js', './ssr.js'];
for (const bench of benchmarks) {
  console.log(`\n=== ${bench.replace('./', '').replace('.js', '')}`);
  await import(bench);
}
process.exit(0);
