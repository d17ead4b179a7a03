import { z } from 'zod';
import { MAX_PID } from './numbers';

/**
 * zod schemas for the integers that reach a signal or a socket (contract, settings). The text
 * parsers live in numbers.ts (zod-free, for the CLI's start-up) and are re-exported here.
 */

export { MAX_PID, parsePid, parsePort, parseStrictInt } from './numbers';

/** A TCP/UDP port 1..65535 as a number. */
export const portSchema = z.number().int().min(1).max(65535);
/** A process id as a number (0 and negatives are never valid targets). */
export const pidSchema = z.number().int().min(1).max(MAX_PID);
