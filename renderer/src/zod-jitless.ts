import { z } from 'zod';

// Zod compiles object parsers with `new Function` unless told not to; under our CSP (no
// 'unsafe-eval') its probe is refused and reported as a securitypolicyviolation. Imported first by
// main.tsx, so it runs before any module parses a schema at load (shared/settings.ts does).
z.config({ jitless: true });
