/** A captioned table that scrolls sideways on a phone instead of overflowing the page. */
import type { ReactNode } from "react";

export interface Row {
  key: string | number;
  cells: ReactNode[];
  testId?: string;
}

export function Table({ caption, headers, rows }: { caption: string; headers: string[]; rows: Row[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid={row.testId}>
              {row.cells.map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
