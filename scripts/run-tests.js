// Runs every *.test.ts(x) under src/ and test/ with node's built-in runner. Node 20 does not
// expand globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const roots = ['src', 'test'];
const files = roots
  .flatMap((root) =>
    readdirSync(root, { recursive: true, withFileTypes: true }).map((d) => path.join(d.parentPath, d.name)),
  )
  .filter((file) => /\.test\.tsx?$/.test(file))
  .sort();
const databases = process.env.TEST_DATABASE_URL
  ? 'SQLite and PostgreSQL'
  : 'SQLite only (set TEST_DATABASE_URL for PostgreSQL)';
console.log(`Running ${files.length} test files on ${databases}`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
