import { parentPort, workerData } from 'node:worker_threads';
import { copyText } from './bulkWriter.js';
import { type Layout, placements } from './layout.js';
import { type Counters, generatePerson, newBuffers, type TableName, type World } from './model.js';

/** What the generating thread is given. */
export interface WorkerInput {
  world: World;
  layout: Layout;
  people: number;
  batch: number;
  /** `copy`: each table's rows as PostgreSQL COPY text; `rows`: as flat arrays of values. */
  format: 'rows' | 'copy';
  /** Batches made ahead of the writer: memory stays at a few batches. */
  ahead: number;
}

/** One batch of people, as the rows of each table (flat, row after row). */
export interface BatchMessage {
  /** People made so far (the index after the batch's last person). */
  end: number;
  counters: Counters;
  /** Rows of each table in the batch. */
  rows: Record<TableName, number>;
  tables: Record<TableName, unknown[] | Uint8Array>;
}

/**
 * Makes people batch after batch while the main thread writes the previous ones; the main
 * thread posts a message for each batch written, which lets this thread go on.
 */
async function generate(input: WorkerInput): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('synth worker: no parent port');
  let credit = input.ahead;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  const counters: Counters = { events: 0, certificates: 0, qualifications: 0, completions: 0 };
  const where = placements(input.layout);
  let index = 0;
  while (index < input.people) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    credit--;
    const out = newBuffers();
    const end = Math.min(input.people, index + input.batch);
    for (; index < end; index++) {
      const next = where.next();
      if (next.done) throw new Error('synth: layout holds fewer people than asked');
      generatePerson(input.world, index, next.value, out, counters);
    }
    const tables = Object.fromEntries(
      Object.entries(out).map(([name, buffer]) => [
        name,
        input.format === 'copy' ? copyText(buffer) : buffer.values,
      ]),
    );
    const rows = Object.fromEntries(Object.entries(out).map(([name, buffer]) => [name, buffer.length]));
    port.postMessage({ end: index, counters: { ...counters }, rows, tables } as BatchMessage);
  }
  // The main thread ends this thread once it has written the last batch.
}

await generate(workerData as WorkerInput);
