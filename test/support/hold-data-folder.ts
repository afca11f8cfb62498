// Run as a separate process: opens Piper's database on a PGlite folder (argv[2]), prints "open", and holds it until killed.
import { openDatabase } from "../../src/db/index.js";
import { createLogger } from "../../src/logger.js";

const db = await openDatabase({ kind: "pglite", dataDir: process.argv[2]! }, createLogger({ level: "silent" }));
await db.prisma.processedEvent.create({ data: { teamId: "T1", eventId: "EvHELD" } });
process.stdout.write("open\n");
const stop = () => void db.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
setInterval(() => undefined, 1 << 30);
