/** What every script shares: a one-line failure without a stack, and the config read the same way the service reads it. */
import { ConfigError, parseConfig, type Config } from '../../src/config.js';

/** Prints the message on stderr and exits 1. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The config from the environment; a bad variable exits 1 naming it, as `npm start` does, never with a stack. */
export function configOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}
