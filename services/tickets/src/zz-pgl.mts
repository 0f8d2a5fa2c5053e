import { openPglite, migrate } from '@ticketing/common';
import { ticketsMigrations } from '/work/wt/listings/services/tickets/src/data/migrations.ts';
const db = await openPglite();
console.log('open');
try {
  console.log(await migrate(db, ticketsMigrations.slice(0,1)));
  await db.exec(`DO $$ BEGIN BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'no'; END; END $$;`);
  console.log('do ok');
} catch (e) { console.log('err', e); }
process.exit(0);
