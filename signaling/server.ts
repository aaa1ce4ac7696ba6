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
  const origin = config.publicUrl || address;
  const seeded = app.seededAccounts[0];
  // A generated password goes to a terminal only: written to a pipe it would end up in container
  // logs and log collectors, readable by anyone who can read those.
  const showPassword = config.demoPasswordGenerated && process.stdout.isTTY === true;
  const password = !config.demoPasswordGenerated ? '(DEMO_PASSWORD)' : showPassword ? seeded?.password : '(generated, not printed: the output is not a terminal)';
  const loginLine = seeded
    ? `  Analyst login:   ${seeded.username} / ${password}  (an admin: add analysts in the console)`
    : `  Analyst login:   an existing account from ${app.relay.accounts.location} (npm run admin -- list-users)`;
  const passwordHint = !seeded || !config.demoPasswordGenerated ? ''
    : showPassword ? `  (shown once: it is stored only as a hash in ${app.relay.accounts.location})`
    : `  Set DEMO_PASSWORD (or DEMO_PASSWORD_FILE) before the first start to choose it, or set a new one: npm run admin -- set-password ${seeded.username}`;
  console.log(
    [
      '',
      `Relay Desk is running.`,
      `  Customer portal: ${origin}/`,
      `  Analyst console: ${origin}/analyst`,
      loginLine,
      passwordHint,
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
