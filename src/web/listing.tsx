import type { ComponentChildren } from 'preact';

/** A titled table of records, or a sentence when there are none. */
export function Listing<T>({
  caption,
  empty,
  head,
  rows,
  row,
}: {
  caption: string;
  empty: string;
  head: string[];
  rows: T[];
  row: (item: T) => ComponentChildren;
}) {
  return (
    <section>
      <h2>{caption}</h2>
      {rows.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              {head.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{rows.map(row)}</tbody>
        </table>
      )}
    </section>
  );
}
