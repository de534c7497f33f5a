// Runs one CLI command in this process and prints its peak memory as a JSON line, so the
// question-import benchmark measures the real `hocvuso import questions` code path.
import { run } from '../src/cli.js';

await run(process.argv.slice(2));
process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
