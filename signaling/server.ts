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
  // Graceful shutdown: fail readiness first so load balancers stop sending new users, then stop
  // accepting, tell every connected client (close code 4503) and exit. A second signal exits at once.
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      app.relay.shuttingDown = true;
      app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
      setTimeout(() => app.close().then(() => process.exit(0), () => process.exit(1)), config.shutdownGraceMs);
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
