import { ConfigError, loadConfig } from './config';
import { DatabaseStartError } from './db';
import { StartRefused } from './start-refused';
import { start } from './start';

try {
  const running = await start(loadConfig());
  process.stdout.write(`Approvals platform ready on ${running.url} (database: ${running.platform.db.kind})\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.platform.log.info('stopping', { signal });
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseStartError || error instanceof StartRefused) {
    process.stderr.write(`Cannot start: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
