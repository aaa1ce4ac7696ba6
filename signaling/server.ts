import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

// The process: read config, listen, print how to sign in, close gracefully on SIGINT/SIGTERM.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const app = await buildApp(config);
  const address = await app.listen({ port: config.port, host: config.host });
  const demo = config.analysts[0];
  const origin = config.publicUrl || address;
  console.log(
    [
      '',
      `Relay Desk is running.`,
      `  Customer portal: ${origin}/`,
      `  Analyst console: ${origin}/analyst`,
      `  Analyst login:   ${demo.username} / ${config.demoPasswordGenerated ? demo.password : '(DEMO_PASSWORD)'}`,
      config.demoPasswordGenerated ? '  (a new password is generated at every start; set DEMO_PASSWORD to fix it)' : '',
      '',
    ].join('\n'),
  );
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      app.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
