#!/usr/bin/env node
// Runs the compiled CLI (npm start builds it; `npm run build` does too).
import { run } from '../dist/cli.js';

await run(process.argv.slice(2));
